"""Antimony source -> SBML Level 3 (one model, parameter values from parameters.tsv)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from igfcirrhosis.model.parameters import data_dir, nominal_values


class ModelBuildError(RuntimeError):
    """The Antimony source could not be converted."""


def antimony_source(overrides: Mapping[str, float] | None = None) -> str:
    """The Antimony text with every parameter value from the table (and ``overrides``) injected."""
    text = (data_dir() / "igf_axis.ant").read_text(encoding="utf-8")
    values = dict(nominal_values())
    values.update(overrides or {})
    block = "".join(f"  {k} = {v!r};\n" for k, v in values.items())
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


def sbml_string() -> str:
    """SBML Level 3 text of the model with the packaged parameter values."""
    return _sbml_for(antimony_source())


def export_sbml(path: Path) -> Path:
    """Write the SBML file (COPASI/tellurium can open it) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sbml_string(), encoding="utf-8")
    return path
