"""``detail=False`` (what a cohort table needs) gives bit for bit the values, points and
classes of the full result; flags given as bool arrays, 0/1 floats with NaN, or scalars give
the same scores; and the half-up rounding equals decimal rounding next to every tie."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pytest

from igfcirrhosis.domain import scores as sc
from igfcirrhosis.domain.scores_common import round_half_up

N = 4000


def _table(seed: int, flag_nan: bool) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def lab(lo: float, hi: float, places: int) -> np.ndarray:
        x = np.round(rng.uniform(lo, hi, N), places)
        x[rng.random(N) < 0.05] = np.nan
        return x

    def flag(p: float) -> np.ndarray:
        f = (rng.random(N) < p).astype(float)
        if flag_nan:
            f[rng.random(N) < 0.05] = np.nan
        return f

    cols = {
        "bilirubin_mg_dl": lab(0.1, 40, 1), "albumin_g_dl": lab(1.0, 5.5, 1),
        "inr": lab(0.8, 5, 2), "pt_prolongation_s": lab(0, 15, 1),
        "creatinine_mg_dl": lab(0.2, 8, 1), "sodium_mmol_l": lab(115, 150, 0),
        "igf1_ng_ml": lab(5, 300, 1), "age_years": lab(18, 90, 0),
        "prothrombin_time_s": lab(9, 20, 1),
        "ascites_points": rng.choice([1.0, 2.0, 3.0, np.nan], N),
        "encephalopathy_points": rng.choice([1.0, 2.0, 3.0, np.nan], N),
        "edema": rng.choice([0.0, 0.5, 1.0, np.nan], N),
        "cholestatic": flag(0.2), "dialysis": flag(0.1), "female": flag(0.5),
        "registered_before_18": flag(0.05),
    }
    # rows on the table edges
    cols["bilirubin_mg_dl"][:40] = np.tile([1.0, 2.0, 3.0, 4.0, 10.0], 8)
    cols["inr"][:40] = np.tile([1.0, 1.7, 2.3, 1.69, 2.31], 8)
    return cols


def _results(c: dict[str, Any], detail: bool) -> dict[str, Any]:
    labs = dict(bilirubin_mg_dl=c["bilirubin_mg_dl"], inr=c["inr"],
                creatinine_mg_dl=c["creatinine_mg_dl"], dialysis=c["dialysis"])
    return {
        "child_pugh": sc.child_pugh(
            bilirubin_mg_dl=c["bilirubin_mg_dl"], albumin_g_dl=c["albumin_g_dl"],
            ascites_points=c["ascites_points"], encephalopathy_points=c["encephalopathy_points"],
            inr=c["inr"], pt_prolongation_s=c["pt_prolongation_s"], cholestatic=c["cholestatic"],
            detail=detail),
        "meld": sc.meld(**labs, detail=detail),
        "meld_na": sc.meld_na(**labs, sodium_mmol_l=c["sodium_mmol_l"], detail=detail),
        "meld_3": sc.meld_3(**labs, sodium_mmol_l=c["sodium_mmol_l"],
                            albumin_g_dl=c["albumin_g_dl"], female=c["female"],
                            registered_before_18=c["registered_before_18"], detail=detail),
        "igf_ctp": sc.igf_ctp(
            igf1_ng_ml=c["igf1_ng_ml"], bilirubin_mg_dl=c["bilirubin_mg_dl"],
            albumin_g_dl=c["albumin_g_dl"], pt_prolongation_s=c["pt_prolongation_s"],
            cholestatic=c["cholestatic"], detail=detail),
    }


def _main_fields(res: Any) -> dict[str, np.ndarray]:
    if hasattr(res, "grade_code"):
        return {"points": res.points, "grade_code": res.grade_code}
    return {"value": res.value}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("flag_nan", [False, True])
def test_detail_false_gives_the_same_bits(seed: int, flag_nan: bool) -> None:
    c = _table(seed, flag_nan)
    full, lean = _results(c, True), _results(c, False)
    for name, res in full.items():
        for field, values in _main_fields(res).items():
            np.testing.assert_array_equal(getattr(lean[name], field), values,
                                          err_msg=f"{name}.{field}")
            assert np.isnan(values).any() if values.dtype.kind == "f" else True
    lean_cp = lean["child_pugh"]
    assert lean_cp.points_bilirubin is None and lean["meld_3"].unrounded is None
    np.testing.assert_array_equal(lean_cp.grade, full["child_pugh"].grade)


def test_missing_flag_makes_the_score_missing() -> None:
    c = _table(5, flag_nan=True)
    res = _results(c, False)
    for key, score in (("cholestatic", "child_pugh"), ("cholestatic", "igf_ctp"),
                       ("dialysis", "meld"), ("female", "meld_3"),
                       ("registered_before_18", "meld_3")):
        r = res[score]
        values = r.points if hasattr(r, "points") else r.value
        rows = np.isnan(c[key])
        if key == "female":  # registered before 18: 1.33 points whatever the sex (OPTN)
            rows &= c["registered_before_18"] != 1
            assert np.isfinite(values[np.isnan(c[key]) & (c["registered_before_18"] == 1)
                                      & np.isfinite(c["bilirubin_mg_dl"])
                                      & np.isfinite(c["inr"]) & np.isfinite(c["albumin_g_dl"])
                                      & np.isfinite(c["creatinine_mg_dl"])
                                      & np.isfinite(c["sodium_mmol_l"])
                                      & np.isfinite(c["dialysis"])]).all()
        assert rows.any() and np.isnan(values[rows]).all(), (key, score)


def test_bool_flags_equal_float_flags_and_scalars_broadcast() -> None:
    c = _table(7, flag_nan=False)
    as_bool = dict(c, **{k: c[k].astype(bool) for k in
                         ("cholestatic", "dialysis", "female", "registered_before_18")})
    for detail in (True, False):
        a, b = _results(c, detail), _results(as_bool, detail)
        for name in a:
            for field, values in _main_fields(a[name]).items():
                np.testing.assert_array_equal(getattr(b[name], field), values)
    # a scalar flag is the same as a column of it
    one = sc.meld(bilirubin_mg_dl=c["bilirubin_mg_dl"], inr=c["inr"],
                  creatinine_mg_dl=c["creatinine_mg_dl"], dialysis=True, detail=False)
    col = sc.meld(bilirubin_mg_dl=c["bilirubin_mg_dl"], inr=c["inr"],
                  creatinine_mg_dl=c["creatinine_mg_dl"], dialysis=np.ones(N), detail=False)
    np.testing.assert_array_equal(one.value, col.value)


def test_scalar_input_lean_gives_0d_arrays() -> None:
    r = sc.meld_na(bilirubin_mg_dl=4.2, inr=1.2, creatinine_mg_dl=1.9, sodium_mmol_l=130,
                   detail=False)
    assert isinstance(r.value, np.ndarray) and r.value.shape == ()
    cp = sc.child_pugh(bilirubin_mg_dl=1.0, albumin_g_dl=4.0, ascites_points=1,
                       encephalopathy_points=1, inr=1.0, detail=False)
    assert cp.to_dict() == {"points": 5.0, "grade_code": 1, "grade": "A"}


def _decimal_half_up(x: float) -> float:
    """Snap to 9 decimals, ties up, then round half up to an integer (exact decimals)."""
    snapped = Decimal(x).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    return float(snapped.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_round_half_up_equals_decimal_rounding_next_to_ties() -> None:
    rng = np.random.default_rng(11)
    k = rng.integers(-60, 60, 3000).astype(float)
    # around k + 0.5: exactly on it, within the snap (1e-10 .. 4e-10) and outside it (6e-10 ..)
    offsets = rng.choice([0.0, 1e-10, -1e-10, -4e-10, 4e-10, -6e-10, 6e-10, -1e-6, 1e-6,
                          -0.3, 0.3], 3000)
    x = k + 0.5 + offsets
    x[:5] = [24.499999999999996, 0.15 * 10, 2.5, -2.5, 1e-12]
    expected = np.array([_decimal_half_up(v) for v in x])
    np.testing.assert_array_equal(round_half_up(x), expected)
    np.testing.assert_array_equal(round_half_up(np.abs(x)), [_decimal_half_up(v)
                                                             for v in np.abs(x)])
    own = x.copy()
    np.testing.assert_array_equal(round_half_up(own, overwrite=True), expected)
