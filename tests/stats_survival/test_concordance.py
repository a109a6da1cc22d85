"""Harrell's C and its standard error against R's concordance() on PBC (randomised 312).

R code (tests/fixtures/r/survival.R)::

    library(survival)
    randomised <- subset(pbc, !is.na(trt))
    c1 <- concordance(Surv(time, status == 2) ~ bili, data = randomised, reverse = TRUE)
    c1$concordance; sqrt(c1$var); c1$count      # 0.793955274632956, 0.0196511669285879
    f_bili <- coxph(Surv(time, status == 2) ~ bili, data = randomised)
    f_full <- coxph(Surv(time, status == 2) ~ age + log(bili) + log(albumin) + log(protime) +
                    edema, data = randomised)
    c2 <- concordance(f_bili, f_full)
    dd <- c(1, -1)
    sum(dd * c2$concordance); sqrt(drop(t(dd) %*% c2$var %*% dd))   # -0.0499059887, 0.0142570
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.concordance import compare_concordance, concordance_index
from igfcirrhosis.stats.cox import CoxPH

from .rcompare import assert_close_to_r


def test_bilirubin_as_risk_score(pbc_randomised: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    r = r_ref["concordance_bili"]
    d = pbc_randomised
    c = concordance_index(d["time"], d["death"], risk_score=d["bili"])
    counts = [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy]
    np.testing.assert_array_equal(counts, r["counts"])
    assert_close_to_r(c.concordance, r["concordance"], what="C")
    assert_close_to_r(c.std_err, r["se"], what="se")


def test_sign_conventions_mirror_each_other(pbc_randomised: pd.DataFrame) -> None:
    """predicted_time = -risk: the same C; predicted_time = risk: 1 - C."""
    d = pbc_randomised
    risk = concordance_index(d["time"], d["death"], risk_score=d["bili"])
    pred = concordance_index(d["time"], d["death"], predicted_time=-d["bili"])
    wrong = concordance_index(d["time"], d["death"], predicted_time=d["bili"])
    assert pred.concordance == pytest.approx(risk.concordance, rel=1e-15)
    assert wrong.concordance == pytest.approx(1 - risk.concordance, rel=1e-12)
    assert wrong.std_err == pytest.approx(risk.std_err, rel=1e-12)
    with pytest.raises(ValueError, match="exactly one"):
        concordance_index(d["time"], d["death"])


def test_compare_two_scores(pbc_randomised: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    r = r_ref["concordance_compare"]
    d = pbc_randomised.copy()
    d["bili_lp"] = CoxPH().fit(d, "time", "death", ["bili"]).linear_predictor_
    mayo = ["age", "log_bili", "log_albumin", "log_protime", "edema"]
    d["mayo_lp"] = CoxPH().fit(d, "time", "death", mayo).linear_predictor_
    c1 = concordance_index(d["time"], d["death"], risk_score=d["bili_lp"])
    c2 = concordance_index(d["time"], d["death"], risk_score=d["mayo_lp"])
    cmp = compare_concordance(c1, c2)
    assert_close_to_r(cmp.concordance, r["concordance"], what="C")
    assert_close_to_r(cmp.covariance, r["var"], what="covariance")
    assert_close_to_r(cmp.difference, r["diff"], what="difference")
    assert_close_to_r(cmp.std_err, r["diff_se"], what="se of difference")
    assert cmp.p_value < 0.001


def test_small_hand_example() -> None:
    """Times 1..4 all events, risk 4,3,1,2: pairs (1,2)(1,3)(1,4)(2,3)(2,4) concordant,
    (3,4) discordant -> C = 5/6."""
    c = concordance_index([1, 2, 3, 4], [1, 1, 1, 1], risk_score=[4, 3, 1, 2])
    assert (c.concordant, c.discordant) == (5, 1)
    assert c.concordance == pytest.approx(5 / 6, rel=1e-15)


def _brute_force(t: np.ndarray, e: np.ndarray, s: np.ndarray) -> tuple[float, ...]:
    """Definition by double loop: comparable if t_j > t_i or (t_j == t_i and j censored)."""
    conc = disc = tie = tied_y = tied_xy = 0.0
    for i in range(t.size):
        if not e[i]:
            continue
        for j in range(t.size):
            if j == i:
                continue
            if t[j] > t[i] or (t[j] == t[i] and not e[j]):
                conc += s[i] > s[j]
                disc += s[i] < s[j]
                tie += s[i] == s[j]
            elif t[j] == t[i] and e[j] and j > i:
                tied_y += 1
                tied_xy += s[i] == s[j]
    return conc, disc, tie, tied_y - tied_xy, tied_xy


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_fast_counts_equal_the_double_loop(seed: int) -> None:
    """Heavy ties in time and score, censoring tied with events."""
    rng = np.random.default_rng(seed)
    n = 120
    t = rng.integers(1, 15, n).astype(float)
    e = rng.random(n) < 0.6
    s = rng.integers(0, 6, n).astype(float)
    c = concordance_index(t, e.astype(int), risk_score=s)
    got = (c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy)
    assert got == _brute_force(t, e, s)
