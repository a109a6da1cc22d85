"""The MELD family: MELD and MELD-Na as allocated by OPTN 2016-2023, and MELD 3.0 (Kim 2021).

Public through :mod:`igfcirrhosis.domain.scores` (sources and conventions in its ``SOURCES``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from igfcirrhosis.domain.scores_common import (
    FloatArray,
    ScoreInputError,
    as_coded,
    as_float,
    full_shape,
    round_half_up,
)
from igfcirrhosis.domain.scores_results import MeldResult

_NO_YES = "0 = no, 1 = yes"


def _meld_labs(
    bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike, dialysis: ArrayLike,
    creatinine_max: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Bilirubin, INR, creatinine after the MELD bounds: < 1 -> 1, creatinine <= ``creatinine_max``
    and = ``creatinine_max`` with dialysis; NaN where the value or the dialysis flag is NaN."""
    bili = as_float("bilirubin_mg_dl", bilirubin_mg_dl, unit="mg/dL")
    inr_a = as_float("inr", inr, unit="(ratio)")
    cr = as_float("creatinine_mg_dl", creatinine_mg_dl, unit="mg/dL")
    dial = as_coded("dialysis", dialysis, allowed=(0, 1),
                    meaning="1 = >=2 dialyses or 24 h CVVHD in the past week")
    # dialysis (1) lifts creatinine to the cap; NaN in either propagates (np.maximum)
    cr_used = np.clip(cr, 1.0, creatinine_max)
    if dial.shape == cr_used.shape and cr_used.ndim:
        np.maximum(cr_used, dial * creatinine_max, out=cr_used)  # in place: one buffer less
    elif dial.ndim or dial != 0.0:
        cr_used = np.maximum(cr_used, dial * creatinine_max)
    return np.maximum(bili, 1.0), np.maximum(inr_a, 1.0), cr_used


def _meld_core(b: FloatArray, i: FloatArray, c: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(10 x raw MELD, MELD(i)) with MELD(i) = round-half-up of raw to the tenth, x 10 (OPTN)."""
    # 10 x (0.957 ln c + 0.378 ln b + 1.120 ln i + 0.643): the same operations in the same
    # order, in two buffers (bit-identical to the one-line expression)
    ten_raw = np.asarray(np.log(c))
    ten_raw *= 0.957
    term = np.asarray(np.log(b))
    term *= 0.378
    ten_raw += term
    np.log(i, out=term)
    term *= 1.120
    ten_raw += term
    ten_raw += 0.643
    ten_raw *= 10.0
    return ten_raw, round_half_up(ten_raw)


def meld(
    *, bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike,
    dialysis: ArrayLike = False,
) -> MeldResult:
    """MELD as allocated by OPTN 2016-2023 without sodium (:data:`SOURCES` ``["meld"]``).

    ``value`` = min(MELD(i), 40) where MELD(i) = 10 x round_half_up(raw, 1) (integer 6-40 for
    valid input); ``unrounded`` = 10 x raw. Bilirubin, INR, creatinine < 1.0 are set to 1.0;
    creatinine > 4.0 mg/dL, or any creatinine with ``dialysis`` (>= 2 dialyses or 24 h CVVHD
    in the past week), is set to 4.0. Any NaN input gives NaN.
    """
    b, i, c = _meld_labs(bilirubin_mg_dl, inr, creatinine_mg_dl, dialysis, 4.0)
    shape = np.broadcast_shapes(b.shape, i.shape, c.shape)
    b, i, c = (full_shape(a, shape) for a in (b, i, c))
    ten_raw, meld_i = _meld_core(b, i, c)
    return MeldResult(value=np.minimum(meld_i, 40.0), unrounded=ten_raw, bilirubin_used=b,
                      inr_used=i, creatinine_used=c, meld_i=meld_i)


def meld_na(
    *, bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike,
    sodium_mmol_l: ArrayLike, dialysis: ArrayLike = False,
) -> MeldResult:
    """MELD-Na as allocated by OPTN January 2016 - July 2023 (:data:`SOURCES` ``["meld_na"]``).

    MELD(i) is the *rounded* MELD of :func:`meld` (as the OPTN calculator does, before its
    cap). If MELD(i) > 11: ``unrounded`` = MELD(i) + 1.32 (137 - Na) - 0.033 MELD(i)
    (137 - Na) with Na clamped to 125-137 mmol/L, and ``value`` = min(round_half_up, 40).
    Otherwise ``value`` = MELD(i) and ``unrounded`` = 10 x raw MELD. (Capping MELD(i) at 40
    first would not change any value: the formula is >= 40 for every MELD(i) >= 40.)
    Any NaN input (sodium included, even when MELD(i) <= 11) gives NaN.
    """
    b, i, c = _meld_labs(bilirubin_mg_dl, inr, creatinine_mg_dl, dialysis, 4.0)
    na = as_float("sodium_mmol_l", sodium_mmol_l, unit="mmol/L", strictly_positive=True)
    shape = np.broadcast_shapes(b.shape, i.shape, c.shape, na.shape)
    b, i, c, na = (full_shape(a, shape) for a in (b, i, c, na))
    na_used = np.clip(na, 125.0, 137.0)
    ten_raw, meld_i = _meld_core(b, i, c)
    d = np.asarray(np.subtract(137.0, na_used))
    # formula = meld_i + 1.32 d - 0.033 meld_i d, left to right, in two buffers
    formula = np.asarray(np.multiply(d, 1.32))
    formula += meld_i
    term = np.asarray(np.multiply(meld_i, 0.033))
    term *= d
    formula -= term
    applies = meld_i > 11.0
    # branch-free select of integers (exact in float): meld_i + applies * (rounded - meld_i)
    value = round_half_up(formula)
    value -= meld_i
    value *= applies
    value += meld_i
    np.minimum(value, 40.0, out=value)
    unrounded = np.multiply(na_used, 0.0, out=d)  # NaN where sodium is missing
    unrounded += ten_raw
    np.copyto(unrounded, formula, where=applies)
    return MeldResult(value=value, unrounded=unrounded, bilirubin_used=b, inr_used=i,
                      creatinine_used=c, meld_i=meld_i, sodium_used=na_used)


def meld_3(
    *, bilirubin_mg_dl: ArrayLike, inr: ArrayLike, creatinine_mg_dl: ArrayLike,
    sodium_mmol_l: ArrayLike, albumin_g_dl: ArrayLike, female: ArrayLike,
    dialysis: ArrayLike = False, optn_rules: bool = True, registered_before_18: ArrayLike = False,
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

    Monotonicity (what truly holds, tested): non-decreasing in bilirubin, INR and creatinine
    everywhere; lower sodium raises the score only while bilirubin <= exp(0.82/0.24) =
    30.5 mg/dL (above it the interaction term reverses the sign); lower albumin raises it only
    while creatinine <= exp(1.85/1.83) = 2.75 mg/dL.
    """
    b, i, c = _meld_labs(bilirubin_mg_dl, inr, creatinine_mg_dl, dialysis, 3.0)
    na = as_float("sodium_mmol_l", sodium_mmol_l, unit="mmol/L", strictly_positive=True)
    alb = as_float("albumin_g_dl", albumin_g_dl, unit="g/dL")
    fem = as_coded("female", female, allowed=(0, 1), meaning="1 = female, 0 = male")
    young = as_coded("registered_before_18", registered_before_18, allowed=(0, 1), meaning=_NO_YES)
    if not optn_rules and np.any(young == 1):
        raise ScoreInputError(
            "registered_before_18: the 7.33-point rule is an OPTN rule; pass optn_rules=True "
            "or leave registered_before_18 False"
        )
    shape = np.broadcast_shapes(b.shape, i.shape, c.shape, na.shape, alb.shape, fem.shape,
                                young.shape)
    b, i, c, na, alb = (full_shape(a, shape) for a in (b, i, c, na, alb))
    na_used = np.clip(na, 125.0, 137.0)
    alb_used = np.clip(alb, 1.5, 3.5)
    lb, lc = np.log(b), np.log(c)
    d_na, d_alb = np.subtract(137.0, na_used), np.subtract(3.5, alb_used)
    sex_term = 1.33 * fem
    if optn_rules:
        if np.any(young == 1):
            sex_term = np.where(young == 1, 1.33, sex_term)
        if young.ndim or young != 0.0:  # + 0.0 changes nothing (1.33 fem is never -0.0)
            sex_term = sex_term + young * 0.0  # NaN where registered_before_18 is missing
    # sex + 4.56 lb + 0.82 d_na - 0.24 d_na lb + 9.09 ln i + 11.14 lc + 1.85 d_alb
    # - 1.83 d_alb lc + 6, left to right (bit-identical), in two full-size buffers
    unrounded = np.asarray(np.add(np.broadcast_to(sex_term, shape), np.multiply(lb, 4.56)))
    term = np.asarray(np.multiply(d_na, 0.82))
    unrounded += term
    np.multiply(d_na, 0.24, out=term)
    term *= lb
    unrounded -= term
    np.log(i, out=term)
    term *= 9.09
    unrounded += term
    np.multiply(lc, 11.14, out=term)
    unrounded += term
    np.multiply(d_alb, 1.85, out=term)
    unrounded += term
    np.multiply(d_alb, 1.83, out=term)
    term *= lc
    unrounded -= term
    unrounded += 6.0
    unrounded = full_shape(unrounded, shape)
    value = round_half_up(unrounded)
    if optn_rules:
        np.clip(value, 6.0, 40.0, out=value)
    return MeldResult(value=value, unrounded=unrounded, bilirubin_used=b, inr_used=i,
                      creatinine_used=c, sodium_used=na_used, albumin_used=alb_used)
