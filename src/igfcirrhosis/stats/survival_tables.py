"""Tabulation shared by the Kaplan-Meier and log-rank code: one sort, counts per time and group."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from igfcirrhosis.stats.survival_data import SurvivalDataError

__all__ = ["at_risk", "group_codes", "json_label", "json_number", "tabulate"]

FloatArray = NDArray[np.float64]


def tabulate(
    time: FloatArray, event: FloatArray, codes: NDArray[np.intp], k: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distinct times and, per group (columns), the events and all exits at each of them."""
    order = np.argsort(time)
    ts = time[order]
    new = np.empty(ts.size, dtype=bool)
    new[0] = True
    np.not_equal(ts[1:], ts[:-1], out=new[1:])
    uniq = ts[new]
    inv = np.cumsum(new) - 1
    cell = inv * k + codes[order]
    n_cells = uniq.size * k
    exits = np.bincount(cell, minlength=n_cells).astype(np.float64).reshape(uniq.size, k)
    events = np.bincount(cell, weights=event[order], minlength=n_cells).astype(np.float64)
    events = events.reshape(uniq.size, k)
    return uniq, events, exits


def at_risk(exits: FloatArray) -> FloatArray:
    """Number at risk just before each distinct time: reverse cumulative sum of exits."""
    return np.cumsum(exits[::-1], axis=0)[::-1]


def group_codes(group: ArrayLike) -> tuple[NDArray[np.intp], list[Hashable]]:
    g = pd.Series(np.asarray(group, dtype=object) if not isinstance(group, pd.Series) else group)
    if g.isna().any():
        i = int(np.flatnonzero(g.isna().to_numpy())[0])
        raise SurvivalDataError(f"group at position {i} is missing")
    codes, uniques = pd.factorize(g, sort=True)
    return codes.astype(np.intp), list(uniques)


def json_number(x: float) -> float | None:
    """A finite float, or None for NaN / infinity (JSON has no NaN)."""
    return None if x is None or not np.isfinite(x) else float(x)


def json_label(g: Hashable) -> Any:
    """A group label as a plain Python value (numpy scalars unwrapped)."""
    if isinstance(g, np.generic):
        return g.item()
    return g
