"""REDCap raw export + data dictionary on the example files, and errors for bad exports."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from igfcirrhosis.cohort.io import read_cohort
from igfcirrhosis.cohort.read_result import CohortInputError, CohortRead
from igfcirrhosis.cohort.redcap import read_data_dictionary, read_redcap, unit_from_label


@pytest.fixture
def read(examples: Path) -> CohortRead:
    return read_cohort(
        examples / "redcap_export.csv", data_dictionary=examples / "redcap_data_dictionary.csv"
    )


def test_one_row_per_record(read: CohortRead) -> None:
    assert read.format == "redcap"
    assert read.frame["patient_id"].tolist() == ["101", "102", "103", "104"]
    assert read.excluded.empty


def test_canonical_names_and_units_from_labels(read: CohortRead) -> None:
    # later visits are extra <field>@<event> columns (tests/cohort_io/test_redcap_pivot.py)
    assert [c for c in read.frame.columns if "@" not in c] == [
        "patient_id", "age [years]", "sex", "etiology", "ascites", "complications",
        "bilirubin [umol/L]", "albumin [g/L]", "inr", "igf1 [ng/mL]", "ultrasound", "time [days]",
        "event",
    ]  # fmt: skip


def test_radio_and_dropdown_codes_become_labels(read: CohortRead) -> None:
    f = read.frame
    assert f["sex"].tolist() == ["Male", "Female", "Male", "Female"]
    assert f["etiology"].tolist() == ["alcohol", "HBV", "HCV", "other"]
    assert f["ascites"].tolist() == ["none", "mild", "moderate/severe", "none"]


def test_checkbox_collapsed_in_dictionary_order(read: CohortRead) -> None:
    c = read.frame["complications"]
    assert c.iloc[0] == "GI bleeding"
    assert c.iloc[1] == "Hepatic encephalopathy"
    assert c.iloc[2] == "GI bleeding;Hepatic encephalopathy;Hepatocellular carcinoma"
    assert pd.isna(c.iloc[3])  # nothing ticked: missing, not "none"


def test_baseline_values_and_outcome_from_the_later_event(read: CohortRead) -> None:
    f = read.frame.set_index("patient_id")
    assert f.loc["101", "bilirubin [umol/L]"] == 34.2  # baseline, not month 6 (41.0)
    assert f.loc["103", "igf1 [ng/mL]"] == 11.0
    assert f["time [days]"].tolist()[:3] == [400.0, 210.0, 95.0]
    assert f["event"].tolist()[:3] == [False, True, True]
    assert pd.isna(f.loc["104", "time [days]"])  # no month-6 row
    assert any("'time [days]' is not recorded at baseline" in n for n in read.notes)


def test_followup_long_table(read: CohortRead) -> None:
    fu = read.followup
    assert len(fu) == 5  # 2 repeat instances + 3 month-6 rows; 9 export rows in all
    assert len(fu) + len(read.frame) == 9
    month6 = fu[fu["redcap_event_name"] == "month_6_arm_1"].set_index("patient_id")
    assert month6.loc["101", "bilirubin [umol/L]"] == 41.0
    assert month6.loc["102", "igf1 [ng/mL]"] == 24.0
    hosp = fu[fu["redcap_repeat_instrument"] == "hospitalisation"]
    assert hosp["redcap_repeat_instance"].tolist() == [1, 2]
    assert hosp["hosp_reason"].tolist() == ["variceal bleeding", "infection"]
    assert "hosp_reason" not in read.frame.columns  # only in followup, and a note says so
    assert any("hosp_reason" in n for n in read.notes)


def test_baseline_event_can_be_chosen(examples: Path) -> None:
    read = read_redcap(
        examples / "redcap_export.csv",
        examples / "redcap_data_dictionary.csv",
        baseline_event="month_6_arm_1",
    )
    f = read.frame.set_index("patient_id")
    assert f.loc["101", "bilirubin [umol/L]"] == 41.0
    assert pd.isna(f.loc["104", "bilirubin [umol/L]"])
    assert any("records without a baseline row" in n and "104" in n for n in read.notes)


def test_unknown_baseline_event(examples: Path) -> None:
    with pytest.raises(CohortInputError, match="baseline event 'screening' does not occur"):
        read_redcap(examples / "redcap_export.csv", baseline_event="screening")


def test_status_columns_dropped_with_a_note(read: CohortRead) -> None:
    assert not any(c.endswith("_complete") for c in read.frame.columns)
    assert any("demographics_complete" in n for n in read.notes)


def _edit_export(tmp_path: Path, examples: Path, old: str, new: str) -> Path:
    text = (examples / "redcap_export.csv").read_text()
    assert old in text
    path = tmp_path / "export.csv"
    path.write_text(text.replace(old, new, 1))
    shutil.copy(examples / "redcap_data_dictionary.csv", tmp_path / "dd.csv")
    return path


def test_unknown_radio_code_names_file_row_column_value(tmp_path: Path, examples: Path) -> None:
    path = _edit_export(
        tmp_path, examples, "102,baseline_arm_1,,,61,1,", "102,baseline_arm_1,,,61,9,"
    )
    with pytest.raises(
        CohortInputError, match=r"export\.csv: row 6, column 'sex': value '9' is not a coded choice"
    ):
        read_cohort(path, data_dictionary=tmp_path / "dd.csv")


def test_non_number_names_file_row_column_value(tmp_path: Path, examples: Path) -> None:
    path = _edit_export(tmp_path, examples, ",68.4,29,", ",68.4,UNK,")
    with pytest.raises(
        CohortInputError, match=r"export\.csv: row 6, column 'alb': value 'UNK' is not a number"
    ):
        read_cohort(path, data_dictionary=tmp_path / "dd.csv")


def test_bad_checkbox_value(tmp_path: Path, examples: Path) -> None:
    path = _edit_export(tmp_path, examples, "54,2,3,1,1,0,0", "54,2,3,1,yes,0,0")
    with pytest.raises(
        CohortInputError, match=r"row 2, column 'complications___1': checkbox value 'yes'"
    ):
        read_cohort(path, data_dictionary=tmp_path / "dd.csv")


def test_duplicate_record_event(tmp_path: Path, examples: Path) -> None:
    text = (examples / "redcap_export.csv").read_text()
    lines = text.splitlines()
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*lines, lines[-1]]) + "\n")
    with pytest.raises(CohortInputError, match=r"column 'patient_id': record '104' appears twice"):
        read_redcap(path, examples / "redcap_data_dictionary.csv")


def test_not_a_data_dictionary(tmp_path: Path, examples: Path) -> None:
    dd = tmp_path / "dd.csv"
    dd.write_text("name,type\nage,text\n")
    with pytest.raises(CohortInputError, match=r"dd\.csv: not a REDCap data dictionary"):
        read_cohort(examples / "redcap_export.csv", data_dictionary=dd)


def test_api_metadata_headers_accepted(tmp_path: Path) -> None:
    dd = tmp_path / "meta.csv"
    dd.write_text(
        "field_name,form_name,field_type,field_label,select_choices_or_calculations,"
        "text_validation_type_or_show_slider_number\n"
        'sex,demo,radio,Sex,"1, F | 2, M",\n'
    )
    fields = read_data_dictionary(dd)
    assert fields["sex"].choices == {"1": "F", "2": "M"}


@pytest.mark.parametrize(
    ("label", "unit"),
    [("Total bilirubin (umol/L)", "umol/L"), ("Albumin [g/L]", "g/L"), ("INR", None),
     ("Ascites (clinical grade)", None), ("Score (1-3)", None), ("Platelets (10^9/L)", "10^9/L")],
)  # fmt: skip
def test_unit_from_label(label: str, unit: str | None) -> None:
    assert unit_from_label(label) == unit


def test_header_only_export(tmp_path: Path, examples: Path) -> None:
    header = (examples / "redcap_export.csv").read_text().splitlines()[0]
    path = tmp_path / "export.csv"
    path.write_text(header + "\n")
    with pytest.raises(CohortInputError, match=r"export\.csv: REDCap export has no data rows"):
        read_redcap(path, examples / "redcap_data_dictionary.csv")


def test_unchecked_checked_spelling(tmp_path: Path, examples: Path) -> None:
    path = _edit_export(tmp_path, examples, "54,2,3,1,1,0,0", "54,2,3,1,Checked,Unchecked,Checked")
    read = read_cohort(path, data_dictionary=tmp_path / "dd.csv")
    assert read.frame["complications"].iloc[0] == "GI bleeding;Hepatocellular carcinoma"


def test_only_outcome_form_fields_are_carried_to_baseline(tmp_path: Path) -> None:
    """A lab measured only at month 6 stays in followup; the outcome form is carried."""
    export = tmp_path / "export.csv"
    export.write_text(
        "record_id,redcap_event_name,age,igf_1,time,death,death_cause\n"
        "1,baseline_arm_1,50,,,,\n"
        "1,month_6_arm_1,,40,300,0,\n"
        "2,baseline_arm_1,60,,,,\n"
        "2,month_6_arm_1,,20,100,1,liver\n"
    )
    dd = tmp_path / "dd.csv"
    dd.write_text(
        '"Variable / Field Name","Form Name","Field Type","Field Label",'
        '"Choices, Calculations, OR Slider Labels","Text Validation Type OR Show Slider Number"\n'
        "record_id,demographics,text,Record ID,,\n"
        "age,demographics,text,Age,,integer\n"
        "igf_1,labs,text,IGF-I (ng/mL),,number\n"
        "time,outcome,text,Days to event,,integer\n"
        "death,outcome,yesno,Died,,\n"
        "death_cause,outcome,text,Cause of death,,\n"
    )
    read = read_redcap(export, dd)
    baseline = [c for c in read.frame.columns if "@" not in c]  # '@': pivoted later visits
    assert baseline == ["patient_id", "age", "time", "event", "death_cause"]
    assert read.frame["time"].tolist() == [300.0, 100.0]
    assert read.frame["death_cause"].iloc[1] == "liver"
    assert read.followup["igf1 [ng/mL]"].tolist() == [40.0, 20.0]
    assert any("kept in followup: ['igf1 [ng/mL]']" in n for n in read.notes)
    without = read_redcap(export)  # no dictionary: time and event alone are outcomes
    baseline = [c for c in without.frame.columns if "@" not in c]
    assert baseline == ["patient_id", "age", "time", "event"]
