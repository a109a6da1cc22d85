"""ROC curves, AUC with DeLong's confidence interval, and the paired DeLong test (as R's pROC).

Two layers: plain array functions (:func:`roc_curve`, :func:`delong_placements`,
:func:`auc_delong`, :func:`delong_paired`) and the lifelines-style objects :class:`ROC` and
:class:`PairedDeLongTest` that take a DataFrame and column names.

**Direction rule** (pROC's ``direction``): ``"<"`` means controls have *lower* values than cases
(a higher marker is worse; a value is called positive when ``marker >= threshold``); ``">"``
means controls have *higher* values (a lower marker is worse, e.g. albumin; positive when
``marker <= threshold``). ``"auto"`` copies pROC: ``"<"`` if the median of the controls is
<= the median of the cases, else ``">"``. ``"auto"`` looks at the outcome and so biases the AUC
upwards on small samples; state the direction in advance whenever the biology allows.

**Outcome at a horizon** (:func:`outcome_within`): "death within 1825 days" is 1 for
``status == event_code and time <= horizon``, 0 for ``time > horizon`` (whatever the status), and
*undetermined* (NaN) for anyone censored or with another event at ``time <= horizon``. Undetermined
rows are excluded from ROC/diagnostic/logistic analyses and counted (``n_missing_``).

Missing values are never dropped silently: rows with a missing marker or outcome are excluded
and counted in ``n_missing_`` (and in ``to_dict()``).

The shared input helpers and warning/error classes of the diagnostic statistics live here
(``DiagnosticDataError``, ``DiagnosticWarning``, :func:`binary_array`, :func:`numeric_column`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

__all__ = [
    "ROC",
    "AUCResult",
    "DeLongPairedResult",
    "DiagnosticDataError",
    "DiagnosticWarning",
    "Direction",
    "PairedDeLongTest",
    "auc_delong",
    "binary_array",
    "binary_column",
    "delong_paired",
    "delong_placements",
    "numeric_column",
    "outcome_within",
    "resolve_direction",
    "roc_curve",
]

Direction = Literal["<", ">", "auto"]
FloatArray = NDArray[np.float64]


class DiagnosticDataError(ValueError):
    """Input that cannot be analysed: non-numeric marker, outcome not 0/1, no cases, ..."""


class DiagnosticWarning(UserWarning):
    """A result is computable but statistically questionable (e.g. a cell with few patients)."""


# --- input helpers -------------------------------------------------------------------------


def numeric_column(df: pd.DataFrame, col: str) -> FloatArray:
    """Column ``col`` of ``df`` as floats (NaN for missing); raises naming the column and value."""
    if col not in df.columns:
        raise DiagnosticDataError(f"column {col!r} not found; columns are {list(df.columns)}")
    s = df[col]
    try:
        return np.asarray(pd.to_numeric(s, errors="raise"), dtype=np.float64)
    except (TypeError, ValueError):
        i, bad = next((i, v) for i, v in enumerate(s) if _not_number(v))
        raise DiagnosticDataError(
            f"column {col!r}: row {i} has {bad!r}, which is not a number"
        ) from None


def _not_number(v: object) -> bool:
    try:
        float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return False


def binary_array(values: ArrayLike, name: str) -> FloatArray:
    """0/1 (or bool) values as floats, NaN for missing; raises naming ``name`` and a bad value."""
    arr = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=np.float64)
    raw = pd.Series(values)
    bad_num = ~np.isnan(arr) & ~np.isin(arr, (0.0, 1.0))
    bad_str = np.isnan(arr) & raw.notna().to_numpy()
    bad = np.flatnonzero(bad_num | bad_str)
    if bad.size:
        i = int(bad[0])
        raise DiagnosticDataError(
            f"{name}: outcome must be 0/1 (or True/False); row {i} has {raw.iloc[i]!r}"
        )
    return arr


def binary_column(df: pd.DataFrame, col: str) -> FloatArray:
    """Column ``col`` of ``df`` as 0/1 floats (NaN for missing); see :func:`binary_array`."""
    if col not in df.columns:
        raise DiagnosticDataError(f"column {col!r} not found; columns are {list(df.columns)}")
    return binary_array(df[col].to_numpy(dtype=object), f"column {col!r}")


def outcome_within(
    time: ArrayLike, status: ArrayLike, horizon: float, event_code: float = 1
) -> FloatArray:
    """1 if the event (``status == event_code``) happened at ``time <= horizon``; 0 if
    ``time > horizon``; NaN (undetermined: censored or another event before the horizon)."""
    t = np.asarray(time, dtype=np.float64)
    s = np.asarray(status, dtype=np.float64)
    if t.shape != s.shape:
        raise DiagnosticDataError(f"time and status differ in length ({t.size} vs {s.size})")
    if np.any(t[~np.isnan(t)] < 0):
        i = int(np.flatnonzero(t < 0)[0])
        raise DiagnosticDataError(f"time: row {i} is negative ({t[i]})")
    out = np.full(t.shape, np.nan)
    out[(s == event_code) & (t <= horizon)] = 1.0
    out[t > horizon] = 0.0
    return out


def _split(marker: FloatArray, outcome: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    ok = ~np.isnan(marker) & ~np.isnan(outcome)
    cases = marker[ok & (outcome == 1)]
    controls = marker[ok & (outcome == 0)]
    if np.any(np.isinf(marker[ok])):
        raise DiagnosticDataError("marker has infinite values (log of 0?)")
    if cases.size == 0 or controls.size == 0:
        raise DiagnosticDataError(
            f"need both cases and controls: {cases.size} cases, {controls.size} controls"
        )
    return cases, controls, int((~ok).sum())


# --- array layer -----------------------------------------------------------------------------


def resolve_direction(controls: ArrayLike, cases: ArrayLike, direction: Direction) -> str:
    """``"<"`` or ``">"``; ``"auto"`` follows pROC (median of controls <= median of cases)."""
    if direction in ("<", ">"):
        return direction
    if direction != "auto":
        raise DiagnosticDataError(f"direction must be '<', '>' or 'auto', not {direction!r}")
    med0 = np.median(np.asarray(controls, dtype=np.float64))
    med1 = np.median(np.asarray(cases, dtype=np.float64))
    return "<" if med0 <= med1 else ">"


def roc_curve(
    cases: ArrayLike, controls: ArrayLike, direction: Literal["<", ">"] = "<"
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Thresholds, sensitivities and specificities as pROC's ``roc()`` (midpoints between
    distinct values, plus -inf and +inf; ordered so that sensitivity falls from 1 to 0)."""
    x1 = np.asarray(cases, dtype=np.float64)
    x0 = np.asarray(controls, dtype=np.float64)
    u = np.unique(np.concatenate([x1, x0]))
    lo = np.concatenate([[-np.inf], u])
    hi = np.concatenate([u, [np.inf]])
    thr = (lo + hi) / 2
    big = np.abs(thr) > 1e100
    thr[big] = (lo / 2 + hi / 2)[big]
    s1, s0 = np.sort(x1), np.sort(x0)
    if direction == "<":  # positive when marker >= threshold
        tp = x1.size - np.searchsorted(s1, thr, side="left")
        tn = np.searchsorted(s0, thr, side="left")
    else:  # positive when marker <= threshold
        tp = np.searchsorted(s1, thr, side="right")
        tn = x0.size - np.searchsorted(s0, thr, side="right")
        thr, tp, tn = thr[::-1], tp[::-1], tn[::-1]
    return thr, tp / x1.size, tn / x0.size


def delong_placements(
    cases: ArrayLike, controls: ArrayLike
) -> tuple[float, FloatArray, FloatArray]:
    """DeLong placements for direction ``"<"`` (negate both samples for ``">"``).

    Returns ``(theta, V10, V01)``: the AUC, each case's fraction of controls below it (ties
    count 1/2), and 1 - each control's fraction of cases above it. Computed from mid-ranks
    (Sun & Xu 2014), as pROC's ``delongPlacementsCpp``."""
    x1 = np.asarray(cases, dtype=np.float64)
    x0 = np.asarray(controls, dtype=np.float64)
    m, n = x1.size, x0.size
    r_all = stats.rankdata(np.concatenate([x1, x0]))
    r1 = stats.rankdata(x1)
    r0 = stats.rankdata(x0)
    v10 = (r_all[:m] - r1) / n
    v01 = 1.0 - (r_all[m:] - r0) / m
    theta = float(v10.mean())
    return theta, v10, v01


@dataclass(frozen=True)
class AUCResult:
    """AUC with DeLong's standard error and normal confidence interval (clipped to [0, 1])."""

    auc: float
    se: float
    lower: float
    upper: float
    conf_level: float


def _oriented(x: FloatArray, direction: str) -> FloatArray:
    return x if direction == "<" else -x


def auc_delong(
    cases: ArrayLike,
    controls: ArrayLike,
    direction: Literal["<", ">"] = "<",
    conf_level: float = 0.95,
) -> AUCResult:
    """AUC and its DeLong CI, as pROC's ``ci.auc(method = "delong")``."""
    x1 = _oriented(np.asarray(cases, dtype=np.float64), direction)
    x0 = _oriented(np.asarray(controls, dtype=np.float64), direction)
    m, n = x1.size, x0.size
    theta, v10, v01 = delong_placements(x1, x0)
    if m <= 1 or n <= 1:
        return AUCResult(theta, float("nan"), float("nan"), float("nan"), conf_level)
    var = np.sum((v10 - theta) ** 2) / (m - 1) / m + np.sum((v01 - theta) ** 2) / (n - 1) / n
    se = float(np.sqrt(var))
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    lo, hi = min(max(theta - z * se, 0.0), 1.0), min(max(theta + z * se, 0.0), 1.0)
    return AUCResult(theta, se, lo, hi, conf_level)


@dataclass(frozen=True)
class DeLongPairedResult:
    """DeLong's test for two correlated AUCs (same patients): difference auc1 - auc2."""

    auc1: float
    auc2: float
    diff: float
    se: float
    z: float
    p_value: float
    lower: float
    upper: float
    conf_level: float


def delong_paired(
    marker1: ArrayLike,
    marker2: ArrayLike,
    outcome: ArrayLike,
    directions: tuple[Literal["<", ">"], Literal["<", ">"]] = ("<", "<"),
    conf_level: float = 0.95,
) -> DeLongPairedResult:
    """Paired DeLong test, as pROC's ``roc.test(method = "delong", paired = TRUE)``.

    All three arrays must be complete (no NaN) and of the same patients."""
    a1 = np.asarray(marker1, dtype=np.float64)
    a2 = np.asarray(marker2, dtype=np.float64)
    y = np.asarray(outcome, dtype=np.float64)
    if not (a1.size == a2.size == y.size):
        raise DiagnosticDataError("marker1, marker2 and outcome must have the same length")
    if np.isnan(a1).any() or np.isnan(a2).any() or np.isnan(y).any():
        raise DiagnosticDataError("delong_paired needs complete data (no NaN)")
    case = y == 1
    m, n = int(case.sum()), int((~case).sum())
    if m < 2 or n < 2:
        raise DiagnosticDataError(f"need >= 2 cases and >= 2 controls ({m}, {n})")
    t1, x1, y1 = delong_placements(*(_oriented(v, directions[0]) for v in (a1[case], a1[~case])))
    t2, x2, y2 = delong_placements(*(_oriented(v, directions[1]) for v in (a2[case], a2[~case])))
    sx = np.cov(np.vstack([x1, x2]), ddof=1)
    sy = np.cov(np.vstack([y1, y2]), ddof=1)
    s = sx / m + sy / n
    var = s[0, 0] + s[1, 1] - 2 * s[0, 1]
    se = float(np.sqrt(max(var, 0.0)))
    d = t1 - t2
    z = 0.0 if d == 0 and se == 0 else d / se
    p = float(2 * stats.norm.sf(abs(z)))
    q = stats.norm.ppf(1 - (1 - conf_level) / 2)
    return DeLongPairedResult(t1, t2, d, se, float(z), p, d - q * se, d + q * se, conf_level)


# --- object layer ----------------------------------------------------------------------------


def _nan_to_none(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


class ROC:
    """Empirical ROC curve of one marker for a binary outcome, with DeLong's AUC CI.

    >>> roc = ROC().fit(df, "log_bili", "dead_5y", direction="<")
    >>> roc.auc_, roc.auc_ci_
    """

    def fit(
        self,
        df: pd.DataFrame,
        marker_col: str,
        outcome_col: str,
        direction: Direction = "<",
        conf_level: float = 0.95,
    ) -> ROC:
        marker = numeric_column(df, marker_col)
        outcome = binary_column(df, outcome_col)
        cases, controls, n_missing = _split(marker, outcome)
        self.marker_col, self.outcome_col = marker_col, outcome_col
        self.direction_ = resolve_direction(controls, cases, direction)
        self.direction_requested_ = direction
        self.n_cases_, self.n_controls_, self.n_missing_ = cases.size, controls.size, n_missing
        self.cases_, self.controls_ = cases, controls
        res = auc_delong(cases, controls, self.direction_, conf_level)  # type: ignore[arg-type]
        self.auc_, self.auc_se_ = res.auc, res.se
        self.auc_ci_ = (res.lower, res.upper)
        self.conf_level = conf_level
        thr, se, sp = roc_curve(cases, controls, self.direction_)  # type: ignore[arg-type]
        self.thresholds_, self.sensitivity_, self.specificity_ = thr, se, sp
        return self

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "marker": [self.marker_col],
                "direction": [self.direction_],
                "n_cases": [self.n_cases_],
                "n_controls": [self.n_controls_],
                "n_missing": [self.n_missing_],
                "auc": [self.auc_],
                "se": [self.auc_se_],
                "lower": [self.auc_ci_[0]],
                "upper": [self.auc_ci_[1]],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker_col,
            "outcome": self.outcome_col,
            "direction": self.direction_,
            "direction_rule": "'<': higher marker = case (positive if marker >= threshold); "
            "'>': lower marker = case (positive if marker <= threshold)",
            "n_cases": self.n_cases_,
            "n_controls": self.n_controls_,
            "n_missing": self.n_missing_,
            "auc": {
                "value": _nan_to_none(self.auc_),
                "se": _nan_to_none(self.auc_se_),
                "lower": _nan_to_none(self.auc_ci_[0]),
                "upper": _nan_to_none(self.auc_ci_[1]),
                "conf_level": self.conf_level,
                "method": "DeLong (1988), normal interval clipped to [0, 1]",
                "unit": None,
            },
        }

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        label = kwargs.pop("label", f"{self.marker_col} (AUC {self.auc_:.3f})")
        ax.plot(
            1 - self.specificity_, self.sensitivity_, drawstyle="steps-post", label=label, **kwargs
        )
        ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
        ax.set_xlabel("1 - specificity")
        ax.set_ylabel("sensitivity")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend(loc="lower right")
        return ax


class PairedDeLongTest:
    """Compare the AUCs of two markers measured on the same patients (paired DeLong test).

    Rows with either marker or the outcome missing are excluded and counted (``n_missing_``).
    pROC warns when the two directions differ; that warning is about directions chosen by
    ``"auto"``. Here the directions are stated, so each AUC measures its marker the way the
    biology says and the difference is meaningful.
    """

    def fit(
        self,
        df: pd.DataFrame,
        marker_cols: tuple[str, str],
        outcome_col: str,
        directions: tuple[Literal["<", ">"], Literal["<", ">"]] = ("<", "<"),
        conf_level: float = 0.95,
    ) -> PairedDeLongTest:
        a1 = numeric_column(df, marker_cols[0])
        a2 = numeric_column(df, marker_cols[1])
        y = binary_column(df, outcome_col)
        ok = ~(np.isnan(a1) | np.isnan(a2) | np.isnan(y))
        self.marker_cols, self.directions = marker_cols, directions
        self.n_missing_ = int((~ok).sum())
        self.n_cases_ = int((y[ok] == 1).sum())
        self.n_controls_ = int((y[ok] == 0).sum())
        self.result_ = delong_paired(a1[ok], a2[ok], y[ok], directions, conf_level)
        return self

    @property
    def summary(self) -> pd.DataFrame:
        r = self.result_
        return pd.DataFrame(
            {
                "auc1": [r.auc1],
                "auc2": [r.auc2],
                "diff": [r.diff],
                "se": [r.se],
                "lower": [r.lower],
                "upper": [r.upper],
                "z": [r.z],
                "p": [r.p_value],
            },
            index=[f"{self.marker_cols[0]} vs {self.marker_cols[1]}"],
        )

    def to_dict(self) -> dict[str, Any]:
        r = self.result_
        return {
            "markers": list(self.marker_cols),
            "directions": list(self.directions),
            "n_cases": self.n_cases_,
            "n_controls": self.n_controls_,
            "n_missing": self.n_missing_,
            "method": "DeLong paired test (two-sided)",
            "auc1": _nan_to_none(r.auc1),
            "auc2": _nan_to_none(r.auc2),
            "difference": {
                "value": _nan_to_none(r.diff),
                "se": _nan_to_none(r.se),
                "lower": _nan_to_none(r.lower),
                "upper": _nan_to_none(r.upper),
                "conf_level": r.conf_level,
            },
            "z": _nan_to_none(r.z),
            "p_value": _nan_to_none(r.p_value),
        }
