"""The thresholds data file (src/igfcirrhosis/data/score_thresholds.toml) and the functions
agree at every edge, in the table's unit and after converting SI input."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from igfcirrhosis.domain import scores as sc

DATA = Path(__file__).resolve().parents[2] / "src" / "igfcirrhosis" / "data"
TABLE = tomllib.loads((DATA / "score_thresholds.toml").read_text(encoding="utf-8"))

_NORMAL = dict(bilirubin_mg_dl=1.0, albumin_g_dl=4.0, ascites_points=1, encephalopathy_points=1,
               inr=1.0)


def _cp(field: str, key: str, **kw: Any) -> Callable[[float], float]:
    """Child-Pugh points ``field`` as a function of input ``key``, all else normal."""
    return lambda x: float(getattr(sc.child_pugh(**{**_NORMAL, **kw, key: x}), field))


COMPONENTS: dict[tuple[str, str], Callable[[float], float]] = {
    ("child_pugh", "bilirubin"): _cp("points_bilirubin", "bilirubin_mg_dl"),
    ("child_pugh", "bilirubin_cholestatic"): _cp("points_bilirubin", "bilirubin_mg_dl",
                                                 cholestatic=True),
    ("child_pugh", "albumin"): _cp("points_albumin", "albumin_g_dl"),
    ("child_pugh", "inr"): _cp("points_coagulation", "inr"),
    ("child_pugh", "pt_prolongation"): _cp("points_coagulation", "pt_prolongation_s", inr=None),
    ("igf_ctp", "igf1"): lambda x: float(sc.igf_ctp(
        igf1_ng_ml=x, bilirubin_mg_dl=1.0, albumin_g_dl=4.0, pt_prolongation_s=1.0).points_igf1),
}


@pytest.mark.parametrize("band", TABLE["band"], ids=[f"{b['score']}-{b['component']}"
                                                      for b in TABLE["band"]])
def test_band_edges_match_the_data_file(band: dict[str, Any]) -> None:
    f = COMPONENTS[(band["score"], band["component"])]
    lo, hi, step = band["low"], band["high"], 0.01
    assert f(lo) == 2 and f(hi) == 2 and f((lo + hi) / 2) == 2
    assert f(lo - step) == band["points_below"]
    assert f(hi + step) == band["points_above"]
    if "si_factor" in band:
        k = band["si_factor"]
        for edge in (lo, hi):
            si = round(edge * k, 6)  # the edge as an SI lab would print it
            assert f(si / k) == 2, (band["component"], si, band["si_unit"])


@pytest.mark.parametrize("grade", TABLE["grade"], ids=[g["score"] for g in TABLE["grade"]])
def test_class_edges_match_the_data_file(grade: dict[str, Any]) -> None:
    """Every reachable total gets the class the data file gives it."""
    starts, labels = grade["from_points"], grade["labels"]
    bili = {1: 1.0, 2: 2.5, 3: 4.0}
    alb = {1: 4.0, 2: 3.0, 3: 2.0}
    seen: set[int] = set()
    if grade["score"] == "child_pugh":
        for pts in itertools.product((1, 2, 3), repeat=5):
            res = sc.child_pugh(bilirubin_mg_dl=bili[pts[0]], albumin_g_dl=alb[pts[1]],
                                inr={1: 1.0, 2: 2.0, 3: 3.0}[pts[2]], ascites_points=pts[3],
                                encephalopathy_points=pts[4])
            total = sum(pts)
            expected = labels[int(np.searchsorted(starts, total, side="right")) - 1]
            assert res.points == total and res.grade == expected
            seen.add(total)
    else:
        for pts in itertools.product((1, 2, 3), repeat=4):
            res = sc.igf_ctp(igf1_ng_ml={1: 60.0, 2: 40.0, 3: 20.0}[pts[0]],
                             bilirubin_mg_dl=bili[pts[1]], albumin_g_dl=alb[pts[2]],
                             pt_prolongation_s={1: 1.0, 2: 5.0, 3: 8.0}[pts[3]])
            total = sum(pts)
            expected = labels[int(np.searchsorted(starts, total, side="right")) - 1]
            assert res.points == total and res.grade == expected
            seen.add(total)
    assert seen == set(range(starts[0], grade["max_points"] + 1))


def test_albi_edges_and_coefficients_match_the_data_file() -> None:
    e1, e2 = TABLE["albi"]["upper_edges"]
    np.testing.assert_array_equal(sc.albi_grade([e1 - 1e-6, e1, e1 + 1e-6, e2, e2 + 1e-6]),
                                  [1, 1, 2, 2, 3])
    # default coefficient and the 0.66 bilirubin coefficient, from the value at known inputs
    res = sc.albi(bilirubin_umol_l=10.0, albumin_g_l=1.0)
    expected = TABLE["albi"]["bilirubin_coefficient"] + TABLE["albi"]["albumin_coefficient"]
    assert res.value == pytest.approx(expected, abs=1e-15)
    alt = sc.albi(bilirubin_umol_l=1.0, albumin_g_l=1.0,
                  albumin_coefficient=TABLE["albi"]["albumin_coefficient_alternative"])
    assert alt.value == pytest.approx(-0.0852, abs=1e-15)
