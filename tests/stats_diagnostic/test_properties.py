"""Property checks (hypothesis, derandomised so every run draws the same examples)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.stats.cutpoint import p_lausen92, p_lausen94
from igfcirrhosis.stats.diagnostic import exact_ci
from igfcirrhosis.stats.roc import auc_delong, delong_placements, roc_curve
from igfcirrhosis.stats.table1 import fisher_exact_rxc, jonckheere_terpstra

SETTINGS = settings(derandomize=True, max_examples=60, deadline=None)
small_values = st.lists(st.integers(0, 6).map(float), min_size=2, max_size=12)


@SETTINGS
@given(cases=small_values, controls=small_values)
def test_auc_bounds_and_direction_symmetry(cases: list[float], controls: list[float]) -> None:
    a = auc_delong(cases, controls, "<")
    b = auc_delong(cases, controls, ">")
    assert 0 <= a.auc <= 1 and np.isclose(a.auc + b.auc, 1.0)
    assert np.isclose(a.se, b.se)
    assert a.lower <= a.auc <= a.upper
    theta, v10, v01 = delong_placements(cases, controls)
    assert np.isclose(v10.mean(), theta) and np.isclose(v01.mean(), theta)


@SETTINGS
@given(cases=small_values, controls=small_values)
def test_roc_curve_monotone_and_trapezoid_equals_auc(
    cases: list[float], controls: list[float]
) -> None:
    _, se, sp = roc_curve(cases, controls, "<")
    assert se[0] == 1 and se[-1] == 0 and sp[0] == 0 and sp[-1] == 1
    assert np.all(np.diff(se) <= 0) and np.all(np.diff(sp) >= 0)
    # trapezoidal area under (1 - sp, se) equals the Mann-Whitney AUC (ties count 1/2)
    fpr = 1 - sp
    area = float(np.sum((fpr[:-1] - fpr[1:]) * (se[:-1] + se[1:]) / 2))
    assert np.isclose(area, auc_delong(cases, controls).auc)


@SETTINGS
@given(x=st.integers(0, 40), extra=st.integers(0, 40))
def test_exact_ci_contains_estimate(x: int, extra: int) -> None:
    n = x + extra
    if n == 0:
        return
    p = exact_ci(x, n)
    assert 0 <= p.lower <= p.estimate <= p.upper <= 1


@SETTINGS
@given(
    table=st.lists(
        st.lists(st.integers(0, 6), min_size=2, max_size=3), min_size=2, max_size=3
    ).filter(lambda t: len({len(r) for r in t}) == 1)
)
def test_fisher_p_is_a_probability_and_transpose_invariant(table: list[list[int]]) -> None:
    p = fisher_exact_rxc(table)
    assert 0 < p <= 1
    assert np.isclose(p, fisher_exact_rxc(np.asarray(table).T))


@SETTINGS
@given(b=st.floats(2.0, 6.0))
def test_lausen_p_values_decrease_with_statistic(b: float) -> None:
    assert p_lausen92(b + 0.1) <= p_lausen92(b)
    assert p_lausen94(b + 0.1, 100) <= p_lausen94(b, 100)
    assert 0 <= p_lausen94(b - 1.5, 418) <= 1 and 0 <= p_lausen92(b - 1.5, 0.01, 0.99) <= 1


@SETTINGS
@given(values=st.lists(st.integers(0, 5).map(float), min_size=6, max_size=9))
def test_jt_reversing_group_order_negates_z(values: list[float]) -> None:
    groups = [i % 3 for i in range(len(values))]
    a = jonckheere_terpstra(values, groups, method="normal")
    b = jonckheere_terpstra(values, [2 - g for g in groups], method="normal")
    assert np.isclose(a.z, -b.z) and np.isclose(a.p_value, b.p_value)
