"""The demo cohort's HCC resection and IGF-I 30 days after it (assumption 8 of
``igfcirrhosis.cohort.demo``): who is resected, when the day-30 value is missing, the assumed
recovery, and that adding the two columns left every existing column unchanged."""

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.cohort import demo
from igfcirrhosis.cohort.demo import COLUMNS, generate_demo_cohort
from igfcirrhosis.domain.scores import child_pugh
from igfcirrhosis.stats.association import PairedComparison

NEW = ["resection", "igf1_day30"]
PLAN = Path(__file__).resolve().parents[2] / "examples" / "igf" / "plan.toml"
N = 20_000


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return generate_demo_cohort(N, seed=20261125)


def _grade(frame: pd.DataFrame) -> np.ndarray:
    asc = {"none": 1, "mild": 2, "moderate_severe": 3}
    enc = {"none": 1, "grade_1_2": 2, "grade_3_4": 3}
    return np.asarray(
        child_pugh(
            bilirubin_mg_dl=frame["bilirubin"].to_numpy(float),
            albumin_g_dl=frame["albumin"].to_numpy(float),
            ascites_points=frame["ascites"].map(asc).to_numpy(float),
            encephalopathy_points=frame["encephalopathy"].map(enc).to_numpy(float),
            inr=frame["inr"].to_numpy(float),
        ).grade
    )


@pytest.mark.parametrize(
    ("n", "seed", "sha256"),
    [
        (300, 7, "212073398ac621701eecf42ea4c5d111c2e3456736adf9410e60ad0f40ab2f67"),
        (400, 20261125, "b1f767f849068b6a1e40d274835f7b80f8aecdf73d42c712b1830763d774b54b"),
    ],
)
def test_existing_columns_unchanged(n: int, seed: int, sha256: str) -> None:
    """The CSV of every column except the two new ones hashes to what the generator gave
    before they were added (hashes taken from commit 173332f's demo.py)."""
    frame = generate_demo_cohort(n, seed).drop(columns=NEW)
    assert hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest() == sha256


def test_columns_dtypes_and_determinism() -> None:
    a, b = generate_demo_cohort(300, 5), generate_demo_cohort(300, 5)
    assert tuple(a.columns) == COLUMNS
    assert COLUMNS[-3:] == ("resection", "igf1_day30", "synthetic")
    assert a["resection"].dtype == bool and a["igf1_day30"].dtype == np.float64
    pd.testing.assert_frame_equal(a, b)
    c = generate_demo_cohort(N, 6)
    assert not generate_demo_cohort(N, 5)["resection"].equals(c["resection"])


def test_resection_only_hcc_child_pugh_a_or_b_without_malignant_ascites(
    cohort: pd.DataFrame,
) -> None:
    grade = _grade(cohort)
    res = cohort["resection"].to_numpy()
    malignant = cohort["malignant_ascites"].fillna(False).to_numpy(bool)
    assert res.sum() > 300
    assert cohort["hcc"][res].all()
    assert set(grade[res]) == {"A", "B"}
    assert not malignant[res].any()
    eligible = cohort["hcc"].to_numpy() & ~malignant
    for cls, p in demo.RESECTION_PROB.items():
        m = eligible & (grade == cls)
        # binomial SE at ~400-500 eligible patients is <= 2.3 pp: tolerance 3 SE
        assert res[m].mean() == pytest.approx(p, abs=0.07)


def test_day30_only_for_resected_patients_followed_to_day_30(cohort: pd.DataFrame) -> None:
    measured = cohort["resection"] & (cohort["time"] > 30)
    assert cohort["igf1_day30"].notna().equals(measured)
    assert (cohort["igf1_day30"][measured] > 0).all()
    # some resected patients die or are transplanted by day 30: missing, not dropped
    gone = cohort["resection"] & (cohort["time"] <= 30)
    assert gone.any() and (cohort["event"][gone] + cohort["transplant"][gone] == 1).all()
    assert len(cohort) == N


def test_recovery_towards_the_liver_function_appropriate_level(cohort: pd.DataFrame) -> None:
    """ln day30 = ln pre + 0.7 max(0, ln L - ln pre) + N(0, 0.1^2): below L the recovered share
    of the log-gap is 0.7; at or above L the mean log change is 0 (SD 0.1)."""
    seed, n = 20261125, N
    cov = demo._covariates(n, np.random.default_rng(seed))
    level = demo.igf1_expected(cov)
    m = cohort["igf1_day30"].notna().to_numpy()
    pre, post = cohort["igf1"].to_numpy()[m], cohort["igf1_day30"].to_numpy()[m]
    gap = np.log(level[m]) - np.log(pre)
    change = np.log(post) - np.log(pre)
    below = gap > 0.3  # well below L: the recovery dominates the noise
    slope = np.polyfit(gap[below], change[below], 1)[0]
    assert slope == pytest.approx(demo.RESECTION_RECOVERY, abs=0.05)
    above = gap < 0
    assert abs(change[above].mean()) < 0.03  # SE ~ 0.1 / sqrt(200)
    assert change[above].std() == pytest.approx(demo.DAY30_SDLOG, rel=0.25)
    assert np.exp(change.mean()) == pytest.approx(1.28, abs=0.05)  # the docstring's figure


def test_paired_test_on_the_default_demo_shows_recovery() -> None:
    """The default demo (n = 400, the example plan's cohort): IGF-I rises after resection."""
    frame = generate_demo_cohort()
    fit = PairedComparison().fit(frame[frame["resection"]], "igf1", "igf1_day30")
    assert fit.n_ == 9 and fit.n_missing_ == 0
    assert fit.mean_diff_ > 0 and fit.wilcoxon_p_ < 0.05


def test_example_plan_covers_correlations_and_the_resection_pair(tmp_path: Path) -> None:
    """examples/igf/plan.toml: Spearman of IGF-I, IGF-II, IGFBP-3 with the Child-Pugh score and
    with MELD (each negative, with a CI), and IGF-I before vs 30 days after resection."""
    from igfcirrhosis.analysis.plan import load_plan
    from igfcirrhosis.analysis.runner import run_plan

    plan = load_plan(PLAN)
    wanted = {"spearman_child_pugh", "spearman_meld", "paired_igf1_resection"}
    plan = dataclasses.replace(plan, analyses=[a for a in plan.analyses if a.id in wanted])
    assert {a.id for a in plan.analyses} == wanted
    doc = run_plan(plan, tmp_path / "out").results
    res = {a["id"]: a for a in doc["analyses"]}
    assert all(a["status"] == "ok" for a in res.values())
    for aid, score in (("spearman_child_pugh", "child_pugh_points"), ("spearman_meld", "meld")):
        pairs = res[aid]["results"]["pairs"]
        assert [(p["x"], p["y"]) for p in pairs] == [(m, score) for m in ("igf1", "igf2", "igfbp3")]
        for p in pairs:
            assert p["lower"] < p["rho"] < p["upper"] < 0 and p["n"] == 400
    paired = res["paired_igf1_resection"]
    assert paired["n_used"] == 9 and paired["filter"] == "resection"
    r = paired["results"]
    assert (r["before"], r["after"]) == ("igf1", "igf1_day30")
    assert r["units"]["mean_difference"] == "ng/mL"
    assert r["mean_difference"]["value"] == pytest.approx(13.56, abs=0.01)
    assert r["wilcoxon_signed_rank"]["p_value"] == pytest.approx(0.0078125)
