"""The analyte catalog (data/analytes.toml): complete, sourced, consistent."""

from __future__ import annotations

import pytest

from igfcirrhosis.domain.analytes import catalog, lookup, resolve, suggest
from igfcirrhosis.domain.units import conversion_factor, parse_unit

#: The data dictionary of DESIGN.md, column by column.
DATA_DICTIONARY = {
    "patient_id": None, "age": "years", "sex": None, "etiology": None, "bilirubin": "mg/dL",
    "albumin": "g/dL", "inr": "1", "prothrombin_time_prolongation": "s", "creatinine": "mg/dL",
    "sodium": "mmol/L", "dialysis": None, "ascites": None, "encephalopathy": None,
    "igf1": "ng/mL", "igf2": "ng/mL", "igfbp3": "mg/L", "als": "nmol/L", "gh": "ng/mL",
    "prothrombin_time": "s", "edema": None, "crp": "mg/L", "afp": "ng/mL", "alt": "U/L",
    "ast": "U/L", "platelets": "10^9/L", "spleen_length": "cm", "gi_bleeding": None, "hcc": None,
    "vascular_invasion": None, "malignant_ascites": None, "time": "days", "event": None,
}  # fmt: skip

#: LOINC codes listed in CLINICAL-NOTES.md.
LOINC = {
    "igf1": ("2484-4", None), "igfbp3": ("2483-6", None), "bilirubin": ("1975-2", "14631-6"),
    "albumin": ("1751-7", None), "inr": ("6301-6", None), "prothrombin_time": ("5902-2", None),
    "creatinine": ("2160-0", "14682-9"), "sodium": ("2951-2", None), "crp": ("1988-5", None),
    "afp": ("1834-1", None), "platelets": ("777-3", None), "alt": ("1742-6", None),
    "ast": ("1920-8", None), "gh": ("2963-7", None),
}  # fmt: skip

#: Molecular weights fixed by the brief (g/mol).
MW = {
    "igf1": 7649.0, "igfbp3": 28700.0, "bilirubin": 584.66, "creatinine": 113.12,
    "albumin": 66500.0, "als": 85000.0,
}  # fmt: skip


def test_every_data_dictionary_column_is_catalogued_with_its_default_unit() -> None:
    cat = catalog()
    assert set(DATA_DICTIONARY) <= set(cat)
    for name, unit in DATA_DICTIONARY.items():
        assert cat[name].default_unit == unit, name


@pytest.mark.parametrize("name", sorted(LOINC))
def test_loinc_codes_match_the_clinical_notes(name: str) -> None:
    a = catalog()[name]
    assert (a.loinc, a.loinc_si) == LOINC[name]


@pytest.mark.parametrize("name", sorted(MW))
def test_molecular_weights_and_their_sources(name: str) -> None:
    a = catalog()[name]
    assert a.molecular_weight == MW[name]
    assert a.molecular_weight_source


def test_igfbp3_alternative_molecular_weight_is_documented() -> None:
    a = catalog()["igfbp3"]
    assert a.molecular_weight_alternative == 30500.0
    assert "30.5 kDa" in (a.molecular_weight_source or "")


@pytest.mark.parametrize("name", sorted(catalog()))
def test_ranges_are_sourced_ordered_and_nested(name: str) -> None:
    a = catalog()[name]
    if a.is_numeric:
        assert a.plausible is not None and a.typical is not None
    for rng in (a.plausible, a.typical):
        if rng is not None:
            assert rng.low < rng.high
            assert rng.source
    if a.plausible is not None and a.typical is not None:
        assert a.plausible.low <= a.typical.low and a.typical.high <= a.plausible.high


@pytest.mark.parametrize("name", sorted(catalog()))
def test_units_of_each_quantity_parse_and_convert_to_the_default(name: str) -> None:
    a = catalog()[name]
    if not a.is_numeric:
        assert a.default_unit is None
        return
    assert a.ucum
    for unit in a.accepted_units:
        factor = conversion_factor(unit, a.default_unit or "1", name)
        assert factor > 0, unit


@pytest.mark.parametrize("name", sorted(catalog()))
def test_ucum_code_denotes_the_default_unit(name: str) -> None:
    a = catalog()[name]
    if a.ucum is None or a.default_unit == "1":
        return
    assert conversion_factor(a.ucum, a.default_unit or "", name) == pytest.approx(1.0)


def test_category_kinds_carry_their_spellings() -> None:
    for name in ("sex", "ascites", "encephalopathy", "edema", "etiology", "event"):
        a = catalog()[name]
        assert a.categories, name
        spellings = a.spellings()
        codes = {c.code for c in a.categories}
        assert set(spellings.values()) == codes


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("bili", "bilirubin"), ("total_bilirubin", "bilirubin"), ("TBil", "bilirubin"),
        ("alb", "albumin"), ("cr", "creatinine"), ("creat", "creatinine"), ("Na", "sodium"),
        ("igf_1", "igf1"), ("IGF-I", "igf1"), ("igf1", "igf1"), ("IGFBP-3", "igfbp3"),
        ("igfbp_3", "igfbp3"), ("protime", "prothrombin_time"), ("pt", "prothrombin_time"),
        ("platelet", "platelets"), ("plt", "platelets"), ("id", "patient_id"),
        ("Spleen Length", "spleen_length"), ("futime", "time"),
    ],
)  # fmt: skip
def test_resolve_aliases(alias: str, name: str) -> None:
    assert resolve(alias).name == name
    assert lookup(alias) is resolve(alias)


def test_cause_is_not_an_etiology_alias() -> None:
    """A 'cause' column is usually the cause of death or the event type of a competing-risks
    outcome: it stays a column of its own, not the etiology of the liver disease."""
    import pandas as pd

    from igfcirrhosis.domain.inputs import normalize_frame

    assert lookup("cause") is None
    frame = pd.DataFrame({"bilirubin": [1.0, 2.0], "cause": ["death", "transplant"]})
    normalized = normalize_frame(frame)
    assert "cause" in normalized.data.columns and "etiology" not in normalized.data.columns
    assert len(normalized.issues) == 0


def test_resolve_unknown_suggests_close_matches() -> None:
    with pytest.raises(KeyError, match="did you mean bilirubin"):
        resolve("bilirubine")
    assert suggest("albumn") == ["albumin"]
    assert lookup("cholesterol") is None


def test_catalog_is_cached() -> None:
    assert catalog() is catalog()


def test_default_units_are_plain_units_not_equivalents() -> None:
    for a in catalog().values():
        if a.is_numeric:
            parse_unit(a.default_unit or "1")
