"""Log-rank test (k groups) and the test for trend against R's survdiff on PBC.

R code (tests/fixtures/r/survival.R)::

    library(survival)
    sd_bili  <- survdiff(Surv(time, status == 2) ~ I(bili > 2), data = pbc)
    sd_stage <- survdiff(Surv(time, status == 2) ~ stage, data = pbc)   # 6 missing stage dropped
    # chisq = 135.740689512898 (bili), 70.0762380382374 on 3 df (stage)
    w <- 1:4
    u <- sum(w * (sd_stage$obs - sd_stage$exp))
    v <- drop(t(w) %*% sd_stage$var %*% w)
    u^2 / v                                       # 57.5194528266479, trend test on 1 df
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.survival import KaplanMeier, logrank_test, logrank_trend_test
from igfcirrhosis.stats.survival_data import SurvivalDataError

from .rcompare import assert_close_to_r


def test_logrank_two_groups(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    r = r_ref["logrank_bili"]
    res = logrank_test(pbc_data["time"], pbc_data["death"], pbc_data["high_bili"])
    assert res.df == 1
    assert_close_to_r(res.chisq, r["chisq"], what="chisq")
    assert_close_to_r(res.p_value, r["p"], what="p")
    assert_close_to_r(res.expected, r["exp"], what="expected")
    np.testing.assert_array_equal(res.observed, r["obs"])
    np.testing.assert_array_equal(res.n, r["n"])


def test_logrank_four_stages(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    r = r_ref["logrank_stage"]
    d = pbc_data.dropna(subset=["stage"])
    res = logrank_test(d["time"], d["death"], d["stage"])
    assert res.df == 3
    assert_close_to_r(res.chisq, r["chisq"], what="chisq")
    assert_close_to_r(res.p_value, r["p"], what="p")
    assert_close_to_r(res.variance.ravel(), r["var"], what="variance matrix")


def test_trend_across_stages(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    r = r_ref["trend_stage"]
    d = pbc_data.dropna(subset=["stage"])
    res = logrank_trend_test(d["time"], d["death"], d["stage"])
    np.testing.assert_array_equal(res.scores, [1, 2, 3, 4])
    assert_close_to_r(res.chisq, r["chisq"], what="trend chisq")
    assert_close_to_r(res.p_value, r["p"], what="trend p")


def test_trend_scores_change_the_statistic(pbc_data: pd.DataFrame) -> None:
    d = pbc_data.dropna(subset=["stage"])
    a = logrank_trend_test(d["time"], d["death"], d["stage"])
    b = logrank_trend_test(d["time"], d["death"], d["stage"], scores=[0, 0, 1, 1])
    assert a.chisq != pytest.approx(b.chisq)


def test_estimator_carries_logrank(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    km = KaplanMeier().fit(pbc_data, "time", "death", group_col="high_bili")
    assert km.logrank_ is not None
    assert_close_to_r(km.logrank_.chisq, r_ref["logrank_bili"]["chisq"], what="chisq")


def test_missing_stage_raises_naming_the_row(pbc_data: pd.DataFrame) -> None:
    with pytest.raises(SurvivalDataError, match=r"row 312: column 'stage' is missing"):
        KaplanMeier().fit(pbc_data, "time", "death", group_col="stage")
    km = KaplanMeier().fit(pbc_data, "time", "death", group_col="stage", dropna=True)
    assert km.n_dropped_ == 6 and km.n_ == 412


def test_one_group_is_an_error() -> None:
    with pytest.raises(SurvivalDataError, match="at least two groups"):
        logrank_test([1, 2], [1, 0], ["a", "a"])


@pytest.mark.parametrize(
    ("key", "group", "rho"),
    [("logrank_bili_rho1", "high_bili", 1.0), ("logrank_stage_rho05", "stage", 0.5)],
)
def test_fleming_harrington_rho(
    pbc_data: pd.DataFrame, r_ref: dict[str, Any], key: str, group: str, rho: float
) -> None:
    """R: survdiff(Surv(time, status == 2) ~ I(bili > 2), data = pbc, rho = 1)
    (chisq 131.021975570164) and ~ stage with rho = 0.5 (73.6625365133252)."""
    r = r_ref[key]
    d = pbc_data.dropna(subset=[group])
    res = logrank_test(d["time"], d["death"], d[group], rho=rho)
    assert res.df == r["df"]
    assert_close_to_r(res.chisq, r["chisq"], what="chisq")
    assert_close_to_r(res.p_value, r["p"], what="p")
    assert_close_to_r(res.observed, r["obs"], what="weighted observed")
    assert_close_to_r(res.expected, r["exp"], what="weighted expected")


def test_stratified_by_sex(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R: survdiff(Surv(time, status == 2) ~ I(bili > 2) + strata(sex), data = pbc):
    chisq 130.666744040086; obs/exp are per stratum in R (summed over strata here)."""
    r = r_ref["logrank_bili_strata_sex"]
    res = logrank_test(
        pbc_data["time"], pbc_data["death"], pbc_data["high_bili"], strata=pbc_data["sex"]
    )
    assert_close_to_r(res.chisq, r["chisq"], what="chisq")
    assert_close_to_r(res.p_value, r["p"], what="p")
    obs = np.asarray(r["obs"]).reshape(2, 2, order="F").sum(axis=1)
    expd = np.asarray(r["exp"]).reshape(2, 2, order="F").sum(axis=1)
    np.testing.assert_array_equal(res.observed, obs)
    assert_close_to_r(res.expected, expd, what="expected")
    assert_close_to_r(res.variance.ravel(), r["var"], what="variance")
    assert res.to_dict()["test"] == "log-rank (survdiff), stratified"
