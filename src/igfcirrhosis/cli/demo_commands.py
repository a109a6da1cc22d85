"""``igfc demo``: the whole product end to end on bundled and synthetic data.

Steps: (1) assess the bundled example patients; (2) generate the synthetic demo cohort and score
it; (3) run the IGF analysis plan (``examples/igf/plan.toml``) on that cohort; (4) simulate
mecasermin in Child-Pugh B (``examples/scenarios/``). Every output is written under ``-o DIR``
and synthetic data is labelled synthetic. Steps 3-4 read the repository's ``examples/`` folder
(the README installs the package from its checkout).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

EXAMPLE_PATIENTS = "examples/patients.csv"
#: The repository's examples/ folder (src/igfcirrhosis/cli/ -> repository root).
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DEMO_PLAN = EXAMPLES / "igf" / "plan.toml"
DEMO_SCENARIO = EXAMPLES / "scenarios" / "mecasermin-child-pugh-b.toml"


def example_patients() -> list[dict[str, str]]:
    """The bundled example patients: one dict per row (id, vignette, then KEY=VALUE inputs)."""
    import csv

    text = resources.files("igfcirrhosis.data").joinpath(EXAMPLE_PATIENTS).read_text("utf-8")
    return [{k: v for k, v in row.items() if v} for row in csv.DictReader(text.splitlines())]


def assess_examples(out: Path) -> list[dict[str, Any]]:
    """Assess every example patient; write ``out/assessments.json``; return the objects."""
    from igfcirrhosis.domain.assessment import assess

    results = []
    for row in example_patients():
        inputs = {k: v for k, v in row.items() if k not in ("patient_id", "vignette")}
        d = assess(inputs).to_dict()
        results.append({"patient_id": row["patient_id"], "vignette": row["vignette"], **d})
    (out / "assessments.json").write_text(
        json.dumps(results, indent=2, allow_nan=False, ensure_ascii=False) + "\n", "utf-8")
    return results


def _cell(score: dict[str, Any]) -> str:
    if "points" in score:
        return "—" if score["points"] is None else f"{score['points']} ({score['class']})"
    if score["value"] is None:
        return "—"
    value = score["value"]
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    return text + (f" g{score['grade']}" if score.get("grade") is not None else "")


def render_examples(results: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Example patients (bundled, fictitious)", title_justify="left")
    for col in ("patient", "Child-Pugh", "MELD", "MELD-Na", "MELD 3.0", "ALBI", "IGF-CTP",
                "Mayo PBC", "IGF-I"):
        table.add_column(col)
    for r in results:
        s = r["scores"]
        sds = next((st for st in r["igf"]["statements"]
                    if st["analyte"] == "igf1" and st["kind"] == "sds"), None)
        igf1 = "—" if sds is None or sds["value"] is None else f"SDS {sds['value']:.1f}"
        table.add_row(r["patient_id"], *(_cell(s[k]) for k in (
            "child_pugh", "meld", "meld_na", "meld_3", "albi", "igf_ctp", "mayo_pbc")), igf1)
    Console().print(table)


def run_demo_analysis(out: Path, n: int, seed: int) -> Path:
    """Run the IGF plan on the demo cohort of size ``n`` and ``seed``; return report.html."""
    import dataclasses

    from igfcirrhosis.analysis.plan import load_plan
    from igfcirrhosis.analysis.runner import run_plan

    plan = load_plan(DEMO_PLAN)
    plan = dataclasses.replace(
        plan, data=dataclasses.replace(plan.data, path=f"demo:n={n},seed={seed}"))
    outcome = run_plan(plan, out)
    for rec in outcome.failed:  # e.g. too few resected patients in a small cohort
        typer.echo(f"warning: {rec.error} (shown in the report)", err=True)
    return out / "report.html"


def run_demo_simulation(out: Path) -> str:
    """Simulate the mecasermin scenario into ``out``; return its one-line summary."""
    from igfcirrhosis.model.scenario import load_scenario
    from igfcirrhosis.model.simulate import simulate_scenario

    scenario = load_scenario(DEMO_SCENARIO)
    summary = simulate_scenario(scenario, out)
    base, peak = (summary[k]["igf1_total"] for k in ("baseline", "peaks"))
    return (f"{scenario.name}: total IGF-I {base['value']:.0f} {base['unit']} at baseline, "
            f"peak {peak['value']:.0f} {peak['unit']} → {out}")


def register(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""

    @app.command(epilog="Example:  igfc demo -o igfc-demo")
    def demo(
        output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the outputs "
                                             "(created if needed).")] = Path("igfc-demo"),
        n: Annotated[int, typer.Option("--n", min=300, help="Synthetic cohort size (at least 300, "
                                        "so that every analysis of the plan has data).")] = 400,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic cohort.")]
        = 20261125,
    ) -> None:
        """Run the demo: assess the bundled example patients; generate, score and analyse a
        synthetic cirrhosis cohort (report.html); simulate mecasermin in Child-Pugh B. Outputs
        go to -o DIR."""
        from rich.console import Console

        from igfcirrhosis import RESEARCH_USE

        console = Console()
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            typer.echo(f"error: cannot create {output}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        console.rule("1. Assess: bundled example patients")
        results = assess_examples(output)
        render_examples(results)
        console.print(f"full assessments with evidence: {output / 'assessments.json'}")

        console.rule("2. Score: synthetic demo cohort")
        from igfcirrhosis.cohort.demo import generate_demo_cohort
        from igfcirrhosis.cohort.io import write_frame
        from igfcirrhosis.domain.frame_scores import score_frame

        cohort = generate_demo_cohort(n=n, seed=seed)
        scored = score_frame(cohort)
        path = write_frame(scored.data, output / "demo_cohort_scored.csv")
        counts = scored.data["child_pugh_class"].value_counts().sort_index()
        console.print(f"{len(cohort)} SYNTHETIC patients (seed {seed}) scored → {path}")
        console.print("Child-Pugh class: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

        console.rule("3. Analyse: the IGF analysis plan on the synthetic cohort")
        with console.status("running examples/igf/plan.toml ..."):
            report = run_demo_analysis(output / "analysis", n, seed)
        console.print(f"report (open in a browser): {report}")

        console.rule("4. Simulate: mecasermin 80 µg/kg twice daily in Child-Pugh B")
        with console.status("simulating ..."):
            line = run_demo_simulation(output / "simulation")
        console.print(line)
        console.print(f"[dim]{RESEARCH_USE}[/dim]")
