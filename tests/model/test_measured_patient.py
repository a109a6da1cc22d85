"""A measured patient becomes a simulated one: scenario parsing, fit, summaries, trials."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.fitting import MEASURABLES, fit_scenario
from igfcirrhosis.model.patient import preset
from igfcirrhosis.model.population import sample_patients
from igfcirrhosis.model.scenario import parse_scenario
from igfcirrhosis.model.simulate import run_scenario

runner = CliRunner()
SHORT = '[simulation]\ndays = 2\n[[regimen]]\nproduct = "mecasermin"\ndose_ug_per_kg = 60\n'


def _schema() -> dict[str, Any]:
    return json.loads((resources.files("igfcirrhosis") / "schemas" /
                       "simulation-summary.schema.json").read_text())


def _child_b_measurements(model: IgfModel) -> dict[str, float]:
    """Untreated steady state of the Child-Pugh B preset, as a lab would report it."""
    model.equilibrate(preset("child_pugh_b").parameters(), fibrosis=False)
    return {k: float(MEASURABLES[k][2](model.rr)) for k in ("igf1", "igfbp3", "gh")}


def _scenario(measured: dict[str, float], **patient: Any) -> dict[str, Any]:
    return {"name": "measured", "population": {"seed": 5},
            "patient": {"state": "measured", "measured": measured, **patient},
            "simulation": {"days": 2}}


@pytest.mark.parametrize(("patient", "key"), [
    ('state = "measured"\n', "patient.measured"),
    ('state = "measured"\nmeasured = {igf_1 = 60}\n', "patient.measured.igf_1"),
    ('state = "measured"\nmeasured = {igf1 = 0}\n', "patient.measured.igf1"),
    ('state = "measured"\nmeasured = {igf1 = "low"}\n', "patient.measured.igf1"),
    ('state = "measured"\nmeasured = {igf1 = 60}\n', "patient.fit"),
    ('state = "measured"\nmeasured = {igf1 = 60, gh = 3}\nfit = ["kon1"]\n', "patient.fit"),
    ('state = "measured"\nmeasured = {igf1 = 60, gh = 3}\nliver_mass = 0.5\n',
     "patient.liver_mass"),
    ('state = "measured"\nmeasured = {igf1 = 60}\nfit = ["liver_mass"]\nbootstrap = -1\n',
     "patient.bootstrap"),
    ('state = "child_pugh_b"\nmeasured = {igf1 = 60}\n', "patient.measured"),
])
def test_bad_measured_patient_names_the_key(tmp_path: Path, patient: str, key: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f"[patient]\n{patient}{SHORT}")
    res = runner.invoke(app, ["simulate", str(path), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2, res.output
    assert key in res.output
    assert "expected" in res.output
    assert "Traceback" not in res.output


def test_fit_recovers_a_child_pugh_b_patient(model: IgfModel) -> None:
    truth = preset("child_pugh_b")
    sc = parse_scenario(_scenario(_child_b_measurements(model), injury=truth.injury,
                                  bootstrap=8))
    assert sc.measured is not None and sc.measured.fit == ("liver_mass", "ghr_density")
    with pytest.raises(ValueError, match="not fitted"):
        run_scenario(sc, model)
    fitted = fit_scenario(sc, model)
    assert fitted.measured is None
    assert fitted.patient.label == "measured (fitted)"
    assert fitted.patient.liver_mass == pytest.approx(truth.liver_mass, rel=1e-3)
    assert fitted.patient.ghr_density == pytest.approx(truth.ghr_density, rel=1e-3)
    assert fitted.patient.injury == truth.injury
    report = fitted.fit
    assert report is not None and report["success"] and report["n_boot"] == 8
    assert report["warnings"] == []  # injury given, values the model can reach
    for name in ("liver_mass", "ghr_density"):
        lo, hi = report["parameters"][name]["ci95"]
        assert lo < report["parameters"][name]["estimate"] < hi
    assert report["measurements"]["igf1"]["simulated"] == pytest.approx(
        report["measurements"]["igf1"]["measured"], rel=1e-4)
    # the fitted patient simulates to the measured baseline
    _, baseline, _ = run_scenario(fitted, model)
    assert baseline["igf1_total"] == pytest.approx(
        report["measurements"]["igf1"]["measured"], rel=1e-3)


def test_virtual_patients_draw_from_the_bootstrap(model: IgfModel) -> None:
    sc = parse_scenario(_scenario({"igf1": 60.0, "igfbp3": 1.4, "gh": 3.0}, bootstrap=6))
    with pytest.raises(ValueError, match="not fitted"):
        sample_patients(sc, 10, 1)
    fitted = fit_scenario(sc, model)
    assert fitted.fit_draws is not None
    ids, values = sample_patients(fitted, 200, 1)
    lm = values[:, ids.index("Hmass_base")]
    gr = values[:, ids.index("ghr")]
    draws = list(zip(fitted.fit_draws["liver_mass"], fitted.fit_draws["ghr_density"],
                     strict=True))
    assert all(pair in draws for pair in zip(lm, gr, strict=True))  # jointly, not mixed
    assert len(set(lm)) > 1
    again = sample_patients(fitted, 200, 1)[1]
    np.testing.assert_array_equal(values, again)
    held = fit_scenario(parse_scenario(_scenario({"igf1": 60.0, "igfbp3": 1.4},
                                                 bootstrap=0)), model)
    ids0, values0 = sample_patients(held, 50, 1)
    assert np.all(values0[:, ids0.index("Hmass_base")] == held.patient.liver_mass)


def test_cli_simulate_and_trial_report_the_fit(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('name = "m"\n[patient]\nstate = "measured"\nbootstrap = 4\n'
                    "[patient.measured]\nigf1 = 58\nigfbp3 = 1.3\ngh = 4\n" + SHORT
                    + '[population]\nn = 3\nseed = 2\n[[population.arms]]\nname = "none"\n')
    res = runner.invoke(app, ["simulate", str(path), "-o", str(tmp_path / "one"),
                              "--no-plots"])
    assert res.exit_code == 0, res.output
    assert "fitted liver_mass" in res.output
    one = json.loads((tmp_path / "one" / "summary.json").read_text())
    jsonschema.validate(one, _schema())
    assert one["scenario"]["patient"]["state"] == "measured (fitted)"
    assert one["baseline"]["igf1_total"]["value"] == pytest.approx(58, rel=0.05)
    assert set(one["fit"]["parameters"]) == {"liver_mass", "ghr_density"}
    res = runner.invoke(app, ["simulate", str(path), "-o", str(tmp_path / "trial"),
                              "--population", "3", "--workers", "1", "--no-plots"])
    assert res.exit_code == 0, res.output
    trial = json.loads((tmp_path / "trial" / "summary.json").read_text())
    jsonschema.validate(trial, _schema())
    assert trial["fit"] == one["fit"]
    assert "virtual_patients" in trial["definitions"]


def test_an_assumed_injury_drive_is_said(model: IgfModel) -> None:
    fitted = fit_scenario(parse_scenario(_scenario({"igf1": 60.0, "igfbp3": 1.4},
                                                   bootstrap=0)), model)
    assert fitted.fit is not None
    assert any(w.startswith("patient.injury not given") for w in fitted.fit["warnings"])
    assert fitted.patient.injury == 0.05
