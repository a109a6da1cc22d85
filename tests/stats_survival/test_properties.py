"""Property checks on generated data (hypothesis, derandomized so every run is the same)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.stats.competing import cumulative_incidence
from igfcirrhosis.stats.concordance import concordance_index
from igfcirrhosis.stats.cox import CoxPH
from igfcirrhosis.stats.survival import kaplan_meier, logrank_test
from igfcirrhosis.stats.survival_data import ConvergenceWarning, StatisticalWarning

samples = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 2), st.integers(0, 1)), min_size=2, max_size=40
)


def _product_limit(t: np.ndarray, e: np.ndarray) -> list[float]:
    """The textbook definition, one distinct time at a time."""
    out, s = [], 1.0
    for u in np.unique(t):
        n = np.sum(t >= u)
        d = np.sum((t == u) & (e == 1))
        s *= 1 - d / n
        out.append(s)
    return out


@settings(max_examples=60, deadline=None, derandomize=True)
@given(samples)
def test_km_is_the_product_limit(rows: list[tuple[int, int, int]]) -> None:
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([min(r[1], 1) for r in rows])
    c = kaplan_meier(t, e)
    np.testing.assert_allclose(c.surv, _product_limit(t, e), rtol=1e-12)
    assert np.all(np.diff(c.surv) <= 0) and np.all((c.surv >= 0) & (c.surv <= 1))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(samples)
def test_logrank_ignores_group_labels(rows: list[tuple[int, int, int]]) -> None:
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([min(r[1], 1) for r in rows])
    g = np.array([r[2] for r in rows])
    if len(set(g)) < 2 or e.sum() == 0:
        return
    a = logrank_test(t, e, g)
    b = logrank_test(t, e, 1 - g)
    assert a.chisq == b.chisq or abs(a.chisq - b.chisq) <= 1e-9 * max(1.0, a.chisq)
    assert abs(a.observed.sum() - a.expected.sum()) <= 1e-9 * max(1.0, a.observed.sum())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(samples)
def test_cumulative_incidences_plus_survival_is_one(rows: list[tuple[int, int, int]]) -> None:
    t = np.array([r[0] for r in rows], dtype=float)
    s = np.array([r[1] for r in rows], dtype=float)
    total = np.zeros(1)
    for cause in (1.0, 2.0):  # a cause may never occur: its incidence is 0 throughout
        total += cumulative_incidence(t, s, cause).at([t.max()])["estimate"].to_numpy()
    km = kaplan_meier(t, (s > 0).astype(int))
    assert abs(total[0] + km.surv[-1] - 1) <= 1e-12


@settings(max_examples=40, deadline=None, derandomize=True)
@given(samples, st.lists(st.floats(-3, 3, allow_nan=False), min_size=40, max_size=40))
def test_c_index_in_unit_interval_and_flips(
    rows: list[tuple[int, int, int]], score: list[float]
) -> None:
    t = np.array([r[0] for r in rows], dtype=float)
    e = np.array([min(r[1], 1) for r in rows])
    x = np.array(score[: t.size])
    try:
        a = concordance_index(t, e, risk_score=x)
    except ValueError:
        return  # no comparable pair
    b = concordance_index(t, e, risk_score=-x)
    assert 0 <= a.concordance <= 1
    assert abs(a.concordance + b.concordance - 1) <= 1e-12


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 10_000), st.integers(8, 60))
def test_cox_score_test_is_the_logrank_test_without_ties(seed: int, n: int) -> None:
    """With distinct times, the Cox score test of a 0/1 covariate (Efron = Breslow) equals the
    log-rank chi-square, and Efron and Breslow give the same fit."""
    rng = np.random.default_rng(seed)
    t = rng.permutation(n).astype(float) + 1.0
    e = (rng.random(n) < 0.7).astype(int)
    g = rng.integers(0, 2, n)
    if e.sum() < 2 or len(set(g)) < 2 or e[g == 0].sum() == 0 or e[g == 1].sum() == 0:
        return
    df = pd.DataFrame({"t": t, "e": e, "g": g.astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        efron = CoxPH(ties="efron").fit(df, "t", "e", ["g"])
        breslow = CoxPH(ties="breslow").fit(df, "t", "e", ["g"])
    lr = logrank_test(t, e, g)
    assert abs(efron.score_test_.chisq - lr.chisq) <= 1e-9 * max(1.0, lr.chisq)
    assert abs(efron.loglik_ - breslow.loglik_) <= 1e-9 * abs(breslow.loglik_)
