"""igfc simulate / export-sbml: outputs, schema, bad input, SBML round trip, reproducibility."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app
from igfcirrhosis.model.engine import Dosing, IgfModel
from igfcirrhosis.model.patient import preset
from igfcirrhosis.model.scenario import ScenarioError, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
SCEN = ROOT / "examples" / "scenarios"
runner = CliRunner()


def _schema() -> dict[str, object]:
    text = (resources.files("igfcirrhosis") / "schemas" /
            "simulation-summary.schema.json").read_text()
    return json.loads(text)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_simulate_writes_trajectories_summary_and_figures(tmp_path: Path) -> None:
    import pandas as pd

    toml = _write(tmp_path, """
name = "short"
[patient]
state = "child_pugh_b"
[simulation]
days = 3
output_step_hours = 0.5
[[regimen]]
product = "mecasermin"
dose_ug_per_kg = 80
interval_hours = 12
""")
    res = runner.invoke(app, ["simulate", str(toml), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    summary = json.loads((out / "summary.json").read_text())
    jsonschema.validate(summary, _schema())
    df = pd.read_parquet(out / "trajectories.parquet")
    assert len(df) == 3 * 48 + 1
    for col in ("igf1_total [ng/mL]", "igf1_free [ng/mL]", "igf1_ternary [ng/mL]",
                "igf1_binary [ng/mL]", "igfbp3_total [mg/L]", "als_total [mg/L]", "gh [ng/mL]",
                "hsc_activated [1]", "ecm [1]", "liver_mass [1]"):
        assert col in df.columns
    assert summary["peaks"]["igf1_total"]["value"] > summary["baseline"]["igf1_total"]["value"]
    assert (out / "trajectories.png").stat().st_size > 0
    assert (out / "trajectories.svg").stat().st_size > 0


@pytest.mark.parametrize(("text", "key"), [
    ('[patient]\nstate = "child_pugh_d"\n', "patient.state"),
    ('[patient]\nliver_mass = -1\n', "patient.liver_mass"),
    ('[simulation]\ndays = "ten"\n', "simulation.days"),
    ('[[regimen]]\nproduct = "insulin"\ndose_ug_per_kg = 40\n', "regimen[0].product"),
    ('[[regimen]]\nproduct = "mecasermin"\ndose_ug_per_kg = 0\n', "regimen[0].dose_ug_per_kg"),
    ('[[regimen]]\nproduct = "mecasermin"\ndose = 40\n', "regimen[0].dose"),
    ('[patient]\nstate = "custom"\nliver_mass = 0.5\n', "patient.ghr_density"),
    ('[population]\nn = 0\n', "population.n"),
])
def test_bad_scenario_names_key_and_exits_2(tmp_path: Path, text: str, key: str) -> None:
    res = runner.invoke(app, ["simulate", str(_write(tmp_path, text)), "-o", str(tmp_path)])
    assert res.exit_code == 2
    assert key in res.output
    assert "expected" in res.output
    assert "Traceback" not in res.output


def test_overlapping_phases_are_rejected() -> None:
    with pytest.raises(ScenarioError, match="overlap"):
        parse_scenario({"simulation": {"days": 10}, "regimen": [
            {"product": "mecasermin", "dose_ug_per_kg": 40, "start_day": 0},
            {"product": "mecasermin", "dose_ug_per_kg": 80, "start_day": 5}]})


@pytest.mark.parametrize("path", sorted(SCEN.glob("*.toml")), ids=lambda p: p.name)
def test_example_scenarios_parse(path: Path) -> None:
    from igfcirrhosis.model.scenario import load_scenario

    sc = load_scenario(path)
    assert sc.days > 0


def test_exported_sbml_reloads_with_identical_trajectories(tmp_path: Path,
                                                           model: IgfModel) -> None:
    out = tmp_path / "igf_axis.xml"
    res = runner.invoke(app, ["export-sbml", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert 'level="3"' in text
    reloaded = IgfModel(str(out))  # libroadrunner reads the exported file itself
    times = np.linspace(0.0, 24.0 * 7, 7 * 24 + 1)
    dosing = [Dosing("mecasermin", 80.0, 12.0, 0.0, 24.0 * 7)]
    params = preset("child_pugh_c").parameters()
    results = []
    for m in (model, reloaded):
        m.set_tolerances(1e-10, 1e-14)
        m.equilibrate(params)
        results.append(m.simulate(dosing, times))
        m.set_tolerances(1e-6, 1e-9)
    np.testing.assert_allclose(results[1], results[0], rtol=1e-8, atol=1e-12)


def test_days_override_extends_regimens_to_the_new_end(tmp_path: Path) -> None:
    from igfcirrhosis.model.scenario import load_scenario

    toml = _write(tmp_path, '[simulation]\ndays = 10\n[[regimen]]\nproduct = "mecasermin"\n'
                            'dose_ug_per_kg = 40\n')
    sc = load_scenario(toml, days=30)
    assert sc.days == 30
    assert sc.regimen[0].duration_days == 30
    with pytest.raises(ScenarioError, match="simulation.days"):
        load_scenario(toml, days=-1)


@pytest.mark.parametrize(("name", "igf1"), [("healthy", 199.64), ("child-pugh-a", 76.0),
                                            ("child-pugh-b", 61.0), ("child-pugh-c", 49.0)])
def test_example_presets_run_at_their_calibrated_baseline(tmp_path: Path, name: str,
                                                          igf1: float) -> None:
    res = runner.invoke(app, ["simulate", str(SCEN / f"{name}.toml"), "-o", str(tmp_path),
                              "--no-plots", "--days", "2"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    jsonschema.validate(summary, _schema())
    base = summary["baseline"]["igf1_total"]["value"]
    assert base == pytest.approx(igf1, rel=5e-3)
    # untreated: the trajectory stays at the baseline steady state
    assert summary["end"]["igf1_total"]["value"] == pytest.approx(base, rel=1e-4)
    assert f"total IGF-I at baseline {base:.3g} ng/mL" in res.stdout
    assert summary["caveats"] and all(f"caveat: {c}" in res.stdout for c in summary["caveats"])


def test_model_molar_ratio_is_the_one_igfc_assess_reports(model: IgfModel) -> None:
    """Same convention as the assessment: IGF-I ng/mL and IGFBP-3 mg/L (the model's outputs)
    through the domain's molar ratio (IGFBP-3 at 28.7 kDa), not the model's molecule ratio."""
    from igfcirrhosis.domain.igf_references import igf1_igfbp3_molar_ratio
    from igfcirrhosis.model.outputs import current

    model.equilibrate(preset("child_pugh_b").parameters())
    c = current(model.rr)
    expected = float(igf1_igfbp3_molar_ratio(c["igf1_total"], c["igfbp3_total"]))
    assert c["igf1_igfbp3_molar_ratio"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("args", [
    ["simulate", str(SCEN / "healthy.toml"), "-o", "{file}"],
    ["simulate", str(SCEN / "healthy.toml"), "-o", "{file}/sub"],
    ["export-sbml", "-o", "{file}/model.xml"],
    ["validate-model", "--plot", "{file}/validation.svg"],
])
def test_unwritable_outputs_get_a_one_line_error(tmp_path: Path, args: list[str]) -> None:
    """An output path under a regular file cannot be created: exit 2, the option and path
    named, no traceback, and nothing simulated into a half-made directory."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    res = runner.invoke(app, [a.replace("{file}", str(blocker)) for a in args])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    line = res.stderr.strip()
    assert line.startswith("error: ") and str(blocker) in line and "\n" not in line
    assert blocker.read_text() == "not a directory"
