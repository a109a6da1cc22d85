"""Checks of a plan against its prepared data, before anything runs: every column it names
exists; time, event and status columns hold valid values; numeric inputs are numeric; analysis
filters evaluate. Each failure is a :class:`PlanError` naming the plan key (and row, value)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from igfcirrhosis.analysis.errors import ExpressionError, PlanError
from igfcirrhosis.analysis.plan import ANALYSIS_FIELDS, AnalysisSpec, Plan


def analysis_columns(spec: AnalysisSpec) -> list[tuple[str, str]]:
    """(plan key, column) for every column ``spec`` reads, in plan order."""
    out: list[tuple[str, str]] = []
    fields = ANALYSIS_FIELDS[spec.type]
    for name, f in fields.items():
        v = spec.params.get(name)
        k = f"{spec.key}.{name}"
        if v is None:
            continue
        if f.kind == "column":
            out.append((k, v))
        elif f.kind == "columns":
            out += [(f"{k}[{j}]", c) for j, c in enumerate(v, 1)]
        elif f.kind == "pairs":
            out += [(f"{k}[{j}]", c) for j, pair in enumerate(v, 1) for c in pair]
        elif f.kind in ("markers", "rules"):
            out += [(f"{k}[{j}].column", m["column"]) for j, m in enumerate(v, 1)]
        elif f.kind == "cut":
            out.append((f"{k}.column", v["column"]))
        elif f.kind == "nested":
            out += [(f"{k}.{part}", c) for part in ("base", "added") for c in v[part]]
        elif f.kind == "outcome":
            if isinstance(v, str):
                out.append((k, v))
            else:
                out += [(f"{k}.time", v["time"]), (f"{k}.event", v["event"])]
    return out


def check_columns(plan: Plan, columns: Sequence[str]) -> None:
    """Raise :class:`PlanError` for the first column the plan names that is not in the data."""
    have = list(columns)
    shown = ", ".join(have[:60]) + (" ..." if len(have) > 60 else "")

    def need(key: str, col: str) -> None:
        if col not in have:
            near = difflib.get_close_matches(col, have, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise PlanError(key, f"column {col!r} not in data{hint} (columns: {shown})")

    if plan.data.id is not None:
        need("data.id", plan.data.id)
    for name in ("time", "event"):
        col = getattr(plan.outcome, name)
        if col is not None:
            need(f"outcome.{name}", col)
    for spec in plan.analyses:
        if spec.filter is not None:
            for col in spec.filter.columns:
                need(f"{spec.key}.filter", col)
        for key, col in analysis_columns(spec):
            need(key, col)


def check_values(plan: Plan, frame: Any) -> None:
    """Before anything runs: event columns hold 0/1 (or true/false), time columns numbers >= 0,
    status columns numbers. Raises :class:`PlanError` naming the key, row and value."""
    import numpy as np
    import pandas as pd

    def bad_row(key: str, col: str, ok: Any, expected: str) -> None:
        series = frame[col]
        notna = series.notna().to_numpy()
        wrong = notna & ~np.asarray(ok, dtype=bool)
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            v = series.iloc[i]
            v = v.item() if hasattr(v, "item") else v
            raise PlanError(key, f"column {col!r} must hold {expected}; row "
                            f"{int(frame.index[i]) + 1} has {v!r}")  # fmt: skip

    def numeric(key: str, col: str) -> Any:
        s = frame[col]
        if str(s.dtype) == "boolean" or pd.api.types.is_bool_dtype(s):
            return s.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        if not pd.api.types.is_numeric_dtype(s):
            i = int(np.flatnonzero(s.notna().to_numpy())[0]) if s.notna().any() else 0
            raise PlanError(key, f"column {col!r} must be numeric; row "
                            f"{int(frame.index[i]) + 1} has {str(s.iloc[i])!r}")  # fmt: skip
        return s.to_numpy(dtype=np.float64, na_value=np.nan)

    numeric_fields = ("covariates", "scores", "marker", "markers", "rules", "pairs", "before",
                      "after", "continuous", "nested", "cut")  # fmt: skip
    for spec in plan.analyses:
        if spec.filter is not None:
            from igfcirrhosis.analysis.data import column_arrays
            from igfcirrhosis.analysis.expressions import evaluate

            try:
                evaluate(spec.filter, column_arrays(frame), len(frame))
            except ExpressionError as exc:
                raise PlanError(f"{spec.key}.filter", str(exc)) from None
        for key, col in analysis_columns(spec):
            field_name = key.removeprefix(f"{spec.key}.").split(".")[0].split("[")[0]
            if field_name in numeric_fields:
                numeric(key, col)
        p = spec.params
        checks: list[tuple[str, str, str]] = []  # key, column, kind
        if spec.type in ("km", "cox", "compare_models", "cutpoint"):
            checks += [(f"{spec.key}.time", p["time"], "time"),
                       (f"{spec.key}.event", p["event"], "event")]  # fmt: skip
        if spec.type == "competing":
            checks += [(f"{spec.key}.time", p["time"], "time"),
                       (f"{spec.key}.status", p["status"], "status")]  # fmt: skip
        if spec.type == "competing":
            codes = set(numeric(f"{spec.key}.status", p["status"]).tolist())
            if p["event_code"] not in codes:
                shown = ", ".join(f"{c:g}" for c in sorted(c for c in codes if c == c))
                raise PlanError(f"{spec.key}.event_code", f"{p['event_code']:g} does not occur "
                                f"in column {p['status']!r} (codes: {shown})")  # fmt: skip
        if isinstance(p.get("outcome"), str):
            from igfcirrhosis.stats.roc import binary_array

            col = p["outcome"]
            try:
                binary_array(frame[col].to_numpy(dtype=object), f"column {col!r}")
            except ValueError as exc:
                raise PlanError(f"{spec.key}.outcome", str(exc)) from None
        if isinstance(p.get("outcome"), dict):
            o = p["outcome"]
            checks += [(f"{spec.key}.outcome.time", o["time"], "time"),
                       (f"{spec.key}.outcome.event", o["event"], "event")]  # fmt: skip
        for key, col, kind in checks:
            x = numeric(key, col)
            if kind == "event":
                bad_row(key, col, np.isin(x, (0.0, 1.0)), "0/1 (derive one, e.g. dead = "
                        '"status == 2")')  # fmt: skip
            elif kind == "time":
                bad_row(key, col, np.isfinite(x) & (x >= 0), "times >= 0")
            else:
                bad_row(key, col, np.isfinite(x), "numeric status codes")
