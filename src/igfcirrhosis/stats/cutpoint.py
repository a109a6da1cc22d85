"""Cut-points: maximally selected rank statistics (as R's ``maxstat``) and Youden's index.

:func:`maxstat_test` / :class:`MaxStat` follow ``maxstat::maxstat.test`` (Hothorn & Lausen 2003):
the scores of the response (log-rank scores for survival, from ``exactRankTests::cscores``) are
summed below each candidate cut-point; the standardised statistic is maximised over the cut-points
between the ``minprop`` and ``maxprop`` quantiles; the cut-point is the largest marker value
in the lower group (so "low" means ``marker <= estimate``). P-values:

- ``"Lau92"``: Lausen & Schumacher (1992) approximation, ``pLausen92``, which depends only on the
  statistic and (minprop, maxprop);
- ``"Lau94"``: the improved Bonferroni bound of Lausen, Sauerbrei & Schumacher (1994),
  ``pLausen94``, which uses the actual candidate cut-points.

Both are approximations for the selection of the cut-point; the naive log-rank p-value at the
selected cut-point is far too small and is not reported. Both bounds are accurate in the tail
only: for small statistics R's ``pLausen94`` exceeds 1 (7.64 at M = 1, N = 418) and
``pLausen92`` is not monotone below M ~ 1.2; here both are capped at 1 (the only departure from
R, and only where R's value is not a probability).

:func:`youden_cutpoints` / :class:`YoudenCutpoint`: the ROC thresholds that maximise
sensitivity + specificity - 1 (pROC's ``coords(roc, "best", best.method = "youden")``); all
tied maxima are returned.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from igfcirrhosis.stats.roc import (
    ROC,
    DiagnosticDataError,
    Direction,
    numeric_column,
    roc_curve,
)

__all__ = [
    "MaxStat",
    "YoudenCutpoint",
    "logrank_scores",
    "maxstat_test",
    "p_lausen92",
    "p_lausen94",
    "youden_cutpoints",
]

FloatArray = NDArray[np.float64]


def logrank_scores(time: ArrayLike, event: ArrayLike) -> FloatArray:
    """Log-rank scores ``event_i - sum_{t_j <= t_i} event_j / (N - r_j + 1)`` where ``r_j`` is
    the number of times <= t_j (as ``exactRankTests::cscores(Surv(time, event))``)."""
    t = np.asarray(time, dtype=np.float64)
    e = np.asarray(event, dtype=np.float64)
    n = t.size
    order = np.argsort(t, kind="stable")
    rt = np.searchsorted(np.sort(t), t, side="right")  # number of times <= t_i
    fact = e / (n - rt + 1)
    csum = np.cumsum(fact[order])
    return e - csum[rt - 1]


def p_lausen92(b: float, minprop: float = 0.1, maxprop: float = 0.9) -> float:
    """Lausen & Schumacher (1992) p-value of a maximally selected statistic ``b``."""
    if b < 1:
        return 1.0
    db = stats.norm.pdf(b)
    p = 4 * db / b + db * (b - 1 / b) * np.log(maxprop * (1 - minprop) / ((1 - maxprop) * minprop))
    return float(min(max(p, 0.0), 1.0))


def p_lausen94(
    b: float,
    n: int,
    minprop: float = 0.1,
    maxprop: float = 0.9,
    m: ArrayLike | None = None,
) -> float:
    """Lausen, Sauerbrei & Schumacher (1994) p-value; ``m`` are the sizes of the lower groups
    at the candidate cut-points (default: every size from ``n*minprop`` to ``n*maxprop``)."""
    if m is None:
        mm = np.arange(np.floor(n * minprop), np.floor(n * maxprop) + 1, dtype=np.float64)
    else:
        mm = np.asarray(m, dtype=np.float64)
    if mm.size <= 1:
        d = 0.0
    else:
        m1, m2 = mm[:-1], mm[1:]
        t = np.sqrt(1 - m1 * (n - m2) / ((n - m1) * m2))
        d = float(np.sum(1 / np.pi * np.exp(-(b**2) / 2) * (t - (b**2 / 4 - 1) * t**3 / 6)))
    return float(min(1 - (stats.norm.cdf(b) - stats.norm.cdf(-b)) + d, 1.0))


def maxstat_test(
    scores: ArrayLike,
    x: ArrayLike,
    minprop: float = 0.1,
    maxprop: float = 0.9,
    pmethod: Literal["Lau92", "Lau94", "none"] = "Lau92",
) -> dict[str, Any]:
    """Maximally selected statistic of ``scores`` over cut-points of ``x`` (complete data).

    Returns ``statistic``, ``estimate`` (cut-point: lower group is ``x <= estimate``),
    ``p_value``, ``cuts`` and ``stats`` (the standardised statistic at each cut) and ``m``."""
    y = np.asarray(scores, dtype=np.float64)
    xv = np.asarray(x, dtype=np.float64)
    if np.isnan(y).any() or np.isnan(xv).any():
        raise DiagnosticDataError("maxstat_test needs complete data (no NaN)")
    n = y.size
    order = np.argsort(xv, kind="stable")
    y, xs = y[order], xv[order]
    m = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])  # (first index of each value) = size
    if minprop == 0 and maxprop == 1:
        m = m[1:-1]  # R: m[2:(length(m) - 1)], drops m = 0 and the last distinct value
    else:
        if np.all(m < np.floor(n * minprop)):
            raise DiagnosticDataError("minprop too large")
        if np.all(m > np.floor(n * maxprop)):
            raise DiagnosticDataError("maxprop too small")
        m = m[m >= max(1, np.floor(n * minprop))]
        m = m[m <= np.floor(n * maxprop)]
    if m.size < 1:
        raise DiagnosticDataError("no cut-point between minprop and maxprop")
    ss = y.sum()
    e = m / n * ss
    v = m * (n - m) / (n**2 * (n - 1)) * (n * np.sum(y**2) - ss**2)
    test = np.abs((np.cumsum(y)[m - 1] - e) / np.sqrt(v))
    stat = float(test.max())
    best = int(np.flatnonzero(test >= stat * (1 - 1e-12))[0])
    estimate = float(xs[m[best] - 1])
    if pmethod == "Lau92":
        p = p_lausen92(stat, minprop, maxprop)
    elif pmethod == "Lau94":
        p = p_lausen94(stat, n, minprop, maxprop, m=m)
    elif pmethod == "none":
        p = float("nan")
    else:
        raise DiagnosticDataError(f"pmethod must be 'Lau92', 'Lau94' or 'none', not {pmethod!r}")
    return {
        "statistic": stat,
        "estimate": estimate,
        "p_value": p,
        "cuts": xs[m - 1],
        "stats": test,
        "m": m,
        "n": n,
    }


def _none(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


class MaxStat:
    """Optimal cut-point of a marker for survival by the maximally selected log-rank statistic.

    >>> ms = MaxStat().fit(pbc, "bili", "time", "event", pmethod="Lau94")
    >>> ms.estimate_, ms.statistic_, ms.p_value_

    ``event`` is 0/1 (pass e.g. ``status == 2`` as a column). Rows with a missing marker, time
    or event are excluded and counted in ``n_missing_`` (as R's ``model.frame`` drops them).
    """

    def fit(
        self,
        df: pd.DataFrame,
        marker_col: str,
        time_col: str,
        event_col: str,
        pmethod: Literal["Lau92", "Lau94"] = "Lau92",
        minprop: float = 0.1,
        maxprop: float = 0.9,
        unit: str | None = None,
    ) -> MaxStat:
        """``unit`` is the marker's unit, reported with the cut-point in ``to_dict()``."""
        self.unit = unit
        x = numeric_column(df, marker_col)
        t = numeric_column(df, time_col)
        e = numeric_column(df, event_col)
        ok = ~(np.isnan(x) | np.isnan(t) | np.isnan(e))
        bad = np.flatnonzero(ok & ~np.isin(e, (0.0, 1.0)))
        if bad.size:
            i = int(bad[0])
            raise DiagnosticDataError(f"column {event_col!r}: row {i} has {e[i]:g}, expected 0/1")
        bad = np.flatnonzero(ok & (t < 0))
        if bad.size:
            i = int(bad[0])
            raise DiagnosticDataError(f"column {time_col!r}: row {i} is negative ({t[i]})")
        self.marker_col, self.pmethod, self.minprop, self.maxprop = (
            marker_col,
            pmethod,
            minprop,
            maxprop,
        )
        self.n_missing_ = int((~ok).sum())
        res = maxstat_test(logrank_scores(t[ok], e[ok]), x[ok], minprop, maxprop, pmethod)
        self.n_ = res["n"]
        self.statistic_ = res["statistic"]
        self.estimate_ = res["estimate"]
        self.p_value_ = res["p_value"]
        self.cuts_ = res["cuts"]
        self.stats_ = res["stats"]
        self.n_low_ = int(np.sum(x[ok] <= self.estimate_))
        return self

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "cutpoint": [self.estimate_],
                "statistic": [self.statistic_],
                "p": [self.p_value_],
                "p_method": [self.pmethod],
                "n": [self.n_],
                "n_low": [self.n_low_],
                "n_missing": [self.n_missing_],
            },
            index=[self.marker_col],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker_col,
            "method": "maximally selected log-rank statistic (maxstat)",
            "cutpoint": {
                "value": self.estimate_,
                "unit": self.unit,
                "rule": "low group: marker <= cutpoint",
            },
            "statistic": _none(self.statistic_),
            "p_value": _none(self.p_value_),
            "p_method": {
                "Lau92": "Lausen & Schumacher 1992",
                "Lau94": "Lausen, Sauerbrei & Schumacher 1994",
            }[self.pmethod],
            "minprop": self.minprop,
            "maxprop": self.maxprop,
            "n": self.n_,
            "n_low": self.n_low_,
            "n_missing": self.n_missing_,
        }

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        ax.plot(self.cuts_, self.stats_, drawstyle="steps-post", **kwargs)
        ax.axvline(self.estimate_, linestyle="--", color="grey")
        ax.set_xlabel(self.marker_col)
        ax.set_ylabel("standardised log-rank statistic")
        return ax


def youden_cutpoints(
    thresholds: ArrayLike, sensitivity: ArrayLike, specificity: ArrayLike
) -> pd.DataFrame:
    """Rows of the ROC curve where sensitivity + specificity is maximal (all ties)."""
    thr = np.asarray(thresholds, dtype=np.float64)
    se = np.asarray(sensitivity, dtype=np.float64)
    sp = np.asarray(specificity, dtype=np.float64)
    crit = se + sp
    best = crit == crit.max()
    return pd.DataFrame(
        {
            "threshold": thr[best],
            "sensitivity": se[best],
            "specificity": sp[best],
            "youden": crit[best] - 1,
        }
    )


class YoudenCutpoint:
    """Cut-point maximising Youden's J on the empirical ROC (pROC ``coords(..., "best")``).

    Thresholds are midpoints between observed values, as in pROC; with direction ``"<"`` a
    patient is positive when ``marker >= threshold``, with ``">"`` when ``marker <= threshold``.
    The cut-point is chosen on the same data it is evaluated on, so its sensitivity and
    specificity are optimistic.
    """

    def fit(
        self,
        df: pd.DataFrame,
        marker_col: str,
        outcome_col: str,
        direction: Direction = "<",
        unit: str | None = None,
    ) -> YoudenCutpoint:
        """``unit`` is the marker's unit, reported with the threshold in ``to_dict()``."""
        self.unit = unit
        roc = ROC().fit(df, marker_col, outcome_col, direction)
        self.roc_ = roc
        self.direction_ = roc.direction_
        self.n_missing_ = roc.n_missing_
        thr, se, sp = roc_curve(roc.cases_, roc.controls_, roc.direction_)  # type: ignore[arg-type]
        self.table_ = youden_cutpoints(thr, se, sp)
        first = self.table_.iloc[0]
        self.threshold_ = float(first["threshold"])
        self.sensitivity_ = float(first["sensitivity"])
        self.specificity_ = float(first["specificity"])
        self.youden_ = float(first["youden"])
        return self

    @property
    def summary(self) -> pd.DataFrame:
        return self.table_

    def to_dict(self) -> dict[str, Any]:
        return {
            "marker": self.roc_.marker_col,
            "direction": self.direction_,
            "positive_rule": "marker >= threshold"
            if self.direction_ == "<"
            else "marker <= threshold",
            "threshold": {"value": self.threshold_, "unit": self.unit},
            "sensitivity": self.sensitivity_,
            "specificity": self.specificity_,
            "youden_j": self.youden_,
            "n_ties": len(self.table_),
            "n_missing": self.n_missing_,
        }

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        ax = self.roc_.plot(ax=ax, **kwargs)
        ax.plot(
            [1 - self.specificity_],
            [self.sensitivity_],
            marker="o",
            linestyle="none",
            color="black",
            label=f"Youden cut-point {self.threshold_:.4g}",
        )
        ax.legend(loc="lower right")
        return ax
