"""Result objects: frozen, arrays of the broadcast shape, JSON-friendly ``to_dict`` (None,
never NaN), a ``summary`` DataFrame, and input errors that name the value that failed."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from igfcirrhosis.domain import scores as sc


def _all_results(n_missing: bool) -> dict[str, object]:
    nan = np.nan if n_missing else 1.0
    bili = np.array([1.2, nan])
    return {
        "child_pugh": sc.child_pugh(bilirubin_mg_dl=bili, albumin_g_dl=3.0, ascites_points=1,
                                    encephalopathy_points=1, inr=1.1),
        "meld": sc.meld(bilirubin_mg_dl=bili, inr=1.1, creatinine_mg_dl=1.0),
        "meld_na": sc.meld_na(bilirubin_mg_dl=bili, inr=1.1, creatinine_mg_dl=1.0,
                              sodium_mmol_l=130),
        "meld_3": sc.meld_3(bilirubin_mg_dl=bili, inr=1.1, creatinine_mg_dl=1.0,
                            sodium_mmol_l=130, albumin_g_dl=3.0, female=True),
        "albi": sc.albi(bilirubin_umol_l=bili * 17.1, albumin_g_l=30.0),
        "igf_ctp": sc.igf_ctp(igf1_ng_ml=40.0, bilirubin_mg_dl=bili, albumin_g_dl=3.0,
                              pt_prolongation_s=2.0),
        "mayo_pbc": sc.mayo_pbc(bilirubin_mg_dl=bili, albumin_g_dl=3.0, age_years=50.0,
                                prothrombin_time_s=11.0, edema=0),
    }


@pytest.mark.parametrize("name", sorted(_all_results(True)))
def test_to_dict_is_strict_json_and_summary_has_a_row_per_patient(name: str) -> None:
    res = _all_results(True)[name]
    d = res.to_dict()  # type: ignore[attr-defined]
    text = json.dumps(d, allow_nan=False)  # raises on NaN
    back = json.loads(text)
    key = "points" if "points" in back else "value"
    assert back[key][0] is not None and back[key][1] is None
    frame = res.summary  # type: ignore[attr-defined]
    assert len(frame) == 2 and key in frame.columns
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.value = None  # type: ignore[attr-defined]


def test_scalar_input_gives_0d_arrays_and_scalar_json() -> None:
    res = sc.meld(bilirubin_mg_dl=4.2, inr=1.2, creatinine_mg_dl=1.9)
    assert isinstance(res.value, np.ndarray) and res.value.shape == ()
    assert res.to_dict()["value"] == 20.0
    cp = sc.child_pugh(bilirubin_mg_dl=1.0, albumin_g_dl=4.0, ascites_points=1,
                       encephalopathy_points=1, inr=1.0)
    assert cp.to_dict()["grade"] == "A"


def test_points_do_not_alias_the_callers_array() -> None:
    asc = np.array([1.0, 2.0])
    res = sc.child_pugh(bilirubin_mg_dl=1.0, albumin_g_dl=4.0, ascites_points=asc,
                        encephalopathy_points=1, inr=1.0)
    asc[0] = 3.0
    assert res.points_ascites[0] == 1.0


def test_sources_cover_every_score() -> None:
    assert set(sc.SOURCES) == {"child_pugh", "meld", "meld_na", "meld_3", "albi", "igf_ctp",
                               "mayo_pbc"}
    assert "Biggins" in sc.SOURCES["meld_na"] and "Kim WR" in sc.SOURCES["meld_na"]


def test_unconvertible_input_names_field_and_value() -> None:
    with pytest.raises(sc.ScoreInputError, match=r"bilirubin_mg_dl: expected numbers in mg/dL.*'x'"):
        sc.meld(bilirubin_mg_dl=["1.0", "x"], inr=1.2, creatinine_mg_dl=1.0)
    with pytest.raises(sc.ScoreInputError, match=r"ascites_points: expected one of 1, 2, 3.*'mild'"):
        sc.child_pugh(bilirubin_mg_dl=1.0, albumin_g_dl=3.0, ascites_points="mild",
                      encephalopathy_points=1, inr=1.0)


def test_plot_graded_score_counts_classes_and_missing() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    res = sc.child_pugh(bilirubin_mg_dl=[1.0, 1.0, 2.5, 4.0, np.nan], albumin_g_dl=3.0,
                        ascites_points=[1, 3, 3, 3, 1], encephalopathy_points=[1, 1, 2, 3, 1],
                        inr=1.0)  # points 6 (A), 8 (B), 10 (C), 12 (C), missing
    ax = res.plot()
    heights = [p.get_height() for p in ax.patches]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["A", "B", "C", "missing"] and heights == [1, 1, 2, 1]
    assert ax.get_xlabel() == "Child-Pugh class" and ax.get_ylabel() == "patients"
    grade_ax = sc.albi(bilirubin_umol_l=[10.0, 100.0], albumin_g_l=40.0).plot()
    # -2.74 (grade 1) and 0.66*2 - 3.4 = -2.08 (grade 2)
    assert [p.get_height() for p in grade_ax.patches] == [1, 1, 0, 0]
    assert grade_ax.get_xlabel() == "ALBI grade"
    plt.close("all")


def test_plot_value_score_is_a_histogram_of_present_values() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    res = sc.mayo_pbc(bilirubin_mg_dl=[1.0, 2.0, 3.0, np.nan], albumin_g_dl=3.5, age_years=50.0,
                      prothrombin_time_s=10.0, edema=0)
    assert res.plot(ax=ax) is ax
    assert sum(p.get_height() for p in ax.patches) == 3  # the NaN row is left out
    assert ax.get_xlabel() == "Mayo PBC risk score"
    plt.close(fig)
