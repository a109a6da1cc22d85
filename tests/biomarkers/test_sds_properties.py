"""Properties of igf_sds that must hold for any input inside the tables' support."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcirrhosis.domain.biomarkers import igf_sds, lms_sds

ages = st.floats(min_value=0.0, max_value=90.0, allow_nan=False)
sexes = st.sampled_from(["F", "M"])
igf1 = st.floats(min_value=1.0, max_value=1000.0, allow_nan=False)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(age=ages, sex=sexes, a=igf1, b=igf1)
def test_sds_increases_with_value(age: float, sex: str, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    z = igf_sds([lo, hi], [age, age], [sex, sex])
    assert z[0] <= z[1]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    values=st.lists(igf1, min_size=1, max_size=8),
    age=ages,
    sex=sexes,
)
def test_vectorised_equals_elementwise(values: list[float], age: float, sex: str) -> None:
    n = len(values)
    z = igf_sds(values, [age] * n, [sex] * n)
    single = [float(igf_sds(v, age, sex)) for v in values]
    assert np.allclose(z, single, rtol=0, atol=0)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    z=st.floats(min_value=-5, max_value=5),
    lam=st.floats(min_value=-1.5, max_value=1.5),
    s=st.floats(min_value=0.05, max_value=0.4),
)
def test_lms_round_trip(z: float, lam: float, s: float) -> None:
    m = 100.0
    if abs(lam) < 1e-6:
        y = m * np.exp(s * z)
    else:
        base = 1 + lam * s * z
        if base <= 0:
            return  # outside the Box-Cox support
        y = m * base ** (1 / lam)
    assert abs(float(lms_sds(y, lam, m, s)) - z) < 1e-6
