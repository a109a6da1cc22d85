"""Comparison helper: maximum relative difference against R values (None means NA in R)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def r_array(values: Any) -> np.ndarray:
    if not isinstance(values, Sequence) or isinstance(values, str):
        values = [values]
    return np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)


def max_rel_diff(ours: Any, r_values: Any, *, floor: float = 1e-300) -> float:
    """Largest |ours - R| / |R| over entries; NA positions must coincide (else returns inf)."""
    a = np.asarray(ours, dtype=np.float64).ravel()
    b = r_array(r_values).ravel()
    if a.shape != b.shape or (np.isnan(a) != np.isnan(b)).any():
        return float("inf")
    m = ~np.isnan(b)
    if not m.any():
        return 0.0
    return float(np.max(np.abs(a[m] - b[m]) / np.maximum(np.abs(b[m]), floor)))


def assert_close_to_r(ours: Any, r_values: Any, rtol: float = 1e-6, *, what: str = "") -> None:
    d = max_rel_diff(ours, r_values)
    assert d <= rtol, f"{what}: max relative difference {d:.3g} > {rtol:g}"
