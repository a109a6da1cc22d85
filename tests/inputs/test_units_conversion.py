"""Unit spellings and conversions, checked against published factors.

Known factors (re-derivable by hand):
* bilirubin 1 mg/dL = 17.1 umol/L and creatinine 1 mg/dL = 88.4 umol/L exactly: the clinical SI
  factors, declared as equivalents in analytes.toml (the molecular weights give 17.104 and 88.402)
* albumin 1 g/dL = 10 g/L
* IGF-I 1 ng/mL = 1 ug/L / 7649 g/mol = 0.1307 nmol/L (CLINICAL-NOTES.md)
* IGFBP-3 1 mg/L = 1 mg/L / 28700 g/mol = 34.84 nmol/L (at 28.7 kDa); 32.79 at 30.5 kDa
"""

from __future__ import annotations

import numpy as np
import pytest

from igfcirrhosis.domain.input_errors import InputError, UnitError
from igfcirrhosis.domain.units import (
    conversion_factor,
    convert,
    is_dimensionless,
    parse_unit,
    registry,
    tidy_unit,
)

KNOWN = [
    ("bilirubin", "mg/dL", "umol/L", 17.1, 1e-12),
    ("creatinine", "mg/dL", "umol/L", 88.4, 1e-12),
    ("albumin", "g/dL", "g/L", 10.0, 1e-12),
    ("igf1", "ng/mL", "nmol/L", 0.1307, 0.0001),
    ("igfbp3", "mg/L", "nmol/L", 34.84, 0.005),
    ("sodium", "mEq/L", "mmol/L", 1.0, 1e-12),
    ("platelets", "10^3/uL", "10^9/L", 1.0, 1e-12),
    ("alt", "U/L", "ukat/L", 1 / 60, 1e-12),
    ("gh", "mIU/L", "ng/mL", 1 / 3, 1e-12),
    ("afp", "IU/mL", "ng/mL", 1.21, 1e-12),
    ("spleen_length", "mm", "cm", 0.1, 1e-12),
    ("age", "months", "years", 1 / 12, 1e-12),
]


@pytest.mark.parametrize(
    ("analyte", "src", "dst", "factor", "tol"), KNOWN, ids=[k[0] for k in KNOWN]
)
def test_known_factor_both_ways(
    analyte: str, src: str, dst: str, factor: float, tol: float
) -> None:
    assert conversion_factor(src, dst, analyte) == pytest.approx(factor, abs=tol)
    assert conversion_factor(dst, src, analyte) == pytest.approx(1 / factor, rel=tol / factor)


def test_igfbp3_alternative_molecular_weight_is_a_parameter() -> None:
    at_28_7 = conversion_factor("mg/L", "nmol/L", "igfbp3")
    at_30_5 = conversion_factor("mg/L", "nmol/L", "igfbp3", 30500.0)
    assert at_30_5 == pytest.approx(1e-3 / 30500.0 * 1e9, rel=1e-12)  # 32.79 nmol/L
    assert at_28_7 / at_30_5 == pytest.approx(30.5 / 28.7, rel=1e-12)


def test_igf1_igfbp3_molar_ratio_is_about_3_75_times_mass_ratio() -> None:
    """CLINICAL-NOTES: molar ratio ~ 3.75 x mass ratio at 28.7 kDa (28700 / 7649 = 3.752)."""
    igf1 = convert([150.0], "ng/mL", "nmol/L", "igf1")[0]
    bp3 = convert([3.0], "mg/L", "nmol/L", "igfbp3")[0]
    mass_ratio = 150.0 / 3000.0  # both in ng/mL
    assert igf1 / bp3 / mass_ratio == pytest.approx(3.752, abs=0.001)


SPELLINGS = {
    "umol/L": "umol/L",
    "µmol/L": "umol/L",
    "μmol/L": "umol/L",
    "mg/dL": "mg/dL",
    "mg/dl": "mg/dL",
    "g/L": "g/L",
    "g/dL": "g/dL",
    "ng/mL": "ng/mL",
    "ng/ml": "ng/mL",
    "µg/L": "ug/L",
    "ug/L": "ug/L",
    "mcg/L": "ug/L",
    "mg/L": "mg/L",
    "µg/mL": "ug/mL",
    "nmol/L": "nmol/L",
    "mmol/L": "mmol/L",
    "mmol/l": "mmol/L",
    "U/L": "U/L",
    "IU/L": "U/L",
    "10^9/L": "10^9/L",
    "x10^9/L": "10^9/L",
    "×10^9/L": "10^9/L",
    "10*9/L": "10^9/L",
    "10E9/L": "10^9/L",
    "10^3/uL": "10^9/L",
    "×10⁹/L": "10^9/L",
    "10³/µL": "10^9/L",
    "10^3/mm³": "10^9/L",
    "10^3/µL": "10^9/L",
    "K/uL": "10^9/L",
    "G/L": "10^9/L",
    "10^3/mm3": "10^9/L",
    "s": "s",
    "sec": "s",
    "seconds": "s",
    "years": "years",
    "y": "years",
    "cm": "cm",
}


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_lab_spelling_equals_its_reference_unit(spelling: str) -> None:
    assert conversion_factor(spelling, SPELLINGS[spelling]) == pytest.approx(1.0, rel=1e-12)


def test_percent_is_a_hundredth_and_not_a_pure_ratio() -> None:
    assert conversion_factor("%", "1") == pytest.approx(0.01)
    assert not is_dimensionless("%")
    assert is_dimensionless("{INR}")
    assert is_dimensionless("1")


def test_tidy_unit_normalises_micro_and_decilitre() -> None:
    assert tidy_unit(" µmol / l ") == "umol/L"
    assert tidy_unit("mg/dl") == "mg/dL"


def test_meq_is_sodium_only() -> None:
    assert conversion_factor("mEq/L", "mmol/L", "na") == 1.0
    with pytest.raises(UnitError, match="monovalent"):
        conversion_factor("mEq/L", "mmol/L")
    with pytest.raises(UnitError) as info:
        conversion_factor("mEq/L", "g/dL", "albumin")
    assert info.value.field == "albumin"
    assert "monovalent" in info.value.message


def test_wrong_dimension_names_analyte_unit_and_expected_units() -> None:
    with pytest.raises(UnitError) as info:
        conversion_factor("kg", "mg/dL", "bilirubin")
    err = info.value
    assert isinstance(err, InputError)
    assert (err.field, err.value) == ("bilirubin", "kg")
    for expected in ("bilirubin", "'kg'", "mg/dL", "umol/L"):
        assert expected in err.message


def test_unknown_unit_is_a_unit_error() -> None:
    with pytest.raises(UnitError, match="unknown unit 'blorbs/L'"):
        parse_unit("blorbs/L")
    with pytest.raises(UnitError, match="is not a known unit"):
        conversion_factor("blorbs/L", "mg/dL", "bilirubin")


def test_mass_to_molar_without_analyte_is_refused() -> None:
    with pytest.raises(UnitError, match="name the analyte"):
        conversion_factor("mg/dL", "umol/L")


def test_analyte_without_molecular_weight_cannot_go_molar() -> None:
    with pytest.raises(UnitError, match="molecular weight"):
        conversion_factor("mg/L", "nmol/L", "crp")


def test_inr_takes_no_unit() -> None:
    assert conversion_factor("1", "1", "inr") == 1.0
    with pytest.raises(UnitError, match="pure ratio"):
        conversion_factor("s", "1", "inr")


def test_convert_is_vectorised_and_keeps_nan() -> None:
    values = np.array([1.0, np.nan, 2.5, 0.0])
    out = convert(values, "mg/dL", "umol/L", "bilirubin")
    assert out.dtype == np.float64
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2, 3]], np.array([1.0, 2.5, 0.0]) * 17.1, rtol=1e-12)
    assert values[0] == 1.0  # input untouched


def test_convert_identity_returns_a_copy() -> None:
    values = np.array([1.0, 2.0])
    out = convert(values, "mg/dL", "mg/dl")
    out[0] = 99.0
    assert values[0] == 1.0


def test_registry_is_one_cached_instance_with_international_unit() -> None:
    assert registry() is registry()
    assert registry().Quantity(1, "IU/L").to("U/L").magnitude == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ucum", "spelled"),
    [("10*9/L", "10^9/L"), ("10*3/uL", "10^3/uL"), ("[iU]/L", "U/L"), ("a", "years"),
     ("d", "days"), ("umol/L", "µmol/L"), ("ug/L", "ng/mL")],
)  # fmt: skip
def test_ucum_codes_parse(ucum: str, spelled: str) -> None:
    """FHIR valueQuantity.code is UCUM; it must read the same as the lab spelling."""
    assert conversion_factor(ucum, spelled) == pytest.approx(1.0, rel=1e-12)


def test_si_conventional_toggle() -> None:
    from igfcirrhosis.domain.units import system_unit, to_system

    values, unit = to_system([2.0, float("nan")], "bili", "si")
    assert unit == "umol/L"
    assert values[0] == pytest.approx(34.21, abs=0.01) and np.isnan(values[1])
    values, unit = to_system([2.0], "bilirubin", "conventional")
    assert (unit, values[0]) == ("mg/dL", 2.0)
    assert system_unit("albumin", "si") == "g/L"
    assert system_unit("igf1", "si") == "nmol/L"
    assert system_unit("inr", "si") == "1"  # no SI/conventional pair: the default unit
    values, unit = to_system([3.0], "igfbp3", "si", molecular_weight=30500.0)
    assert values[0] == pytest.approx(3e-3 / 30500 * 1e9)
    with pytest.raises(UnitError, match="has no unit"):
        system_unit("ascites", "si")
