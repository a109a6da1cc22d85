"""Regressions for the reviewer's input findings: numeric category codings that are not
Child-Pugh points, a cell unit that contradicts its header, and pivoted REDCap headers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from igfcirrhosis.domain.inputs import normalize_frame


def test_west_haven_grades_are_not_read_as_points() -> None:
    """0-4 grades: the 1s must not silently become 'none' (1 point)."""
    nf = normalize_frame(pd.DataFrame({"encephalopathy": [0, 1, 2, 4]}))
    assert np.isnan(nf.data["encephalopathy"].to_numpy()).all()
    assert (nf.issues["severity"] == "error").sum() == 4
    assert any("West Haven" in w for w in nf.warnings)


def test_many_codes_outside_points_distrust_the_column() -> None:
    nf = normalize_frame(pd.DataFrame({"ascites": [1, 4, 2, 4, 3, 4]}))
    assert np.isnan(nf.data["ascites"].to_numpy()).all()


def test_a_lone_stray_code_is_a_cell_error() -> None:
    nf = normalize_frame(pd.DataFrame({"ascites": [1, 2, 3, 4] + [2] * 40}))
    assert np.isnan(nf.data["ascites"].iloc[3])
    assert nf.data["ascites"].notna().sum() == 43


def test_all_ones_column_is_scored_as_points_with_a_warning() -> None:
    nf = normalize_frame(pd.DataFrame({"ascites": [1, 1, 1]}))
    assert nf.data["ascites"].tolist() == [1.0, 1.0, 1.0]
    assert any("holds only 1" in w for w in nf.warnings)


def test_points_column_has_no_warning() -> None:
    nf = normalize_frame(pd.DataFrame({"ascites": [1, 2, 3]}))
    assert nf.data["ascites"].tolist() == [1.0, 2.0, 3.0]
    assert nf.warnings == [] and len(nf.issues) == 0


def test_cell_unit_that_contradicts_the_header_is_noted() -> None:
    nf = normalize_frame(pd.DataFrame({"bilirubin [umol/L]": ["34", "3.4 mg/dL", "17.1 umol/L"]}))
    np.testing.assert_allclose(nf.data["bilirubin"], [34 / 17.1, 3.4, 1.0], rtol=1e-12)
    noted = nf.issues[nf.issues["severity"] == "warning"]
    assert noted["row"].tolist() == [1]
    assert "differs from the column's [umol/L]" in noted["message"].iloc[0]


def test_pivoted_redcap_headers_get_no_spelling_hint() -> None:
    nf = normalize_frame(pd.DataFrame({"igf1 [ng/mL]@month_6_arm_1": [50.0]}))
    assert not any("did you mean" in w for w in nf.warnings)
