"""Clinical scores of liver disease: pure, vectorised numpy functions with cited conventions.

Every function takes keyword-only arrays (scalars broadcast) whose names state the unit,
treats NaN (or None) as missing and returns a frozen result object of arrays
(:mod:`igfcirrhosis.domain.scores_results`). The source and the convention chosen for each
score is in :data:`SOURCES`; the shared rules (missing values, robust edges, half-up
rounding) are in :mod:`igfcirrhosis.domain.scores_common`; the MELD family lives in
:mod:`igfcirrhosis.domain.scores_meld` and the per-row decimal reference implementation in
:mod:`igfcirrhosis.domain.scores_reference` (all re-exported here: import from this module).

Standard conversion factors, for callers holding SI values (convert *before* calling; a table
edge is then applied in the table's own unit): bilirubin 17.1 µmol/L per mg/dL, albumin
10 g/L per g/dL, creatinine 88.4 µmol/L per mg/dL.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from igfcirrhosis.domain.scores_common import (
    Flag,
    FloatArray,
    ScoreInputError,
    as_coded,
    as_flag,
    as_float,
    band_codes,
    full_shape,
    points_banded,
)
from igfcirrhosis.domain.scores_meld import meld, meld_3, meld_na
from igfcirrhosis.domain.scores_reference import reference_row_scores
from igfcirrhosis.domain.scores_results import (
    AlbiResult,
    ChildPughResult,
    IgfCtpResult,
    MayoPbcResult,
    MeldResult,
)

__all__ = [
    "SOURCES",
    "AlbiResult",
    "ChildPughResult",
    "IgfCtpResult",
    "MayoPbcResult",
    "MeldResult",
    "ScoreInputError",
    "albi",
    "albi_grade",
    "child_pugh",
    "igf_ctp",
    "mayo_pbc",
    "meld",
    "meld_3",
    "meld_na",
    "reference_row_scores",
]

SOURCES: Final[dict[str, str]] = {
    "child_pugh": (
        "Pugh RN, Murray-Lyon IM, Dawson JL, Pietroni MC, Williams R. Transection of the "
        "oesophagus for bleeding oesophageal varices. Br J Surg 1973;60:646-9. Table as printed "
        "in Kaseb AO et al. J Natl Cancer Inst 2014;106:dju088, Table 1 (and MDCalc): bilirubin "
        "<2 / 2-3 / >3 mg/dL (primary biliary cirrhosis <4 / 4-10 / >10), albumin >3.5 / "
        "2.8-3.5 / <2.8 g/dL, PT prolongation <4 / 4-6 / >6 s; INR <1.7 / 1.7-2.3 / >2.3 as "
        "in Cleve Clin J Med (ccjm.org, 'Child-Pugh classification', Table 1) and MDCalc; the "
        "middle band is closed, so "
        "exactly 2.0, 3.0, 2.8, 3.5, 1.7, 2.3, 4, 6, 4 (cholestatic) and 10 (cholestatic) score "
        "2 points. Class A 5-6, B 7-9, C 10-15."
    ),
    "meld": (
        "OPTN Policy 9.1 (2016-2023) MELD; Kamath PS et al. Hepatology 2001;33:464-70 and "
        "Wiesner R et al. Gastroenterology 2003;124:91-6: MELD(i) = 0.957 ln Cr + 0.378 ln bili "
        "+ 1.120 ln INR + 0.643, rounded half up to the tenth, times 10; labs < 1.0 set to 1.0; "
        "creatinine capped at 4.0 mg/dL and set to 4.0 with >=2 dialyses or 24 h CVVHD in the "
        "past week; range 6-40. No etiology term (that is the Malinchoc 2000 model)."
    ),
    "meld_na": (
        "OPTN Policy 9.1 (January 2016 - July 2023) MELD-Na, the re-estimation by OPTN/UNOS of "
        "the model of Kim WR et al. N Engl J Med 2008;359:1018-26: if MELD(i) > 11 (the "
        "rounded MELD(i)), MELD = MELD(i) + 1.32 (137 - Na) - 0.033 MELD(i) (137 - Na), Na "
        "clamped to 125-137 mmol/L, rounded half up, max 40; otherwise MELD = MELD(i). Not the "
        "original Kim 2008 equation (MELD - Na - 0.025 MELD (140 - Na) + 140) and not Biggins "
        "et al. Hepatology 2005/2006 MELDNa (MELD + 1.59 (135 - Na))."
    ),
    "meld_3": (
        "Kim WR, Mannalithara A, Heimbach JK et al. MELD 3.0: the Model for End-Stage Liver "
        "Disease updated for the modern era. Gastroenterology 2021;161:1887-95: 1.33 female + "
        "4.56 ln bili + 0.82 (137 - Na) - 0.24 (137 - Na) ln bili + 9.09 ln INR + 11.14 ln Cr + "
        "1.85 (3.5 - alb) - 1.83 (3.5 - alb) ln Cr + 6; labs < 1 set to 1; Cr max 3.0 (3.0 with "
        "dialysis); Na 125-137 mmol/L; albumin 1.5-3.5 g/dL; rounded half up. OPTN rules "
        "(Policy 9.1, July 2023; optional): range 6-40; candidates registered before 18 get "
        "the 1.33 points whatever their sex, i.e. a constant 7.33 = 1.33 + 6 with no sex term "
        "(CLINICAL-NOTES; openEHR/CDS MELD_3_0 archetype v3.1: '1.33 points for candidates who "
        "are female (and for youth, 12-17 yo, of both genders)')."
    ),
    "albi": (
        "Johnson PJ, Berhane S, Kagebayashi C et al. Assessment of liver function in patients "
        "with hepatocellular carcinoma: a new evidence-based approach - the ALBI grade. J Clin "
        "Oncol 2015;33:550-8: ALBI = 0.66 log10(bilirubin umol/L) - 0.085 albumin g/L (many "
        "tools use -0.0852: a parameter); grade 1 <= -2.60 < grade 2 <= -1.39 < grade 3."
    ),
    "igf_ctp": (
        "Kaseb AO, Xiao L, Hassan MM et al. Development and validation of insulin-like growth "
        "factor-1 score to assess hepatic reserve in hepatocellular carcinoma. J Natl Cancer "
        "Inst 2014;106:dju088, Table 1: IGF-1 >50 / 26-50 / <26 ng/mL = 1 / 2 / 3 points "
        "replace ascites and encephalopathy; bilirubin, albumin and PT prolongation as in "
        "Child-Pugh (closed middle bands); classes A 4-5, B 6-7, C >7."
    ),
    "mayo_pbc": (
        "Dickson ER, Grambsch PM, Fleming TR, Fisher LD, Langworthy A. Prognosis in primary "
        "biliary cirrhosis: model for decision making. Hepatology 1989;10:1-7: R = 0.871 "
        "ln(bilirubin mg/dL) - 2.53 ln(albumin g/dL) + 0.039 age (years) + 2.38 ln(prothrombin "
        "time s) + 0.859 edema (0 / 0.5 / 1). Unrounded."
    ),
}

# Child-Pugh / IGF-CTP table edges (Kaseb 2014 Table 1; MDCalc for INR). Middle band closed.
_BILI_EDGES: Final = (2.0, 3.0)  # mg/dL
_BILI_EDGES_CHOLESTATIC: Final = (4.0, 10.0)  # mg/dL, primary biliary cirrhosis / PSC
_ALBUMIN_EDGES: Final = (3.5, 2.8)  # g/dL, (upper, lower): lower is worse
_INR_EDGES: Final = (1.7, 2.3)
_PT_EDGES: Final = (4.0, 6.0)  # seconds of prolongation over control
_IGF1_EDGES: Final = (50.0, 26.0)  # ng/mL, (upper, lower): lower is worse (Kaseb 2014)
# ALBI grade edges (Johnson 2015): grade 1 <= -2.60 < grade 2 <= -1.39 < grade 3.
_ALBI_EDGES: Final = (-2.60, -1.39)

_NO_YES = "0 = no, 1 = yes"


class _Points(NamedTuple):
    """One table component: points as int8 1/2/3 (1 where missing) and where it is missing,
    each of the component's own (broadcastable) shape."""

    codes: NDArray[np.int8]
    missing: NDArray[np.bool_]

    def as_float(self, shape: tuple[int, ...]) -> FloatArray:
        """The points as float64 of ``shape``, NaN where missing."""
        pts = np.array(np.broadcast_to(self.codes, shape), dtype=np.float64)
        np.copyto(pts, np.nan, where=self.missing)
        return pts


def _banded(x: FloatArray, edges: tuple[float, float], lower_worse: bool) -> _Points:
    """Table points of ``x`` with the middle band closed (:func:`band_codes`)."""
    first, second = edges
    if lower_worse:  # 1 point above ``first``, 3 below ``second``
        codes = band_codes(x, first, True, second, False, lower_worse=True)
    else:  # 1 point below ``first``, 3 above ``second``
        codes = band_codes(x, first, False, second, True, lower_worse=False)
    return _Points(np.asarray(codes, dtype=np.int8), np.isnan(x))


def _bilirubin_points(bili_mg_dl: FloatArray, cholestatic: Flag) -> _Points:
    """Bilirubin points; the cholestatic edges where the flag is 1; missing where the value
    or the flag is missing."""
    pts = _banded(bili_mg_dl, _BILI_EDGES, lower_worse=False)
    codes, missing = pts
    if np.any(cholestatic.yes):
        codes = np.where(cholestatic.yes,
                         _banded(bili_mg_dl, _BILI_EDGES_CHOLESTATIC, lower_worse=False).codes,
                         codes)
    if cholestatic.missing is not None:
        missing = missing | cholestatic.missing
    return _Points(np.asarray(codes, dtype=np.int8), missing)


def _coagulation_points(inr: FloatArray | None, pt_prolongation_s: FloatArray | None) -> _Points:
    """INR points where the INR is given, else PT-prolongation points (Child-Pugh)."""
    if inr is None:
        assert pt_prolongation_s is not None
        return _banded(pt_prolongation_s, _PT_EDGES, lower_worse=False)
    pts = _banded(inr, _INR_EDGES, lower_worse=False)
    if pt_prolongation_s is None or not pts.missing.any():
        return pts
    by_pt = _banded(pt_prolongation_s, _PT_EDGES, lower_worse=False)
    return _Points(np.asarray(np.where(pts.missing, by_pt.codes, pts.codes), dtype=np.int8),
                   pts.missing & by_pt.missing)


def _total(parts: list[_Points], shape: tuple[int, ...],
           plus: tuple[FloatArray, FloatArray] | None = None) -> FloatArray:
    """The parts' points summed (and the two float point arrays ``plus``, NaN for missing) in
    one float64 array of ``shape``, NaN where any part is missing. Integers: exact in any
    order."""
    codes = parts[0].codes
    for p in parts[1:]:
        codes = codes + p.codes  # int8, 1 byte a row
    total = np.empty(shape, dtype=np.float64)
    if plus is None:
        np.copyto(total, codes)
    else:
        np.add(*plus, out=total)
        total += codes
    for p in parts:
        np.copyto(total, np.nan, where=p.missing)
    return total


def _class_codes(points: FloatArray, b_from: float, c_from: float) -> NDArray[np.int8]:
    """0 where missing, 1 (A) below ``b_from``, 2 (B), 3 (C) from ``c_from`` (branch-free)."""
    codes = np.greater_equal(points, b_from).view(np.int8)  # bools as 0/1 bytes, no casts
    codes += np.greater_equal(points, c_from).view(np.int8)
    codes += 1
    codes *= np.logical_not(np.isnan(points)).view(np.int8)
    return np.asarray(codes, dtype=np.int8)


def child_pugh(
    *,
    bilirubin_mg_dl: ArrayLike,
    albumin_g_dl: ArrayLike,
    ascites_points: ArrayLike,
    encephalopathy_points: ArrayLike,
    inr: ArrayLike | None = None,
    pt_prolongation_s: ArrayLike | None = None,
    cholestatic: ArrayLike = False,
    detail: bool = True,
) -> ChildPughResult:
    """Child-Pugh score and class (:data:`SOURCES` ``["child_pugh"]``).

    Table (Kaseb 2014 Table 1; INR row: Cleve Clin J Med, MDCalc), middle band closed:

    ============================  =======  ==========  =======
    component                     1 point  2 points    3 points
    ============================  =======  ==========  =======
    bilirubin, mg/dL              < 2      2 - 3       > 3
    bilirubin (cholestatic)       < 4      4 - 10      > 10
    albumin, g/dL                 > 3.5    2.8 - 3.5   < 2.8
    INR                           < 1.7    1.7 - 2.3   > 2.3
    PT prolongation, s            < 4      4 - 6       > 6
    ============================  =======  ==========  =======

    So exactly 2.0 and 3.0 mg/dL, 2.8 and 3.5 g/dL, INR 1.7 and 2.3, 4 and 6 s score 2.
    Other printed tables differ (not implemented): albumin 3.0-3.5 g/dL / 30-35 g/L for
    2 points (e.g. PMC3017746 Table 1), INR 2.0-3.0 (World J Gastroenterol 2005;11:6571). SI
    input must be converted first (17.1 µmol/L per mg/dL, 10 g/L per g/dL): the bilirubin
    edges are then 34.2 and 51.3 µmol/L and the albumin edges 28 and 35 g/L. Tables printed
    in SI with 34/51 (or 34/50) µmol/L differ slightly: here 34 µmol/L (1.99 mg/dL) scores 1
    and 51.2 µmol/L (2.99 mg/dL) scores 2.

    ``ascites_points`` (none / mild / moderate-severe) and ``encephalopathy_points`` (none /
    grade 1-2 / grade 3-4) are already points 1/2/3; missing is NaN, never "none". The
    coagulation points come from ``inr`` where it is given (non-NaN), else from
    ``pt_prolongation_s``. ``cholestatic`` (bool or 0/1 array; PBC, PSC) selects the
    cholestatic bilirubin edges. Class A 5-6, B 7-9, C 10-15.
    """
    bili = as_float("bilirubin_mg_dl", bilirubin_mg_dl, unit="mg/dL")
    alb = as_float("albumin_g_dl", albumin_g_dl, unit="g/dL")
    asc = as_coded("ascites_points", ascites_points, allowed=(1, 2, 3),
                   meaning="1 none, 2 mild, 3 moderate-severe")
    enc = as_coded("encephalopathy_points", encephalopathy_points, allowed=(1, 2, 3),
                   meaning="1 none, 2 grade 1-2, 3 grade 3-4")
    inr_a = None if inr is None else as_float("inr", inr, unit="(ratio)")
    pt_a = (None if pt_prolongation_s is None
            else as_float("pt_prolongation_s", pt_prolongation_s, unit="s"))
    if inr_a is None and pt_a is None:
        inr_a = np.asarray(np.nan)  # neither given: the coagulation points are missing
    chol = as_flag("cholestatic", cholestatic, meaning=_NO_YES)
    shape = np.broadcast_shapes(*(a.shape for a in (bili, alb, asc, enc, inr_a, pt_a, chol.yes,
                                                    chol.missing) if a is not None))

    p_bili = _bilirubin_points(bili, chol)
    p_alb = _banded(alb, _ALBUMIN_EDGES, lower_worse=True)
    p_coag = _coagulation_points(inr_a, pt_a)
    total = _total([p_bili, p_alb, p_coag], shape, plus=(asc, enc))
    codes = _class_codes(total, 7.0, 10.0)
    if not detail:
        return ChildPughResult(points=total, grade_code=codes)
    return ChildPughResult(
        points_bilirubin=p_bili.as_float(shape),
        points_albumin=p_alb.as_float(shape),
        points_coagulation=p_coag.as_float(shape),
        points_ascites=full_shape(asc, shape, copy=True),  # never alias the caller's array
        points_encephalopathy=full_shape(enc, shape, copy=True),
        points=total,
        grade_code=codes,
    )


def albi_grade(value: ArrayLike) -> FloatArray:
    """ALBI grade from the ALBI score (Johnson 2015): 1 if <= -2.60, 2 if <= -1.39, else 3;
    NaN if missing. Edges compared after snapping (exactly -2.60 is grade 1)."""
    # grade 1 + [snap(s) > -2.60] + [snap(s) > -1.39] (thresholds, no snapped copy)
    return points_banded(np.asarray(value, dtype=np.float64), _ALBI_EDGES[0], True, _ALBI_EDGES[1],
                   True, lower_worse=False)


def albi(
    *, bilirubin_umol_l: ArrayLike, albumin_g_l: ArrayLike, albumin_coefficient: float = -0.085,
) -> AlbiResult:
    """ALBI score and grade (Johnson 2015; :data:`SOURCES` ``["albi"]``), SI units.

    ALBI = 0.66 log10(bilirubin µmol/L) + ``albumin_coefficient`` x albumin g/L, unrounded.
    The paper prints -0.085; many calculators use -0.0852 (the unrounded coefficient).
    Bilirubin must be > 0 µmol/L. Grade: :func:`albi_grade`.
    """
    coef = float(albumin_coefficient)
    if not -0.1 < coef < -0.07:
        raise ScoreInputError(
            f"albumin_coefficient = {albumin_coefficient!r}: expected about -0.085 (Johnson 2015) "
            "or -0.0852 (per g/L)"
        )
    bili = as_float("bilirubin_umol_l", bilirubin_umol_l, unit="umol/L", strictly_positive=True)
    alb = as_float("albumin_g_l", albumin_g_l, unit="g/L")
    shape = np.broadcast_shapes(bili.shape, alb.shape)
    # 0.66 log10(bili) + coef alb in two buffers; the grade goes into the second
    value, term = np.empty(shape), np.empty(shape)
    np.log10(bili, out=value)
    value *= 0.66
    np.multiply(coef, alb, out=term)
    value += term
    np.copyto(term, band_codes(value, _ALBI_EDGES[0], True, _ALBI_EDGES[1], True,
                               lower_worse=False))
    np.copyto(term, np.nan, where=np.isnan(value))
    return AlbiResult(value=value, grade=term)


def igf_ctp(
    *, igf1_ng_ml: ArrayLike, bilirubin_mg_dl: ArrayLike, albumin_g_dl: ArrayLike,
    pt_prolongation_s: ArrayLike, cholestatic: ArrayLike = False, detail: bool = True,
) -> IgfCtpResult:
    """IGF-CTP (Kaseb-Morris) score (Kaseb 2014 Table 1; :data:`SOURCES` ``["igf_ctp"]``).

    IGF-1 > 50 ng/mL = 1, 26-50 = 2, < 26 = 3 points (closed middle band: exactly 26 and 50
    score 2; 25.5 scores 3). Bilirubin (cholestatic edges with ``cholestatic``), albumin and
    PT prolongation score as in :func:`child_pugh`. Total 4-12; class A 4-5, B 6-7, C 8-12.
    ``detail=False``: only ``points`` and the class (component fields None).
    """
    igf = as_float("igf1_ng_ml", igf1_ng_ml, unit="ng/mL")
    bili = as_float("bilirubin_mg_dl", bilirubin_mg_dl, unit="mg/dL")
    alb = as_float("albumin_g_dl", albumin_g_dl, unit="g/dL")
    pt = as_float("pt_prolongation_s", pt_prolongation_s, unit="s")
    chol = as_flag("cholestatic", cholestatic, meaning=_NO_YES)
    shape = np.broadcast_shapes(*(a.shape for a in (igf, bili, alb, pt, chol.yes, chol.missing)
                                  if a is not None))

    parts = [_banded(igf, _IGF1_EDGES, lower_worse=True), _bilirubin_points(bili, chol),
             _banded(alb, _ALBUMIN_EDGES, lower_worse=True),
             _banded(pt, _PT_EDGES, lower_worse=False)]
    total = _total(parts, shape)
    codes = _class_codes(total, 6.0, 8.0)
    if not detail:
        return IgfCtpResult(points=total, grade_code=codes)
    p_igf, p_bili, p_alb, p_pt = (p.as_float(shape) for p in parts)
    return IgfCtpResult(points_igf1=p_igf, points_bilirubin=p_bili, points_albumin=p_alb,
                        points_pt=p_pt, points=total, grade_code=codes)


def mayo_pbc(
    *, bilirubin_mg_dl: ArrayLike, albumin_g_dl: ArrayLike, age_years: ArrayLike,
    prothrombin_time_s: ArrayLike, edema: ArrayLike,
) -> MayoPbcResult:
    """Mayo PBC risk score R (Dickson 1989; :data:`SOURCES` ``["mayo_pbc"]``), unrounded.

    R = 0.871 ln(bilirubin mg/dL) - 2.53 ln(albumin g/dL) + 0.039 age + 2.38 ln(PT s) +
    0.859 edema, with ``prothrombin_time_s`` the absolute PT (not the prolongation) and
    ``edema`` coded 0 (none), 0.5 (untreated or responsive to diuretics), 1 (despite
    diuretics). Bilirubin, albumin and PT must be > 0.
    """
    bili = as_float("bilirubin_mg_dl", bilirubin_mg_dl, unit="mg/dL", strictly_positive=True)
    alb = as_float("albumin_g_dl", albumin_g_dl, unit="g/dL", strictly_positive=True)
    age = as_float("age_years", age_years, unit="years")
    pt = as_float("prothrombin_time_s", prothrombin_time_s, unit="s", strictly_positive=True)
    edm = as_coded("edema", edema, allowed=(0.0, 0.5, 1.0),
                   meaning="0 none, 0.5 untreated or diuretic-responsive, 1 despite diuretics")
    shape = np.broadcast_shapes(bili.shape, alb.shape, age.shape, pt.shape, edm.shape)
    # 0.871 ln(bili) - 2.53 ln(alb) + 0.039 age + 2.38 ln(pt) + 0.859 edema, left to right,
    # in two buffers
    value, term = np.empty(shape), np.empty(shape)
    np.log(bili, out=value)
    value *= 0.871
    np.log(alb, out=term)
    term *= 2.53
    value -= term
    np.multiply(age, 0.039, out=term)
    value += term
    np.log(pt, out=term)
    term *= 2.38
    value += term
    np.multiply(edm, 0.859, out=term)
    value += term
    return MayoPbcResult(value=value)
