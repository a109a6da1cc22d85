"""Table 1 tests and trend tests against R on the PBC data, and against exact enumeration.

Tolerance 1e-9 relative, except Shapiro-Wilk p-values (1e-7: scipy's swilk works partly in
single precision; measured max 5e-9 relative to R's shapiro.test).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from igfcirrhosis.stats.roc import DiagnosticDataError
from igfcirrhosis.stats.table1 import (
    Table1,
    cuzick_test,
    fisher_exact_rxc,
    jonckheere_terpstra,
    proportion_trend_test,
)

from .conftest import rel_diff

TOL = 1e-9


def test_kruskal_and_summary_rule_vs_r(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

    kruskal.test(albumin ~ stage, data = pbc)   # 48.512610568376, df 3, p 1.65645009952055e-10
    lapply(split(pbc$albumin, pbc$stage), function(x) c(median(x), quantile(x, c(.25, .75)),
           shapiro.test(x)$p.value))             # stage 4: Shapiro p 0.0409848465764054
    """
    t1 = Table1().fit(pbc, "stage", continuous=["albumin"])
    row = t1.summary.loc["albumin"]
    ref = r_ref["kruskal_albumin_stage"]
    # stage 4 fails Shapiro-Wilk at 0.05 -> median (IQR) and Kruskal-Wallis
    assert row["test"] == "Kruskal-Wallis" and row["summary_rule"] == "shapiro-wilk-per-group"
    assert rel_diff([row["statistic"], row["p"]], [ref["statistic"], ref["p"]]) < TOL
    assert row["df"] == ref["df"]
    q = r_ref["albumin_by_stage_quantiles"]
    assert row["shapiro_p_min"] == pytest.approx(q["4"]["shapiro_p"], rel=1e-7)
    cell = t1.table_.loc[("albumin", "median (IQR)"), "4"]
    assert cell == f"{q['4']['median']:.2f} ({q['4']['q1']:.2f}-{q['4']['q3']:.2f})"
    assert t1.n_missing_group_ == 6 and t1.n_by_group_ == {"1": 21, "2": 92, "3": 155, "4": 144}


def test_shapiro_per_group_vs_r(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R: ``shapiro.test(x)$p.value`` per stage (see above). Tolerance 1e-7 (scipy swilk)."""
    for lv, ref in r_ref["albumin_by_stage_quantiles"].items():
        x = pbc.loc[pbc["stage"] == float(lv), "albumin"].to_numpy()
        assert float(stats.shapiro(x).pvalue) == pytest.approx(ref["shapiro_p"], rel=1e-7)
        assert rel_diff([x.mean(), x.std(ddof=1)], [ref["mean"], ref["sd"]]) < TOL


def test_anova_when_forced_mean_vs_r(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R: ``oneway.test(albumin ~ stage, data = pbc, var.equal = TRUE)``  # F 18.5897743646176"""
    t1 = Table1().fit(pbc, "stage", continuous=["albumin"], summary="mean")
    row = t1.summary.loc["albumin"]
    ref = r_ref["anova_albumin_stage"]
    assert row["test"] == "one-way ANOVA" and row["summary_rule"] == "forced mean"
    assert rel_diff([row["statistic"], row["p"]], [ref["statistic"], ref["p"]]) < TOL
    assert t1.table_.loc[("albumin", "mean (SD)"), "1"] == "3.71 (0.35)"


def test_categorical_fisher_when_expected_below_5(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

    tab <- table(pbc$ascites, pbc$stage)
    chisq.test(tab)$expected   # min 1.23 < 5 -> Fisher
    fisher.test(tab)$p.value   # 8.27090788289113e-07
    """
    ref = r_ref["ascites_stage"]
    t1 = Table1().fit(pbc, "stage", categorical=["ascites"])
    row = t1.summary.loc["ascites"]
    assert row["test"] == "Fisher exact" and row["test_rule"] == "expected<5->fisher"
    assert rel_diff(row["p"], ref["fisher_p"]) < TOL
    assert row["min_expected"] == pytest.approx(min(map(min, ref["expected"])), rel=TOL)
    assert row["n_missing"] == 100  # 106 not randomised minus 6 with missing stage
    assert t1.table_.loc[("ascites", "1, n (%)"), "4"] == "21 (19.3)"


@pytest.mark.parametrize(
    ("var", "group", "key", "test"),
    [
        ("hepato", "stage", "hepato_stage", "chi-square"),
        ("sex", "trt", "sex_trt", "chi-square (Yates)"),
    ],
)
def test_categorical_chisq_vs_r(
    pbc: pd.DataFrame, r_ref: dict[str, Any], var: str, group: str, key: str, test: str
) -> None:
    """R::

    chisq.test(table(pbc$hepato, pbc$stage))  # X2 71.210748547821, min expected 7.79
    chisq.test(table(pbc$sex, pbc$trt))       # 2x2, Yates: X2 0.646891908311832
    """
    ref = r_ref[key]
    row = Table1().fit(pbc, group, categorical=[var]).summary.loc[var]
    assert row["test"] == test
    assert rel_diff([row["statistic"], row["p"]], [ref["chisq"], ref["p"]]) < TOL


@pytest.mark.parametrize(
    ("a", "b", "key"),
    [
        ("sex", "stage", "sex_stage"),
        ("edema", "stage", "edema_stage"),
        ("hepato", "edema", "hepato_edema"),
        ("spiders", "stage", "spiders_stage"),
    ],
)
def test_fisher_rxc_vs_r(
    pbc: pd.DataFrame, r_ref: dict[str, Any], a: str, b: str, key: str
) -> None:
    """R: ``fisher.test(table(pbc$edema, pbc$stage))$p.value``  # 9.11168572800471e-05 (3 x 4)"""
    tab = pd.crosstab(pbc[a], pbc[b]).to_numpy()
    assert rel_diff(fisher_exact_rxc(tab), r_ref["fisher_rxc"][key]) < TOL


def test_fisher_small_3x3_vs_r_and_brute_force(r_ref: dict[str, Any]) -> None:
    """R: ``fisher.test(matrix(c(3, 1, 0, 2, 4, 1, 0, 2, 5), nrow = 3))$p.value``  # 0.035503031826561

    Brute force: every 3x3 table with the same margins, probability by the multivariate
    hypergeometric formula, summed where <= the observed one.
    """
    tab = np.array(r_ref["fisher_small3"]["table"])
    p = fisher_exact_rxc(tab)
    assert rel_diff(p, r_ref["fisher_small3"]["p"]) < TOL
    rows, cols, n = tab.sum(1), tab.sum(0), tab.sum()

    def prob(t: np.ndarray) -> float:
        from math import factorial, prod

        num = prod(factorial(int(v)) for v in [*rows, *cols])
        return num / (factorial(int(n)) * prod(factorial(int(v)) for v in t.ravel()))

    p_obs, total = prob(tab), 0.0
    for a, b, c, d in itertools.product(range(int(n) + 1), repeat=4):
        t = np.array([[a, b, rows[0] - a - b], [c, d, rows[1] - c - d], [0, 0, 0]])
        t[2] = cols - t[:2].sum(0)
        if (t < 0).any() or (t.sum(1) != rows).any():
            continue
        q = prob(t)
        total += q if q <= p_obs * (1 + 1e-7) else 0.0
    assert p == pytest.approx(total, rel=1e-12)
    assert fisher_exact_rxc([[3, 1], [1, 3]]) == pytest.approx(
        stats.fisher_exact([[3, 1], [1, 3]]).pvalue, rel=1e-12
    )


def test_jt_hand_example() -> None:
    """A = (1, 2), B = (2, 3), C = (4): pairs A<B: 1 + 1 + 0.5 + 1 = 3.5; A<C: 2; B<C: 2; J = 7.5.

    E(J) = (25 - (4 + 4 + 1)) / 4 = 4. Ties: one pair of 2s (t = 2).
    Var = [5*4*15 - (2*1*9 + 2*1*9 + 0) - 2*1*9]/72 + [0 * 0]/... + [(2 + 2) * 2]/(8*5*4)
        = (300 - 36 - 18)/72 + 8/160 = 246/72 + 0.05.
    """
    r = jonckheere_terpstra([1, 2, 2, 3, 4], [1, 1, 2, 2, 3], method="normal")
    assert r.statistic == 7.5 and r.mean == 4.0
    assert r.var == pytest.approx(246 / 72 + 0.05, rel=1e-12)


def _perm_moments(x: np.ndarray, g: np.ndarray, fn: Any) -> tuple[float, float, np.ndarray]:
    vals = np.array([fn(x, np.asarray(p)) for p in set(itertools.permutations(g.tolist()))])
    return float(vals.mean()), float(vals.var()), vals


@pytest.mark.parametrize(
    ("x", "g"),
    [
        ([1.2, 3.4, 2.2, 5.0, 4.1, 0.7, 6.3, 2.9], [1, 1, 1, 2, 2, 3, 3, 3]),  # no ties
        ([1, 2, 2, 3, 3, 3, 4, 5], [1, 1, 2, 2, 2, 3, 3, 3]),  # ties
        ([2, 2, 2, 5, 5, 1, 1, 5], [1, 2, 3, 1, 2, 3, 1, 2]),  # heavy ties
    ],
)
def test_jt_and_cuzick_moments_equal_exact_enumeration(x: list[float], g: list[int]) -> None:
    """The ties-corrected null mean and variance formulas equal the mean and variance of the
    statistic over every permutation of the group labels (the exact null distribution)."""
    xa, ga = np.asarray(x, dtype=float), np.asarray(g, dtype=float)
    jt = jonckheere_terpstra(xa, ga, method="normal")
    m, v, dist = _perm_moments(
        xa, ga, lambda a, b: jonckheere_terpstra(a, b, method="normal").statistic
    )
    assert jt.mean == pytest.approx(m, rel=1e-12) and jt.var == pytest.approx(v, rel=1e-12)
    exact = jonckheere_terpstra(xa, ga, method="exact")
    assert exact.p_value == pytest.approx(
        np.mean(np.abs(dist - m) >= abs(jt.statistic - m) - 1e-9), rel=1e-12
    )
    cz = cuzick_test(xa, ga)
    m2, v2, _ = _perm_moments(xa, ga, lambda a, b: cuzick_test(a, b).statistic)
    assert cz.mean == pytest.approx(m2, rel=1e-12) and cz.var == pytest.approx(v2, rel=1e-12)


@pytest.mark.parametrize(("var", "key"), [("albumin", "albumin_stage"), ("bili", "bili_stage")])
def test_jt_cuzick_vs_r_definition(
    pbc: pd.DataFrame, r_ref: dict[str, Any], var: str, key: str
) -> None:
    """R (base R has no JT or Cuzick test; clinfun is not installed; these are the
    definitions written in R, tests/fixtures/r/diagnostic.R)::

        jt(pbc$albumin, pbc$stage)      # J 20510, var 1738976.14452429, p 1.09705067245528e-10
        cuzick(pbc$albumin, pbc$stage)  # T 244075.5, z -6.21052349277434
    """
    for fn, name in ((jonckheere_terpstra, "jt"), (cuzick_test, "cuzick")):
        ref = r_ref[f"{name}_{key}"]
        kw = {"method": "normal"} if name == "jt" else {}
        r = fn(pbc[var], pbc["stage"], **kw)  # type: ignore[operator]
        assert r.statistic == ref["statistic"] and r.n == ref["n"]
        got = [r.mean, r.var, r.z, r.p_value]
        assert rel_diff(got, [ref["mean"], ref["var"], ref["z"], ref["p"]]) < TOL
    # albumin falls with stage: both trend statistics are negative
    if var == "albumin":
        assert jonckheere_terpstra(pbc[var], pbc["stage"], method="normal").z < 0


def test_table1_trend_columns_and_dict(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    t1 = Table1().fit(
        pbc, "stage", continuous=["albumin", "bili"], categorical=["sex"], ordered=True
    )
    row = t1.summary.loc["albumin"]
    assert rel_diff(row["jt_p"], r_ref["jt_albumin_stage"]["p"]) < TOL
    assert rel_diff(row["cuzick_p"], r_ref["cuzick_albumin_stage"]["p"]) < TOL
    d = t1.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["levels"] == ["1", "2", "3", "4"] and d["n_missing_group"] == 6
    assert list(t1.table_.columns) == ["1", "2", "3", "4", "overall", "p", "test", "missing"]


def test_table1_bad_input(pbc: pd.DataFrame) -> None:
    with pytest.raises(DiagnosticDataError, match="'nope' not found"):
        Table1().fit(pbc, "stage", continuous=["nope"])
    with pytest.raises(DiagnosticDataError, match=r"'sex'.*'f'"):
        Table1().fit(pbc, "stage", continuous=["sex"])
    with pytest.raises(DiagnosticDataError, match="two groups"):
        Table1().fit(pbc.assign(one=1), "one", continuous=["age"])


def test_fisher_infeasible_falls_back_with_warning(pbc: pd.DataFrame) -> None:
    import warnings

    from igfcirrhosis.stats.roc import DiagnosticWarning

    with pytest.raises(DiagnosticDataError, match="partial tables"):
        fisher_exact_rxc(pd.crosstab(pbc["edema"], pbc["stage"]).to_numpy(), max_tables=1000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t1 = Table1().fit(pbc, "stage", categorical=["edema"], fisher_max_tables=1000)
    assert any(issubclass(w.category, DiagnosticWarning) for w in caught)
    assert t1.summary.loc["edema", "test"] == "chi-square (Fisher infeasible)"


def test_group_order(pbc: pd.DataFrame) -> None:
    t1 = Table1().fit(
        pbc, "stage", continuous=["albumin"], ordered=True, group_order=[4.0, 3.0, 2.0, 1.0]
    )
    assert list(t1.table_.columns[:4]) == ["4", "3", "2", "1"]
    assert t1.summary.loc["albumin", "jt_z"] > 0  # reversed order, reversed trend
    with pytest.raises(DiagnosticDataError, match=r"value 4\.0 is not in group_order"):
        Table1().fit(pbc, "stage", continuous=["albumin"], group_order=[1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("var", "key"), [("ascites", "ascites_stage"), ("spiders", "spiders_stage")]
)
def test_proportion_trend_vs_prop_trend_test(
    pbc: pd.DataFrame, r_ref: dict[str, Any], var: str, key: str
) -> None:
    """R::

    tb <- table(pbc$ascites, pbc$stage)
    prop.trend.test(tb["1", ], colSums(tb))   # X2 19.5292056699652, p 9.90733136702642e-06
    tb <- table(pbc$spiders, pbc$stage)
    prop.trend.test(tb["1", ], colSums(tb), score = c(0, 1, 2, 5))  # X2 27.6370933667598
    """
    ref = r_ref[f"prop_trend_{key}"]
    row = Table1().fit(pbc, "stage", categorical=[var], ordered=True).summary.loc[var]
    assert rel_diff([row["trend_chisq"], row["trend_p"]], [ref["chisq"], ref["p"]]) < TOL
    tb = pd.crosstab(pbc[var], pbc["stage"]).to_numpy()
    r = proportion_trend_test(tb[1], tb.sum(axis=0))
    assert r.z > 0  # both become more frequent with stage
    if var == "spiders":
        ref2 = r_ref["prop_trend_spiders_scores"]
        r2 = proportion_trend_test(tb[1], tb.sum(axis=0), ref2["scores"])
        assert rel_diff([r2.statistic, r2.p_value], [ref2["chisq"], ref2["p"]]) < TOL


def test_proportion_trend_hand() -> None:
    """Proportions 0/10, 5/10, 10/10 with scores 1, 2, 3: p = 1/2, U = sum s (x - n p) = 10,
    Var = p(1 - p) [sum n s^2 - (sum n s)^2 / N] = 0.25 * (140 - 120) = 5, chi-square = 20."""
    r = proportion_trend_test([0, 5, 10], [10, 10, 10])
    assert r.statistic == pytest.approx(20.0) and r.z == pytest.approx(np.sqrt(20.0))
    with pytest.raises(DiagnosticDataError):
        proportion_trend_test([11], [10])


def test_untestable_rows_reported_not_crashing() -> None:
    df = pd.DataFrame(
        {
            "g": [1, 1, 2, 2, 3, 3],
            "x": [1.0, 2.0, np.nan, np.nan, np.nan, np.nan],
            "c": [5.0] * 6,
            "k": ["a", "a", "a", "a", "a", "a"],
        }
    )
    t1 = Table1().fit(df, "g", continuous=["x", "c"], categorical=["k"])
    assert t1.summary.loc["x", "test"] == "none (not testable)"
    assert t1.summary.loc["x", "n_missing"] == 4
    assert t1.summary.loc["c", "test"] == "none (not testable)"
    assert t1.summary.loc["k", "test"] == "none (one category)"
    json.dumps(t1.to_dict(), allow_nan=False)
    one = pd.DataFrame({"g": [1, 2, 2], "x": [1.0, 2.0, 3.0]})
    t2 = Table1().fit(one, "g", continuous=["x"], summary="mean")
    assert t2.table_.loc[("x", "mean (SD)"), "1"] == "1.00 (NA)"
