"""Kaplan-Meier estimator, numerically as R's ``survfit``; log-rank tests re-exported.

Two layers: plain functions on arrays (:func:`kaplan_meier`, :func:`km_quantile`,
:func:`km_at`, :func:`risk_table`; the tests :func:`logrank_test` and
:func:`logrank_trend_test` live in :mod:`.survival_logrank` and are re-exported here) and the
estimator :class:`KaplanMeier` on a DataFrame (curves by group plus the log-rank test), which
adds ``summary``, ``to_dict`` and ``plot``.

Conventions (R's survival package, version >= 3):

- ``std_err`` is the Greenwood standard error of S(t); ``se_log_surv`` is the standard error of
  log S(t) (R's ``survfit(...)$std.err``).
- Confidence intervals: ``"log"`` (R's default), ``"log-log"`` and ``"plain"``, computed as R's
  ``survfit_confint``; an upper limit above 1 is truncated to 1 for "log" and "plain".
- Median and its CI as R's ``quantile.survfit``: the first time the curve (or its lower / upper
  limit) reaches 0.5 or below; on a flat stretch exactly at 0.5, the midpoint to the next time.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats as sps

from igfcirrhosis.stats.survival_data import (
    StatisticalWarning,
    check_time_event,
    survival_frame,
)
from igfcirrhosis.stats.survival_logrank import (
    LogRankResult,
    TrendResult,
    _logrank_from_table,
    _logrank_result,
    logrank_test,
    logrank_trend_test,
)
from igfcirrhosis.stats.survival_tables import (
    at_risk,
    group_codes,
    json_label,
    json_number,
    tabulate,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "ConfType",
    "KMCurve",
    "KaplanMeier",
    "LogRankResult",
    "TrendResult",
    "StatisticalWarning",
    "km_at",
    "km_confint",
    "km_quantile",
    "kaplan_meier",
    "logrank_test",
    "logrank_trend_test",
    "risk_table",
]

ConfType = Literal["log", "log-log", "plain"]
FloatArray = NDArray[np.float64]
_CONF_TYPES = ("log", "log-log", "plain")
_QUANTILE_TOL = float(np.sqrt(np.finfo(float).eps))  # R: sqrt(.Machine$double.eps)


# --------------------------------------------------------------------------- Kaplan-Meier
@dataclass(frozen=True)
class KMCurve:
    """A Kaplan-Meier curve at every distinct observed time (events and censorings), as R."""

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray
    surv: FloatArray
    se_log_surv: FloatArray
    std_err: FloatArray
    lower: FloatArray
    upper: FloatArray
    conf_type: ConfType
    conf_level: float

    @property
    def n(self) -> int:
        return int(self.n_risk[0]) if self.n_risk.size else 0

    @property
    def events(self) -> int:
        return int(self.n_event.sum())


def km_confint(
    surv: ArrayLike, se_log_surv: ArrayLike, conf_type: ConfType = "log", conf_level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Pointwise confidence limits of S(t) as R's ``survfit_confint`` (NaN where R gives NA)."""
    if conf_type not in _CONF_TYPES:
        raise ValueError(f"conf_type must be one of {_CONF_TYPES}, got {conf_type!r}")
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be in (0, 1), got {conf_level!r}")
    p = np.asarray(surv, dtype=np.float64)
    se = np.asarray(se_log_surv, dtype=np.float64)
    z = float(sps.norm.ppf(1 - (1 - conf_level) / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            half = se * p * z
            lower = np.maximum(p - half, 0.0)
            upper = np.minimum(p + half, 1.0)
            return lower, upper
        if conf_type == "log":
            xx = np.where(p == 0, np.nan, p)
            lower = np.where(se == 0, p, np.exp(np.log(xx) - z * se))
            upper = np.where(se == 0, p, np.exp(np.log(xx) + z * se))
            return lower, np.minimum(upper, 1.0)
        xx = np.where((p == 0) | (p == 1), np.nan, p)
        se2 = z * se / np.log(xx)
        lower = np.where(se == 0, p, np.exp(-np.exp(np.log(-np.log(xx)) - se2)))
        upper = np.where(se == 0, p, np.exp(-np.exp(np.log(-np.log(xx)) + se2)))
        return lower, upper


def _km_from_counts(
    time: FloatArray,
    n_risk: FloatArray,
    n_event: FloatArray,
    n_exit: FloatArray,
    conf_type: ConfType,
    conf_level: float,
) -> KMCurve:
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.asarray(np.cumprod(1.0 - n_event / n_risk), dtype=np.float64)
        term = np.where(n_event > 0, n_event / (n_risk * (n_risk - n_event)), 0.0)
    se_log = np.sqrt(np.cumsum(term))
    with np.errstate(invalid="ignore"):
        std_err = np.where(se_log == 0, 0.0, surv * se_log)
    lower, upper = km_confint(surv, se_log, conf_type, conf_level)
    return KMCurve(
        time=time,
        n_risk=n_risk,
        n_event=n_event,
        n_censor=n_exit - n_event,
        surv=surv,
        se_log_surv=se_log,
        std_err=std_err,
        lower=lower,
        upper=upper,
        conf_type=conf_type,
        conf_level=conf_level,
    )


def kaplan_meier(
    time: ArrayLike,
    event: ArrayLike,
    *,
    conf_type: ConfType = "log",
    conf_level: float = 0.95,
) -> KMCurve:
    """Kaplan-Meier estimate with Greenwood variance, as ``survfit(Surv(time, event) ~ 1)``.

    ``event`` is 1 for the event and 0 for censoring; ``time`` is non-negative.
    """
    t, e = check_time_event(time, event)
    uniq, ev, ex = tabulate(t, e, np.zeros(t.size, dtype=np.intp), 1)
    return _km_from_counts(uniq, at_risk(ex)[:, 0], ev[:, 0], ex[:, 0], conf_type, conf_level)


def _findq(x: FloatArray, y: FloatArray, p: float, tol: float) -> float:
    """R's ``findq``: where a horizontal line at ``p`` meets the step curve 1 - S."""
    finite = y[~np.isnan(y)]
    if finite.size == 0 or finite.max() < p:
        return float("nan")
    if p == 0:
        return float(x[0])  # R: quant[p == 0] <- x[1]
    xmax = x[-1]
    keep = np.ones(y.size, dtype=bool)
    # duplicated(y): keep the first of each run of equal values (NaN equal to NaN)
    _, first = np.unique(np.where(np.isnan(y), np.inf, y), return_index=True)
    keep[:] = False
    keep[first] = True
    x, y = x[keep], y[keep]
    ok = ~np.isnan(y)
    xs, ys = x[ok], y[ok]
    order = np.argsort(ys, kind="stable")
    xs, ys = xs[order], ys[order]
    i1 = int(np.searchsorted(ys + tol, p, side="left"))
    i2 = int(np.searchsorted(ys - tol, p, side="left"))
    q1 = xs[i1] if i1 < ys.size else np.nan
    q2 = xs[i2] if i2 < ys.size else np.nan
    quant = (q1 + q2) / 2
    if not np.isnan(y[-1]) and abs(p - y[-1]) < tol:
        quant = (q1 + xmax) / 2
    return float(quant)


def km_quantile(
    curve: KMCurve, prob: float = 0.5, *, tol: float = _QUANTILE_TOL
) -> tuple[float, float, float]:
    """Time at which S(t) falls to ``1 - prob`` with its CI, as R's ``quantile.survfit``.

    Returns ``(estimate, lower, upper)``; NaN where the curve or limit never gets there.
    ``prob=0.5`` gives the median survival time shown by R's ``print.survfit``.
    """
    if not 0 <= prob <= 1:
        raise ValueError(f"prob must be in [0, 1], got {prob!r}")
    x = np.concatenate([[0.0], curve.time])

    def one(s: FloatArray) -> float:
        return _findq(x, np.concatenate([[0.0], 1.0 - s]), prob, tol)

    return one(curve.surv), one(curve.lower), one(curve.upper)


def km_at(curve: KMCurve, times: ArrayLike) -> pd.DataFrame:
    """The curve at chosen times, as R's ``summary(fit, times = ..., extend = TRUE)``.

    ``n_risk`` is the number still under observation at each time; ``n_event`` and
    ``n_censor`` count what happened since the previous requested time (R's convention).
    """
    tt = np.asarray(times, dtype=np.float64)
    if tt.ndim != 1 or np.isnan(tt).any() or (np.diff(tt) < 0).any():
        raise ValueError("times must be a 1-d increasing sequence without missing values")
    idx = np.searchsorted(curve.time, tt, side="right") - 1  # last curve time <= t
    before = idx < 0
    safe = np.clip(idx, 0, None)

    def pick(a: FloatArray, fill: float) -> FloatArray:
        return np.where(before, fill, a[safe]) if a.size else np.full(tt.size, fill)

    cum_ev = np.concatenate([[0.0], np.cumsum(curve.n_event)])
    cum_cens = np.concatenate([[0.0], np.cumsum(curve.n_censor)])
    cum_e = cum_ev[idx + 1]
    cum_c = cum_cens[idx + 1]
    first_at_or_after = np.searchsorted(curve.time, tt, side="left")
    n_risk = np.concatenate([curve.n_risk, [0.0]])[first_at_or_after]
    return pd.DataFrame(
        {
            "time": tt,
            "n_risk": n_risk,
            "n_event": np.diff(np.concatenate([[0.0], cum_e])),
            "n_censor": np.diff(np.concatenate([[0.0], cum_c])),
            "surv": pick(curve.surv, 1.0),
            "std_err": pick(curve.std_err, 0.0),
            "lower": pick(curve.lower, 1.0),
            "upper": pick(curve.upper, 1.0),
        }
    )


def risk_table(curve: KMCurve, times: ArrayLike) -> pd.DataFrame:
    """Numbers at risk, cumulative events and cumulative censored at chosen times (survminer).

    ``n_risk`` counts subjects with follow-up >= t; the cumulative counts include time t.
    """
    tab = km_at(curve, times)
    return pd.DataFrame(
        {
            "time": tab["time"],
            "n_risk": tab["n_risk"].astype(np.int64),
            "cum_events": tab["n_event"].cumsum().astype(np.int64),
            "cum_censored": tab["n_censor"].cumsum().astype(np.int64),
        }
    )


# --------------------------------------------------------------------------- estimator
class KaplanMeier:
    """Kaplan-Meier curves (overall or by group) with the log-rank test, lifelines-style.

    >>> km = KaplanMeier().fit(df, "time", "death", group_col="high_bili")  # doctest: +SKIP
    >>> km.median_, km.survival_at([90, 365]), km.logrank_.p_value  # doctest: +SKIP

    Fitted attributes: ``curves_`` (group -> :class:`KMCurve`), ``groups_``, ``median_``
    (DataFrame), ``logrank_`` (:class:`LogRankResult`, None for one group), ``n_``,
    ``n_dropped_`` (rows with missing values dropped when ``dropna=True``).
    Times are in the unit of ``duration_col`` (``time_unit``, days by default).
    """

    def __init__(
        self,
        conf_type: ConfType = "log",
        conf_level: float = 0.95,
        time_unit: str = "days",
    ) -> None:
        if conf_type not in _CONF_TYPES:
            raise ValueError(f"conf_type must be one of {_CONF_TYPES}, got {conf_type!r}")
        if not 0 < conf_level < 1:
            raise ValueError(f"conf_level must be in (0, 1), got {conf_level!r}")
        self.conf_type: ConfType = conf_type
        self.conf_level = conf_level
        self.time_unit = time_unit

    def fit(
        self,
        df: pd.DataFrame,
        duration_col: str,
        event_col: str,
        group_col: str | None = None,
        *,
        dropna: bool = False,
    ) -> KaplanMeier:
        cols = [duration_col, event_col] + ([group_col] if group_col is not None else [])
        frame = survival_frame(df, cols, dropna=dropna)
        t, e = check_time_event(frame.data[duration_col], frame.data[event_col])
        if group_col is None:
            codes = np.zeros(t.size, dtype=np.intp)
            labels: list[Hashable] = ["all"]
        else:
            codes, labels = group_codes(frame.data[group_col])
        k = len(labels)
        uniq, ev, ex = tabulate(t, e, codes, k)
        risk = at_risk(ex)
        curves: dict[Hashable, KMCurve] = {}
        for j, lab in enumerate(labels):
            keep = ex[:, j] > 0
            curves[lab] = _km_from_counts(
                uniq[keep],
                risk[keep, j],
                ev[keep, j],
                ex[keep, j],
                self.conf_type,
                self.conf_level,
            )
        self.duration_col, self.event_col, self.group_col = duration_col, event_col, group_col
        self.curves_ = curves
        self.groups_ = labels
        self.n_ = int(t.size)
        self.n_dropped_ = frame.n_dropped
        self.logrank_ = _logrank_result(_logrank_from_table(ev, ex), labels) if k > 1 else None
        rows = []
        for lab, c in curves.items():
            med, lo, hi = km_quantile(c, 0.5)
            rows.append(
                {
                    "group": lab,
                    "n": c.n,
                    "events": c.events,
                    "median": med,
                    "median_lower": lo,
                    "median_upper": hi,
                }
            )
        self.median_ = pd.DataFrame(rows).set_index("group")
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "curves_"):
            raise RuntimeError("call fit() first")

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: n, events, median survival and its CI (R's ``print.survfit``)."""
        self._check_fitted()
        return self.median_.copy()

    def survival_at(self, times: ArrayLike) -> pd.DataFrame:
        """Survival at named horizons (e.g. 90 days) per group, as ``summary(fit, times=)``."""
        self._check_fitted()
        parts = [km_at(c, times).assign(group=lab) for lab, c in self.curves_.items()]
        return pd.concat(parts, ignore_index=True).set_index(["group", "time"])

    def risk_table(self, times: ArrayLike) -> pd.DataFrame:
        """At risk, cumulative events and censored at ``times`` per group (survminer's table)."""
        self._check_fitted()
        parts = [risk_table(c, times).assign(group=lab) for lab, c in self.curves_.items()]
        return pd.concat(parts, ignore_index=True).set_index(["group", "time"])

    def to_dict(
        self, times: Sequence[float] = (), risk_table_times: Sequence[float] = ()
    ) -> dict[str, Any]:
        """JSON-ready result (None instead of NaN); ``times`` adds survival at those horizons,
        ``risk_table_times`` the risk table (at risk, cumulative events and censored)."""
        self._check_fitted()
        groups = []
        for lab, c in self.curves_.items():
            med, lo, hi = km_quantile(c, 0.5)
            entry: dict[str, Any] = {
                "group": json_label(lab),
                "n": c.n,
                "events": c.events,
                "median_survival": {
                    "value": json_number(med),
                    "lower": json_number(lo),
                    "upper": json_number(hi),
                    "unit": self.time_unit,
                },
            }
            if len(times):
                tab = km_at(c, times)
                entry["survival_at"] = [
                    {
                        "time": float(r.time),
                        "time_unit": self.time_unit,
                        "survival": json_number(r.surv),
                        "std_err": json_number(r.std_err),
                        "lower": json_number(r.lower),
                        "upper": json_number(r.upper),
                        "n_risk": int(r.n_risk),
                    }
                    for r in tab.itertuples()
                ]
            if len(risk_table_times):
                rt = risk_table(c, risk_table_times)
                entry["risk_table"] = [
                    {
                        "time": float(r.time),
                        "time_unit": self.time_unit,
                        "n_risk": int(r.n_risk),
                        "cum_events": int(r.cum_events),
                        "cum_censored": int(r.cum_censored),
                    }
                    for r in rt.itertuples()
                ]
            groups.append(entry)
        return {
            "method": "Kaplan-Meier, Greenwood variance",
            "conf_type": self.conf_type,
            "conf_level": self.conf_level,
            "n": self.n_,
            "n_dropped": self.n_dropped_,
            "groups": groups,
            "logrank": self.logrank_.to_dict() if self.logrank_ is not None else None,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """survminer-style plot; see :func:`igfcirrhosis.stats._survplot.plot_km`."""
        self._check_fitted()
        from igfcirrhosis.stats._survplot import plot_km

        return plot_km(self, ax=ax, **kwargs)
