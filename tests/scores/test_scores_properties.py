"""Property tests (hypothesis, derandomised): the vectorised scores equal the per-row decimal
reference implementation, are monotone in each worsening lab where that truly holds, stay
within their documented range, and turn a missing input into a missing result."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.domain import scores as sc

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def _dec(lo: int, hi: int, places: int) -> st.SearchStrategy[float]:
    """Lab values as a lab reports them: ``places`` decimals between lo and hi (scaled ints)."""
    return st.integers(lo, hi).map(lambda k: k / 10**places)


def _maybe(s: st.SearchStrategy[Any], *edges: float) -> st.SearchStrategy[Any]:
    """Mostly ``s``; often a table edge or its neighbours one step away; sometimes missing."""
    near = st.sampled_from(sorted({round(e + d, 2) for e in edges for d in (-0.01, 0, 0.01)}))
    return st.one_of(s, s, s, s, s, near, near, near, st.none()) if edges else st.one_of(
        s, s, s, s, s, s, s, s, st.none())


ROW = st.fixed_dictionaries(
    {
        "bilirubin_mg_dl": _maybe(_dec(1, 600, 1), 1.0, 2.0, 3.0, 4.0, 10.0),
        "albumin_g_dl": _maybe(_dec(10, 60, 1), 1.5, 2.8, 3.5),
        "inr": _maybe(_dec(80, 500, 2), 1.0, 1.7, 2.3),
        "pt_prolongation_s": _maybe(_dec(0, 150, 1), 4.0, 6.0),
        "creatinine_mg_dl": _maybe(_dec(3, 120, 1), 1.0, 3.0, 4.0),
        "sodium_mmol_l": _maybe(_dec(1100, 1550, 1), 125.0, 137.0),
        "ascites_points": _maybe(st.sampled_from([1, 2, 3])),
        "encephalopathy_points": _maybe(st.sampled_from([1, 2, 3])),
        "cholestatic": st.booleans(),
        "dialysis": st.booleans(),
        "female": st.booleans(),
        "registered_before_18": st.booleans(),
        "igf1_ng_ml": _maybe(_dec(10, 3000, 1), 26.0, 50.0),
        "age_years": _maybe(_dec(18, 90, 0)),
        "prothrombin_time_s": _maybe(_dec(90, 180, 1)),
        "edema": _maybe(st.sampled_from([0.0, 0.5, 1.0])),
    }
)


def _col(rows: list[dict[str, Any]], key: str) -> np.ndarray:
    return np.array([np.nan if r[key] is None else float(r[key]) for r in rows])


def _vectorised(rows: list[dict[str, Any]], coef: float, optn: bool) -> dict[str, np.ndarray]:
    c = {k: _col(rows, k) for k in rows[0]}
    if not optn:
        c["registered_before_18"] = np.zeros(len(rows))
    cp = sc.child_pugh(bilirubin_mg_dl=c["bilirubin_mg_dl"], albumin_g_dl=c["albumin_g_dl"],
                      ascites_points=c["ascites_points"],
                      encephalopathy_points=c["encephalopathy_points"], inr=c["inr"],
                      pt_prolongation_s=c["pt_prolongation_s"], cholestatic=c["cholestatic"])
    labs = dict(bilirubin_mg_dl=c["bilirubin_mg_dl"], inr=c["inr"],
                creatinine_mg_dl=c["creatinine_mg_dl"], dialysis=c["dialysis"])
    m3 = sc.meld_3(**labs, sodium_mmol_l=c["sodium_mmol_l"], albumin_g_dl=c["albumin_g_dl"],
                  female=c["female"], optn_rules=optn,
                  registered_before_18=c["registered_before_18"])
    al = sc.albi(bilirubin_umol_l=c["bilirubin_mg_dl"] * 17.1, albumin_g_l=c["albumin_g_dl"] * 10,
                albumin_coefficient=coef)
    ig = sc.igf_ctp(igf1_ng_ml=c["igf1_ng_ml"], bilirubin_mg_dl=c["bilirubin_mg_dl"],
                   albumin_g_dl=c["albumin_g_dl"], pt_prolongation_s=c["pt_prolongation_s"],
                   cholestatic=c["cholestatic"])
    mp = sc.mayo_pbc(bilirubin_mg_dl=c["bilirubin_mg_dl"], albumin_g_dl=c["albumin_g_dl"],
                    age_years=c["age_years"], prothrombin_time_s=c["prothrombin_time_s"],
                    edema=c["edema"])
    return {
        "child_pugh_points": cp.points, "child_pugh_grade": cp.grade,
        "meld": sc.meld(**labs).value,
        "meld_na": sc.meld_na(**labs, sodium_mmol_l=c["sodium_mmol_l"]).value,
        "meld_3": m3.value, "albi": al.value, "albi_grade": al.grade,
        "igf_ctp_points": ig.points, "igf_ctp_grade": ig.grade, "mayo_pbc": mp.value,
    }


@settings(SETTINGS, max_examples=400)
@given(rows=st.lists(ROW, min_size=5, max_size=40), coef=st.sampled_from([-0.085, -0.0852]),
       optn=st.booleans())
def test_vectorised_equals_per_row_decimal_reference(rows: list[dict[str, Any]], coef: float,
                                                     optn: bool) -> None:
    vec = _vectorised(rows, coef, optn)
    for i, row in enumerate(rows):
        ref_row = dict(row, albumin_coefficient=coef, optn_rules=optn)
        if not optn:
            ref_row["registered_before_18"] = False
        ref = sc.reference_row_scores(ref_row)
        for key, expected in ref.items():
            got = vec[key][i]
            if expected is None:
                assert got is None or (isinstance(got, float) and math.isnan(got)), (key, row)
            elif key in ("albi", "mayo_pbc"):
                assert got == pytest.approx(expected, rel=1e-12, abs=1e-12), (key, row)
            else:
                assert got == expected, (key, row, got, expected)


# ------------------------------------------------------------------ monotonicity
Score = Callable[..., float]


def _cp(**kw: float) -> float:
    return float(sc.child_pugh(ascites_points=2, encephalopathy_points=1, **kw).points)


def _meld(**kw: float) -> float:
    return float(sc.meld(**kw).value)


def _meld_na(**kw: float) -> float:
    return float(sc.meld_na(**kw).value)


def _meld_3_value(**kw: float) -> float:
    return float(sc.meld_3(female=1, optn_rules=False, **kw).value)


def _meld_3_raw(**kw: float) -> float:
    return float(sc.meld_3(female=1, optn_rules=False, **kw).unrounded)


def _albi(**kw: float) -> float:
    return float(sc.albi(**kw).value)


def _albi_grade(**kw: float) -> float:
    return float(sc.albi(**kw).grade)


def _igf(**kw: float) -> float:
    return float(sc.igf_ctp(**kw).points)


def _mayo(**kw: float) -> float:
    return float(sc.mayo_pbc(edema=0.5, **kw).value)


BILI = st.floats(0.1, 60.0)
ALB = st.floats(1.0, 6.0)
INR = st.floats(0.8, 6.0)
CR = st.floats(0.3, 12.0)
NA = st.floats(110.0, 160.0)

# (score, argument that worsens, +1 if worse = higher else -1, strategies for all arguments)
MONOTONE: list[tuple[str, Score, str, int, dict[str, st.SearchStrategy[float]]]] = []
_cp_args = dict(bilirubin_mg_dl=BILI, albumin_g_dl=ALB, inr=INR)
_meld_args = dict(bilirubin_mg_dl=BILI, inr=INR, creatinine_mg_dl=CR)
_meld_na_args = dict(_meld_args, sodium_mmol_l=NA)
_m3_args = dict(_meld_na_args, albumin_g_dl=ALB)
for _name, _f, _args, _dirs in [
    ("child_pugh", _cp, _cp_args, dict(bilirubin_mg_dl=1, albumin_g_dl=-1, inr=1)),
    ("meld", _meld, _meld_args, dict(bilirubin_mg_dl=1, inr=1, creatinine_mg_dl=1)),
    ("meld_na", _meld_na, _meld_na_args,
     dict(bilirubin_mg_dl=1, inr=1, creatinine_mg_dl=1, sodium_mmol_l=-1)),
    ("meld_3", _meld_3_value, _m3_args, dict(bilirubin_mg_dl=1, inr=1, creatinine_mg_dl=1)),
    ("meld_3_raw", _meld_3_raw, _m3_args, dict(bilirubin_mg_dl=1, inr=1, creatinine_mg_dl=1)),
    # sodium only while bilirubin <= exp(0.82/0.24) = 30.47 mg/dL (interaction term)
    ("meld_3_na", _meld_3_raw, dict(_m3_args, bilirubin_mg_dl=st.floats(0.1, 30.4)),
     dict(sodium_mmol_l=-1)),
    # albumin only while creatinine <= exp(1.85/1.83) = 2.748 mg/dL (interaction term)
    ("meld_3_alb", _meld_3_raw, dict(_m3_args, creatinine_mg_dl=st.floats(0.3, 2.74)),
     dict(albumin_g_dl=-1)),
    ("albi", _albi, dict(bilirubin_umol_l=st.floats(1.0, 1000.0), albumin_g_l=st.floats(10.0, 60.0)),
     dict(bilirubin_umol_l=1, albumin_g_l=-1)),
    ("albi_grade", _albi_grade,
     dict(bilirubin_umol_l=st.floats(1.0, 1000.0), albumin_g_l=st.floats(10.0, 60.0)),
     dict(bilirubin_umol_l=1, albumin_g_l=-1)),
    ("igf_ctp", _igf, dict(igf1_ng_ml=st.floats(5.0, 400.0), bilirubin_mg_dl=BILI,
                           albumin_g_dl=ALB, pt_prolongation_s=st.floats(0.0, 15.0)),
     dict(igf1_ng_ml=-1, bilirubin_mg_dl=1, albumin_g_dl=-1, pt_prolongation_s=1)),
    ("mayo_pbc", _mayo, dict(bilirubin_mg_dl=BILI, albumin_g_dl=ALB,
                             age_years=st.floats(18.0, 90.0),
                             prothrombin_time_s=st.floats(9.0, 18.0)),
     dict(bilirubin_mg_dl=1, albumin_g_dl=-1, age_years=1, prothrombin_time_s=1)),
]:
    for _arg, _sign in _dirs.items():
        MONOTONE.append((_name, _f, _arg, _sign, _args))


@pytest.mark.parametrize(("name", "f", "arg", "sign", "args"), MONOTONE,
                         ids=[f"{m[0]}-{m[2]}" for m in MONOTONE])
def test_monotone_in_each_worsening_lab(name: str, f: Score, arg: str, sign: int,
                                        args: dict[str, st.SearchStrategy[float]]) -> None:
    @SETTINGS
    @given(base=st.fixed_dictionaries(args), other=args[arg])
    def check(base: dict[str, float], other: float) -> None:
        better, worse = sorted([base[arg], other], reverse=sign < 0)
        assert f(**{**base, arg: better}) <= f(**{**base, arg: worse}), (name, arg, base, other)

    check()


def test_meld_3_sodium_and_albumin_monotonicity_really_fails_outside_the_bounds() -> None:
    """The bounds above are needed: a property test without them finds a counterexample."""
    assert _meld_3_raw(bilirubin_mg_dl=50.0, inr=1.0, creatinine_mg_dl=1.0, sodium_mmol_l=125,
                       albumin_g_dl=3.5) < _meld_3_raw(bilirubin_mg_dl=50.0, inr=1.0,
                                                       creatinine_mg_dl=1.0, sodium_mmol_l=137,
                                                       albumin_g_dl=3.5)
    assert _meld_3_raw(bilirubin_mg_dl=1.0, inr=1.0, creatinine_mg_dl=3.0, sodium_mmol_l=137,
                       albumin_g_dl=1.5) < _meld_3_raw(bilirubin_mg_dl=1.0, inr=1.0,
                                                       creatinine_mg_dl=3.0, sodium_mmol_l=137,
                                                       albumin_g_dl=3.5)


# ------------------------------------------------------------------ ranges
@SETTINGS
@given(rows=st.lists(ROW, min_size=1, max_size=25))
def test_results_within_documented_ranges(rows: list[dict[str, Any]]) -> None:
    v = _vectorised(rows, -0.085, True)

    def ok(x: np.ndarray, lo: float, hi: float) -> bool:
        x = x[~np.isnan(x)]
        return bool(np.all((x >= lo) & (x <= hi)) and np.all(x == np.round(x)))

    assert ok(v["child_pugh_points"], 5, 15)
    assert ok(v["meld"], 6, 40) and ok(v["meld_na"], 6, 40) and ok(v["meld_3"], 6, 40)
    assert ok(v["igf_ctp_points"], 4, 12) and ok(v["albi_grade"], 1, 3)
    assert set(v["child_pugh_grade"].tolist()) <= {"A", "B", "C", None}
    assert set(v["igf_ctp_grade"].tolist()) <= {"A", "B", "C", None}


# ------------------------------------------------------------------ NaN in, NaN out
FULL = dict(bilirubin_mg_dl=2.5, albumin_g_dl=3.0, inr=1.8, creatinine_mg_dl=1.6,
            sodium_mmol_l=130.0, female=1, ascites_points=2, encephalopathy_points=1,
            pt_prolongation_s=5.0, igf1_ng_ml=40.0, age_years=55.0, prothrombin_time_s=12.0,
            edema=0.5, dialysis=0, cholestatic=0)

NAN_CASES: list[tuple[str, Callable[..., Any], str, tuple[str, ...]]] = []
for _fname, _fn, _keys in [
    ("child_pugh", sc.child_pugh, ("bilirubin_mg_dl", "albumin_g_dl", "ascites_points",
                                   "encephalopathy_points", "cholestatic")),
    ("meld", sc.meld, ("bilirubin_mg_dl", "inr", "creatinine_mg_dl", "dialysis")),
    ("meld_na", sc.meld_na, ("bilirubin_mg_dl", "inr", "creatinine_mg_dl", "sodium_mmol_l",
                            "dialysis")),
    ("meld_3", sc.meld_3, ("bilirubin_mg_dl", "inr", "creatinine_mg_dl", "sodium_mmol_l",
                          "albumin_g_dl", "female", "dialysis")),
    ("igf_ctp", sc.igf_ctp, ("igf1_ng_ml", "bilirubin_mg_dl", "albumin_g_dl", "pt_prolongation_s",
                            "cholestatic")),
    ("mayo_pbc", sc.mayo_pbc, ("bilirubin_mg_dl", "albumin_g_dl", "age_years",
                              "prothrombin_time_s", "edema")),
]:
    for _k in _keys:
        NAN_CASES.append((_fname, _fn, _k, _keys))


@pytest.mark.parametrize(("name", "fn", "key", "keys"), NAN_CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in NAN_CASES])
def test_nan_in_nan_out(name: str, fn: Callable[..., Any], key: str, keys: tuple[str, ...]) -> None:
    kw: dict[str, Any] = {k: FULL[k] for k in keys}
    if name == "child_pugh":
        kw["inr"] = FULL["inr"]
    kw[key] = [FULL[key], np.nan]
    res = fn(**kw)
    total = res.points if hasattr(res, "points") else res.value
    assert not np.isnan(total[0]) and np.isnan(total[1]), (name, key)


def test_nan_in_albi() -> None:
    res = sc.albi(bilirubin_umol_l=[20.0, np.nan, 20.0], albumin_g_l=[35.0, 35.0, None])
    assert not np.isnan(res.value[0]) and np.isnan(res.value[1:]).all()
    assert np.isnan(res.grade[1:]).all()
