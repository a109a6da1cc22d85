"""maxstat (maximally selected log-rank statistic) and Youden cut-points against R.

Tolerance 1e-9 relative for statistic, p-value and the standardised statistic at every cut
(same algorithm; measured max 4e-14 for the p-values).
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.cutpoint import (
    MaxStat,
    YoudenCutpoint,
    logrank_scores,
    maxstat_test,
    p_lausen92,
    p_lausen94,
)
from igfcirrhosis.stats.roc import DiagnosticDataError

from .conftest import rel_diff

matplotlib.use("Agg")
TOL = 1e-9


@pytest.fixture(scope="module")
def pbc_death(pbc: pd.DataFrame) -> pd.DataFrame:
    return pbc.assign(death=(pbc["status"] == 2).astype(float))


@pytest.mark.parametrize(
    ("key", "col", "pmethod", "minprop", "maxprop", "n_missing"),
    [
        ("maxstat_lau92", "bili", "Lau92", 0.1, 0.9, 0),
        ("maxstat_lau94", "bili", "Lau94", 0.1, 0.9, 0),
        ("maxstat_lau92_02_08", "bili", "Lau92", 0.2, 0.8, 0),
        ("maxstat_lau94_02_08", "bili", "Lau94", 0.2, 0.8, 0),
        ("maxstat_copper_lau94", "copper", "Lau94", 0.1, 0.9, 108),
    ],
)
def test_maxstat_vs_r(
    pbc_death: pd.DataFrame,
    r_ref: dict[str, Any],
    key: str,
    col: str,
    pmethod: str,
    minprop: float,
    maxprop: float,
    n_missing: int,
) -> None:
    """R (maxstat 0.7.25)::

    m <- maxstat.test(Surv(time, status == 2) ~ bili, data = pbc,
                      smethod = "LogRank", pmethod = "Lau92")   # or "Lau94";
    # also minprop = 0.2, maxprop = 0.8; and ~ copper (108 missing, dropped by model.frame)
    m$statistic  # M = 10.6136452706014 (bili)
    m$estimate   # 1.9
    m$p.value    # Lau92 6.42409813432032e-24; Lau94 8.82741479296429e-25
    m$stats; m$cuts
    """
    ref = r_ref[key]
    ms = MaxStat().fit(pbc_death, col, "time", "death", pmethod, minprop, maxprop)  # type: ignore[arg-type]
    assert rel_diff(ms.statistic_, ref["statistic"]) < TOL
    assert ms.estimate_ == ref["estimate"]
    assert rel_diff(ms.p_value_, ref["p"]) < TOL
    assert rel_diff(ms.stats_, ref["stats"]) < TOL
    assert rel_diff(ms.cuts_, ref["cuts"]) < TOL
    assert ms.n_missing_ == n_missing


def test_logrank_scores_hand() -> None:
    """Scores by hand: times 1,2,2,3 events 1,1,0,1; N = 4.

    r (number of times <= t) = 1,3,3,4; increments e/(N - r + 1) = 1/4, 1/2, 0, 1/1;
    cumulative at r: 1/4, 3/4, 3/4, 7/4; scores = e - cum = 3/4, 1/4, -3/4, -3/4.
    """
    s = logrank_scores([1, 2, 2, 3], [1, 1, 0, 1])
    np.testing.assert_allclose(s, [0.75, 0.25, -0.75, -0.75])


def test_lausen_formulas_hand() -> None:
    """pLausen92(b) = 4 phi(b)/b + phi(b)(b - 1/b) log(81) for minprop 0.1, maxprop 0.9."""
    b = 3.0
    phi = np.exp(-b * b / 2) / np.sqrt(2 * np.pi)
    assert p_lausen92(b) == pytest.approx(4 * phi / b + phi * (b - 1 / b) * np.log(81), rel=1e-12)
    assert p_lausen92(0.5) == 1.0
    # R: maxstat:::pLausen94(1, 418) is 7.644071 (not a probability); capped at 1 here
    assert p_lausen94(1.0, 418) == 1.0
    # with a single candidate cut-point Lau94 is the two-sided normal p-value
    assert p_lausen94(b, 100, m=[50]) == pytest.approx(2 * (1 - 0.9986501019683699), rel=1e-9)


def test_maxstat_statistic_definition() -> None:
    """At each cut the statistic is |S_m - E| / sqrt(V) of the sum of scores below the cut."""
    rng = np.random.default_rng(7)
    y = rng.normal(size=50)
    x = np.round(rng.uniform(0, 10, 50), 1)
    res = maxstat_test(y, x, pmethod="none")
    k = int(np.argmax(res["stats"]))
    low = x <= res["cuts"][k]
    m, n = low.sum(), y.size
    e = m / n * y.sum()
    v = m * (n - m) / (n**2 * (n - 1)) * (n * np.sum(y**2) - y.sum() ** 2)
    assert res["statistic"] == pytest.approx(abs(y[low].sum() - e) / np.sqrt(v), rel=1e-12)
    assert res["estimate"] == res["cuts"][k]
    assert np.isnan(res["p_value"])


def test_maxstat_bad_event(pbc: pd.DataFrame) -> None:
    with pytest.raises(DiagnosticDataError, match=r"'status'.*row 0 has 2"):
        MaxStat().fit(pbc, "bili", "time", "status")


@pytest.mark.parametrize(
    ("key", "marker", "direction"),
    [("roc_logbili", "log_bili", "<"), ("roc_albumin", "albumin", ">")],
)
def test_youden_vs_proc(
    pbc: pd.DataFrame, r_ref: dict[str, Any], key: str, marker: str, direction: str
) -> None:
    """R (pROC 1.18.0)::

    coords(r, "best", best.method = "youden",
           ret = c("threshold", "specificity", "sensitivity"), transpose = FALSE)
    # log(bili): 0.66750053336617 0.807106598984772 0.808695652173913
    # albumin:   3.535            0.695431472081218 0.756521739130435
    """
    ref = r_ref[key]
    y = YoudenCutpoint().fit(pbc, marker, "dead5", direction=direction)  # type: ignore[arg-type]
    assert len(y.table_) == 1
    assert rel_diff(y.threshold_, ref["best_threshold"]) < TOL
    assert rel_diff(y.sensitivity_, ref["best_sensitivity"]) < TOL
    assert rel_diff(y.specificity_, ref["best_specificity"]) < TOL
    assert y.to_dict()["positive_rule"] == (
        "marker >= threshold" if direction == "<" else "marker <= threshold"
    )


def test_youden_ties_all_returned() -> None:
    df = pd.DataFrame({"m": [1.0, 2.0, 3.0, 4.0], "y": [0, 1, 0, 1]})
    y = YoudenCutpoint().fit(df, "m", "y")
    # thresholds 1.5 (se 1, sp .5) and 3.5 (se .5, sp 1) both give J = 0.5
    assert sorted(y.table_["threshold"]) == [1.5, 3.5]
    assert np.allclose(y.table_["youden"], 0.5)


def test_maxstat_plot_and_dict(pbc_death: pd.DataFrame) -> None:
    import json

    import matplotlib.pyplot as plt

    ms = MaxStat().fit(pbc_death, "bili", "time", "death", "Lau94", unit="mg/dL")
    d = ms.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["cutpoint"] == {"value": 1.9, "unit": "mg/dL", "rule": "low group: marker <= cutpoint"}
    ax = ms.plot()
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), ms.stats_)
    assert ax.get_lines()[1].get_xdata()[0] == ms.estimate_
    plt.close("all")
