"""Cumulative incidence, Gray's test and Fine-Gray against cmprsk 2.2.11 on PBC.

R code (tests/fixtures/r/survival.R)::

    library(cmprsk)
    cuminc(pbc$time, pbc$status, cencode = 0)                    # "1 1" transplant, "1 2" death
    cuminc(pbc$time, pbc$status, group = pbc$bili > 2, cencode = 0)
    # $Tests: stat 6.85530744761959 (cause 1), 107.350419791067 (cause 2), 1 df
    staged <- pbc[!is.na(pbc$stage), ]
    cuminc(staged$time, staged$status, group = staged$stage, cencode = 0)   # 3 df
    d <- pbc[complete.cases(pbc[, c("time", "status", "age", "bili")]), ]
    crr(d$time, d$status, cov1 = cbind(age = d$age, logbili = log(d$bili)),
        failcode = 2, cencode = 0)          # coef 0.0489415989402016, 0.949497803568084
    crr(d$time, d$status, cov1 = cbind(age = d$age, logbili = log(d$bili), edema = d$edema),
        failcode = 1, cencode = 0)

Tolerance 1e-6 relative (observed < 1e-12). cmprsk reports p = 1 - pchisq(...), which is 0
below 1e-16; we report the upper tail itself, so p is compared only where R's exceeds 1e-12.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.competing import (
    CumulativeIncidence,
    cuminc_steps,
    cumulative_incidence,
    gray_test,
)
from igfcirrhosis.stats.competing_finegray import FineGray
from igfcirrhosis.stats.survival_data import SurvivalDataError

from .rcompare import assert_close_to_r


@pytest.mark.parametrize("cause", [1, 2])
def test_overall_cuminc(pbc_data: pd.DataFrame, r_ref: dict[str, Any], cause: int) -> None:
    r = r_ref["cuminc_overall"][f"1 {cause}"]
    time, est, var = cuminc_steps(cumulative_incidence(pbc_data["time"], pbc_data["status"], cause))
    np.testing.assert_array_equal(time, r["time"])
    assert_close_to_r(est, r["est"], what="est")
    assert_close_to_r(var, r["var"], what="var")


@pytest.mark.parametrize("cause", [1, 2])
@pytest.mark.parametrize("high", [False, True])
def test_cuminc_by_bilirubin(
    pbc_data: pd.DataFrame, r_ref: dict[str, Any], cause: int, high: bool
) -> None:
    ci = CumulativeIncidence().fit(pbc_data, "time", "status", group_col="high_bili")
    r = r_ref["cuminc_bili"][f"{str(high).upper()} {cause}"]
    time, est, var = cuminc_steps(ci.curves_[(high, float(cause))])
    np.testing.assert_array_equal(time, r["time"])
    assert_close_to_r(est, r["est"], what="est")
    assert_close_to_r(var, r["var"], what="var")


@pytest.mark.parametrize("key", ["cuminc_bili", "cuminc_stage"])
def test_gray_tests(pbc_data: pd.DataFrame, r_ref: dict[str, Any], key: str) -> None:
    r = r_ref[key]["tests"]
    group = "high_bili" if key == "cuminc_bili" else "stage"
    d = pbc_data.dropna(subset=[group])
    for i, cause in enumerate([1, 2]):
        res = gray_test(d["time"], d["status"], d[group], cause)
        assert res.df == r["df"][i]
        assert_close_to_r(res.statistic, r["stat"][i], what=f"stat cause {cause}")
        if r["pv"][i] > 1e-12:
            assert_close_to_r(res.p_value, r["pv"][i], what=f"p cause {cause}")
        else:
            assert res.p_value < 1e-12


def test_estimator_tests_table(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    ci = CumulativeIncidence().fit(pbc_data, "time", "status", group_col="high_bili")
    assert ci.tests_ is not None
    assert_close_to_r(ci.tests_["chisq"], r_ref["cuminc_bili"]["tests"]["stat"], what="stat")
    tab = ci.at([1825])
    assert tab.loc[(True, 2.0, 1825.0), "estimate"] > tab.loc[(False, 2.0, 1825.0), "estimate"]
    json.dumps(ci.to_dict(times=[365, 1825]), allow_nan=False)


@pytest.mark.parametrize(
    ("key", "code", "covs"),
    [("crr_death", 2, ["age", "log_bili"]), ("crr_transplant", 1, ["age", "log_bili", "edema"])],
)
def test_fine_gray(
    pbc_data: pd.DataFrame, r_ref: dict[str, Any], key: str, code: int, covs: list[str]
) -> None:
    r = r_ref[key]
    d = pbc_data.assign(log_bili=np.log(pbc_data["bili"]))
    fg = FineGray(failure_code=code).fit(d, "time", "status", covs)
    assert fg.converged_ and fg.n_ == r["n"]
    assert_close_to_r(fg.params_, r["coef"], what="coef")
    assert_close_to_r(fg.standard_errors_, r["se"], what="se")
    assert_close_to_r(fg.variance_matrix_.to_numpy(), r["var"], what="var")
    assert_close_to_r(fg.summary["p"], r["p"], what="p")
    assert_close_to_r([fg.loglik_, fg.loglik_null_], [r["loglik"], r["loglik_null"]], what="ll")
    json.dumps(fg.to_dict(), allow_nan=False)


def test_cumulative_incidences_and_survival_add_to_one(pbc_data: pd.DataFrame) -> None:
    """At the last time, CIF(transplant) + CIF(death) + KM(any event) = 1."""
    from igfcirrhosis.stats.survival import kaplan_meier

    t, s = pbc_data["time"], pbc_data["status"]
    total = sum(cumulative_incidence(t, s, c).at([4000])["estimate"].iloc[0] for c in (1, 2))
    km = kaplan_meier(t, (s > 0).astype(int))
    surv = km.surv[np.searchsorted(km.time, 4000, side="right") - 1]
    assert total + surv == pytest.approx(1.0, abs=1e-12)


def test_bad_status_input() -> None:
    with pytest.raises(SurvivalDataError, match="time at position 0 is negative"):
        cumulative_incidence([-1.0, 2.0], [1, 0], 1)
    with pytest.raises(SurvivalDataError, match="at least two groups"):
        gray_test([1.0, 2.0], [1, 0], ["a", "a"], 1)


def test_no_failures_gives_zero_incidence() -> None:
    cif = cumulative_incidence([1.0, 2.0, 3.0], [0, 0, 0], 1)
    assert cif.time.size == 0
    assert cif.at([0.5, 3.0])["estimate"].tolist() == [0.0, 0.0]
    assert cif.at([4.0])["estimate"].isna().all()  # beyond follow-up: unknown, as cmprsk


def test_at_matches_timepoints(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R: timepoints(cuminc(pbc$time, pbc$status, cencode = 0),
    c(365, 1825, 3650, 4795, 5000)): NA beyond the last follow-up time (4795)."""
    r = r_ref["cuminc_timepoints"]
    ci = CumulativeIncidence().fit(pbc_data, "time", "status")
    tab = ci.at(r["times"])
    for i, cause in enumerate([1.0, 2.0]):
        part = tab.loc[("all", cause)]
        assert_close_to_r(part["estimate"].to_numpy(), r["est"][i], what=f"est {cause}")
        assert_close_to_r(part["variance"].to_numpy(), r["var"][i], what=f"var {cause}")
