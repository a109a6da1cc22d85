"""The pint-free fast path of ``conversion_factor`` gives exactly pint's factors.

``conversion_factor`` answers a default unit to itself (1.0) and the entries of
``units._KNOWN_FACTORS`` without building the pint registry (0.5-1 s at start-up of
``igfc score``); these tests compute every such factor through pint and compare exactly.
"""

from __future__ import annotations

import pytest

from igfcirrhosis.domain import units
from igfcirrhosis.domain.analytes import catalog


def _pint_factor(from_unit: str, to_unit: str, analyte: str) -> float:
    # uncached, through pint: a molecular_weight argument bypasses the fast path, so pass the
    # catalog's own weight (or an irrelevant one when the dimensions already agree)
    mw = catalog()[analyte].molecular_weight or 1.0
    return units.conversion_factor.__wrapped__(from_unit, to_unit, analyte, mw)


@pytest.mark.parametrize("key", sorted(units._KNOWN_FACTORS))
def test_known_factor_is_pints(key: tuple[str, str, str]) -> None:
    analyte, from_unit, to_unit = key
    assert units._KNOWN_FACTORS[key] == _pint_factor(from_unit, to_unit, analyte)
    assert units.conversion_factor(from_unit, to_unit, analyte) == units._KNOWN_FACTORS[key]


@pytest.mark.parametrize(
    "name", sorted(n for n, a in catalog().items() if a.is_numeric and a.default_unit != "1")
)
def test_default_unit_to_itself_is_one_as_in_pint(name: str) -> None:
    default = catalog()[name].default_unit
    assert default is not None
    assert _pint_factor(default, default, name) == 1.0
    assert units.conversion_factor(default, default, name) == 1.0
