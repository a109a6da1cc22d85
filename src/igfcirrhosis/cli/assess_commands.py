"""``igfc assess`` (one patient) and ``igfc score`` (a cohort file).

Heavy imports stay inside the command bodies so that ``igfc --help`` answers at once.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from igfcirrhosis.domain.assessment import Assessment
    from igfcirrhosis.domain.score_specs import ScoreOptions

ASSESS_EXAMPLE = (
    "igfc assess bilirubin=34umol/L albumin=28g/L inr=1.8 creatinine=1.1mg/dL sodium=131 "
    "ascites=mild encephalopathy=none sex=F age=54 igf1=22ng/mL igfbp3=1.1mg/L"
)

Cholestatic = Annotated[
    str,
    typer.Option(
        "--cholestatic",
        help="Bilirubin edges 4/10 mg/dL for Child-Pugh and IGF-CTP: auto (etiology PBC/PSC), "
        "yes or no.",
    ),
]
AlbiCoefficient = Annotated[
    float,
    typer.Option("--albi-coefficient",
                 help="ALBI albumin coefficient per g/L: -0.085 (Johnson 2015) or -0.0852."),
]
Meld3Rules = Annotated[
    bool,
    typer.Option("--meld3-optn/--meld3-paper",
                 help="MELD 3.0 with OPTN rules (range 6-40) or as in Kim 2021 (no cap)."),
]


def fail(message: str) -> typer.Exit:
    """Print a user error (no traceback) and return the exit to raise (code 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _options(cholestatic: str, albi_coefficient: float, meld3_optn: bool) -> ScoreOptions:
    from igfcirrhosis.domain.score_specs import ScoreOptions

    choice: dict[str, bool | str] = {"auto": "auto", "yes": True, "no": False}
    if cholestatic.lower() not in choice:
        raise fail(f"--cholestatic {cholestatic!r}: expected auto, yes or no")
    try:
        return ScoreOptions(cholestatic=choice[cholestatic.lower()],
                            albi_coefficient=albi_coefficient, meld3_optn_rules=meld3_optn)
    except ValueError as exc:
        raise fail(str(exc)) from None


def _reference_tables(specs: list[str]) -> dict[str, Any]:
    """``--reference`` values -> {analyte: ReferenceTable}; exit 2 naming a bad one."""
    from igfcirrhosis.domain.biomarkers import (
        available_reference_tables,
        load_reference_table,
        reference_table,
    )

    tables: dict[str, Any] = {}
    for spec in specs:
        try:
            if spec in available_reference_tables():
                table = reference_table(spec)
            else:
                table = load_reference_table(Path(spec))
        except FileNotFoundError as exc:
            raise fail(f"--reference {spec}: not a shipped table "
                       f"({', '.join(available_reference_tables())}) and {exc.filename} does "
                       "not exist (a CSV needs its .toml metadata beside it)") from None
        except (ValueError, KeyError, OSError) as exc:
            raise fail(f"--reference {spec}: {exc}") from None
        if table.analyte in tables:
            raise fail(f"--reference {spec}: a second table for {table.analyte}")
        tables[table.analyte] = table
    return tables


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """``["bilirubin=34umol/L", ...]`` -> ``{"bilirubin": "34umol/L"}``; exit 2 if malformed."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"{pair!r} is not KEY=VALUE (example: bilirubin=34umol/L)")
        if key.strip() in out:
            raise fail(f"{key.strip()} is given twice")
        out[key.strip()] = value.strip()
    return out


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return str(value)


def _with_unit(value: Any, unit: str | None) -> str:
    text = _fmt(value, 3)
    return f"{text} {unit}" if unit and unit != "1" and value is not None else text


def render_assessment(assessment: Assessment) -> None:
    """The assessment as rich tables on stdout."""
    from rich.console import Console
    from rich.table import Table

    d = assessment.to_dict()
    console = Console()
    inputs = Table(title="Inputs (as given → as used)", title_justify="left")
    for col in ("field", "given", "used", "also", "note"):
        inputs.add_column(col)
    for name, f in d["inputs"].items():
        used = _with_unit(f["value"], f["unit"])
        also = ""
        for v, u in ((f["value_si"], f["unit_si"]), (f["value_conventional"],
                                                     f["unit_conventional"])):
            if v is not None and u != f["unit"] and u != f["unit_used"]:
                also = _with_unit(v, u)
        note = f["message"] or ("unit assumed (default)" if f["assumed_unit"] else "")
        inputs.add_row(name, str(f["raw"]), used, also, note)
    console.print(inputs)

    table = Table(title="Scores", title_justify="left")
    for col in ("score", "result", "components", "missing / notes"):
        table.add_column(col)
    for key, s in d["scores"].items():
        if "points" in s:
            result = (f"{s['points']} points, class {s['class']}" if s["points"] is not None
                      else "not computed")
            comps = ", ".join(f"{k} {_fmt(c['points'])}" for k, c in s["components"].items())
        else:
            result = "not computed" if s["value"] is None else _fmt(s["value"], 3)
            if key == "albi" and s["value"] is not None:
                result += f", grade {s['grade']}"
            comps = ", ".join(f"{k} {_with_unit(c['value'], c['unit'])}"
                              for k, c in s["components"].items() if c["value"] is not None)
        missing = "; ".join(["needs " + ", ".join(s["missing"])] if s["missing"] else [])
        notes = "; ".join(s.get("notes", []))
        table.add_row(s["name"], result, comps, "; ".join(x for x in (missing, notes) if x))
    console.print(table)

    igf = Table(title="IGF interpretation (evidence in brackets)", title_justify="left")
    igf.add_column("analyte")
    igf.add_column("statement")
    igf.add_column("evidence")
    for st in d["igf"]["statements"]:
        igf.add_row(st["analyte"], st["text"], st["evidence_id"] or st["reference_id"] or "")
    console.print(igf)
    for w in d["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {w}")
    console.print(f"[dim]{d['research_use']}[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``assess`` and ``score`` to ``app``."""

    @app.command(epilog=f"Example:  {ASSESS_EXAMPLE}")
    def assess(
        values: Annotated[list[str], typer.Argument(
            help="KEY=VALUE pairs; keys are data-dictionary names (bilirubin, albumin, inr, "
            "creatinine, sodium, ascites, encephalopathy, sex, age, igf1, igf2, igfbp3, als, "
            "prothrombin_time, prothrombin_time_prolongation, edema, dialysis, etiology ...); a "
            "value may carry its unit (34umol/L), else the default unit applies and is stated.",
            metavar="KEY=VALUE...")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the JSON object of the "
                                              "DESIGN.md contract instead of tables.")] = False,
        cholestatic: Cholestatic = "auto",
        albi_coefficient: AlbiCoefficient = -0.085,
        meld3_optn: Meld3Rules = True,
        reference: Annotated[list[str] | None, typer.Option(
            "--reference", help="An SDS reference table replacing the default for its analyte: "
            "a shipped id (bidlingmaier2014-igf1, isojima2012-igf1, friedrich2014-igfbp3) or your "
            "laboratory's CSV (age_years, sex, L, M, S) with its .toml metadata beside it. "
            "Repeat for several analytes.")] = None,
    ) -> None:
        """Assess one patient: Child-Pugh, MELD, MELD-Na, MELD 3.0, ALBI, IGF-CTP, Mayo PBC and
        the IGF interpretation with its evidence. For research and decision support only."""
        from igfcirrhosis.domain.assessment import assess as run_assess

        options = _options(cholestatic, albi_coefficient, meld3_optn)
        tables = _reference_tables(reference or [])
        try:
            result = run_assess(parse_pairs(values), options=options, reference=tables or None)
        except ValueError as exc:  # InputError, ScoreInputError: a value that cannot be used
            raise fail(str(exc)) from None
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False,
                                  ensure_ascii=False))
        else:
            render_assessment(result)

    @app.command(epilog="Example:  igfc score cohort.csv -o scored.parquet")
    def score(
        source: Annotated[Path, typer.Argument(help="Cohort file: CSV, TSV, Parquet or Excel. "
                                               "Headers may carry units: 'bilirubin [umol/L]'.")],
        output: Annotated[Path, typer.Option("-o", "--output", help="Where to write: .csv, "
                                             ".parquet or .xlsx (by extension).")],
        cholestatic: Cholestatic = "auto",
        albi_coefficient: AlbiCoefficient = -0.085,
        meld3_optn: Meld3Rules = True,
        dask: Annotated[bool, typer.Option(
            "--dask", help="Score a Parquet file or folder on Dask partitions; OUTPUT is then a "
            "new folder of Parquet parts (same rows, same order).")] = False,
        scheduler: Annotated[str | None, typer.Option(
            "--scheduler", help="With --dask: the scheduler address (tcp://host:8786); default "
            "a local cluster of 2 worker processes.")] = None,
    ) -> None:
        """Append every score to every row of a cohort file; rows that cannot be scored get
        the reason in `score_notes`, and a summary counts rows by reason."""
        # Before numpy loads: no madvise(MADV_HUGEPAGE) on its large arrays. Where the kernel
        # compacts memory for huge pages on demand, a fresh process paid ~0.6 s of page faults
        # to score a million rows (numpy's documented switch; later runs are unaffected).
        os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
        options = _options(cholestatic, albi_coefficient, meld3_optn)
        if dask or scheduler:
            _score_on_dask(source, output, options, scheduler)
            return
        from igfcirrhosis.cohort.io import read_cohort, write_frame
        from igfcirrhosis.domain.frame_scores import score_frame
        from igfcirrhosis.domain.input_errors import InputError

        try:
            cohort = read_cohort(source)
            scored = score_frame(cohort.frame, options=options)
            write_frame(scored.data, output)
        except (InputError, OSError, ValueError) as exc:
            raise fail(str(exc)) from None
        render_score_summary(scored, source, output, cohort.excluded)


def _score_on_dask(source: Path, output: Path, options: ScoreOptions,
                   scheduler: str | None) -> None:
    """``igfc score --dask``: partitions scored on Dask workers, written as Parquet parts."""
    from rich.console import Console
    from rich.table import Table

    from igfcirrhosis.distributed import DistributedError, dask_client, score_parquet
    from igfcirrhosis.domain.input_errors import InputError
    from igfcirrhosis.domain.score_specs import SPECS

    if not source.exists():
        raise fail(f"{source}: not found (expected a Parquet file or a folder of them)")
    try:
        with dask_client(scheduler) as client:
            done = score_parquet(source, output, client=client, options=options)
    except (DistributedError, InputError, OSError) as exc:
        raise fail(str(exc)) from None
    console = Console(file=sys.stderr)
    console.print(f"{source}: {done.rows} rows in {done.partitions} partitions scored on Dask "
                  f"→ {done.output}")
    for note in done.warnings:
        console.print(f"[yellow]note:[/yellow] {note}")
    if len(done.duplicate_ids):
        console.print(f"[yellow]{len(done.duplicate_ids)} patient_id value(s) repeat; each "
                      "repeated row says so in score_notes[/yellow]")
    t = Table(title="Rows scored", title_justify="left")
    for col in ("score", "scored", "not scored"):
        t.add_column(col)
    for spec in SPECS:
        k = done.scored.get(spec.key, 0)
        t.add_row(spec.name, str(k), str(done.rows - k))
    console.print(t)


def render_score_summary(scored: Any, source: Path, output: Path, excluded: Any) -> None:
    """Rows read, scored per score, reasons, units assumed — on stderr, so stdout stays clean."""
    from rich.console import Console
    from rich.table import Table

    from igfcirrhosis.domain.score_specs import SPECS

    console = Console(file=sys.stderr)
    console.print(f"{source}: {scored.n_rows + len(excluded)} rows read, {scored.n_rows} rows "
                  f"written to {output}")
    for row in excluded.itertuples(index=False):
        console.print(f"[yellow]row {row.row} not written:[/yellow] {row.reason}")
    if scored.normalized.assumed_units:
        units = scored.normalized.column_units
        console.print("units assumed (data dictionary defaults): " + ", ".join(
            f"{c} [{units.get(c, '?')}]" for c in scored.normalized.assumed_units))
    for note in scored.normalized.warnings:
        console.print(f"[yellow]note:[/yellow] {note}")
    t = Table(title="Rows scored", title_justify="left")
    t.add_column("score")
    t.add_column("scored", justify="right")
    t.add_column("not scored", justify="right")
    for spec in SPECS:
        k = scored.n_scored(spec.key)
        t.add_row(spec.name, str(k), str(scored.n_rows - k))
    console.print(t)
    if len(scored.summary):
        r = Table(title="Why rows were not scored (see column score_notes)", title_justify="left")
        for col in ("score", "reason", "rows"):
            r.add_column(col)
        for row in scored.summary.itertuples(index=False):
            r.add_row(str(row.score), str(row.reason), str(row.rows))
        console.print(r)
