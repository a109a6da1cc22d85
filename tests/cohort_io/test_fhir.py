"""FHIR R4 Bundle and NDJSON on the example files (3 patients, bilirubin in umol/L and mg/dL)."""

import json
from pathlib import Path

import pytest

from igfcirrhosis.cohort.io import read_cohort
from igfcirrhosis.cohort.read_result import CohortInputError

FILES = ["fhir_bundle.json", "fhir_resources.ndjson"]


@pytest.mark.parametrize("name", FILES)
def test_one_row_per_patient_with_sex_and_age(examples: Path, name: str) -> None:
    read = read_cohort(examples / name)
    assert read.format == "fhir"
    f = read.frame.set_index("patient_id")
    assert list(f.index) == ["p1", "p2", "p3"]
    assert f["sex"].tolist() == ["F", "M", "M"]
    # p1 born 1968-03-14, first observation 2024-01-10 -> 55; p2 1955-11-02 / 2024-02-01 -> 68;
    # p3 born "1972" (taken as 1972-07-01) / 2024-03-05 -> 51
    assert f["age [years]"].tolist() == [55.0, 68.0, 51.0]


@pytest.mark.parametrize("name", FILES)
def test_values_by_loinc_with_ucum_units(examples: Path, name: str) -> None:
    f = read_cohort(examples / name).frame.set_index("patient_id")
    # mixed bilirubin units (umol/L for p1, mg/dL for p2, p3) -> the default mg/dL;
    # 34.2 umol/L / 17.1 (the clinical SI factor, analytes.toml) = 2.0 mg/dL
    assert f.loc["p1", "bilirubin [mg/dL]"] == pytest.approx(2.0, rel=1e-12)
    assert f.loc["p2", "bilirubin [mg/dL]"] == 2.5
    assert f.loc["p1", "igf1 [ng/mL]"] == 45.0  # the earliest of 45 and 38
    assert f.loc["p2", "inr"] == 2.1  # UCUM {INR}: dimensionless, no brackets
    assert f.loc["p2", "platelets [10*9/L]"] == 85.0  # UCUM code kept as given
    assert "igfbp3 [mg/L]" not in f.columns  # its only observation had no UCUM code
    assert "crp [mg/L]" not in f.columns


@pytest.mark.parametrize("name", FILES)
def test_excluded_observations_with_reasons(examples: Path, name: str) -> None:
    read = read_cohort(examples / name)
    ex = read.excluded.set_index("resource")
    assert ex.loc["Observation/o5", "reason"].startswith("not baseline: a later igf1 of patient p1")
    assert ex.loc["Observation/o15", "reason"].startswith("censored value <10")
    assert ex.loc["Observation/o16", "reason"].startswith("no UCUM code")
    assert ex.loc["Observation/o17", "reason"].startswith("unknown code")
    assert ex.loc["Observation/o18", "reason"].startswith("no value")
    assert ex.loc["Observation/o19", "reason"] == "status 'entered-in-error'"
    assert set(ex["patient_id"]) == {"p1", "p3"}
    # nothing silent: 19 observations = kept + excluded
    assert len(read.followup) + (len(ex) - 1) == 19
    assert any("mixed UCUM units" in n for n in read.notes)
    assert any("not baseline" in n for n in read.notes)


def test_unit_text_is_never_used(tmp_path: Path, examples: Path) -> None:
    bundle = json.loads((examples / "fhir_bundle.json").read_text())
    for entry in bundle["entry"]:
        q = entry["resource"].get("valueQuantity")
        if q and q.get("code") == "umol/L":
            q["unit"] = "mg/dL"  # a misleading display unit must not matter
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    f = read_cohort(path).frame.set_index("patient_id")
    assert f.loc["p1", "bilirubin [mg/dL]"] == pytest.approx(2.0, abs=0.001)


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"resourceType": "Bundle",\n "entry": [}\n')
    with pytest.raises(CohortInputError, match=r"bad\.json: line 2, column \d+: invalid JSON"):
        read_cohort(path)


def test_bad_ndjson_line(tmp_path: Path, examples: Path) -> None:
    lines = (examples / "fhir_resources.ndjson").read_text().splitlines()
    lines[4] = lines[4][:-1]
    path = tmp_path / "bad.ndjson"
    path.write_text("\n".join(lines))
    with pytest.raises(CohortInputError, match=r"bad\.ndjson: line 5, column \d+: invalid JSON"):
        read_cohort(path)


def test_not_fhir(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"patients": []}')
    with pytest.raises(CohortInputError, match=r"x\.json: not a FHIR resource"):
        read_cohort(path)


def test_bundle_without_entries(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"resourceType": "Bundle", "type": "collection"}')
    with pytest.raises(CohortInputError, match=r"x\.json: the Bundle has no entries"):
        read_cohort(path)


def test_other_resource_types_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    path.write_text(
        '{"resourceType": "Patient", "id": "a", "gender": "other"}\n'
        '{"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/a"}}\n'
    )
    read = read_cohort(path)
    assert read.frame["patient_id"].tolist() == ["a"]
    assert read.frame["sex"].isna().all()
    assert read.excluded[["row", "reason"]].values.tolist() == [
        [2, "resource type 'Condition' is not read"]
    ]
    assert any("gender 'other'" in n for n in read.notes)


def test_duplicate_patient_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    path.write_text(
        '{"resourceType": "Patient", "id": "a"}\n{"resourceType": "Patient", "id": "a"}\n'
    )
    with pytest.raises(
        CohortInputError, match=r"x\.ndjson: row 2, column 'id': Patient 'a' repeats"
    ):
        read_cohort(path)


def test_observation_for_a_patient_without_patient_resource(tmp_path: Path) -> None:
    obs = {
        "resourceType": "Observation",
        "id": "x1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2484-4"}]},
        "subject": {"reference": "Patient/zz"},
        "effectiveDateTime": "2024-05-01",
        "valueQuantity": {"value": 7.5, "system": "http://unitsofmeasure.org", "code": "nmol/L"},
    }
    path = tmp_path / "x.ndjson"
    path.write_text(json.dumps(obs) + "\n")
    read = read_cohort(path)
    assert read.frame["patient_id"].tolist() == ["zz"]
    assert read.frame["igf1 [nmol/L]"].tolist() == [7.5]  # one unit: kept as given
    assert read.frame["age [years]"].isna().all()
    assert any("without a Patient resource: ['zz']" in n for n in read.notes)
