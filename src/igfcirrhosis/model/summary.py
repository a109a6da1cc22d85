"""JSON helpers: quantities with units, ``null`` instead of NaN, stable rounding."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def num(x: float | None, digits: int = 6) -> float | None:
    """Round to ``digits`` significant digits; NaN/inf become None (JSON null)."""
    if x is None:
        return None
    v = float(x)
    if not math.isfinite(v):
        return None
    if v == 0.0:
        return 0.0
    return float(f"{v:.{digits}g}")


def qty(x: float | None, unit: str, **extra: Any) -> dict[str, Any]:
    """A quantity object {"value", "unit", ...}."""
    return {"value": num(x), "unit": unit, **extra}


def dump(doc: dict[str, Any], path: Path) -> Path:
    """Write JSON deterministically (sorted keys, no NaN)."""
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, allow_nan=False) + "\n",
                    encoding="utf-8")
    return path
