"""``igfc simulate``, ``igfc validate-model`` and ``igfc export-sbml`` (heavy imports inside)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output directory.")],
    population: Annotated[int | None, typer.Option(
        "--population", min=1, help="Run a virtual trial of N patients.")] = None,
    days: Annotated[float | None, typer.Option(
        "--days", min=0.1, help="Horizon in days (overrides simulation.days).")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", min=0, help="Seed of the virtual population (default population.seed).")]
    = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 2,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write figures.")] = True,
    dask: Annotated[bool, typer.Option(
        "--dask", help="Run the virtual trial on Dask workers (same results as the local "
        "pool for the same seed).")] = False,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="With --dask: the scheduler address (tcp://host:8786); default "
        "a local cluster of --workers processes.")] = None,
) -> None:
    """Simulate a scenario: trajectories.parquet, summary.json and figures in OUT.

    Examples:

      igfc simulate examples/scenarios/child-pugh-b.toml -o out/b

      igfc simulate examples/scenarios/mecasermin-child-pugh-b.toml -o out/trial
      --population 500 --days 90 --seed 7
    """
    from igfcirrhosis.model.scenario import ScenarioError, load_scenario

    try:
        sc = load_scenario(scenario, days=days)
    except ScenarioError as exc:
        _fail(str(exc))
        return
    _output_dir(out)
    if population is None:
        from igfcirrhosis.model.simulate import simulate_scenario

        summary = simulate_scenario(sc, out, plots=plots)
        base = summary["baseline"]["igf1_total"]["value"]
        peak = summary["peaks"]["igf1_total"]["value"]
        for name, p in summary.get("fit", {}).get("parameters", {}).items():
            lo, hi = p["ci95"]
            ci = "no bootstrap" if lo is None and hi is None else f"95% CI {_g(lo)}-{_g(hi)}"
            typer.echo(f"fitted {name} {p['estimate']:.3g} ({ci})")
        for warning in summary.get("fit", {}).get("warnings", []):
            typer.echo(f"warning: {warning}", err=True)
        for caveat in summary["caveats"]:
            typer.echo(f"caveat: {caveat}")
        typer.echo(f"{sc.name}: total IGF-I at baseline {_g(base)} ng/mL, peak {_g(peak)} "
                   f"ng/mL -> {out}")
        return
    on_dask = (scheduler,) if dask or scheduler else None
    if sc.measured is not None:
        from igfcirrhosis.model.fitting import fit_scenario

        typer.echo(f"fitting {', '.join(sc.measured.fit)} to the measured values "
                   f"({sc.measured.bootstrap} bootstrap refits)...", err=True)
        sc = fit_scenario(sc)
        for warning in (sc.fit or {}).get("warnings", []):
            typer.echo(f"warning: {warning}", err=True)
    _trial(sc, out, population, seed if seed is not None else sc.seed, workers, plots, on_dask)


def _output_dir(out: Path) -> None:
    """Create OUT before any simulation runs, or stop with a one-line error."""
    if out.exists() and not out.is_dir():
        _fail(f"-o {out}: is a file; expected a directory for the outputs")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"-o {out}: cannot create the output directory ({exc.strerror or exc})")


def _g(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3g}"


def _trial(sc: Any, out: Path, n: int, seed: int, workers: int, plots: bool,
           on_dask: tuple[str | None] | None = None) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from igfcirrhosis.model.population import (
        PopulationError,
        run_trial,
        sample_population,
        trial_summary,
        write_trial,
    )
    from igfcirrhosis.model.summary import dump

    if sc.baseline_igf1_range is not None:
        lo, hi = sc.baseline_igf1_range
        typer.echo(f"drawing {n} virtual patients with an untreated IGF-I in [{lo:g}, {hi:g}] "
                   "ng/mL (acceptance-rejection)...", err=True)
        try:
            acc = sample_population(sc, n, seed)[2]
        except PopulationError as exc:
            _fail(str(exc))
            return
        if acc is not None:
            typer.echo(f"  accepted {acc.accepted} of {acc.drawn} candidates "
                       f"({acc.accepted / acc.drawn:.0%})", err=True)
    with Progress(TextColumn("virtual patients"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("trial", total=n)
        if on_dask is None:
            metrics = run_trial(sc, n, seed, workers=workers,
                                progress=lambda k: bar.advance(task, k))
        else:
            from igfcirrhosis.distributed import DistributedError, dask_client, run_trial_dask

            try:
                with dask_client(on_dask[0], n_workers=workers) as client:
                    metrics = run_trial_dask(sc, n, seed, client=client,
                                             progress=lambda k: bar.advance(task, k))
            except DistributedError as exc:
                _fail(str(exc))
                return
    out.mkdir(parents=True, exist_ok=True)
    summary = trial_summary(sc, metrics, n, seed, sc.days)
    summary["files"] = write_trial(sc, metrics, out, plots,
                                   summary["threshold_free_igf1"]["value"])
    dump(summary, out / "summary.json")
    _print_trial(summary)
    typer.echo(f"-> {out}")


def _print_trial(summary: dict[str, Any]) -> None:
    """One row per arm: median [5th, 95th percentile] over the virtual patients, units in the
    headers, the hypoglycaemia proxy first (the question to ask of a dose before its benefit)."""
    from rich.table import Table

    from igfcirrhosis.model.summary import TRIAL_COLUMNS, trial_rows

    thr = summary["threshold_free_igf1"]
    table = Table(title=f"Virtual trial: {summary['n_patients']} patients, "
                        f"{summary['days']['value']:g} days; median [5th, 95th percentile]")
    for col in ("arm", f"free IGF-I peak > {thr['value']:.3g} {thr['unit']}", *TRIAL_COLUMNS[1:]):
        table.add_column(col, overflow="fold")
    for row in trial_rows(summary):
        table.add_row(*row)
    console = _console()
    console.print(table)
    d = summary["definitions"]
    console.print(f"free IGF-I peak > threshold: {d['hypoglycaemia_proxy']}; threshold: "
                  f"{summary['threshold_source']}.\nIGF-I, % of healthy: {d['igf1_restoration']}."
                  f"\nscar change: {d['ecm_change']}.\nResearch use: model output, not a dosing "
                  "recommendation.", highlight=False)
    for caveat in summary["caveats"]:
        console.print(f"caveat: {caveat}", highlight=False)


def validate_model(
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
    checks: Annotated[bool, typer.Option(
        "--checks", help="Also show the checks outside the table: published experiments the "
        "model was not tuned on, model next to published (no pass/fail).")] = False,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also draw the table (and with --checks the checks) to this PNG or SVG "
        "file.")] = None,
) -> None:
    """Compare the model with published observations; exit 1 if any is outside tolerance.

    Example: igfc validate-model --json
    """
    import json

    from igfcirrhosis.model.validation import by_kind, validation_report, validation_table

    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        _fail(f"--plot {plot}: expected a .png or .svg file")
    rows = validation_table()
    extra: list[dict[str, Any]] = []
    if checks:
        from igfcirrhosis.model.checks import checks_table

        extra = checks_table()
    if as_json:
        report = validation_report(rows)
        if checks:
            report["checks"] = extra
        typer.echo(json.dumps(report, indent=2, allow_nan=False))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="igfcirrhosis model validation")
        for col in ("id", "expected", "simulated", "unit", "within", "kind", "source"):
            table.add_column(col, overflow="fold")
        for r in rows:
            exp: Any = r["expected"]
            table.add_row(str(r["id"]), f"{exp['lower']:g}-{exp['upper']:g}",
                          "-" if r["simulated"] is None else f"{r['simulated']:.4g}",
                          str(r["unit"]), "yes" if r["within"] else "[red]NO[/red]",
                          str(r["kind"]), str(r["source"]))
        Console().print(table)
        n_ok = sum(bool(r["within"]) for r in rows)
        kinds = ", ".join(f"{k} {v['within']}/{v['total']}" for k, v in by_kind(rows).items())
        typer.echo(f"{n_ok}/{len(rows)} observations within tolerance ({kinds})")
        if n_ok < len(rows):
            typer.echo("Why rows fail: MODEL.md, 'Rows that still fail, and why' (shipped in "
                       "igfcirrhosis/data/model/; the web app's /model/notes).")
        if checks:
            _print_checks(extra)
    if plot is not None:
        from igfcirrhosis.model.validation_plot import save_validation_figure, validation_figure

        try:
            save_validation_figure(validation_figure(rows, extra or None), plot)
        except OSError as exc:
            _fail(f"--plot {plot}: cannot write the figure ({exc.strerror or exc})")
        typer.echo(f"figure: {plot}", err=as_json)
    if not all(r["within"] for r in rows):
        raise typer.Exit(code=1)


def _console() -> Any:
    """A rich console; 150 columns wide when not a terminal (pipes, CI logs)."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=150)


def _print_checks(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(title="Checks outside the table (not tuned on; no pass/fail)")
    for col in ("id", "model", "published", "unit", "model/published", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), f"{r['simulated']:.3g}", str(r["published_text"]),
                      str(r["unit"]), "-" if r["ratio"] is None else f"{r['ratio']:.2f}",
                      str(r["source"]))
    _console().print(table)
    typer.echo("How each check is simulated: the method column of checks.tsv "
               "(igfc validate-model --checks --json), and MODEL.md.")


def export_sbml(
    out: Annotated[Path, typer.Option("-o", "--out", help="SBML file to write.")],
) -> None:
    """Write the model as SBML Level 3 (opens in COPASI and tellurium).

    Example: igfc export-sbml -o igf_axis.xml
    """
    from igfcirrhosis.model.sbml import export_sbml as _export

    try:
        typer.echo(f"SBML Level 3 -> {_export(out)}")
    except OSError as exc:
        _fail(f"-o {out}: cannot write the SBML file ({exc.strerror or exc})")


def fit(
    source: Annotated[Path, typer.Argument(help="Cohort file: CSV, TSV, Parquet or Excel; "
                                           "headers may carry units ('igf1 [nmol/L]').")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write: .csv, "
                                         ".parquet or .xlsx (by extension).")],
    parameters: Annotated[str, typer.Option(
        "--fit", help="Parameters to estimate, comma-separated: liver_mass, ghr_density, "
        "gh_drive, injury.")] = "liver_mass,ghr_density",
    use: Annotated[str, typer.Option(
        "--use", help="Measurements to fit, comma-separated, where a row has them: igf1, "
        "igfbp3, gh, als, igf2.")] = "igf1,igfbp3,gh",
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", min=0, max=1000, help="Refits per row for 95 % intervals (0: none; "
        "~15-20 ms each).")] = 0,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Row i is bootstrapped with "
                                      "seed + i.")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 2,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also draw the estimates (PNG or SVG by extension).")] = None,
    group: Annotated[str | None, typer.Option(
        "--group", help="With --plot: colour by this column (e.g. child_pugh_class).")] = None,
) -> None:
    """Fit every patient of a cohort to the model: each row's untreated IGF-I, IGFBP-3 and GH
    give its functional liver mass and GH-receptor density (healthy 1).

    Every row comes out: estimates, the model's values at them, the measurements used,
    fit_flags (estimate at a bound, a measurement missed by > 3 SD) and fit_notes (why a row
    was not fitted). For research: model parameters, not a diagnosis.

    Example: igfc fit cohort.csv -o fitted.csv --bootstrap 50
    """
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from igfcirrhosis.cohort.io import read_cohort, write_frame
    from igfcirrhosis.cohort.read_result import CohortInputError
    from igfcirrhosis.domain.input_errors import InputError
    from igfcirrhosis.model.cohort_fit import fit_cohort, plot_fits
    from igfcirrhosis.model.fitting import FitError

    params = [p.strip() for p in parameters.split(",") if p.strip()]
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        _fail(f"--plot {plot}: expected a .png or .svg file")
        return
    columns = [c.strip() for c in use.split(",") if c.strip()]
    try:
        cohort = read_cohort(source)
        n = len(cohort.frame)
        with Progress(TextColumn("fitting rows"), BarColumn(), TextColumn("{task.completed}/"
                      "{task.total}"), TimeRemainingColumn(), transient=True,
                      console=Console(file=sys.stderr)) as bar:
            task = bar.add_task("fit", total=n)
            res = fit_cohort(cohort.frame, params, columns, n_boot=bootstrap, seed=seed,
                             workers=workers, progress=lambda k: bar.advance(task, k))
        if group is not None and group not in res.data.columns:
            raise FitError(f"--group {group}: no such column (columns: "
                           f"{', '.join(map(str, cohort.frame.columns))})")
        write_frame(res.data, output)
        if plot is not None:
            plot_fits(res, plot, group)
    except (FitError, CohortInputError, InputError, OSError, ValueError) as exc:
        _fail(str(exc))
        return
    console = Console(file=sys.stderr)
    flagged = int(res.data["fit_flags"].notna().sum())
    console.print(f"{source}: {n} rows, {res.n_fitted} fitted ({flagged} flagged: see "
                  f"fit_flags), {n - res.n_fitted} not fitted -> {output}")
    for reason, count in sorted(res.reasons.items(), key=lambda kv: -kv[1]):
        console.print(f"  {count:>5}  {reason}")
    for p in params:
        col = res.data[f"fit_{p}"]
        if col.notna().any():
            console.print(f"  {p}: median {col.median():.3g} (IQR {col.quantile(0.25):.3g}-"
                          f"{col.quantile(0.75):.3g}; healthy 1)")
    if res.assumed_units:
        console.print("units assumed (data dictionary defaults): " + ", ".join(
            res.assumed_units))
    if len(cohort.excluded):
        console.print(f"{len(cohort.excluded)} source row(s) not read (blank rows etc.)")
    console.print("For research and decision support: model parameters, not a diagnosis.")


def register(app: typer.Typer) -> None:
    """Add the model commands to the ``igfc`` application."""
    app.command("simulate")(simulate)
    app.command("validate-model")(validate_model)
    app.command("export-sbml")(export_sbml)
    app.command("fit")(fit)
