"""igfcirrhosis — the IGF system made computable for liver cirrhosis research.

For research and clinical decision support only; not a diagnostic device.

Submodules load lazily so that ``import igfcirrhosis`` (and ``igfc --help``) stays fast::

    from igfcirrhosis import scores      # pure, vectorised clinical scores
    from igfcirrhosis import units       # the one pint registry and analyte-aware conversions
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"

RESEARCH_USE = (
    "For research and clinical decision support only. Not a medical device; "
    "every output must be interpreted by a qualified clinician."
)

_LAZY = {
    "units": "igfcirrhosis.domain.units",
    "analytes": "igfcirrhosis.domain.analytes",
    "scores": "igfcirrhosis.domain.scores",
    "evidence": "igfcirrhosis.domain.evidence",
    "biomarkers": "igfcirrhosis.domain.biomarkers",
    "inputs": "igfcirrhosis.domain.inputs",
    "assessment": "igfcirrhosis.domain.assessment",
}


def __getattr__(name: str) -> ModuleType:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'igfcirrhosis' has no attribute {name!r}")


__all__ = ["RESEARCH_USE", "__version__", *_LAZY]
