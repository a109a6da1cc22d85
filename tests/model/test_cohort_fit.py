"""igfc fit / fit_cohort: every row out, simulated patients recovered, bad rows explained."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app
from igfcirrhosis.model.cohort_fit import fit_cohort
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.fitting import MEASURABLES, FitError
from igfcirrhosis.model.units import IGF1_KDA

TRUTH = [(1.0, 1.0), (0.6, 0.3), (0.35, 0.5)]


def _simulated(model: IgfModel) -> pd.DataFrame:
    rows = []
    for lm, gr in TRUTH:
        model.equilibrate({"Hmass_base": lm, "ghr": gr}, fibrosis=False)
        rows.append({k: float(MEASURABLES[k][2](model.rr)) for k in ("igf1", "igfbp3", "gh")})
    return pd.DataFrame(rows)


def test_recovers_simulated_patients_and_explains_bad_rows(model: IgfModel) -> None:
    good = _simulated(model)
    frame = pd.DataFrame({
        "patient_id": ["a", "b", "c", "bad-number", "implausible", "too-few"],
        # IGF-I given in nmol/L in the header: converted before fitting
        "igf1 [nmol/L]": [*(good["igf1"] / IGF1_KDA), "abc", 5000.0 / IGF1_KDA, 9.0],
        "igfbp3": [*good["igfbp3"], 1.2, 1.3, None],
        "gh": [*good["gh"], 3.0, 3.0, None],
    })
    res = fit_cohort(frame, workers=1)
    out = res.data
    assert len(out) == len(frame)
    assert list(out["patient_id"]) == list(frame["patient_id"])
    for i, (lm, gr) in enumerate(TRUTH):
        assert out.loc[i, "fit_liver_mass"] == pytest.approx(lm, rel=1e-3)
        assert out.loc[i, "fit_ghr_density"] == pytest.approx(gr, rel=1e-3)
        assert out.loc[i, "fit_model_igf1 [ng/mL]"] == pytest.approx(good["igf1"][i], rel=1e-4)
        assert out.loc[i, "fit_used"] == "igf1, igfbp3, gh"
        assert pd.isna(out.loc[i, "fit_notes"]) and pd.isna(out.loc[i, "fit_flags"])
    assert "'abc' is not a number" in out.loc[3, "fit_notes"]
    assert "implausible" in out.loc[4, "fit_notes"]
    assert "cannot identify 2 parameters" in out.loc[5, "fit_notes"]
    assert np.isnan(out.loc[3:, "fit_liver_mass"]).all()
    assert res.n_fitted == 3
    assert res.reasons == {"value not a number or implausible: igf1": 2,
                           "too few measurements": 1}
    assert res.assumed_units == ["igfbp3", "gh"]


def test_inconsistent_measurements_are_flagged(model: IgfModel) -> None:
    frame = pd.DataFrame({"igf1": [150.0], "igfbp3": [4.0], "gh": [60.0]})
    flags = fit_cohort(frame, workers=1).data.loc[0, "fit_flags"]
    assert "gh fitted" in flags and "SD)" in flags


def test_rows_do_not_depend_on_the_number_of_workers(model: IgfModel) -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"igf1": rng.uniform(40, 200, 8), "igfbp3": rng.uniform(1, 4, 8),
                          "gh": rng.uniform(0.5, 6, 8)})
    one = fit_cohort(frame, n_boot=2, seed=4, workers=1).data
    two = fit_cohort(frame, n_boot=2, seed=4, workers=2).data
    pd.testing.assert_frame_equal(one, two)
    assert one["fit_liver_mass_ci95_low"].notna().all()


def test_bad_requests_are_errors() -> None:
    frame = pd.DataFrame({"igf1": [80.0], "gh": [2.0]})
    with pytest.raises(FitError, match="kon1"):
        fit_cohort(frame, ["kon1"], workers=1)
    with pytest.raises(FitError, match="needs at least 2"):
        fit_cohort(pd.DataFrame({"igf1": [80.0]}), workers=1)
    with pytest.raises(FitError, match="'crp'"):
        fit_cohort(frame, use=["igf1", "crp"], workers=1)


def test_cli_writes_every_row_and_exits_2_on_bad_input(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    pd.DataFrame({"igf1": [60.0, 120.0, "x"], "igfbp3": [1.3, 2.5, 2.0],
                  "gh": [4.0, 2.0, 2.0]}).to_csv(src, index=False)
    runner = CliRunner()
    res = runner.invoke(app, ["fit", str(src), "-o", str(tmp_path / "f.csv"), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "3 rows, 2 fitted" in " ".join(res.output.split())
    out = pd.read_csv(tmp_path / "f.csv")
    assert len(out) == 3 and out["fit_notes"].notna().sum() == 1
    res = runner.invoke(app, ["fit", str(src), "-o", str(tmp_path / "f.csv"), "--fit", "kon1"])
    assert res.exit_code == 2
    assert "kon1" in res.output and "Traceback" not in res.output


def test_cli_plot_and_group(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    pd.DataFrame({"igf1": [60.0, 120.0, 90.0], "igfbp3": [1.3, 2.5, 2.0], "gh": [4.0, 2.0, 2.5],
                  "child_pugh_class": ["C", "A", "B"]}).to_csv(src, index=False)
    runner = CliRunner()
    args = ["fit", str(src), "-o", str(tmp_path / "f.csv"), "--workers", "1"]
    res = runner.invoke(app, [*args, "--plot", str(tmp_path / "f.svg"), "--group",
                              "child_pugh_class", "--bootstrap", "2"])
    assert res.exit_code == 0, res.output
    svg = (tmp_path / "f.svg").read_text()
    assert "child_pugh_class A" in svg and "healthy" in svg
    res = runner.invoke(app, [*args, "--plot", str(tmp_path / "f.svg"), "--group", "nope"])
    assert res.exit_code == 2 and "--group nope" in res.output
    res = runner.invoke(app, [*args, "--plot", str(tmp_path / "f.pdf")])
    assert res.exit_code == 2 and ".png or .svg" in res.output


def test_als_in_the_catalog_unit_is_converted_for_the_fit(model: IgfModel) -> None:
    """ALS arrives in nmol/L (the data dictionary's default) and is fitted in mg/L (85 kDa)."""
    model.equilibrate({"Hmass_base": 0.5, "ghr": 0.4}, fibrosis=False)
    v = {k: float(MEASURABLES[k][2](model.rr)) for k in ("igf1", "igfbp3", "als")}
    frame = pd.DataFrame({"igf1": [v["igf1"]], "igfbp3": [v["igfbp3"]],
                          "als": [v["als"] / 85.0 * 1000.0]})
    out = fit_cohort(frame, use=["igf1", "igfbp3", "als"], workers=1).data
    assert out.loc[0, "fit_liver_mass"] == pytest.approx(0.5, rel=1e-3)
    assert out.loc[0, "fit_ghr_density"] == pytest.approx(0.4, rel=1e-3)
    assert out.loc[0, "fit_model_als [mg/L]"] == pytest.approx(v["als"], rel=1e-4)
