"""Input checks shared by the survival modules, and their warning classes.

Bad input is never dropped silently: times must be finite and non-negative, events 0/1 (or the
declared codes for competing risks), and rows with a missing value either raise an error that
names the first offending row or, with ``dropna=True``, are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ConvergenceWarning",
    "StatisticalWarning",
    "SurvivalDataError",
    "SurvivalFrame",
    "as_float_array",
    "check_time_event",
    "survival_frame",
]


class SurvivalDataError(ValueError):
    """Survival input that cannot be analysed (negative time, event not 0/1, missing values)."""


class StatisticalWarning(UserWarning):
    """A result is computable but statistically questionable (e.g. too few events)."""


class ConvergenceWarning(RuntimeWarning):
    """An iterative fit stopped without meeting its convergence criterion."""


def as_float_array(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """``values`` as a 1-d float array; raises naming ``name`` if that is impossible."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SurvivalDataError(f"{name}: values must be numeric ({exc})") from None
    if arr.ndim != 1:
        raise SurvivalDataError(f"{name}: expected a 1-d array, got shape {arr.shape}")
    return arr


def check_time_event(
    time: ArrayLike,
    event: ArrayLike,
    *,
    event_codes: Sequence[float] = (0, 1),
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate follow-up times and event indicators given as arrays (no missing values).

    Returns float arrays. Raises :class:`SurvivalDataError` naming the first bad position
    (0-based) for a missing, negative or infinite time, or an event not in ``event_codes``.
    """
    t = as_float_array(time, "time")
    e = as_float_array(event, "event")
    if t.shape != e.shape:
        raise SurvivalDataError(f"time has {t.size} values but event has {e.size}")
    if t.size == 0:
        raise SurvivalDataError("no observations")
    bad = ~np.isfinite(t)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SurvivalDataError(f"time at position {i} is {float(t[i])}; times must be finite")
    if (t < 0).any():
        i = int(np.flatnonzero(t < 0)[0])
        raise SurvivalDataError(f"time at position {i} is negative ({float(t[i])})")
    ok = np.isin(e, np.asarray(event_codes, dtype=np.float64))
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        codes = ", ".join(f"{c:g}" for c in event_codes)
        raise SurvivalDataError(f"event at position {i} is {float(e[i])}; expected one of {codes}")
    return t, e


@dataclass(frozen=True)
class SurvivalFrame:
    """Columns taken from a DataFrame after checks: what was used and what was dropped."""

    data: pd.DataFrame
    n_input: int
    n_dropped: int
    dropped_index: list[object]


def survival_frame(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    dropna: bool = False,
) -> SurvivalFrame:
    """Select ``columns`` of ``df``; missing values raise (naming the row) or are dropped.

    With ``dropna=False`` (the default) a missing value raises :class:`SurvivalDataError` that
    names the index label and column of the first one. With ``dropna=True`` incomplete rows are
    removed and counted in the returned :class:`SurvivalFrame`.
    """
    if not isinstance(df, pd.DataFrame):
        raise SurvivalDataError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing_cols = [c for c in columns if c not in df.columns]
    if missing_cols:
        raise SurvivalDataError(f"column(s) not in the data: {', '.join(map(str, missing_cols))}")
    sub = df.loc[:, list(dict.fromkeys(columns))]
    isna = sub.isna()
    rows_na = isna.any(axis=1).to_numpy()
    if rows_na.any():
        if not dropna:
            pos = int(np.flatnonzero(rows_na)[0])
            col = str(isna.columns[isna.iloc[pos].to_numpy()][0])
            label = sub.index[pos]
            raise SurvivalDataError(
                f"row {label!r}: column {col!r} is missing "
                f"({int(rows_na.sum())} incomplete row(s) in all); pass dropna=True to drop "
                "and count them"
            )
        dropped = list(sub.index[rows_na])
        sub = sub.loc[~rows_na]
    else:
        dropped = []
    return SurvivalFrame(data=sub, n_input=len(df), n_dropped=len(dropped), dropped_index=dropped)
