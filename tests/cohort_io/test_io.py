"""read_cohort: format detection, plain tables, and errors that name file, row and column."""

from pathlib import Path

import pandas as pd
import pytest

from igfcirrhosis.cohort.io import detect_format, read_cohort, write_frame
from igfcirrhosis.cohort.read_result import CohortInputError


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient_id": ["007", "008", "009"],
            "bilirubin [umol/L]": [34.2, 51.3, 17.1],
            "igf1": [45.0, 12.0, 80.0],
            "sex": ["F", "M", "M"],
        }
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.csv", "csv"), ("a.TSV", "tsv"), ("a.parquet", "parquet"), ("a.xlsx", "excel"),
     ("a.xls", "excel"), ("a.json", "fhir"), ("a.ndjson", "fhir")],
)  # fmt: skip
def test_detect_format_by_extension(name: str, fmt: str) -> None:
    assert detect_format(name) == fmt


@pytest.mark.parametrize("name", ["cohort.csv", "cohort.tsv", "cohort.parquet", "cohort.xlsx"])
def test_round_trip_each_table_format(tmp_path: Path, name: str) -> None:
    path = write_frame(_table(), tmp_path / name)
    read = read_cohort(path)
    assert read.format == {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}.get(
        path.suffix, "excel"
    )
    assert read.source == str(path)
    assert list(read.frame.columns) == list(_table().columns)
    assert read.frame["patient_id"].tolist() == ["007", "008", "009"]  # ids stay text
    assert read.frame["bilirubin [umol/L]"].tolist() == [34.2, 51.3, 17.1]
    assert read.excluded.empty


def test_blank_rows_are_listed_not_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("patient_id,igf1\np1,40\n,\n\np2,12\n")
    read = read_cohort(path)
    assert read.frame["patient_id"].tolist() == ["p1", "p2"]
    assert read.excluded["row"].tolist() == [3, 4]  # spreadsheet rows: header is row 1
    assert set(read.excluded["reason"]) == {"blank row"}
    assert any("blank row" in n for n in read.notes)


def test_excel_sheet_by_name_and_unknown_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        _table().to_excel(writer, sheet_name="patients", index=False)
    assert len(read_cohort(path, sheet="patients").frame) == 3
    with pytest.raises(CohortInputError, match=r"book\.xlsx: no sheet named 'cohort'.*patients"):
        read_cohort(path, sheet="cohort")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CohortInputError, match=r"nope\.csv: cohort file not found"):
        read_cohort(tmp_path / "nope.csv")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(CohortInputError, match=r"empty\.csv: file is empty"):
        read_cohort(path)


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("patient_id,igf1\n")
    with pytest.raises(CohortInputError, match=r"head\.csv: no data rows"):
        read_cohort(path)


def test_unknown_extension_names_file_and_expected(tmp_path: Path) -> None:
    path = tmp_path / "cohort.sav"
    path.write_text("x")
    with pytest.raises(CohortInputError, match=r"cohort\.sav: unknown cohort file format '\.sav'; "
                       r"expected \.csv"):  # fmt: skip
        read_cohort(path)


def test_unreadable_parquet(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_text("not parquet at all")
    with pytest.raises(CohortInputError, match=r"bad\.parquet: could not read as Parquet"):
        read_cohort(path)


def test_unreadable_excel(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(CohortInputError, match=r"bad\.xlsx: could not read as an Excel workbook"):
        read_cohort(path)


def test_ragged_csv_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("patient_id,igf1\np1,40\np2,12,99,100\n")
    with pytest.raises(CohortInputError, match=r"ragged\.csv: could not read as CSV"):
        read_cohort(path)


def test_duplicate_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("patient_id,igf1,igf1\np1,40,41\n")
    with pytest.raises(CohortInputError, match=r"dup\.csv: row 1 \(header\) repeats .*'igf1'"):
        read_cohort(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("patient_id,ätiologie\np1,HBV\n".encode("latin-1"))
    with pytest.raises(CohortInputError, match=r"latin1\.csv: not UTF-8"):
        read_cohort(path)


def test_dictionary_with_a_non_csv_file_is_an_error(tmp_path: Path, examples: Path) -> None:
    path = write_frame(_table(), tmp_path / "c.parquet")
    with pytest.raises(CohortInputError, match="data dictionary was given but the file is parquet"):
        read_cohort(path, data_dictionary=examples / "redcap_data_dictionary.csv")


def test_redcap_detected_from_header(examples: Path) -> None:
    read = read_cohort(examples / "redcap_export.csv")
    assert read.format == "redcap"
    assert any("no data dictionary" in n for n in read.notes)


def test_parquet_keeps_the_note(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = write_frame(_table(), tmp_path / "c.parquet", note="SYNTHETIC")
    assert pq.read_schema(path).metadata[b"igfcirrhosis.note"] == b"SYNTHETIC"


def test_excel_note_sheet(tmp_path: Path) -> None:
    path = write_frame(_table(), tmp_path / "c.xlsx", note="SYNTHETIC")
    assert pd.read_excel(path, sheet_name="about")["note"].tolist() == ["SYNTHETIC"]
    assert len(read_cohort(path).frame) == 3  # the first sheet is the cohort


def test_write_refuses_json(tmp_path: Path) -> None:
    with pytest.raises(CohortInputError, match=r"cannot write \.json"):
        write_frame(_table(), tmp_path / "c.json")


def test_real_mayo_pbc_csv() -> None:
    """The bundled Mayo PBC data (R survival::pbc): 418 patients, 20 columns, the 106 patients
    who were not randomised have trt NA; nothing excluded."""
    from importlib import resources

    path = resources.files("igfcirrhosis").joinpath("data", "pbc", "pbc.csv")
    read = read_cohort(str(path))
    assert read.frame.shape == (418, 20)
    assert read.frame["id"].iloc[:3].tolist() == ["1", "2", "3"]  # identifiers as text
    assert int(read.frame["trt"].isna().sum()) == 106
    assert read.frame["bili"].iloc[0] == 14.5
    assert read.excluded.empty
