"""Simulation jobs: a scenario built from the form (state + regimen), one patient or a small
virtual trial, run with :mod:`igfcirrhosis.model` in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from igfcirrhosis.web.jobs import Progress
from igfcirrhosis.web.schemas import SimulationIn


def scenario_mapping(spec: SimulationIn) -> dict[str, Any]:
    """The scenario as the mapping a scenario TOML file would give."""
    data: dict[str, Any] = {
        "name": f"{spec.state}, {spec.product} {spec.dose_ug_per_kg:g} ug/kg every "
                f"{spec.interval_hours:g} h" if spec.dose_ug_per_kg > 0 else
                f"{spec.state}, untreated",
        "patient": {"state": spec.state},
        "simulation": {"days": spec.days, "output_step_hours": 1.0},
    }
    if spec.dose_ug_per_kg > 0:
        data["regimen"] = [{"product": spec.product, "dose_ug_per_kg": spec.dose_ug_per_kg,
                            "interval_hours": spec.interval_hours, "start_day": 0}]
    if spec.population > 0:
        data["population"] = {"n": spec.population, "seed": spec.seed}
    return data


def simulation_work(spec: SimulationIn) -> Any:
    def work(out: Path, progress: Progress) -> str | None:
        from igfcirrhosis.model.scenario import parse_scenario
        from igfcirrhosis.model.summary import dump

        sc = parse_scenario(scenario_mapping(spec))
        if spec.population == 0:
            from igfcirrhosis.model.simulate import simulate_scenario

            progress(0.1, "simulating")
            summary = simulate_scenario(sc, out, plots=True)
            base = summary["baseline"]["igf1_total"]["value"]
            return f"baseline total IGF-I {base} ng/mL"
        from igfcirrhosis.model.population import run_trial, trial_summary, write_trial

        done = [0]

        def advance(k: int) -> None:
            done[0] += k
            progress(0.95 * done[0] / spec.population, f"{done[0]}/{spec.population} patients")

        metrics = run_trial(sc, spec.population, spec.seed, workers=1, progress=advance)
        summary = trial_summary(sc, metrics, spec.population, spec.seed, sc.days)
        summary["files"] = write_trial(sc, metrics, out, True)
        dump(summary, out / "summary.json")
        return f"virtual trial of {spec.population} patients, {len(sc.arms)} arms"

    return work
