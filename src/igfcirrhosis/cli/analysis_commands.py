"""``igfc analyze PLAN.toml -o DIR``: a reproducible analysis plan → report.html, results.json,
figures/ and tables/.

Heavy imports stay inside the command so that ``igfc --help`` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ANALYZE_HELP = """Run an analysis plan (TOML) and write DIR/report.html (self-contained),
DIR/results.json, DIR/figures/ (SVG + 300-dpi PNG) and DIR/tables/ (CSV).

The plan is validated before anything runs; an error names the plan key and exits with 2.

Examples:

  igfc analyze examples/pbc/plan.toml -o out/pbc

  igfc analyze examples/igf/plan.toml -o out/igf --quiet

  igfc analyze my_plan.toml -o out --check    (validate only)

  igfc analyze examples/igf/plan.toml -o out/igf-zh --language zh    (report in 简体中文)
"""


def fail(message: str) -> typer.Exit:
    """Print a user error (no traceback) and return the exit to raise (code 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def analyze(
    plan: Annotated[Path, typer.Argument(help="The analysis plan (TOML).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if needed).")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Only validate the plan against its data; run nothing."),
    ] = False,
    keys: Annotated[
        bool, typer.Option("--keys", help="Print every analysis type and its keys, then exit.")
    ] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Language of report.html and the figure labels: en or zh (zh-CN, zh_CN); "
            "overrides the plan's language. results.json is the same in every language.",
            show_default=False,
        ),
    ] = None,
) -> None:
    from igfcirrhosis.analysis.errors import PlanError
    from igfcirrhosis.analysis.messages import normalize_language
    from igfcirrhosis.analysis.plan import load_plan, plan_reference
    from igfcirrhosis.analysis.runner import prepare_data, run_plan

    if keys:
        typer.echo(plan_reference())
        return
    try:
        report_language = normalize_language(language) if language else None
    except ValueError as exc:
        raise fail(f"--language: {exc}") from None
    try:
        parsed = load_plan(plan)
    except PlanError as exc:
        raise fail(f"{plan}: {exc}") from None
    if check:
        try:
            data = prepare_data(parsed)
        except PlanError as exc:
            raise fail(f"{plan}: {exc}") from None
        typer.echo(
            f"{plan}: plan OK: {len(parsed.analyses)} analyses on {len(data.frame)} rows "
            f"({data.rows_read} read, {len(data.excluded)} excluded before any analysis)"
        )
        return
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out}: exists and is not a folder")
    progress, stop = _progress(len(parsed.analyses) + 3, quiet)
    try:
        progress("start", "data")
        try:
            data = prepare_data(parsed)
        except PlanError as exc:
            stop()
            raise fail(f"{plan}: {exc}") from None
        progress("done", "data")
        outcome = run_plan(parsed, out, progress=progress, data=data, language=report_language)
    finally:
        stop()
    for entry in outcome.results["analyses"]:
        for w in entry["warnings"]:
            typer.echo(f"warning: {entry['id']}: {w}", err=True)
    for rec in outcome.failed:
        typer.echo(f"error: {plan}: {rec.error}", err=True)
    n_warn = sum(len(a["warnings"]) for a in outcome.results["analyses"])
    typer.echo(
        f"{len(outcome.records) - len(outcome.failed)}/{len(outcome.records)} analyses done, "
        f"{n_warn} warning(s); wrote {out / 'report.html'} and {out / 'results.json'}"
    )
    if outcome.failed:
        raise typer.Exit(code=2)


def _progress(total: int, quiet: bool):  # type: ignore[no-untyped-def]
    """A rich progress bar as (callback, stop); no-ops when quiet or not a terminal."""
    if quiet:
        return (lambda event, label: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    task = bar.add_task("starting", total=total)
    bar.start()
    stopped = False
    started: dict[str, float] = {}

    def callback(event: str, label: str) -> None:
        import time

        if event == "start":
            started[label] = time.perf_counter()
            bar.update(task, description=label)
        else:
            bar.advance(task)
            seconds = time.perf_counter() - started.get(label, time.perf_counter())
            if console.is_terminal:
                bar.console.print(f"[green]done[/green] {label} [dim]{seconds:.1f} s[/dim]")

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            bar.update(task, description="finished")
            bar.stop()

    return callback, stop


def register(app: typer.Typer) -> None:
    """Add ``igfc analyze`` to ``app``."""
    app.command("analyze", help=ANALYZE_HELP)(analyze)
