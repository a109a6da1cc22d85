"""The pint-free fast path of ``conversion_factor`` gives exactly pint's factors.

``conversion_factor`` answers a default unit to itself (1.0) and the entries of
``units._KNOWN_FACTORS`` without importing pint and building its registry (1-2 s at start-up
of ``igfc score``); these tests compute every such factor through pint and compare exactly,
and check that the table was made from the catalog as it is now.
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


def test_table_was_made_from_the_current_catalog() -> None:
    """A catalog change (molecular weight, equivalents, default unit) makes the table stale:
    conversion_factor then falls back to pint, and this test says to regenerate it."""
    stale = [n for n, fp in units._KNOWN_CATALOG.items() if units._fingerprint(catalog()[n]) != fp]
    assert stale == []
    assert {a for a, _, _ in units._KNOWN_FACTORS} <= set(units._KNOWN_CATALOG)


def test_stale_table_entry_falls_back_to_pint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(units._KNOWN_FACTORS, ("albumin", "g/L", "g/dL"), 0.5)
    monkeypatch.setitem(units._KNOWN_CATALOG, "albumin", ("g/dL", 1.0, ()))
    units.conversion_factor.cache_clear()
    try:
        assert units.conversion_factor("g/L", "g/dL", "albumin") == 0.1
    finally:
        units.conversion_factor.cache_clear()
