"""LMS z-scores (Cole & Green 1992) and the childsds (pBCCG) variant, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from igfcirrhosis.domain.biomarkers import bccg_sds, lms_sds


def test_lms_formula_power_case_by_hand() -> None:
    # y = 12, L = 0.5, M = 100, S = 0.3: ((0.12)^0.5 - 1) / (0.5 * 0.3)
    #   = (0.3464102 - 1) / 0.15 = -4.357266
    expected = (math.sqrt(12 / 100) - 1) / (0.5 * 0.3)
    assert expected == pytest.approx(-4.357266, abs=1e-6)
    assert lms_sds(12.0, 0.5, 100.0, 0.3) == pytest.approx(expected, rel=1e-12)


def test_lms_formula_log_case_when_l_is_zero() -> None:
    # y = 50, L = 0, M = 100, S = 0.25: ln(0.5) / 0.25 = -2.7725887
    expected = math.log(0.5) / 0.25
    assert lms_sds(50.0, 0.0, 100.0, 0.25) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(-2.7725887, abs=1e-7)


def test_lms_is_continuous_as_l_tends_to_zero() -> None:
    near = lms_sds(50.0, 1e-9, 100.0, 0.25)
    assert near == pytest.approx(lms_sds(50.0, 0.0, 100.0, 0.25), abs=1e-6)


def test_lms_vectorised_with_mixed_l_and_nan() -> None:
    y = np.array([12.0, 50.0, np.nan])
    lam = np.array([0.5, 0.0, 0.5])
    z = lms_sds(y, lam, 100.0, np.array([0.3, 0.25, 0.3]))
    assert z[0] == pytest.approx((math.sqrt(0.12) - 1) / 0.15)
    assert z[1] == pytest.approx(math.log(0.5) / 0.25)
    assert math.isnan(z[2])


@pytest.mark.parametrize("z", [-4.0, -2.0, 0.0, 1.5, 3.0])
@pytest.mark.parametrize("lam", [-0.4, 0.4595, 1.2])
def test_value_at_inverse_lms_gives_z(z: float, lam: float) -> None:
    m, s = 150.0, 0.15  # 1 + L*S*z > 0 for every case: inside the distribution's support
    y = m * (1 + lam * s * z) ** (1 / lam)
    assert lms_sds(y, lam, m, s) == pytest.approx(z, abs=1e-10)


def test_lms_rejects_non_positive_values() -> None:
    with pytest.raises(ValueError, match="> 0"):
        lms_sds(0.0, 0.5, 100.0, 0.3)


def test_bccg_matches_gamlss_pbccg_formula_by_hand() -> None:
    # pBCCG (gamlss.dist, R/BCCG.R): F = (Phi(z) - Phi(-1/(S|L|))) / Phi(1/(S|L|)) for L > 0.
    # y = 0.5, L = 1, M = 1, S = 0.5: z = (0.5 - 1)/0.5 = -1; bound 1/(0.5*1) = 2
    p = (norm.cdf(-1.0) - norm.cdf(-2.0)) / norm.cdf(2.0)
    assert p == pytest.approx(0.1390690, abs=1e-7)
    assert bccg_sds(0.5, 1.0, 1.0, 0.5) == pytest.approx(norm.ppf(p), abs=1e-12)
    assert bccg_sds(0.5, 1.0, 1.0, 0.5) != pytest.approx(-1.0, abs=1e-3)


def test_bccg_negative_l_truncates_upper_tail_only() -> None:
    # L < 0: F = Phi(z) / Phi(1/(S|L|)); y = 2, L = -1, M = 1, S = 0.5: z = (0.5 - 1)/(-0.5) = 1
    p = norm.cdf(1.0) / norm.cdf(2.0)
    assert bccg_sds(2.0, -1.0, 1.0, 0.5) == pytest.approx(norm.ppf(p), abs=1e-12)


def test_bccg_equals_lms_when_l_is_zero_or_truncation_negligible() -> None:
    assert bccg_sds(50.0, 0.0, 100.0, 0.25) == pytest.approx(lms_sds(50.0, 0.0, 100.0, 0.25))
    # Bidlingmaier-like adult parameters: S*L ~ 0.15, truncation ~ Phi(-6.6) ~ 2e-11
    assert bccg_sds(12.0, 0.4595, 97.0, 0.33) == pytest.approx(
        lms_sds(12.0, 0.4595, 97.0, 0.33), abs=1e-6
    )


def test_tiny_l_does_not_cancel_to_zero() -> None:
    """Regression (found by hypothesis): (y/M)^L - 1 underflowed to 0 for L ~ 1e-242."""
    y = 100.0 * math.exp(0.25)
    assert lms_sds(y, 1.5e-242, 100.0, 0.25) == pytest.approx(1.0, abs=1e-12)
