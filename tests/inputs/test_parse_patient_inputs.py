"""parse_patient: canonical encodings, units, warnings and the errors a clinician sees."""

from __future__ import annotations

import math

import pytest

from igfcirrhosis.domain.inputs import (
    InputError,
    UnitError,
    parse_header,
    parse_patient,
    parse_quantity_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("34umol/L", (34.0, "umol/L")),
        ("34 umol/L", (34.0, "umol/L")),
        ("  34   µmol/L ", (34.0, "µmol/L")),
        ("1.8", (1.8, None)),
        (".5 g/dL", (0.5, "g/dL")),
        ("-2", (-2.0, None)),
        ("1e2 ng/mL", (100.0, "ng/mL")),
        ("150 x10^9/L", (150.0, "x10^9/L")),
    ],
)
def test_parse_quantity_text(text: str, expected: tuple[float, str | None]) -> None:
    assert parse_quantity_text(text) == expected


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("1,8", "comma"),
        ("1,500", "comma"),
        ("<15", "detection limit"),
        ("> 2000 ng/mL", "detection limit"),
        ("high", "not a number"),
        ("", "not a number"),
    ],
)
def test_parse_quantity_text_rejects(text: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as info:
        parse_quantity_text(text, "bilirubin")
    assert info.value.field == "bilirubin"
    assert info.value.value == text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bilirubin [umol/L]", ("bilirubin", "umol/L")),
        ("Bilirubin (mg/dL)", ("bilirubin", "mg/dL")),
        ("bili", ("bilirubin", None)),
        ("Total Bilirubin [µmol/L]", ("bilirubin", "µmol/L")),
        ("IGF-I (ng/mL)", ("igf1", "ng/mL")),
        ("igf_1 [nmol/L]", ("igf1", "nmol/L")),
        ("IGFBP-3", ("igfbp3", None)),
        ("protime", ("prothrombin_time", None)),
        ("platelet", ("platelets", None)),
        ("Na [mEq/L]", ("sodium", "mEq/L")),
        ("albumin []", ("albumin", None)),
        ("alt [[iU]/L]", ("alt", "[iU]/L")),
        ("inr [{INR}]", ("inr", "{INR}")),
        ("  crp ( mg/L ) ", ("crp", "mg/L")),
        ("[mg/dL]", ("[mg/dL]", None)),
        ("chol [mg/dL]", ("chol [mg/dL]", None)),
        ("alk.phos", ("alk.phos", None)),
    ],
)
def test_parse_header(header: str, expected: tuple[str, str | None]) -> None:
    assert parse_header(header) == expected


def test_si_patient_is_converted_to_default_units() -> None:
    p = parse_patient(
        {
            "bili": "34 umol/L",
            "alb": "35 g/L",
            "creat": "88.4 µmol/L",
            "na": "130 mEq/L",
            "igf_1": "5.2nmol/L",
            "igfbp_3": "100 nmol/L",
            "inr": 1.4,
            "platelet": "150 x10^9/L",
        }
    )
    assert p.values["bilirubin"] == pytest.approx(34 / 17.1, rel=1e-12)
    assert p.values["albumin"] == pytest.approx(3.5)
    assert p.values["creatinine"] == pytest.approx(1.0, rel=1e-4)
    assert p.values["sodium"] == 130.0
    assert p.values["igf1"] == pytest.approx(5.2 * 7.649, rel=1e-6)
    assert p.values["igfbp3"] == pytest.approx(100 * 0.0287, rel=1e-6)
    assert p.values["inr"] == 1.4
    assert p.values["platelets"] == pytest.approx(150.0)
    bili = p.fields["bilirubin"]
    assert (bili.unit_given, bili.unit_used, bili.assumed_unit) == ("umol/L", "umol/L", False)
    assert bili.value_si == pytest.approx(34.0)
    assert bili.value_conventional == pytest.approx(34 / 17.1, rel=1e-12)
    assert bili.value_given == 34.0
    assert p.warnings == []


def test_number_without_unit_is_default_and_the_assumption_is_stated() -> None:
    p = parse_patient({"bilirubin": 1.8, "albumin": "3.1", "inr": "1.2"})
    assert p.values == {"bilirubin": 1.8, "albumin": 3.1, "inr": 1.2}
    assert p.fields["bilirubin"].assumed_unit
    assert p.fields["bilirubin"].unit_used == "mg/dL"
    assert "bilirubin: no unit given; assumed mg/dL (data dictionary default)" in p.warnings
    assert not p.fields["inr"].assumed_unit  # a ratio has no unit to assume
    assert not any(w.startswith("inr") for w in p.warnings)


def test_assumed_unit_that_looks_like_si_gets_a_hint() -> None:
    p = parse_patient({"bilirubin": 34})
    assert p.values["bilirubin"] == 34.0  # plausible in mg/dL: kept, but questioned
    assert any("if it is in umol/L, write '34 umol/L'" in w for w in p.warnings)


@pytest.mark.parametrize(
    ("raw", "points"),
    [
        ("none", 1.0),
        ("absent", 1.0),
        ("no", 1.0),
        ("mild", 2.0),
        ("slight", 2.0),
        ("moderate", 3.0),
        ("severe", 3.0),
        ("moderate_severe", 3.0),
        ("Moderate-Severe", 3.0),
        ("tense", 3.0),
        (1, 1.0),
        (2, 2.0),
        (3.0, 3.0),
        ("3", 3.0),
    ],
)
def test_ascites_spellings(raw: str | int | float, points: float) -> None:
    assert parse_patient({"ascites": raw}).values["ascites"] == points


@pytest.mark.parametrize(
    ("raw", "points"),
    [
        ("none", 1.0),
        ("grade_1_2", 2.0),
        ("grade 1-2", 2.0),
        ("1-2", 2.0),
        ("grade_3_4", 3.0),
        ("3-4", 3.0),
        (1, 1.0),
        (2, 2.0),
        (3, 3.0),
    ],
)
def test_encephalopathy_spellings(raw: str | int, points: float) -> None:
    assert parse_patient({"he": raw}).values["encephalopathy"] == points


@pytest.mark.parametrize(
    ("raw", "code"),
    [("true", 1.0), ("yes", 1.0), ("Y", 1.0), ("1", 1.0), (1, 1.0), (True, 1.0)]
    + [("false", 0.0), ("No", 0.0), ("n", 0.0), ("0", 0.0), (0, 0.0), (False, 0.0)],
)
def test_bool_spellings(raw: str | int | bool, code: float) -> None:
    assert parse_patient({"dialysis": raw}).values["dialysis"] == code
    assert parse_patient({"gi_bleeding": raw}).values["gi_bleeding"] == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [("F", "F"), ("female", "F"), ("f", "F"), ("Male", "M"), ("m", "M")],
)
def test_sex_spellings(raw: str, code: str) -> None:
    assert parse_patient({"sex": raw}).values["sex"] == code


@pytest.mark.parametrize(("raw", "code"), [(0, 0.0), (0.5, 0.5), ("1", 1.0), ("none", 0.0)])
def test_edema_mayo_coding(raw: str | float, code: float) -> None:
    assert parse_patient({"edema": raw}).values["edema"] == code


def test_missing_is_missing_never_none() -> None:
    p = parse_patient({"ascites": None, "encephalopathy": "", "bilirubin": float("nan")})
    for name in ("ascites", "encephalopathy", "bilirubin"):
        assert math.isnan(p.values[name])  # type: ignore[arg-type]
        assert p.fields[name].flag == "missing"
    assert math.isnan(p.get("albumin"))  # type: ignore[arg-type]
    assert "albumin" not in p.values


def test_implausible_is_flagged_not_raised_and_suggests_the_unit() -> None:
    p = parse_patient({"albumin": 35})
    field = p.fields["albumin"]
    assert field.flag == "implausible"
    assert math.isnan(p.values["albumin"])  # type: ignore[arg-type]
    assert field.value_given == 35.0
    msg = "albumin 35 g/dL is implausible (plausible 0.5–7 g/dL); did you mean 35 g/L?"
    assert any(w.startswith(msg) for w in p.warnings)


@pytest.mark.parametrize(
    ("key", "raw", "suggested"),
    [
        ("bilirubin", 340, "340 umol/L"),
        ("creatinine", "150", "150 umol/L"),
        ("igfbp3", 3000, "3000 ng/mL"),
        ("platelets", 150000, "150000 1/uL"),
        ("spleen_length", 140, "140 mm"),
    ],
)
def test_unit_mistake_suggestions(key: str, raw: int | str, suggested: str) -> None:
    p = parse_patient({key: raw})
    assert p.fields[key].flag == "implausible"
    assert f"did you mean {suggested}?" in p.fields[key].message  # type: ignore[operator]


def test_implausible_in_a_given_unit_states_the_range_in_that_unit() -> None:
    p = parse_patient({"albumin": "350 g/L"})
    assert "plausible 0.5–7 g/dL = 5–70 g/L" in p.fields["albumin"].message  # type: ignore[operator]


def _error(values: dict[str, object]) -> InputError:
    with pytest.raises(InputError) as info:
        parse_patient(values)  # type: ignore[arg-type]
    return info.value


def test_wrong_dimension_unit_names_field_value_and_expected_units() -> None:
    err = _error({"bilirubin": "1.0kg"})
    assert isinstance(err, UnitError)
    assert (err.field, err.value) == ("bilirubin", "1.0kg")
    for needle in ("bilirubin", "'kg'", "mg/dL", "umol/L"):
        assert needle in err.message


def test_unknown_key_suggests_close_matches() -> None:
    err = _error({"bilirubn": 1.0})
    assert err.field == "bilirubn"
    assert "unknown field 'bilirubn'; did you mean bilirubin?" in err.message


def test_non_number_names_field_value_and_unit() -> None:
    err = _error({"creatinine": "high"})
    assert (err.field, err.value) == ("creatinine", "high")
    assert "'high' is not a number" in err.message
    assert "mg/dL" in err.message


def test_comma_decimal_is_rejected_with_advice() -> None:
    err = _error({"albumin": "3,5"})
    assert err.field == "albumin"
    assert "'3,5' contains a comma" in err.message


@pytest.mark.parametrize("raw", [0, -1.0, "0", "-0.5"])
def test_inr_not_positive_is_an_error(raw: object) -> None:
    err = _error({"inr": raw})
    assert err.field == "inr"
    assert "must be greater than 0" in err.message
    assert "0.5–20" in err.message


@pytest.mark.parametrize(("key", "raw"), [("bilirubin", -1), ("igf1", "-3 nmol/L"), ("alb", "-3")])
def test_negative_concentration_is_an_error(key: str, raw: object) -> None:
    err = _error({key: raw})
    assert "is negative" in err.message
    assert err.value == raw


def test_bool_for_a_quantity_is_an_error() -> None:
    assert "yes/no value" in _error({"bilirubin": True}).message


def test_category_error_lists_accepted_values() -> None:
    err = _error({"ascites": "lots"})
    assert (err.field, err.value) == ("ascites", "lots")
    assert "none" in err.message and "moderate_severe" in err.message


def test_numeric_sex_needs_a_mapping() -> None:
    err = _error({"sex": 1})
    assert "write F or M" in err.message


def test_same_field_twice_is_an_error() -> None:
    err = _error({"bili": 1.0, "bilirubin": 2.0})
    assert "given twice" in err.message


def test_etiology_unknown_spelling_is_kept_with_a_warning() -> None:
    p = parse_patient({"etiology": "nash", "aetiology": None} if False else {"etiology": "nash"})
    assert p.values["etiology"] == "MASLD"
    q = parse_patient({"etiology": "Wilson disease"})
    assert q.values["etiology"] == "Wilson disease"
    assert any("kept as given" in w for w in q.warnings)


def test_molecular_weight_override_changes_molar_conversion() -> None:
    default = parse_patient({"igfbp3": "100 nmol/L"}).values["igfbp3"]
    alt = parse_patient({"igfbp3": "100 nmol/L"}, molecular_weights={"igfbp3": 30500.0})
    assert default == pytest.approx(2.87)
    assert alt.values["igfbp3"] == pytest.approx(3.05)


def test_to_dict_is_json_ready() -> None:
    import json

    p = parse_patient({"albumin": 35, "bilirubin": "34 umol/L", "ascites": None})
    text = json.dumps(p.to_dict(), allow_nan=False)
    back = json.loads(text)
    assert back["inputs"]["albumin"]["value"] is None
    assert back["inputs"]["albumin"]["flag"] == "implausible"
    assert back["inputs"]["bilirubin"]["unit_si"] == "umol/L"


def test_numpy_numbers_are_numbers() -> None:
    import numpy as np

    p = parse_patient({"bilirubin": np.int64(2), "ascites": np.int64(3), "inr": np.float32(1.5)})
    assert p.values == {"bilirubin": 2.0, "ascites": 3.0, "inr": 1.5}


def test_key_may_carry_the_unit() -> None:
    p = parse_patient(
        {"bilirubin [umol/L]": 34.2, "albumin (g/L)": "35", "igf1 [nmol/L]": "100 ng/mL"}
    )
    assert p.values["bilirubin"] == pytest.approx(2.0, rel=1e-3)
    assert p.values["albumin"] == pytest.approx(3.5)
    assert p.values["igf1"] == pytest.approx(100.0)  # the value's own unit wins
    assert not p.fields["bilirubin"].assumed_unit
    with pytest.raises(UnitError, match="takes no unit"):
        parse_patient({"ascites [g/L]": "mild"})


def test_igfbp3_in_ng_per_ml_as_printed_by_the_review_is_caught() -> None:
    """The review prints the IGFBP-3 cut-off as 6 "ng/ml"; 6 ng/mL = 0.006 mg/L is not a
    serum level, so it is flagged and the mg/L reading is offered."""
    p = parse_patient({"igfbp3": "6 ng/mL"})
    assert p.fields["igfbp3"].flag == "implausible"
    assert "did you mean 6 mg/L?" in (p.fields["igfbp3"].message or "")
    assert parse_patient({"igfbp3": "6 mg/L"}).values["igfbp3"] == 6.0


def test_pandas_and_numpy_missing_and_bool_values() -> None:
    import numpy as np
    import pandas as pd

    p = parse_patient({"bilirubin": pd.NA, "ascites": None, "dialysis": np.True_, "hcc": np.False_})
    assert math.isnan(p.values["bilirubin"])  # type: ignore[arg-type]
    assert p.fields["bilirubin"].flag == "missing"
    assert (p.values["dialysis"], p.values["hcc"]) == (1.0, 0.0)
    with pytest.raises(InputError, match="yes/no value"):
        parse_patient({"albumin": np.True_})  # type: ignore[dict-item]


def test_importing_inputs_stays_light() -> None:
    """``igfc assess`` imports this module: no pandas, no pint until they are needed."""
    import subprocess
    import sys

    code = (
        "import sys; import igfcirrhosis.domain.inputs; "
        "print(','.join(m for m in ('pandas', 'pint', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
