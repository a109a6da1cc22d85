"""Run a validated plan: data → each analysis step → results.json, tables, figures, report.

The runner composes; it computes no statistic itself. Order: read and prepare the data, check
every column the plan names (so a typo fails before anything runs), then run the steps one by
one, each inside ``warnings.catch_warnings`` so that statistical warnings land in the report.
A step that fails on the data is recorded (``status: "failed"`` with the message) and the run
continues; :attr:`RunOutcome.failed` lists such steps.
"""

from __future__ import annotations

import hashlib
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from igfcirrhosis.analysis.errors import PlanError

if TYPE_CHECKING:
    from igfcirrhosis.analysis.context import StepResult
    from igfcirrhosis.analysis.data import PreparedData
    from igfcirrhosis.analysis.plan import AnalysisSpec, Plan

Progress = Callable[[str, str], None]  # (event: "start" | "done", label)

#: Exceptions a step may raise on unsuitable data; anything else is a bug and propagates.
_DATA_ERRORS: tuple[type[BaseException], ...] = (ValueError, ArithmeticError)


@dataclass
class AnalysisRecord:
    spec: AnalysisSpec
    status: str
    error: str | None
    result: StepResult | None
    seconds: float
    figures: list[dict[str, str]] = field(default_factory=list)  # name, svg, png, svg_text
    tables: list[dict[str, Any]] = field(default_factory=list)  # name, csv, frame


@dataclass
class RunOutcome:
    results: dict[str, Any]
    out_dir: Path
    records: list[AnalysisRecord]
    timings: dict[str, float]
    data: PreparedData

    @property
    def failed(self) -> list[AnalysisRecord]:
        return [r for r in self.records if r.status != "ok"]


def _timed(timings: dict[str, float], label: str, progress: Progress | None) -> Any:
    class _T:
        def __enter__(self) -> None:
            if progress:
                progress("start", label)
            self.t0 = time.perf_counter()

        def __exit__(self, *exc: object) -> None:
            timings[label] = time.perf_counter() - self.t0
            if progress and exc[0] is None:
                progress("done", label)

    return _T()


def prepare_data(plan: Plan) -> PreparedData:
    """Read, score, derive and filter the data, then check every column the plan names and
    the values of time, event and status columns."""
    from igfcirrhosis.analysis.checks import check_columns, check_values
    from igfcirrhosis.analysis.data import prepare, read_data

    data = prepare(plan.data, read_data(plan.data, plan.base_dir))
    check_columns(plan, [str(c) for c in data.frame.columns])
    check_values(plan, data.frame)
    return data


def run_plan(
    plan: Plan,
    out_dir: str | Path,
    *,
    progress: Progress | None = None,
    data: PreparedData | None = None,
    language: str | None = None,
) -> RunOutcome:
    """Run ``plan`` and write ``out_dir``/{results.json, report.html, figures/, tables/}.

    ``language`` (default: the plan's) sets the report and figure labels only; results.json and
    the tables are the same in every language."""
    from igfcirrhosis.analysis.messages import normalize_language
    from igfcirrhosis.analysis.results import dumps

    lang = normalize_language(language or plan.language)

    out = Path(out_dir)
    timings: dict[str, float] = {}
    if data is None:
        with _timed(timings, "data", progress):
            data = prepare_data(plan)
    for sub in ("figures", "tables"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    records = []
    for spec in plan.analyses:
        label = f"{spec.id} ({spec.type})"
        with _timed(timings, label, progress):
            records.append(_run_one(plan, data, spec, out, lang))
        records[-1].seconds = timings[label]
    with _timed(timings, "results.json", progress):
        doc = build_results(plan, data, records)
        (out / "results.json").write_text(dumps(doc), encoding="utf-8")
        _write_excluded(data, records, out)
    outcome = RunOutcome(doc, out, records, timings, data)
    with _timed(timings, "report.html", progress):
        from igfcirrhosis.analysis.report import render_report

        html = render_report(plan, outcome, language=lang)
        (out / "report.html").write_text(html, encoding="utf-8")
    return outcome


def _run_one(
    plan: Plan, data: PreparedData, spec: AnalysisSpec, out: Path, language: str = "en"
) -> AnalysisRecord:
    from igfcirrhosis.analysis.context import StepContext
    from igfcirrhosis.analysis.figures import save_figure
    from igfcirrhosis.analysis.steps import get_step

    ctx = StepContext(plan, data, spec)
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = get_step(spec.type)(ctx)
        except PlanError as exc:
            return AnalysisRecord(spec, "failed", str(exc), None, time.perf_counter() - t0)
        except _DATA_ERRORS as exc:
            msg = f"{spec.key} ({spec.id}): {type(exc).__name__}: {exc}"
            return AnalysisRecord(spec, "failed", msg, None, time.perf_counter() - t0)
    seen = set(res.warnings)
    for w in caught:
        msg = ctx.say("warn_stats", category=w.category.__name__, message=str(w.message))
        if msg not in seen:
            res.warnings.append(msg)
            seen.add(msg)
    rec = AnalysisRecord(spec, "ok", None, res, 0.0)
    for name, fig in res.figures.items():
        svg, png, svg_text = save_figure(fig, out / "figures", f"{spec.id}_{name}", language)
        rec.figures.append({"name": name, "svg": f"figures/{svg.name}",
                            "png": f"figures/{png.name}", "svg_text": svg_text})  # fmt: skip
    res.figures.clear()
    for name, frame in res.tables.items():
        path = out / "tables" / f"{spec.id}_{name}.csv"
        frame.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
        rec.tables.append({"name": name, "csv": f"tables/{path.name}", "frame": frame})
    return rec


def _reason_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(r["reason"] for r in rows).items()))


def _write_excluded(data: PreparedData, records: list[AnalysisRecord], out: Path) -> None:
    import pandas as pd

    rows = [{"analysis": "(data)", **r} for r in data.excluded]
    for rec in records:
        if rec.result is not None:
            rows += [{"analysis": rec.spec.id, "stage": "analysis", **r}
                     for r in rec.result.excluded]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["analysis", "stage", "row", "id", "reason"])
    frame.to_csv(out / "tables" / "excluded_rows.csv", index=False, lineterminator="\n")


def build_results(plan: Plan, data: PreparedData, records: list[AnalysisRecord]) -> dict[str, Any]:
    """The results.json document (see schemas/results.schema.json)."""
    import igfcirrhosis
    from igfcirrhosis.analysis.checks import analysis_columns
    from igfcirrhosis.analysis.results import SCHEMA_VERSION

    synthetic = plan.synthetic if plan.synthetic is not None else data.synthetic
    used: set[str] = set()
    for spec in plan.analyses:
        used.update(c for _, c in analysis_columns(spec))
    for c in (plan.outcome.time, plan.outcome.event):
        if c:
            used.add(c)
    analyses = []
    for rec in records:
        res = rec.result
        entry: dict[str, Any] = {
            "id": rec.spec.id,
            "type": rec.spec.type,
            "title": rec.spec.title or None,
            "filter": rec.spec.filter.text if rec.spec.filter else None,
            "status": rec.status,
            "error": rec.error,
            "n_used": res.n_used if res else None,
            "n_excluded": len(res.excluded) if res else None,
            "excluded_by_reason": _reason_counts(res.excluded) if res else {},
            "methods": res.methods if res else [],
            "warnings": res.warnings if res else [],
            "figures": [f[k] for f in rec.figures for k in ("svg", "png")],
            "tables": [t["csv"] for t in rec.tables],
            "results": res.results if res else None,
        }
        analyses.append(entry)
    n_pre = len(data.excluded)
    return {
        "schema_version": SCHEMA_VERSION,
        "title": ("SYNTHETIC - " if synthetic else "") + plan.title,
        "synthetic": synthetic,
        "software": {"name": "igfcirrhosis", "version": igfcirrhosis.__version__},
        "plan": {
            "file": plan.source,
            "sha256": hashlib.sha256(plan.text.encode()).hexdigest(),
            "language": plan.language,
        },  # fmt: skip
        "data": {
            "source": data.source,
            "format": data.format,
            "sha256": data.sha256,
            "rows_read": data.rows_read,
            "rows_excluded_before_analysis": n_pre,
            "excluded_before_analysis_by_reason": _reason_counts(data.excluded),
            "rows_available": len(data.frame),
            "id_column": data.id_column,
            "filter": plan.data.filter.text if plan.data.filter else None,
            "derived": {k: v.text for k, v in plan.data.derive.items()},
            "scored": plan.data.score,
            "units": {c: data.units[c] for c in sorted(used) if c in data.units},
            "units_assumed": data.units_assumed,
            "notes": data.notes,
        },
        "outcome": {
            "time": plan.outcome.time,
            "event": plan.outcome.event,
            "time_unit": plan.outcome.time_unit,
        },  # fmt: skip
        "analyses": analyses,
    }
