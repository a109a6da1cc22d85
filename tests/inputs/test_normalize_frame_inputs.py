"""normalize_frame: headers, units, row preservation, and every bad cell listed in issues."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.domain.input_frames import ISSUE_COLUMNS
from igfcirrhosis.domain.inputs import InputError, UnitError, normalize_frame


def _mixed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient_id": ["a", "b", "c", "d", "b", "f"],
            "Bilirubin [umol/L]": [34.2, 17.1, -5.0, np.nan, 3000.0, 51.3],
            "alb": ["3.5", "30 g/L", "abc", "3,1", "35", None],
            "INR": [1.0, 1.5, 0.0, 2.0, 1.1, 1.2],
            "ascites": ["none", "mild", "lots", None, 3, "moderate-severe"],
            "sex": ["F", "male", "x", "f", "M", None],
            "notes": ["keep", "me", "as", "is", "please", "!"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def _issue(nf, row: int, column: str) -> pd.Series:  # type: ignore[no-untyped-def]
    hit = nf.issues[(nf.issues["row"] == row) & (nf.issues["column"] == column)]
    assert len(hit) == 1, nf.issues.to_string()
    return hit.iloc[0]


def test_rows_index_and_passthrough_are_preserved() -> None:
    df = _mixed()
    nf = normalize_frame(df)
    assert len(nf.data) == len(df)
    assert list(nf.data.index) == list(df.index)
    assert list(nf.data.columns) == [
        "patient_id", "bilirubin", "albumin", "inr", "ascites", "sex", "notes",
    ]  # fmt: skip
    pd.testing.assert_series_equal(nf.data["notes"], df["notes"])
    assert nf.columns["Bilirubin [umol/L]"] == "bilirubin"
    assert list(nf.issues.columns) == list(ISSUE_COLUMNS)


def test_good_cells_are_converted_to_default_units() -> None:
    nf = normalize_frame(_mixed())
    bili = nf.data["bilirubin"].to_numpy()
    np.testing.assert_allclose(bili[[0, 1, 5]], [2.0, 1.0, 3.0], rtol=1e-12)  # 17.1 umol/L per mg/dL
    alb = nf.data["albumin"].to_numpy()
    assert alb[0] == 3.5
    assert alb[1] == pytest.approx(3.0)  # cell carried its own unit
    np.testing.assert_array_equal(nf.data["inr"].to_numpy()[[0, 1, 3]], [1.0, 1.5, 2.0])
    np.testing.assert_array_equal(nf.data["ascites"].to_numpy()[[0, 1, 4, 5]], [1, 2, 3, 3])
    assert nf.data["sex"].tolist()[:2] == ["F", "M"]
    assert nf.column_units["bilirubin"] == "umol/L"
    assert nf.column_units["albumin"] == "g/dL"
    assert nf.assumed_units == ["albumin"]


def test_every_bad_cell_is_nan_and_listed() -> None:
    nf = normalize_frame(_mixed())
    expected = {
        (2, "Bilirubin [umol/L]"): ("error", "is negative"),
        (4, "Bilirubin [umol/L]"): ("implausible", "implausible"),
        (2, "alb"): ("error", "'abc' is not a number"),
        (3, "alb"): ("error", "contains a comma"),
        (4, "alb"): ("implausible", "did you mean 35 g/L?"),
        (2, "INR"): ("error", "must be greater than 0"),
        (2, "ascites"): ("error", "'lots' is not an accepted value"),
        (2, "sex"): ("error", "'x' is not an accepted value"),
        (1, "patient_id"): ("error", "appears 2 times"),
        (4, "patient_id"): ("error", "appears 2 times"),
    }
    got = {(int(r.row), r.column): (r.severity, r.message) for r in nf.issues.itertuples()}
    assert set(got) == set(expected)
    for key, (severity, needle) in expected.items():
        assert got[key][0] == severity
        assert needle in got[key][1]
    data = nf.data.reset_index(drop=True)
    for row, column in [(2, "bilirubin"), (4, "bilirubin"), (2, "albumin"), (3, "albumin"),
                        (4, "albumin"), (2, "inr"), (2, "ascites")]:  # fmt: skip
        assert np.isnan(data.loc[row, column])
    assert pd.isna(data.loc[2, "sex"])
    assert nf.n_errors == 8


def test_issue_rows_carry_patient_id_and_raw_value() -> None:
    nf = normalize_frame(_mixed())
    issue = _issue(nf, 3, "alb")
    assert issue["patient_id"] == "d"
    assert issue["value"] == "3,1"
    issue = _issue(nf, 2, "Bilirubin [umol/L]")
    assert issue["value"] == -5.0
    assert "-5 umol/L" in issue["message"]


def test_missing_values_are_not_issues_and_stay_missing() -> None:
    nf = normalize_frame(_mixed())
    assert not ((nf.issues["row"] == 3) & (nf.issues["column"] == "Bilirubin [umol/L]")).any()
    assert np.isnan(nf.data["bilirubin"].iloc[3])
    assert np.isnan(nf.data["ascites"].iloc[3])  # missing ascites is not "none"


def test_cells_with_their_own_units_mixed_in_one_column() -> None:
    df = pd.DataFrame({"igf1": ["100", "13.07 nmol/L", "100 ng/ml", "5 kg", "", "1e2"]})
    nf = normalize_frame(df)
    v = nf.data["igf1"].to_numpy()
    np.testing.assert_allclose(v[[0, 1, 2, 5]], [100.0, 99.97, 100.0, 100.0], rtol=1e-3)
    assert np.isnan(v[3]) and np.isnan(v[4])
    issue = _issue(nf, 3, "igf1")
    assert issue["severity"] == "error"
    assert "'kg'" in issue["message"] and "ng/mL" in issue["message"]
    assert len(nf.issues) == 1


def test_duplicate_meaning_headers_are_refused() -> None:
    with pytest.raises(InputError, match="both mean bilirubin"):
        normalize_frame(pd.DataFrame({"bili": [1.0], "bilirubin [umol/L]": [17.0]}))


def test_wrong_header_unit_is_refused_naming_the_column() -> None:
    with pytest.raises(UnitError) as info:
        normalize_frame(pd.DataFrame({"albumin [mmol/s]": [3.0]}))
    assert info.value.field == "albumin [mmol/s]"
    assert "g/dL" in info.value.message


def test_sex_numeric_only_with_mapping() -> None:
    df = pd.DataFrame({"sex": [0, 1, 1]})
    assert normalize_frame(df).n_errors == 3
    nf = normalize_frame(df, mappings={"sex": {0: "M", 1: "F"}})
    assert nf.data["sex"].tolist() == ["M", "F", "F"]
    assert nf.n_errors == 0


def test_repeated_ids_allowed_in_long_format() -> None:
    df = pd.DataFrame({"id": [1, 1, 2], "bili": [1.0, 1.2, 0.8]})
    assert normalize_frame(df).n_errors == 2
    assert normalize_frame(df, unique_ids=False).n_errors == 0


def test_numeric_category_codes_and_invalid_numbers() -> None:
    # One stray 4 is a cell error; a 0, or many codes outside 1-3, distrust the whole column
    # (tests/inputs/test_reviewer_findings_inputs.py).
    df = pd.DataFrame({"encephalopathy": [1, 2, 3, 4, np.nan], "edema": [0, 0.5, 1, 0.7, 0]})
    nf = normalize_frame(df)
    np.testing.assert_array_equal(nf.data["encephalopathy"].to_numpy()[:3], [1.0, 2.0, 3.0])
    assert np.isnan(nf.data["encephalopathy"].iloc[3])
    assert np.isnan(nf.data["edema"].iloc[3])
    assert set(zip(nf.issues["row"], nf.issues["column"], strict=True)) == {
        (3, "encephalopathy"),
        (3, "edema"),
    }


def _pbc() -> pd.DataFrame:
    path = resources.files("igfcirrhosis").joinpath("data", "pbc", "pbc.csv")
    with resources.as_file(path) as file:
        return pd.read_csv(file)


def test_pbc_cohort_normalises_through_aliases() -> None:
    df = _pbc()
    nf = normalize_frame(df)
    data = nf.data
    assert len(data) == 418
    for canonical, original in [
        ("bilirubin", "bili"),
        ("prothrombin_time", "protime"),
        ("platelets", "platelet"),
        ("patient_id", "id"),
        ("albumin", "albumin"),
        ("edema", "edema"),
    ]:
        assert nf.columns[original] == canonical
        # PBC units are the defaults (mg/dL, g/dL, s, 10^3/uL = 10^9/L): values unchanged
        pd.testing.assert_series_equal(
            data[canonical].astype("float64"),
            df[original].astype("float64"),
            check_names=False,
        )
    assert set(data["sex"].dropna()) == {"F", "M"}
    assert (data["sex"] == "F").sum() == (df["sex"] == "f").sum()
    for passthrough in ("status", "trt", "chol", "alk.phos", "stage"):
        pd.testing.assert_series_equal(data[passthrough], df[passthrough])
    assert nf.n_errors == 0
    assert set(nf.issues["severity"]) <= {"warning"}
    assert not [w for w in nf.warnings if "median" in w]  # PBC's units are the defaults
    assert set(nf.assumed_units) == {
        "time", "age", "bilirubin", "albumin", "ast", "platelets", "prothrombin_time",
    }  # fmt: skip


def test_pbc_presence_coded_ascites_is_not_read_as_points() -> None:
    df = _pbc()
    nf = normalize_frame(df)
    asc = nf.data["ascites"]
    assert (asc[df["ascites"] == 0] == 1.0).all()  # absent -> none (1 point)
    assert asc[df["ascites"] == 1].isna().all()  # present, grade unknown -> missing
    n_present = int((df["ascites"] == 1).sum())
    warned = nf.issues[(nf.issues["column"] == "ascites") & (nf.issues["severity"] == "warning")]
    assert len(warned) == n_present == 24
    assert any("absent/present" in w for w in nf.warnings)


def test_pbcseq_flags_its_implausible_albumin() -> None:
    path = resources.files("igfcirrhosis").joinpath("data", "pbc", "pbcseq.csv")
    with resources.as_file(path) as file:
        df = pd.read_csv(file)
    nf = normalize_frame(df, unique_ids=False)
    assert len(nf.data) == len(df)
    flagged = nf.issues[nf.issues["severity"] == "implausible"]
    assert list(flagged["column"]) == ["albumin"]
    assert df["albumin"].iloc[int(flagged["row"].iloc[0])] > 7.0
    assert nf.n_errors == 0


def test_empty_frame_keeps_its_columns() -> None:
    nf = normalize_frame(pd.DataFrame({"bili": pd.Series([], dtype="float64"), "x": []}))
    assert list(nf.data.columns) == ["bilirubin", "x"]
    assert len(nf.data) == 0 and nf.issues.empty


def test_non_string_headers_pass_through_and_duplicates_are_refused() -> None:
    df = pd.DataFrame({0: [1, 2], "bili": [1.0, 2.0]})
    nf = normalize_frame(df)
    assert list(nf.data.columns) == [0, "bilirubin"]
    dup = pd.DataFrame([[1.0, 2.0]], columns=["bili", "bili"])
    with pytest.raises(InputError, match="'bili' appears more than once"):
        normalize_frame(dup)


def test_nullable_dtypes_are_read() -> None:
    df = pd.DataFrame(
        {
            "inr": pd.array([1.2, None, 2.0], dtype="Float64"),
            "ascites": pd.array([1, 2, None], dtype="Int64"),
            "dialysis": pd.array([True, None, False], dtype="boolean"),
        }
    )
    nf = normalize_frame(df)
    np.testing.assert_array_equal(nf.data["inr"].to_numpy(), [1.2, np.nan, 2.0])
    np.testing.assert_array_equal(nf.data["ascites"].to_numpy(), [1.0, 2.0, np.nan])
    np.testing.assert_array_equal(nf.data["dialysis"].to_numpy(), [1.0, np.nan, 0.0])
    assert nf.issues.empty


def test_input_frame_is_not_modified() -> None:
    df = _mixed()
    before = df.copy()
    normalize_frame(df)
    pd.testing.assert_frame_equal(df, before)


def test_column_in_si_without_a_header_unit_gets_a_hint() -> None:
    creat_umol = [62.0, 88.0, 97.0, 150.0, 230.0]
    nf = normalize_frame(pd.DataFrame({"creatinine": creat_umol}))
    assert any("name it 'creatinine [umol/L]'" in w for w in nf.warnings)
    nf = normalize_frame(pd.DataFrame({"creatinine": [0.7, 1.0, 1.1, 1.7, 2.6]}))
    assert not any("name it" in w for w in nf.warnings)


def test_duplicate_id_message_lists_rows() -> None:
    nf = normalize_frame(pd.DataFrame({"id": [7, 8, 7]}))
    assert list(nf.issues["row"]) == [0, 2]
    assert "patient_id 7 appears 2 times (rows 0, 2)" in nf.issues["message"].iloc[0]
    assert list(nf.issues["patient_id"]) == [7, 7]


def test_open_etiology_keeps_unknown_spellings_with_warnings() -> None:
    nf = normalize_frame(pd.DataFrame({"etiology": ["HBV", "nash", "Wilson", None]}))
    assert nf.data["etiology"].tolist()[:3] == ["HBV", "MASLD", "Wilson"]
    assert pd.isna(nf.data["etiology"].iloc[3])
    assert list(nf.issues["severity"]) == ["warning"]


def test_infinite_numbers_are_errors() -> None:
    nf = normalize_frame(pd.DataFrame({"crp": [1.0, np.inf, -np.inf], "alt": ["inf", "5", "7"]}))
    assert np.isnan(nf.data["crp"].iloc[1]) and np.isnan(nf.data["crp"].iloc[2])
    assert nf.data["crp"].iloc[0] == 1.0
    got = set(zip(nf.issues["row"], nf.issues["column"], nf.issues["severity"], strict=True))
    assert got == {(1, "crp", "error"), (2, "crp", "error"), (0, "alt", "error")}


def test_unrecognised_headers_that_look_known_are_warned_about() -> None:
    df = pd.DataFrame({"Bilirubin umol/L": [34.0], "albumine": [3.0], "stage": [4], "chol": [200]})
    nf = normalize_frame(df)
    assert list(nf.data.columns) == list(df.columns)  # all passed through, none scored
    hints = [w for w in nf.warnings if "not in the data dictionary" in w]
    assert len(hints) == 2
    assert "'Bilirubin umol/L'" in hints[0] and "did you mean bilirubin?" in hints[0]
    assert "'albumine'" in hints[1] and "did you mean albumin?" in hints[1]


def test_pbc_has_no_false_header_hints() -> None:
    nf = normalize_frame(_pbc())
    assert not [w for w in nf.warnings if "not in the data dictionary" in w]
