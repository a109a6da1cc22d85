"""The MELD family: MELD and MELD-Na as allocated by OPTN 2016-2023, and MELD 3.0 (Kim 2021).

Public through :mod:`igfcirrhosis.domain.scores` (sources and conventions in its ``SOURCES``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from igfcirrhosis.domain.scores_common import (
    Flag,
    FloatArray,
    ScoreInputError,
    as_flag,
    as_float,
    round_half_up,
)
from igfcirrhosis.domain.scores_results import MeldResult

_NO_YES = "0 = no, 1 = yes"


def _meld_labs(
    bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike, dialysis: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, Flag]:
    """The validated bilirubin, INR and creatinine, and the dialysis flag."""
    bili = as_float("bilirubin_mg_dl", bilirubin_mg_dl, unit="mg/dL")
    inr_a = as_float("inr", inr, unit="(ratio)")
    cr = as_float("creatinine_mg_dl", creatinine_mg_dl, unit="mg/dL")
    dial = as_flag("dialysis", dialysis,
                   meaning="1 = >=2 dialyses or 24 h CVVHD in the past week")
    return bili, inr_a, cr, dial


def _shape(*arrays: NDArray[Any] | None) -> tuple[int, ...]:
    return np.broadcast_shapes(*(a.shape for a in arrays if a is not None))


def _clipped(x: FloatArray, low: float, high: float, shape: tuple[int, ...]) -> FloatArray:
    """``x`` clipped to [low, high] in a new float64 array of ``shape`` (NaN stays NaN)."""
    out = np.empty(shape)
    np.clip(x, low, high, out=out)
    return out


def _at_least_1(x: FloatArray, shape: tuple[int, ...], out: FloatArray | None = None) -> FloatArray:
    """max(x, 1) (labs below 1.0 are set to 1.0) as float64 of ``shape`` (NaN stays NaN)."""
    return np.maximum(x, 1.0, out=np.empty(shape) if out is None else out)


def _creatinine_used(cr: FloatArray, dial: Flag, cap: float, shape: tuple[int, ...]) -> FloatArray:
    """Creatinine clipped to [1, ``cap``], set to ``cap`` with dialysis; NaN where the value
    or the dialysis flag is missing."""
    out = _clipped(cr, 1.0, cap, shape)
    if np.any(dial.yes):  # byte masks: no second float buffer
        lift = dial.yes & np.greater_equal(out, 0.0)  # not where creatinine is missing
        np.copyto(out, cap, where=lift)
    if dial.missing is not None:
        np.copyto(out, np.nan, where=dial.missing)
    return out


class _Core(NamedTuple):
    """10 x raw MELD, a spare buffer of the same shape, and (with detail) the bilirubin and
    INR after the lower bound of 1."""

    ten_raw: FloatArray
    spare: FloatArray
    bilirubin_used: FloatArray | None
    inr_used: FloatArray | None


def _meld_core(bili: FloatArray, inr_a: FloatArray, cr_used: FloatArray, detail: bool) -> _Core:
    """10 x (0.957 ln Cr + 0.378 ln bili + 1.120 ln INR + 0.643) with the labs floored at 1,
    in two buffers; without ``detail`` ``cr_used`` becomes the result (the same operations in
    the same order either way: bit-identical)."""
    shape = cr_used.shape
    b: FloatArray | None
    i: FloatArray | None
    if detail:
        b, i = _at_least_1(bili, shape), _at_least_1(inr_a, shape)
        ten_raw, term = np.log(cr_used, out=np.empty(shape)), np.log(b, out=np.empty(shape))
    else:
        b = i = None
        ten_raw = np.log(cr_used, out=cr_used)
        term = _at_least_1(bili, shape)
        np.log(term, out=term)
    ten_raw *= 0.957
    term *= 0.378
    ten_raw += term
    np.log(i if i is not None else _at_least_1(inr_a, shape, out=term), out=term)
    term *= 1.120
    ten_raw += term
    ten_raw += 0.643
    ten_raw *= 10.0
    return _Core(ten_raw, term, b, i)


def meld(
    *, bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike,
    dialysis: ArrayLike = False, detail: bool = True,
) -> MeldResult:
    """MELD as allocated by OPTN 2016-2023 without sodium (:data:`SOURCES` ``["meld"]``).

    ``value`` = min(MELD(i), 40) where MELD(i) = 10 x round_half_up(raw, 1) (integer 6-40 for
    valid input); ``unrounded`` = 10 x raw. Bilirubin, INR, creatinine < 1.0 are set to 1.0;
    creatinine > 4.0 mg/dL, or any creatinine with ``dialysis`` (>= 2 dialyses or 24 h CVVHD
    in the past week), is set to 4.0. Any NaN input gives NaN. ``detail=False``: only
    ``value`` (the other fields None).
    """
    bili, inr_a, cr, dial = _meld_labs(bilirubin_mg_dl, inr, creatinine_mg_dl, dialysis)
    shape = _shape(bili, inr_a, cr, dial.yes, dial.missing)
    c = _creatinine_used(cr, dial, 4.0, shape)
    core = _meld_core(bili, inr_a, c, detail)
    meld_i = round_half_up(core.ten_raw, overwrite=not detail)
    if not detail:
        return MeldResult(value=np.minimum(meld_i, 40.0, out=meld_i))
    return MeldResult(value=np.minimum(meld_i, 40.0, out=np.empty(shape)), unrounded=core.ten_raw,
                      bilirubin_used=core.bilirubin_used, inr_used=core.inr_used,
                      creatinine_used=c, meld_i=meld_i)


def meld_na(
    *, bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike,
    sodium_mmol_l: ArrayLike, dialysis: ArrayLike = False, detail: bool = True,
) -> MeldResult:
    """MELD-Na as allocated by OPTN January 2016 - July 2023 (:data:`SOURCES` ``["meld_na"]``).

    MELD(i) is the *rounded* MELD of :func:`meld` (as the OPTN calculator does, before its
    cap). If MELD(i) > 11: ``unrounded`` = MELD(i) + 1.32 (137 - Na) - 0.033 MELD(i)
    (137 - Na) with Na clamped to 125-137 mmol/L, and ``value`` = min(round_half_up, 40).
    Otherwise ``value`` = MELD(i) and ``unrounded`` = 10 x raw MELD. (Capping MELD(i) at 40
    first would not change any value: the formula is >= 40 for every MELD(i) >= 40.)
    Any NaN input (sodium included, even when MELD(i) <= 11) gives NaN. ``detail=False``:
    only ``value``.
    """
    bili, inr_a, cr, dial = _meld_labs(bilirubin_mg_dl, inr, creatinine_mg_dl, dialysis)
    na = as_float("sodium_mmol_l", sodium_mmol_l, unit="mmol/L", strictly_positive=True)
    shape = _shape(bili, inr_a, cr, dial.yes, dial.missing, na)
    c = _creatinine_used(cr, dial, 4.0, shape)
    na_used = _clipped(na, 125.0, 137.0, shape)
    core = _meld_core(bili, inr_a, c, detail)
    meld_i = round_half_up(core.ten_raw, overwrite=not detail)
    d = np.subtract(137.0, na_used, out=np.empty(shape) if detail else na_used)
    # formula = meld_i + 1.32 d - 0.033 meld_i d, left to right, in d's and the spare buffer
    term = np.multiply(meld_i, 0.033, out=core.spare)
    term *= d
    formula = np.multiply(d, 1.32, out=d)
    formula += meld_i
    formula -= term
    applies = np.greater(meld_i, 11.0, out=np.empty(shape, dtype=bool))
    # branch-free select of integers (exact in float): meld_i + applies * (rounded - meld_i)
    value = round_half_up(formula, overwrite=not detail)
    value -= meld_i
    value *= applies
    value += meld_i
    np.minimum(value, 40.0, out=value)
    if not detail:
        return MeldResult(value=value)
    unrounded = np.multiply(na_used, 0.0, out=term)  # NaN where sodium is missing
    unrounded += core.ten_raw
    np.copyto(unrounded, formula, where=applies)
    return MeldResult(value=value, unrounded=unrounded, bilirubin_used=core.bilirubin_used,
                      inr_used=core.inr_used, creatinine_used=c, meld_i=meld_i,
                      sodium_used=na_used)


def meld_3(
    *, bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike,
    sodium_mmol_l: ArrayLike, albumin_g_dl: ArrayLike, female: ArrayLike,
    dialysis: ArrayLike = False, optn_rules: bool = True, registered_before_18: ArrayLike = False,
    detail: bool = True,
) -> MeldResult:
    """MELD 3.0 (Kim 2021; :data:`SOURCES` ``["meld_3"]``).

    ``unrounded`` = 1.33 female + 4.56 ln B + 0.82 (137 - Na) - 0.24 (137 - Na) ln B +
    9.09 ln INR + 11.14 ln Cr + 1.85 (3.5 - Alb) - 1.83 (3.5 - Alb) ln Cr + 6 with B, INR,
    Cr < 1 set to 1, Cr > 3.0 (or ``dialysis``) set to 3.0, Na clamped to 125-137 mmol/L and
    albumin to 1.5-3.5 g/dL. ``value`` = round_half_up(unrounded).

    ``optn_rules=True`` (default, OPTN policy since July 2023): ``value`` is clipped to 6-40 and
    rows with ``registered_before_18`` get the 1.33 points whatever their sex (their constant
    is 7.33 = 1.33 + 6, with no sex term). With
    ``optn_rules=False`` (the paper: no cap) ``registered_before_18`` must be all False.
    ``detail=False``: only ``value``.

    Monotonicity (what truly holds, tested): non-decreasing in bilirubin, INR and creatinine
    everywhere; lower sodium raises the score only while bilirubin <= exp(0.82/0.24) =
    30.5 mg/dL (above it the interaction term reverses the sign); lower albumin raises it only
    while creatinine <= exp(1.85/1.83) = 2.75 mg/dL.
    """
    bili, inr_a, cr, dial = _meld_labs(bilirubin_mg_dl, inr, creatinine_mg_dl, dialysis)
    na = as_float("sodium_mmol_l", sodium_mmol_l, unit="mmol/L", strictly_positive=True)
    alb = as_float("albumin_g_dl", albumin_g_dl, unit="g/dL")
    fem = as_flag("female", female, meaning="1 = female, 0 = male")
    young = as_flag("registered_before_18", registered_before_18, meaning=_NO_YES)
    if not optn_rules and np.any(young.yes):
        raise ScoreInputError(
            "registered_before_18: the 7.33-point rule is an OPTN rule; pass optn_rules=True "
            "or leave registered_before_18 False"
        )
    shape = _shape(bili, inr_a, cr, dial.yes, dial.missing, na, alb, fem.yes, fem.missing,
                   young.yes, young.missing)
    c = _creatinine_used(cr, dial, 3.0, shape)
    na_used = _clipped(na, 125.0, 137.0, shape)
    alb_used = _clipped(alb, 1.5, 3.5, shape)
    # the 1.33 points: female, or (OPTN) registered before 18 whatever the sex; missing where
    # the sex is missing (unless registered before 18) or, under OPTN rules, that flag is
    with_133, missing = fem.yes, fem.missing
    if optn_rules:
        if np.any(young.yes):
            with_133 = with_133 | young.yes
            missing = None if missing is None else missing & ~young.yes
        if young.missing is not None:
            missing = young.missing if missing is None else missing | young.missing
    b: FloatArray | None
    i: FloatArray | None
    if detail:
        b, i = _at_least_1(bili, shape), _at_least_1(inr_a, shape)
        lb, lc = np.log(b, out=np.empty(shape)), np.log(c, out=np.empty(shape))
        d_na = np.subtract(137.0, na_used, out=np.empty(shape))
        d_alb = np.subtract(3.5, alb_used, out=np.empty(shape))
    else:  # the same operations in buffers of this call's own
        b = i = None
        lb = _at_least_1(bili, shape)
        np.log(lb, out=lb)
        lc = np.log(c, out=c)
        d_na = np.subtract(137.0, na_used, out=na_used)
        d_alb = np.subtract(3.5, alb_used, out=alb_used)
    # 4.56 lb + 0.82 d_na - 0.24 d_na lb + 9.09 ln i + 11.14 lc + 1.85 d_alb - 1.83 d_alb lc
    # + (1.33 female + 6), left to right; lb, d_na and d_alb are temporaries, overwritten once
    # read for the last time (the order of the sum moves the value by ulps at most, which the
    # snap of round_half_up absorbs: tested against the decimal reference)
    term = np.multiply(d_na, 0.24, out=np.empty(shape))
    term *= lb
    unrounded = np.multiply(lb, 4.56, out=lb)
    unrounded += np.multiply(d_na, 0.82, out=d_na)
    unrounded -= term
    np.log(i if i is not None else _at_least_1(inr_a, shape, out=term), out=term)
    term *= 9.09
    unrounded += term
    np.multiply(lc, 11.14, out=term)
    unrounded += term
    np.multiply(d_alb, 1.83, out=term)
    term *= lc
    unrounded += np.multiply(d_alb, 1.85, out=d_alb)
    unrounded -= term
    np.multiply(with_133, 1.33, out=term)
    term += 6.0
    unrounded += term
    if missing is not None:
        np.copyto(unrounded, np.nan, where=missing)
    value = round_half_up(unrounded, overwrite=not detail)
    if optn_rules:
        np.clip(value, 6.0, 40.0, out=value)
    if not detail:
        return MeldResult(value=value)
    return MeldResult(value=value, unrounded=unrounded, bilirubin_used=b, inr_used=i,
                      creatinine_used=c, sodium_used=na_used, albumin_used=alb_used)
