"""Accuracy at a cut-off with exact CIs (vs R's binom.test on PBC) and combined markers."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from igfcirrhosis.stats.association import LogisticRegression
from igfcirrhosis.stats.diagnostic import (
    CombinedRule,
    DiagnosticTest,
    LogisticCombination,
    MarkerRule,
    accuracy_from_counts,
    apply_rule,
    exact_ci,
)
from igfcirrhosis.stats.roc import ROC, DiagnosticDataError

from .conftest import rel_diff

TOL = 1e-9
MEASURES = ("sensitivity", "specificity", "ppv", "npv")


def _r_matrix(ref: dict[str, Any]) -> np.ndarray:
    return np.array([ref[m] for m in MEASURES])


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("accuracy_bili_ge_2", MarkerRule("bili", 2.0, ">=", "mg/dL")),
        ("accuracy_albumin_le_3_5", MarkerRule("albumin", 3.5, "<=", "g/dL")),
    ],
)
def test_accuracy_vs_binom_test(
    landmark: pd.DataFrame, r_ref: dict[str, Any], key: str, rule: MarkerRule
) -> None:
    """R::

    acc <- function(pos, y) {
      tp <- sum(pos & y == 1); fn <- sum(!pos & y == 1)
      fp <- sum(pos & y == 0); tn <- sum(!pos & y == 0)
      b <- function(x, n) { t <- binom.test(x, n); c(unname(t$estimate), t$conf.int) }
      list(sensitivity = b(tp, tp + fn), specificity = b(tn, tn + fp),
           ppv = b(tp, tp + fp), npv = b(tn, tn + fn))
    }
    acc(lm5$bili >= 2, lm5$dead5)        # sens 0.8087 (0.72481395946023, 0.87605464472597)
    acc(lm5$albumin <= 3.5, lm5$dead5)
    """
    ref = r_ref[key]
    t = DiagnosticTest().fit(landmark, rule, "dead5")
    a = t.accuracy_
    assert (a.tp, a.fp, a.fn, a.tn) == (ref["tp"], ref["fp"], ref["fn"], ref["tn"])
    got = t.summary.loc[list(MEASURES), ["estimate", "lower", "upper"]].to_numpy()
    assert rel_diff(got, _r_matrix(ref)) < TOL
    assert t.n_missing_ == 0
    json.dumps(t.to_dict(), allow_nan=False)


@pytest.mark.parametrize("combine", ["either", "both"])
def test_combined_vs_binom_test(
    landmark: pd.DataFrame, r_ref: dict[str, Any], combine: str
) -> None:
    """R::

    acc(lm5$bili >= 2 | lm5$albumin <= 3.5, lm5$dead5)   # either
    acc(lm5$bili >= 2 & lm5$albumin <= 3.5, lm5$dead5)   # both
    """
    ref = r_ref[f"accuracy_{combine}"]
    rules = [MarkerRule("bili", 2.0, ">="), MarkerRule("albumin", 3.5, "<=")]
    c = CombinedRule().fit(landmark, rules, "dead5", combine=combine)  # type: ignore[arg-type]
    a = c.accuracy_
    assert (a.tp, a.fp, a.fn, a.tn) == (ref["tp"], ref["fp"], ref["fn"], ref["tn"])
    got = a.summary().loc[list(MEASURES), ["estimate", "lower", "upper"]].to_numpy()
    assert rel_diff(got, _r_matrix(ref)) < TOL


def _ascites_cohort() -> pd.DataFrame:
    """Synthetic malignant (26) vs cirrhotic (44) ascites, counts chosen to reproduce the
    review's IGF-I + CRP "either" rule: sensitivity 25/26 = 96.2%, specificity 38/44 = 86.4%.

    malignant: IGF+CRP+ 12, IGF+ only 8, CRP+ only 5, neither 1
    benign:    IGF+CRP+ 2,  IGF+ only 2, CRP+ only 2, neither 38
    IGF-I positive = serum IGF-I >= 309.4 ng/mL (Abdel-Razik 2016: higher in malignant
    ascites); CRP positive = CRP >= 10 mg/L (illustrative cut-off).
    """
    pattern = {
        1: [(1, 1, 12), (1, 0, 8), (0, 1, 5), (0, 0, 1)],
        0: [(1, 1, 2), (1, 0, 2), (0, 1, 2), (0, 0, 38)],
    }
    rows = []
    for y, cells in pattern.items():
        for igf_pos, crp_pos, k in cells:
            rows += [
                {
                    "malignant": y,
                    "igf1": 350.0 if igf_pos else 200.0,
                    "crp": 25.0 if crp_pos else 4.0,
                }
            ] * k
    return pd.DataFrame(rows)


IGF = MarkerRule("igf1", 309.4, ">=", "ng/mL")
CRP = MarkerRule("crp", 10.0, ">=", "mg/L")


def test_either_rule_known_counts() -> None:
    c = CombinedRule().fit(_ascites_cohort(), [IGF, CRP], "malignant", combine="either")
    a = c.accuracy_
    assert (a.tp, a.fn, a.tn, a.fp) == (25, 1, 38, 6)
    assert round(100 * a.sensitivity.estimate, 1) == 96.2
    assert round(100 * a.specificity.estimate, 1) == 86.4
    # Clopper-Pearson from its definition (beta quantiles), independent of statsmodels
    assert a.sensitivity.lower == pytest.approx(stats.beta.ppf(0.025, 25, 2), rel=1e-10)
    assert a.sensitivity.upper == pytest.approx(stats.beta.ppf(0.975, 26, 1), rel=1e-10)
    comp = c.components_
    assert (comp[str(IGF)].tp, comp[str(IGF)].tn) == (20, 40)
    assert (comp[str(CRP)].tp, comp[str(CRP)].tn) == (17, 40)


def test_both_rule_known_counts() -> None:
    c = CombinedRule().fit(_ascites_cohort(), [IGF, CRP], "malignant", combine="both")
    a = c.accuracy_
    assert (a.tp, a.fn, a.tn, a.fp) == (12, 14, 42, 2)
    assert isinstance(c.summary, pd.DataFrame) and len(c.summary) == 12


def test_rule_direction_is_a_parameter() -> None:
    """Reversing the IGF-I rule (low IGF-I positive) swaps which patients are positive."""
    df = _ascites_cohort()
    hi = DiagnosticTest().fit(df, IGF, "malignant").accuracy_
    lo = DiagnosticTest().fit(df, MarkerRule("igf1", 309.4, "<"), "malignant").accuracy_
    assert (hi.tp, hi.fp) == (20, 4)
    assert (lo.tp, lo.fp) == (hi.fn, hi.tn) == (6, 40)


def test_missing_marker_counted_not_dropped_silently() -> None:
    df = _ascites_cohort()
    df.loc[0, "crp"] = np.nan
    c = CombinedRule().fit(df, [IGF, CRP], "malignant", combine="either")
    assert c.n_missing_ == 1
    assert c.accuracy_.tp + c.accuracy_.fn == 25
    assert c.to_dict()["n_missing"] == 1


def test_exact_ci_edges_and_errors() -> None:
    p = exact_ci(0, 10)
    assert p.lower == 0 and p.upper == pytest.approx(1 - 0.025 ** (1 / 10), rel=1e-10)
    assert np.isnan(exact_ci(0, 0).estimate)
    with pytest.raises(DiagnosticDataError):
        exact_ci(5, 3)
    with pytest.raises(DiagnosticDataError, match="positive_if"):
        apply_rule([1.0], 1.0, "=>")  # type: ignore[arg-type]
    acc = accuracy_from_counts(10, 0, 0, 10)
    assert acc.ppv.estimate == 1 and acc.npv.estimate == 1


def test_logistic_combination_vs_r(landmark: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

    fc <- glm(dead5 ~ log(bili) + albumin, family = binomial, data = lm5,
              control = glm.control(epsilon = 1e-14, maxit = 100))
    prob <- fitted(fc)
    acc(prob >= 0.5, lm5$dead5)      # tp 76, fp 22, fn 39, tn 175; binom.test CIs
    rc <- roc(lm5$dead5, prob, levels = c(0, 1), direction = "<")
    auc(rc); ci.auc(rc, method = "delong")   # 0.885941293312735 (0.846876757019843-0.925...)
    """
    ref = r_ref["logistic_combination"]
    lc = LogisticCombination().fit(landmark, ["log_bili", "albumin"], "dead5")
    a = lc.accuracy_
    assert (a.tp, a.fp, a.fn, a.tn) == (ref["tp"], ref["fp"], ref["fn"], ref["tn"])
    got = a.summary().loc[list(MEASURES), ["estimate", "lower", "upper"]].to_numpy()
    assert rel_diff(got, _r_matrix(ref)) < TOL
    auc = lc.auc_
    assert (
        rel_diff([auc.auc, auc.lower, auc.upper], [ref["auc"], ref["auc_lower"], ref["auc_upper"]])
        < TOL
    )


def test_logistic_combination_is_thresholded_fit(landmark: pd.DataFrame) -> None:
    lc = LogisticCombination().fit(landmark, ["log_bili", "albumin"], "dead5")
    lr = LogisticRegression().fit(landmark, "dead5", ["log_bili", "albumin"])
    prob = lr.predict(landmark)
    y = landmark["dead5"].to_numpy()
    assert lc.accuracy_.tp == int(np.sum((prob >= 0.5) & (y == 1)))
    assert lc.accuracy_.tn == int(np.sum((prob < 0.5) & (y == 0)))
    roc = ROC().fit(landmark.assign(p=prob), "p", "dead5")
    assert lc.auc_.auc == pytest.approx(roc.auc_, rel=1e-12)
    # the combination ranks patients at least as well as either marker alone
    assert lc.auc_.auc > ROC().fit(landmark, "log_bili", "dead5").auc_
    ly = LogisticCombination().fit(landmark, ["log_bili", "albumin"], "dead5", threshold="youden")
    j = ly.accuracy_.sensitivity.estimate + ly.accuracy_.specificity.estimate
    assert j >= lc.accuracy_.sensitivity.estimate + lc.accuracy_.specificity.estimate
    json.dumps(ly.to_dict(), allow_nan=False)


def test_plots_structural() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = _ascites_cohort()
    t = DiagnosticTest().fit(df, IGF, "malignant")
    ax = t.plot()
    ticks = dict(zip(ax.get_yticks(), [x.get_text() for x in ax.get_yticklabels()], strict=True))
    assert ticks == {3: "sensitivity", 2: "specificity", 1: "ppv", 0: "npv"}  # top to bottom
    line = ax.get_lines()[0]
    np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), t.summary["estimate"])
    c = CombinedRule().fit(df, [IGF, CRP], "malignant")
    ax2 = c.plot()
    labels = [x.get_text() for x in ax2.get_legend().get_texts()]
    assert labels == ["either rule", str(IGF), str(CRP)]
    plt.close("all")
