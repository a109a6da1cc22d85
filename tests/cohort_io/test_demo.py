"""The SYNTHETIC demo cohort: determinism, labels, class structure, and the calibrated KM split."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.cohort import demo
from igfcirrhosis.cohort.demo import (
    COLUMNS,
    DEMO_NOTE,
    HAZARD_SCALE,
    WEIBULL_SHAPE,
    calibrate_hazard_scales,
    generate_demo_cohort,
    km_limit_90d,
    summarize_demo,
)
from igfcirrhosis.domain.scores import child_pugh

LARGE_N = 100_000


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    return generate_demo_cohort(LARGE_N, seed=20261125)


def _cp_points(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    asc = {"none": 1, "mild": 2, "moderate_severe": 3}
    enc = {"none": 1, "grade_1_2": 2, "grade_3_4": 3}
    return {
        "bilirubin_mg_dl": frame["bilirubin"].to_numpy(float),
        "albumin_g_dl": frame["albumin"].to_numpy(float),
        "ascites_points": frame["ascites"].map(asc).to_numpy(float),
        "encephalopathy_points": frame["encephalopathy"].map(enc).to_numpy(float),
    }


def test_same_seed_identical_frame_and_bytes() -> None:
    a, b = generate_demo_cohort(300, seed=5), generate_demo_cohort(300, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert a.to_csv(index=False) == b.to_csv(index=False)


def test_different_seed_different_frame() -> None:
    a, b = generate_demo_cohort(300, seed=5), generate_demo_cohort(300, seed=6)
    assert not a.drop(columns="patient_id").equals(b.drop(columns="patient_id"))
    assert (a["igf1"] != b["igf1"]).mean() > 0.9


def test_columns_and_synthetic_labels() -> None:
    f = generate_demo_cohort()
    assert len(f) == 400
    assert tuple(f.columns) == COLUMNS
    assert f["synthetic"].all()
    assert f.attrs["note"] == DEMO_NOTE
    assert "SYNTHETIC" in DEMO_NOTE
    assert f["patient_id"].is_unique
    assert set(f["sex"]) <= {"F", "M"}
    assert set(f["ascites"]) <= {"none", "mild", "moderate_severe"}
    assert set(f["event"]) <= {0, 1} and set(f["transplant"]) <= {0, 1}
    assert not (f["event"].astype(bool) & f["transplant"].astype(bool)).any()
    assert (f["time"] >= 1).all() and (f["time"] == np.ceil(f["time"])).all()


def test_n_must_be_positive() -> None:
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        generate_demo_cohort(0)


def test_generative_class_is_the_scored_class() -> None:
    """Labs are drawn inside their point bands, so domain.scores.child_pugh recovers each
    patient's generative class, from INR or from PT prolongation alike."""
    n, seed = 3000, 11
    frame = generate_demo_cohort(n, seed)
    generative = demo._covariates(n, np.random.default_rng(seed))["_cp_class"]
    by_inr = child_pugh(**_cp_points(frame), inr=frame["inr"].to_numpy(float))
    by_pt = child_pugh(
        **_cp_points(frame),
        pt_prolongation_s=frame["prothrombin_time_prolongation"].to_numpy(float),
    )
    assert (np.asarray(by_inr.grade) == generative).all()
    assert (np.asarray(by_pt.grade) == generative).all()


def test_class_mix(large: pd.DataFrame) -> None:
    """40/35/25 %; at n = 100,000 the SE of a share is <= 0.16 pp, tolerance 1 pp."""
    grade = np.asarray(child_pugh(**_cp_points(large), inr=large["inr"].to_numpy(float)).grade)
    for cls, share in demo.CLASS_MIX.items():
        assert (grade == cls).mean() == pytest.approx(share, abs=0.01)


@pytest.mark.parametrize("n", [400, LARGE_N])
def test_median_igf_falls_by_class(n: int, large: pd.DataFrame) -> None:
    frame = large if n == LARGE_N else generate_demo_cohort(n)
    s = summarize_demo(frame)["child_pugh"]
    medians = [s[c]["median_igf1"] for c in "ABC"]
    assert medians[0] > medians[1] > medians[2]


def test_igf_axis_by_score_matches_assy_1998(large: pd.DataFrame) -> None:
    """Assy 1998: IGF-I 76 vs 49 ng/mL and IGFBP-3 1.7 vs 0.86 mg/L at CP 5-8 vs 9-12.
    Tolerance 5 %: the medians' sampling error at this n is < 1 %, the rest is the choice
    of round constants."""
    cp = child_pugh(**_cp_points(large), inr=large["inr"].to_numpy(float)).points
    early, late = (cp >= 5) & (cp <= 8), (cp >= 9) & (cp <= 12)
    assert large["igf1"][early].median() == pytest.approx(76, rel=0.05)
    assert large["igf1"][late].median() == pytest.approx(49, rel=0.05)
    assert large["igfbp3"][early].median() == pytest.approx(1.7, rel=0.05)
    assert large["igfbp3"][late].median() == pytest.approx(0.86, rel=0.05)
    for col in ("igf2", "als", "platelets"):
        assert large[col][early].median() > large[col][late].median()
    assert large["gh"][early].median() < large["gh"][late].median()


def test_malignant_ascites_only_with_ascites_and_higher_igf1_crp(large: pd.DataFrame) -> None:
    no_ascites = large["ascites"] == "none"
    assert large["malignant_ascites"][no_ascites].isna().all()
    assert large["malignant_ascites"][~no_ascites].notna().all()
    mal = large["malignant_ascites"].fillna(False).astype(bool)
    benign = ~no_ascites & ~mal
    assert mal.sum() > 500
    assert large["igf1"][mal].median() > 3 * large["igf1"][benign].median()
    assert (large["igf1"][mal] > 309.4).mean() > 0.85  # Abdel-Razik 2016 cut-off
    assert large["crp"][mal].median() > large["crp"][benign].median()


def test_km_90_day_split_at_igf1_13(large: pd.DataFrame) -> None:
    """Colombo 2017: 94.3 % (IGF-I >= 13) vs 63.2 % (< 13) at 90 days.

    At n = 100,000 about 5,200 patients fall below 13 ng/mL: binomial SE of 63 % is
    sqrt(0.632 * 0.368 / 5200) = 0.67 pp, so +-2 pp is 3 SE; above 13 (about 94,800)
    the SE is 0.075 pp and +-0.5 pp is 6.6 SE (leaving room for the calibration's own
    reference-sample error, about 0.05 pp)."""
    km = summarize_demo(large)["km"]
    assert km["igf1 < 13"]["n"] > 4000
    assert km["igf1 >= 13"]["survival"] == pytest.approx(0.943, abs=0.005)
    assert km["igf1 < 13"]["survival"] == pytest.approx(0.632, abs=0.02)


def test_km_limit_matches_closed_form_without_competing_risk() -> None:
    """One patient type, no transplant: S(90) = exp(-c 90^k) exactly."""
    c = 0.003
    lp, mu = np.zeros(10), np.zeros(10)
    expected = math.exp(-c * 90**WEIBULL_SHAPE)
    assert km_limit_90d(c, lp, mu) == pytest.approx(expected, rel=1e-9)


def test_km_limit_competing_risk_mixture() -> None:
    """Two equal-sized types, the frailer one also transplanted: the KM limit lies between the
    net survival of the mixture and the survival of the sturdier type (transplant removes the
    frail from the risk set); checked against a fine Riemann sum done here independently."""
    lp, mu = np.log(np.array([1.0, 4.0])), np.array([0.0, 0.01])
    c, k = 0.002, WEIBULL_SHAPE
    t = np.linspace(1e-9, 90, 400_001)
    lam = c * np.exp(lp)
    at_risk = np.exp(-np.outer(t**k, lam) - np.outer(t, mu))
    hazard = (at_risk * lam * k * t[:, None] ** (k - 1)).sum(1) / at_risk.sum(1)
    expected = math.exp(-np.trapezoid(hazard, t))
    assert km_limit_90d(c, lp, mu) == pytest.approx(expected, abs=2e-4)


@pytest.mark.slow
def test_stored_hazard_scales_are_rederived() -> None:
    """HAZARD_SCALE must be what calibrate_hazard_scales() gives for the current model."""
    derived = calibrate_hazard_scales()
    for group, value in HAZARD_SCALE.items():
        assert derived[group] == pytest.approx(value, rel=1e-6)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=2**32))
def test_invariants_for_any_seed(n: int, seed: int) -> None:
    """Whatever the seed: n rows, the scored class is the generative class, malignant ascites
    only with ascites, labs inside the Child-Pugh bands, event and transplant exclusive."""
    f = generate_demo_cohort(n, seed)
    assert len(f) == n and f["synthetic"].all()
    generative = demo._covariates(n, np.random.default_rng(seed))["_cp_class"]
    grade = child_pugh(**_cp_points(f), inr=f["inr"].to_numpy(float)).grade
    assert (np.asarray(grade) == generative).all()
    assert f["malignant_ascites"][f["ascites"] == "none"].isna().all()
    assert f["malignant_ascites"][f["ascites"] != "none"].notna().all()
    assert ((f["event"] + f["transplant"]) <= 1).all()
    assert (f[["igf1", "igf2", "igfbp3", "als", "gh", "crp", "afp", "platelets"]] > 0).all().all()
