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


def short(x: float, decimals: int | None = None) -> str:
    """3 significant digits without exponent notation (or fixed ``decimals``; no '-0.0')."""
    if decimals is not None:
        return f"{x + 0.0 if round(x, decimals) else 0.0:.{decimals}f}"
    if x == 0 or abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.{max(0, 2 - math.floor(math.log10(abs(x))))}f}"


#: Columns of :func:`trial_rows` after the arm name (units in the names).
TRIAL_COLUMNS = ("free IGF-I peak above the threshold, % of patients", "free IGF-I peak, ng/mL",
                 "IGF-I last day, ng/mL", "IGF-I, % of healthy", "GH last day, ng/mL",
                 "scar (ECM) change, %", "failed")


def trial_rows(summary: dict[str, Any]) -> list[list[str]]:
    """A virtual trial's summary.json as table rows: arm name, then :data:`TRIAL_COLUMNS`, each
    a median [5th, 95th percentile] over the patients (the proxy as % (count/patients))."""

    def cell(st: dict[str, Any], scale: float = 1.0, decimals: int | None = None) -> str:
        if st.get("median") is None:
            return "n/a"
        m, lo, hi = (short(st[k] * scale, decimals) for k in ("median", "p05", "p95"))
        return f"{m} [{lo}, {hi}]"

    n = int(summary["n_patients"])
    rows = []
    for arm in summary["arms"]:
        st = arm["statistics"]
        frac = arm["fraction_free_igf1_above_threshold"]["value"]
        ok = n - int(arm["n_failed"])
        above = "n/a" if frac is None else f"{frac:.0%} ({round(frac * ok)}/{ok})"
        rows.append([arm["name"], above, cell(st["free_igf1_peak"]), cell(st["igf1_last_day"]),
                     cell(st["igf1_restoration"], 100, 0), cell(st["gh_last_day"]),
                     cell(st["ecm_change"], 100, 1), str(arm["n_failed"])])
    return rows
