"""ROC, AUC, DeLong CI and the paired DeLong test against pROC 1.18 on the PBC data.

Tolerance: 1e-9 relative for every quantity (same algorithm; differences are rounding only,
measured max 5e-15) except where noted.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.roc import (
    ROC,
    DiagnosticDataError,
    PairedDeLongTest,
    auc_delong,
    delong_paired,
    delong_placements,
    outcome_within,
    roc_curve,
)

from .conftest import rel_diff

matplotlib.use("Agg")
TOL = 1e-9


def test_landmark_counts(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

    pbc$dead5 <- ifelse(pbc$status == 2 & pbc$time <= 1825, 1,
                        ifelse(pbc$time > 1825, 0, NA))
    sum(pbc$dead5 == 1, na.rm = TRUE)  # 115
    sum(pbc$dead5 == 0, na.rm = TRUE)  # 197
    sum(is.na(pbc$dead5))              # 106
    """
    ref = r_ref["landmark"]
    assert int((pbc["dead5"] == 1).sum()) == ref["n_case"] == 115
    assert int((pbc["dead5"] == 0).sum()) == ref["n_control"] == 197
    assert int(pbc["dead5"].isna().sum()) == ref["n_excluded"] == 106


def test_outcome_within_rule() -> None:
    y = outcome_within([100, 100, 100, 2000, 1825, 1826], [2, 0, 1, 0, 2, 2], 1825, event_code=2)
    np.testing.assert_array_equal(y, [1, np.nan, np.nan, 0, 1, 0])


@pytest.mark.parametrize(
    ("key", "marker", "direction"),
    [("roc_logbili", "log_bili", "<"), ("roc_albumin", "albumin", ">")],
)
def test_roc_auc_delong_vs_proc(
    pbc: pd.DataFrame, r_ref: dict[str, Any], key: str, marker: str, direction: str
) -> None:
    """R (pROC 1.18.0)::

    lm5 <- pbc[!is.na(pbc$dead5), ]
    r <- roc(lm5$dead5, log(lm5$bili), levels = c(0, 1), direction = "<")
    # albumin: roc(lm5$dead5, lm5$albumin, levels = c(0, 1), direction = ">")
    auc(r)                           # 0.86479805782388 / 0.768704480247186
    ci.auc(r, method = "delong")     # 0.823142162406809-0.906453953240951 / 0.7133203-0.8240887
    var(r, method = "delong")        # 0.000451706943635657 / 0.000798500761476659
    r$thresholds; r$sensitivities; r$specificities
    """
    ref = r_ref[key]
    roc = ROC().fit(pbc, marker, "dead5", direction=direction)  # type: ignore[arg-type]
    assert roc.n_cases_ == ref["n_cases"] and roc.n_controls_ == ref["n_controls"]
    assert roc.n_missing_ == 106  # undetermined 5-year status, counted not hidden
    assert rel_diff(roc.auc_, ref["auc"]) < TOL
    assert rel_diff(roc.auc_se_**2, ref["var"]) < TOL
    assert rel_diff(roc.auc_ci_, [ref["ci_lower"], ref["ci_upper"]]) < TOL
    thr = np.array([np.nan if v is None else v for v in ref["thresholds"]])
    assert np.isinf(roc.thresholds_[0]) and np.isinf(roc.thresholds_[-1])
    assert rel_diff(roc.thresholds_[1:-1], thr[1:-1]) < TOL
    assert rel_diff(roc.sensitivity_, ref["sensitivities"]) < TOL
    assert rel_diff(roc.specificity_, ref["specificities"]) < TOL


def test_paired_delong_vs_proc(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R (pROC 1.18.0)::

    rt <- roc.test(roc_bili, roc_alb, method = "delong", paired = TRUE)
    rt$statistic  # Z = 3.01267287026098
    rt$p.value    # 0.00258957898698109
    rt$conf.int   # 0.0335776791347863 0.158609476018602
    """
    ref = r_ref["roc_test"]
    t = PairedDeLongTest().fit(pbc, ("log_bili", "albumin"), "dead5", directions=("<", ">"))
    r = t.result_
    assert rel_diff(r.z, ref["z"]) < TOL
    assert rel_diff(r.p_value, ref["p"]) < TOL
    assert rel_diff([r.lower, r.upper], [ref["diff_ci_lower"], ref["diff_ci_upper"]]) < TOL
    assert t.n_missing_ == 106
    d = t.to_dict()
    assert d["p_value"] == pytest.approx(ref["p"], rel=TOL)


def test_auto_direction_matches_proc(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R: ``roc(lm5$dead5, lm5$albumin, direction = "auto")$direction`` is ">"."""
    roc = ROC().fit(pbc, "albumin", "dead5", direction="auto")
    assert roc.direction_ == r_ref["roc_albumin_auto_direction"] == ">"


def test_placements_equal_pairwise_definition() -> None:
    """theta = mean over pairs of psi(case, control), psi = 1 if case > control, 1/2 if equal."""
    cases = np.array([3.0, 5.0, 5.0, 7.0, 2.0])
    controls = np.array([1.0, 5.0, 2.0, 4.0])
    psi = (cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :])
    theta, v10, v01 = delong_placements(cases, controls)
    assert theta == pytest.approx(psi.mean(), rel=1e-12)
    np.testing.assert_allclose(v10, psi.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(v01, psi.mean(axis=0), rtol=1e-12)
    # hand count: 14.5 of 20 pairs favour the case
    assert theta == pytest.approx(14.5 / 20)


def test_direction_is_negation() -> None:
    rng = np.random.default_rng(20261125)
    cases, controls = rng.normal(1, 1, 30), rng.normal(0, 1, 40)
    a = auc_delong(-cases, -controls, direction=">")
    b = auc_delong(cases, controls, direction="<")
    assert a.auc == pytest.approx(b.auc) and a.se == pytest.approx(b.se)
    thr, se, sp = roc_curve(cases, controls, "<")
    assert se[0] == 1 and se[-1] == 0 and sp[0] == 0 and sp[-1] == 1
    assert np.all(np.diff(se) <= 0) and np.all(np.diff(sp) >= 0)


def test_paired_identical_markers_zero() -> None:
    y = np.array([0, 0, 0, 1, 1, 1], dtype=float)
    x = np.array([1.0, 2.0, 3.0, 2.5, 4.0, 5.0])
    r = delong_paired(x, x, y)
    assert r.diff == 0 and r.z == 0 and r.p_value == 1


def test_bad_outcome_names_column_and_value() -> None:
    df = pd.DataFrame({"m": [1.0, 2.0, 3.0], "y": [0, 1, 2]})
    with pytest.raises(DiagnosticDataError, match=r"'y'.*row 2 has 2"):
        ROC().fit(df, "m", "y")
    df2 = pd.DataFrame({"m": ["1", "x", "3"], "y": [0, 1, 1]})
    with pytest.raises(DiagnosticDataError, match=r"'m': row 1 has 'x'"):
        ROC().fit(df2, "m", "y")
    with pytest.raises(DiagnosticDataError, match="not found"):
        ROC().fit(df, "nope", "y")


def test_to_dict_and_plot(pbc: pd.DataFrame) -> None:
    import json

    import matplotlib.pyplot as plt

    roc = ROC().fit(pbc, "log_bili", "dead5")
    d = roc.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["n_missing"] == 106 and d["auc"]["method"].startswith("DeLong")
    ax = roc.plot()
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), roc.sensitivity_)
    assert ax.get_xlabel() == "1 - specificity"
    plt.close("all")
