"""The exported SBML passes libSBML's consistency checks (what COPASI and tellurium run when
they open a file): no error or fatal diagnostics, in the exchange and the simulation form.
Unit warnings remain: the parameters' units live in parameters.tsv, not yet in the SBML."""

from __future__ import annotations

import pytest

from igfcirrhosis.model.sbml import sbml_string

libsbml = pytest.importorskip("libsbml")


@pytest.mark.parametrize("fast", [False, True])
def test_exported_sbml_is_consistent_level_3(fast: bool) -> None:
    doc = libsbml.readSBMLFromString(sbml_string(fast=fast))
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    doc.checkConsistency()
    errors = [doc.getError(i) for i in range(doc.getNumErrors())]
    serious = [f"{e.getErrorId()} {e.getShortMessage()}: {e.getMessage()[:200]}"
               for e in errors if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    assert not serious, serious
    model = doc.getModel()
    assert model.getNumSpecies() >= 17 and model.getNumEvents() == 2
