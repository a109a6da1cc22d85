"""Antimony source -> SBML Level 3 (one model, parameter values from parameters.tsv)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from igfcirrhosis.model.parameters import SBML_UNITS, data_dir, default_parameters, nominal_values


class ModelBuildError(RuntimeError):
    """The Antimony source could not be converted."""


DERIVED_START = "  // ---- derived healthy state"
DERIVED_END = "  // ---- signals ----"


def derived_ids() -> list[str]:
    """Ids of the derived healthy-state constants (assignment rules in the exchange SBML)."""
    text = (data_dir() / "igf_axis.ant").read_text(encoding="utf-8")
    block = text[text.index(DERIVED_START):text.index(DERIVED_END)]
    return [ln.split(":=")[0].strip() for ln in block.splitlines() if ":=" in ln]


def antimony_source(overrides: Mapping[str, float] | None = None, fast: bool = False) -> str:
    """The Antimony text with every parameter value from the table (and ``overrides``) injected.

    ``fast=True`` turns the derived healthy-state constants from assignment rules into initial
    assignments (evaluated once instead of at every right-hand-side call: ~2x faster runs);
    :class:`~igfcirrhosis.model.engine.IgfModel` then sets them per patient from a rule-form
    instance of the same model, so both forms give the same trajectories (tested).
    """
    text = (data_dir() / "igf_axis.ant").read_text(encoding="utf-8")
    if fast:
        a, b = text.index(DERIVED_START), text.index(DERIVED_END)
        text = text[:a] + text[a:b].replace(":=", "=") + text[b:]
    values = dict(nominal_values())
    values.update(overrides or {})
    block = "".join(f"  {k} = {v!r};\n" for k, v in values.items())
    block += "".join(f"  {k} has {SBML_UNITS[p.unit]};\n" for k, p in default_parameters().items())
    head, sep, tail = text.rpartition("\nend")
    if not sep:
        raise ModelBuildError("igf_axis.ant has no closing 'end'")
    return f"{head}\n  // ---- injected from parameters.tsv ----\n{block}end{tail}"


@lru_cache(maxsize=4)
def _sbml_for(source: str) -> str:
    import antimony

    antimony.clearPreviousLoads()
    if antimony.loadAntimonyString(source) < 0:
        raise ModelBuildError(antimony.getLastError())
    sbml = antimony.getSBMLString("igf_axis")
    if not sbml:
        raise ModelBuildError(antimony.getLastError())
    return str(sbml)


def sbml_string(fast: bool = False) -> str:
    """SBML Level 3 text of the model with the packaged parameter values (exchange form, or the
    simulation form with ``fast=True``)."""
    return _sbml_for(antimony_source(fast=fast))


def export_sbml(path: Path) -> Path:
    """Write the SBML file (COPASI/tellurium can open it) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sbml_string(), encoding="utf-8")
    return path
