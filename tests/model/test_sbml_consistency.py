"""The exported SBML passes libSBML's consistency checks (what COPASI and tellurium run when
they open a file): no error or fatal diagnostics, in the exchange and the simulation form.

Every species, parameter and compartment declares its unit (parameters from parameters.tsv), and
the model is dimensionally consistent: each kinetic law has the units of its species'
concentration per hour, and each assignment rule the units of the quantity it defines. libSBML
still warns that kinetic laws are concentration/time rather than extent/time (rates are written
per litre of a 1-L compartment, as Antimony models usually are) and that literal numbers carry
no unit; those warnings, and only those, are allowed.
"""

from __future__ import annotations

import pytest

from igfcirrhosis.model.parameters import SBML_UNITS, default_parameters
from igfcirrhosis.model.sbml import sbml_string

libsbml = pytest.importorskip("libsbml")

ALLOWED_UNIT_WARNINGS = {
    10503,  # kinetic laws differ in units (nM/h, ng/mL/h, 1/h): concentration-based rates
    10541,  # kinetic law units are not extent/time (same reason)
    99505,  # literal numbers (the 1 in 1 + x) carry no unit
}


def _document(fast: bool) -> object:
    doc = libsbml.readSBMLFromString(sbml_string(fast=fast))
    doc.checkConsistency()
    return doc


@pytest.mark.parametrize("fast", [False, True])
def test_exported_sbml_is_consistent_level_3(fast: bool) -> None:
    doc = _document(fast)
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    errors = [doc.getError(i) for i in range(doc.getNumErrors())]
    serious = [f"{e.getErrorId()} {e.getShortMessage()}: {e.getMessage()[:200]}"
               for e in errors if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    assert not serious, serious
    other = sorted({f"{e.getErrorId()} {e.getShortMessage()}" for e in errors
                    if e.getErrorId() not in ALLOWED_UNIT_WARNINGS})
    assert not other, other
    model = doc.getModel()
    assert model.getNumSpecies() >= 17 and model.getNumEvents() == 2


def _units(ud: object) -> str:
    return str(libsbml.UnitDefinition.printUnits(ud, True))


def test_every_entity_declares_its_unit() -> None:
    model = _document(False).getModel()
    assert _units(model.getUnitDefinition(model.getTimeUnits())) == "(3600 second)^1"
    for s in model.getListOfSpecies():
        assert s.getSubstanceUnits(), s.getId()
    for c in model.getListOfCompartments():
        assert c.getUnits(), c.getId()
    for p in model.getListOfParameters():
        assert p.getUnits(), p.getId()
    table = default_parameters()
    assert model.getParameter("kon1").getUnits() == SBML_UNITS[table["kon1"].unit]
    assert model.getParameter("Itot0").getUnits() == "nM"


def test_kinetic_laws_have_species_concentration_per_hour() -> None:
    """Dimensional analysis of every reaction: a wrong unit in parameters.tsv (or a rate that
    mixes nM and ng/mL) changes the law's derived units and fails here."""
    model = _document(False).getModel()
    per_hour = libsbml.UnitDefinition(3, 2)
    unit = per_hour.createUnit()
    unit.setKind(libsbml.UNIT_KIND_SECOND)
    unit.setExponent(-1)
    unit.setScale(0)
    unit.setMultiplier(3600)
    checked = 0
    for r in model.getListOfReactions():
        law = r.getKineticLaw().getDerivedUnitDefinition()
        refs = list(r.getListOfReactants()) + list(r.getListOfProducts())
        for ref in refs:
            conc = model.getSpecies(ref.getSpecies()).getDerivedUnitDefinition()
            expected = libsbml.UnitDefinition.combine(conc, per_hour)
            assert libsbml.UnitDefinition.areEquivalent(law, expected), (
                r.getId(), ref.getSpecies(), _units(law), _units(expected))
            checked += 1
    assert checked >= 40


def test_assignment_rules_have_the_units_they_define() -> None:
    model = _document(False).getModel()
    checked = 0
    for rule in model.getListOfRules():
        if rule.containsUndeclaredUnits():
            continue
        target = model.getParameter(rule.getVariable())
        got, want = rule.getDerivedUnitDefinition(), target.getDerivedUnitDefinition()
        assert libsbml.UnitDefinition.areEquivalent(got, want), (
            rule.getVariable(), _units(got), _units(want))
        checked += 1
    assert checked >= 15


def test_a_parameter_unit_the_sbml_cannot_declare_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    from igfcirrhosis.model.parameters import data_dir, read_parameters

    text = (data_dir() / "parameters.tsv").read_text(encoding="utf-8")
    bad = Path(str(tmp_path)) / "parameters.tsv"
    bad.write_text(text.replace("\nkcl_B\t1/h\t", "\nkcl_B\t1/min\t"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"row \d+: unit '1/min' of 'kcl_B'"):
        read_parameters(bad)
