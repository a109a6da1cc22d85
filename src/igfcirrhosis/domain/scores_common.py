"""Helpers shared by the clinical scores: input coercion and checks, rounding, banding.

Conventions (used by every score in :mod:`igfcirrhosis.domain.scores`):

* NaN means "missing". ``None`` inside an array-like is read as NaN. A missing input gives a
  missing (NaN) result, and NaN component points where that component's input is missing.
* Inputs are only rejected when the formula would be meaningless (negative, infinite, zero
  under a logarithm, a category code that does not exist). Plausibility ranges are the job
  of the input layer (the analyte catalogue).
* Comparisons against table edges and rounding are made robust to binary floating point by
  first rounding to :data:`SNAP_DECIMALS` decimals, so that e.g. 34.2 µmol/L / 17.1 (which is
  2.0000000000000004 in binary) lands exactly on the 2.0 mg/dL edge and 0.15 * 10 rounds to 2.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
ObjectArray = NDArray[np.object_]

SNAP_DECIMALS: Final = 9
"""Values are rounded to this many decimals before table comparisons and half-up rounding."""


class ScoreInputError(ValueError):
    """An input to a score cannot be used: names the argument, the element, its value, the
    unit and the accepted range."""


def _first_bad(name: str, arr: FloatArray, bad: NDArray[np.bool_], expected: str) -> None:
    if bad.any():
        idx = np.unravel_index(int(np.argmax(bad)), arr.shape) if arr.ndim else ()
        where = f"{name}[{', '.join(str(int(i)) for i in idx)}]" if idx else name
        raise ScoreInputError(
            f"{where} = {float(arr[idx])!r}: expected {expected} (NaN or None for missing); "
            f"{int(bad.sum())} value(s) of {name} out of range"
        )


def as_float(
    name: str,
    x: ArrayLike,
    *,
    unit: str,
    minimum: float = 0.0,
    strictly_positive: bool = False,
) -> FloatArray:
    """Coerce ``x`` to a float64 array (NaN = missing) and reject values below ``minimum``
    (or not > 0 with ``strictly_positive``) and infinities, naming ``name`` and ``unit``."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoreInputError(
            f"{name}: expected numbers in {unit} (NaN or None for missing); {exc}"
        ) from exc
    # fast path: two allocation-free reductions (NaN ignored) prove the whole array valid
    flat = arr.ravel()
    lo = float(np.fmin.reduce(flat, initial=np.inf))
    hi = float(np.fmax.reduce(flat, initial=-np.inf))
    if (lo > 0.0 if strictly_positive else lo >= minimum) and hi < np.inf:
        return arr
    with np.errstate(invalid="ignore"):
        if strictly_positive:
            bad = ~(arr > 0.0) & ~np.isnan(arr)
            expected = f"a finite number > 0 {unit}"
        else:
            bad = ~(arr >= minimum) & ~np.isnan(arr)
            expected = f"a finite number >= {minimum:g} {unit}"
        bad |= np.isinf(arr)
    _first_bad(name, arr, bad, expected)
    return arr


def as_coded(name: str, x: ArrayLike, *, allowed: tuple[float, ...], meaning: str) -> FloatArray:
    """Coerce a categorical code (flags 0/1, points 1/2/3, oedema 0/0.5/1) to float64 with NaN
    for missing; any other value is an error naming ``name`` and the allowed codes."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoreInputError(
            f"{name}: expected one of {', '.join(f'{c:g}' for c in allowed)} ({meaning}); {exc}"
        ) from exc
    if arr.dtype == np.float64 and np.asarray(x).dtype == np.bool_ and set(allowed) >= {0, 1}:
        return arr  # a boolean array is a valid 0/1 flag by construction
    # fast path (the codes used here are evenly spaced: 0/1, 1/2/3, 0/0.5/1): in range and on
    # the grid, proved with reductions and one scaled copy
    codes = sorted(allowed)
    step = codes[1] - codes[0] if len(codes) > 1 else 1.0
    flat = arr.ravel()
    lo = float(np.fmin.reduce(flat, initial=np.inf))
    hi = float(np.fmax.reduce(flat, initial=-np.inf))
    evenly = all(abs(b - a - step) < 1e-12 for a, b in itertools.pairwise(codes))
    in_range = (lo >= codes[0] or lo == np.inf) and (hi <= codes[-1] or hi == -np.inf)
    if evenly and in_range and _on_grid(flat, codes[0], step):
        return arr
    ok = np.isnan(arr)
    for code in allowed:
        ok |= arr == code
    _first_bad(name, arr, ~ok, f"one of {', '.join(f'{c:g}' for c in allowed)} ({meaning})")
    return arr


def _on_grid(flat: FloatArray, first: float, step: float) -> bool:
    """True if every non-NaN element is ``first + k * step`` for an integer k (the caller has
    checked the range). One scaled copy, rounded in place; NaN is counted, not compared."""
    if step == 1.0 and float(first).is_integer():
        q = np.rint(flat)  # flags 0/1, points 1/2/3: on the grid means an integer
    else:
        q = flat - first
        q /= step
        flat = q.copy()
        np.rint(q, out=q)
    differ = np.count_nonzero(np.not_equal(q, flat, out=np.empty(flat.shape, dtype=bool)))
    return bool(differ == 0 or differ == int(np.count_nonzero(np.isnan(flat))))


def snap(x: FloatArray) -> FloatArray:
    """Round to :data:`SNAP_DECIMALS` decimals to remove binary representation noise."""
    return np.round(x, SNAP_DECIMALS)


def round_half_up(x: FloatArray, decimals: int = 0) -> FloatArray:
    """Round half away from zero (``decimal.ROUND_HALF_UP``), never banker's rounding.

    ``round_half_up(2.5) == 3``, ``round_half_up(0.15 * 10) == 2``, ``round_half_up(-2.5) == -3``.
    The value is first snapped to :data:`SNAP_DECIMALS` decimals (after scaling) so that a
    computed 24.499999999999996 whose exact value is 24.5 rounds to 25. NaN stays NaN.
    (Computed in place in one buffer: the same operations as
    ``copysign(floor(|round(x * 10**decimals, 9)| + 0.5), y) / 10**decimals``.)
    """
    scale = 10.0**decimals
    x = np.asarray(x, dtype=np.float64)
    y = np.round(x * scale if decimals else x, SNAP_DECIMALS)
    if y.ndim == 0:
        return np.asarray(np.copysign(np.floor(np.abs(y) + 0.5), y) / scale, dtype=np.float64)
    if float(np.fmin.reduce(y, axis=None, initial=np.inf)) > 0.0:
        # all positive (or NaN): |y| = y and the sign is y's own, so floor(y + 0.5) in place
        # gives the same bits (NaN keeps its sign through + and floor)
        y += 0.5
        out = np.floor(y, out=y)
    else:
        out = np.abs(y)
        out += 0.5
        np.floor(out, out=out)
        np.copysign(out, y, out=out)
    if decimals:
        out /= scale
    return out


@lru_cache(maxsize=256)
def _threshold(edge: float, strict: bool) -> float:
    """The smallest double ``t`` with ``round(t, SNAP_DECIMALS) >= edge`` (``> edge`` if
    ``strict``). ``np.round(x, 9)`` is non-decreasing in ``x`` (a multiplication, ``rint`` and a
    division, each monotone), so ``snap(x) >= edge`` holds exactly when ``x >= t``: the table
    comparisons need no snapped copy (tests/scores/test_scores_edge_thresholds.py)."""

    def holds(key: int) -> bool:
        s = float(np.round(np.array([_from_key(key)]), SNAP_DECIMALS)[0])
        return s > edge if strict else s >= edge

    lo, hi = _key(edge - 1.0 - abs(edge) * 1e-6), _key(edge + 1.0 + abs(edge) * 1e-6)
    assert not holds(lo) and holds(hi)
    while hi - lo > 1:  # invariant: not holds(lo), holds(hi)
        mid = (lo + hi) // 2
        if holds(mid):
            hi = mid
        else:
            lo = mid
    return _from_key(hi)


def _key(x: float) -> int:
    """An integer that orders doubles as their values do (adjacent doubles differ by 1)."""
    bits = int(np.array(x, dtype=np.float64).view(np.int64))
    return bits if bits >= 0 else -(bits & 0x7FFF_FFFF_FFFF_FFFF)


def _from_key(key: int) -> float:
    bits = key if key >= 0 else (-key) | -0x8000_0000_0000_0000
    return float(np.array(bits, dtype=np.int64).view(np.float64))


def points_banded(x: FloatArray, first: float, first_strict: bool, second: float,
            second_strict: bool, lower_worse: bool) -> FloatArray:
    """1 + [snap(x) passes the first edge] + [passes the second], NaN where x is NaN. Passing
    an edge upwards is ``snap(x) >= edge`` (``>`` if strict); downwards (``lower_worse``) it
    is ``snap(x) < edge`` (``<=`` if strict). Comparisons against precomputed thresholds
    (:func:`_threshold`) in int8, one float64 result: no snapped copy of ``x``."""
    x = np.asarray(x, dtype=np.float64)
    if lower_worse:  # snap(x) <= e  <=>  not snap(x) > e  <=>  x < threshold(e, strict=True)
        m = np.less(x, _threshold(first, first_strict)).view(np.int8)
        m += np.less(x, _threshold(second, second_strict)).view(np.int8)
    else:
        m = np.greater_equal(x, _threshold(first, first_strict)).view(np.int8)
        m += np.greater_equal(x, _threshold(second, second_strict)).view(np.int8)
    m += 1
    pts = m.astype(np.float64)
    if pts.ndim == 0:
        return np.asarray(pts + x * 0.0, dtype=np.float64)
    np.copyto(pts, x, where=np.isnan(x))
    return pts


def _nan_where_nan(pts: FloatArray, value: FloatArray, *edges: FloatArray | float) -> FloatArray:
    """Add ``0 * value`` (0, or NaN where the value is NaN), and the same for array-valued
    edges: branch-free NaN propagation."""
    pts = pts + value * 0.0
    for edge in edges:
        if isinstance(edge, np.ndarray):
            pts = pts + edge * 0.0
    return np.asarray(pts, dtype=np.float64)


def points_higher_worse(
    x: FloatArray, low: float | FloatArray, high: float | FloatArray
) -> FloatArray:
    """1 point below ``low``, 2 points on the closed interval [low, high], 3 points above
    ``high``; NaN where ``x`` (or a threshold) is NaN. Branch-free (bool arithmetic)."""
    if not isinstance(low, np.ndarray) and not isinstance(high, np.ndarray):
        return points_banded(x, float(low), False, float(high), True, lower_worse=False)
    s = snap(x)
    pts = np.add(s >= low, s > high, dtype=np.float64)
    pts += 1.0
    return _nan_where_nan(pts, s, low, high)


def points_lower_worse(x: FloatArray, high: float, low: float) -> FloatArray:
    """1 point above ``high``, 2 points on the closed interval [low, high], 3 points below
    ``low``; NaN where ``x`` is NaN."""
    return points_banded(x, float(high), True, float(low), False, lower_worse=True)


def labels_from_codes(codes: NDArray[np.int8], labels: tuple[str, ...]) -> ObjectArray:
    """Map grade codes (0 = missing, 1.. = ``labels``) to an object array with None for 0."""
    table = np.array([None, *labels], dtype=object)
    return np.asarray(table[codes], dtype=object)


def full_shape(a: FloatArray, shape: tuple[int, ...], copy: bool = False) -> FloatArray:
    """``a`` broadcast to ``shape`` as its own array (copied only if needed or asked)."""
    if a.shape == shape and a.dtype == np.float64:
        return a.copy() if copy else a
    return np.array(np.broadcast_to(a, shape), dtype=np.float64)
