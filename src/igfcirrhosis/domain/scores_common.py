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

from functools import lru_cache
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
ObjectArray = NDArray[np.object_]

SNAP_DECIMALS: Final = 9
"""Values are rounded to this many decimals before table comparisons and half-up rounding."""


class ScoreInputError(ValueError):
    """An input to a score cannot be used: names the argument, the element, its value, the
    unit and the accepted range."""


class Flag(NamedTuple):
    """A 0/1 flag as byte masks: ``yes`` where it is 1, ``missing`` where it is NaN (None if
    none is); both of the flag's own (broadcastable) shape."""

    yes: NDArray[np.bool_]
    missing: NDArray[np.bool_] | None


def as_flag(name: str, x: ArrayLike, *, meaning: str) -> Flag:
    """A 0/1 flag (bool, or numbers with NaN for missing) as :class:`Flag`; any value other
    than 0, 1 or NaN is an error naming ``name``. A bool array is used as it is (no copy)."""
    raw = np.asarray(x)
    if raw.dtype == np.bool_:
        return Flag(raw, None)
    arr = as_coded(name, raw, allowed=(0, 1), meaning=meaning)
    missing = np.isnan(arr)
    return Flag(np.equal(arr, 1.0), missing if missing.any() else None)


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
    # fast path: count the elements equal to each code and the NaNs (byte masks, no copy of
    # the values); every element accounted for means every element is valid
    counted = np.count_nonzero(np.isnan(arr))
    for code in allowed:
        counted += np.count_nonzero(np.equal(arr, code))
    if counted == arr.size:
        return arr
    ok = np.isnan(arr)
    for code in allowed:
        ok |= arr == code
    _first_bad(name, arr, ~ok, f"one of {', '.join(f'{c:g}' for c in allowed)} ({meaning})")
    return arr


def snap(x: FloatArray) -> FloatArray:
    """Round to :data:`SNAP_DECIMALS` decimals to remove binary representation noise."""
    return np.round(x, SNAP_DECIMALS)


_HALF_UP: Final = 0.5 + 0.5 * 10.0**-SNAP_DECIMALS
"""0.5 plus half a unit of the snap: ``floor(y + _HALF_UP)`` rounds half up after snapping."""


def round_half_up(x: FloatArray, decimals: int = 0, *, overwrite: bool = False) -> FloatArray:
    """Round half away from zero (``decimal.ROUND_HALF_UP``), never banker's rounding.

    ``round_half_up(2.5) == 3``, ``round_half_up(0.15 * 10) == 2``, ``round_half_up(-2.5) == -3``.
    The value (after scaling by ``10**decimals``) is first snapped to :data:`SNAP_DECIMALS`
    decimals, ties up, so that a computed 24.499999999999996 whose exact value is 24.5 rounds
    to 25: snapped ``|y|`` reaches ``k + 0.5`` exactly when ``|y| >= k + 0.5 - 5e-10``, so the
    result is ``copysign(floor(|y| + 0.5 + 5e-10), y)`` (two passes, no snapped copy). NaN
    stays NaN. With ``overwrite`` (``x`` a float64 array the caller owns) the result may
    be written into ``x`` instead of a new array.
    """
    scale = 10.0**decimals
    x = np.asarray(x, dtype=np.float64)
    y = x * scale if decimals else x
    overwrite = overwrite or bool(decimals)  # the scaled copy is ours
    if y.ndim == 0:
        return np.asarray(np.copysign(np.floor(np.abs(y) + _HALF_UP), y) / scale,
                          dtype=np.float64)
    if float(np.fmin.reduce(y, axis=None, initial=np.inf)) > 0.0:
        # all positive (or NaN): |y| = y, so floor(y + _HALF_UP) in one buffer (NaN stays NaN)
        out = np.add(y, _HALF_UP, out=y if overwrite else None)
        np.floor(out, out=out)
    else:
        out = np.abs(y)
        out += _HALF_UP
        np.floor(out, out=out)
        out = np.copysign(out, y, out=y if overwrite else out)
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


def band_codes(x: FloatArray, first: float, first_strict: bool, second: float,
               second_strict: bool, lower_worse: bool) -> NDArray[np.int8]:
    """The points of :func:`points_banded` as int8 1/2/3, NaN counted as 1 (the caller marks
    it): two comparisons against precomputed thresholds, summed as bytes."""
    if lower_worse:  # snap(x) <= e  <=>  not snap(x) > e  <=>  x < threshold(e, strict=True)
        m = np.less(x, _threshold(first, first_strict)).view(np.int8)
        m += np.less(x, _threshold(second, second_strict)).view(np.int8)
    else:
        m = np.greater_equal(x, _threshold(first, first_strict)).view(np.int8)
        m += np.greater_equal(x, _threshold(second, second_strict)).view(np.int8)
    m += 1
    return np.asarray(m, dtype=np.int8)


def points_banded(x: FloatArray, first: float, first_strict: bool, second: float,
            second_strict: bool, lower_worse: bool) -> FloatArray:
    """1 + [snap(x) passes the first edge] + [passes the second], NaN where x is NaN. Passing
    an edge upwards is ``snap(x) >= edge`` (``>`` if strict); downwards (``lower_worse``) it
    is ``snap(x) < edge`` (``<=`` if strict). Comparisons against precomputed thresholds
    (:func:`_threshold`) in int8, one float64 result: no snapped copy of ``x``."""
    x = np.asarray(x, dtype=np.float64)
    pts = band_codes(x, first, first_strict, second, second_strict, lower_worse).astype(np.float64)
    if pts.ndim == 0:
        return np.asarray(pts + x * 0.0, dtype=np.float64)
    np.copyto(pts, x, where=np.isnan(x))
    return pts


def labels_from_codes(codes: NDArray[np.int8], labels: tuple[str, ...]) -> ObjectArray:
    """Map grade codes (0 = missing, 1.. = ``labels``) to an object array with None for 0."""
    table = np.array([None, *labels], dtype=object)
    return np.asarray(table[codes], dtype=object)


def full_shape(a: FloatArray, shape: tuple[int, ...], copy: bool = False) -> FloatArray:
    """``a`` broadcast to ``shape`` as its own array (copied only if needed or asked)."""
    if a.shape == shape and a.dtype == np.float64:
        return a.copy() if copy else a
    return np.array(np.broadcast_to(a, shape), dtype=np.float64)
