"""Property tests: SI -> conventional -> SI round trips, and patient/cohort agreement."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.domain.analytes import catalog
from igfcirrhosis.domain.inputs import normalize_frame, parse_patient
from igfcirrhosis.domain.units import convert

TOGGLED = sorted(n for n, a in catalog().items() if a.has_toggle)
values = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(TOGGLED), x=values)
def test_si_conventional_si_round_trip(name: str, x: float) -> None:
    a = catalog()[name]
    assert a.si_unit is not None and a.conventional_unit is not None
    conv = convert([x], a.si_unit, a.conventional_unit, name)
    back = convert(conv, a.conventional_unit, a.si_unit, name)
    assert math.isclose(float(back[0]), x, rel_tol=1e-12, abs_tol=1e-300)


@settings(max_examples=100, deadline=None)
@given(name=st.sampled_from(TOGGLED), x=values)
def test_conversion_is_linear(name: str, x: float) -> None:
    a = catalog()[name]
    one = convert([1.0], a.conventional_unit or "", a.si_unit or "", name)[0]
    got = convert([x], a.conventional_unit or "", a.si_unit or "", name)[0]
    assert math.isclose(got, x * one, rel_tol=1e-12, abs_tol=1e-300)


QUANTITIES = sorted(n for n, a in catalog().items() if a.is_numeric and a.plausible is not None)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(QUANTITIES), frac=st.floats(-0.5, 1.5), use_si=st.booleans())
def test_patient_and_cohort_agree(name: str, frac: float, use_si: bool) -> None:
    """One patient is a cohort of one: same canonical value, same flag."""
    a = catalog()[name]
    assert a.plausible is not None
    low, high = a.plausible.low, a.plausible.high
    canonical = low + frac * (high - low)
    unit = (a.si_unit if use_si else None) or a.default_unit or "1"
    given_value = float(convert([canonical], a.default_unit or "1", unit, name)[0])
    if a.sign == "positive" and given_value <= 0 or a.sign == "nonnegative" and given_value < 0:
        return  # hard errors are covered by example tests
    text = f"{given_value!r} {unit}" if unit != "1" else repr(given_value)
    patient = parse_patient({name: text})
    frame = normalize_frame(pd.DataFrame({name: [text]}))
    p = patient.values[name]
    f = frame.data[name].iloc[0]
    assert isinstance(p, float)
    if math.isnan(p):
        assert np.isnan(f)
        assert patient.fields[name].flag == "implausible"
        assert list(frame.issues["severity"]) == ["implausible"]
        assert frame.issues["message"].iloc[0] == patient.fields[name].message
    else:
        assert math.isclose(p, float(f), rel_tol=1e-12)
        assert frame.issues.empty
