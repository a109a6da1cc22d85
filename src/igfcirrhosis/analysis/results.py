"""results.json: plain JSON (``null``, never NaN), sorted keys, fixed float formatting.

Floats are rounded to :data:`SIGNIFICANT` significant digits so that the file does not depend
on the last bits of floating-point summation order; the same plan on the same data gives a
byte-identical file. Run metadata (time, machine) is never written here, only in the report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

SCHEMA_VERSION = "1.0.0"
SIGNIFICANT = 12


def clean(value: Any) -> Any:
    """``value`` as JSON-ready Python: NaN/inf → None, numpy scalars → Python, floats rounded."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            return None
        if f == 0.0:
            return 0.0
        return float(f"{f:.{SIGNIFICANT}g}")
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [clean(v) for v in value.tolist()]
    if isinstance(value, Path):
        return str(value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def dumps(doc: Mapping[str, Any]) -> str:
    """Deterministic JSON text of ``doc`` (after :func:`clean`)."""
    return json.dumps(clean(doc), sort_keys=True, indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"  # fmt: skip


def schema_path() -> Path:
    import igfcirrhosis

    return Path(igfcirrhosis.__file__).resolve().parent / "schemas" / "results.schema.json"


def validate(doc: Mapping[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``doc`` does not follow results.schema.json."""
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.validate(clean(doc), schema)
