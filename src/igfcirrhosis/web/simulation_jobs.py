"""Simulation jobs: a scenario built from the form (state + regimen) or read from an uploaded
scenario TOML, one patient or a small virtual trial, run with :mod:`igfcirrhosis.model`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from igfcirrhosis.web.jobs import Progress, Work
from igfcirrhosis.web.problems import ProblemError
from igfcirrhosis.web.schemas import SimulationIn

MAX_DAYS = 365.0
MAX_PATIENTS = 200
#: Largest stored cohort fitted in the web app (~20 ms a row in one process, measured 2026-12-04; igfc fit beyond).
MAX_FIT_ROWS = 2000
#: Bootstrap refits for a measured patient's 95 % intervals in the web app (~15-20 ms each).
MEASURED_BOOTSTRAP = 20


def scenario_mapping(spec: SimulationIn) -> dict[str, Any]:
    """The scenario as the mapping a scenario TOML file would give."""
    measured = {k: v for k, v in (("igf1", spec.igf1_ng_ml), ("igfbp3", spec.igfbp3_mg_l),
                                  ("gh", spec.gh_ng_ml)) if v is not None}
    who: str = spec.state
    patient: dict[str, Any] = {"state": spec.state}
    if spec.state == "measured":
        who = "measured patient (" + ", ".join(f"{k} {v:g}" for k, v in measured.items()) + ")"
        patient.update(measured=measured, bootstrap=MEASURED_BOOTSTRAP)
    elif measured:
        raise ProblemError(422, f"{next(iter(measured))}: measured values are fitted only when "
                           "state is 'measured'", field="state", value=spec.state)
    data: dict[str, Any] = {
        "name": f"{who}, {spec.product} {spec.dose_ug_per_kg:g} ug/kg every "
                f"{spec.interval_hours:g} h" if spec.dose_ug_per_kg > 0 else
                f"{who}, untreated",
        "patient": patient,
        "simulation": {"days": spec.days, "output_step_hours": 1.0},
    }
    if spec.dose_ug_per_kg > 0:
        data["regimen"] = [{"product": spec.product, "dose_ug_per_kg": spec.dose_ug_per_kg,
                            "interval_hours": spec.interval_hours, "start_day": 0}]
    if spec.population > 0:
        data["population"] = {"n": spec.population, "seed": spec.seed}
    return data


def scenario_from_toml(text: str) -> Any:
    """A validated scenario from TOML text (422 naming the key; horizon capped for the web)."""
    from igfcirrhosis.model.scenario import ScenarioError, parse_scenario

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProblemError(422, f"scenario: not valid TOML ({exc})", field="body",
                           value=None) from None
    try:
        sc = parse_scenario(data)
    except ScenarioError as exc:
        raise ProblemError(422, f"scenario: {exc}", field="body", value=None) from None
    if sc.days > MAX_DAYS:
        raise ProblemError(422, f"scenario: simulation.days = {sc.days:g}: at most "
                           f"{MAX_DAYS:g} in the web app (use igfc simulate)",
                           field="simulation.days", value=sc.days)
    return sc


def _fit_note(summary: dict[str, Any]) -> str:
    """'; fitted liver_mass 0.59 (95 % 0.13-1.02), ...' for a measured patient (and the fit's
    warnings), then how many caveats the summary carries (what the numbers are not validated
    for; listed on the job page)."""
    fit = summary.get("fit", {})
    params = fit.get("parameters", {})
    return "".join(f"; fitted {name} {p['estimate']:.3g} (95 % {p['ci95'][0]:.3g}-"
                   f"{p['ci95'][1]:.3g})" if None not in p["ci95"]
                   else f"; fitted {name} {p['estimate']:.3g}" for name, p in params.items()
                   ) + "".join(f"; warning: {w}" for w in fit.get("warnings", [])) + "".join(
                       f"; {n} caveat{'s' if n > 1 else ''} (summary.json, and on this run's page)"
                       for n in [len(summary.get("caveats", []))] if n)


def scenario_work(sc: Any, population: int, seed: int) -> Work:
    def work(out: Path, progress: Progress) -> str | None:
        from igfcirrhosis.model.summary import dump

        if population == 0:
            from igfcirrhosis.model.simulate import simulate_scenario

            progress(0.1, "simulating")
            summary = simulate_scenario(sc, out, plots=True)
            base = summary["baseline"]["igf1_total"]["value"]
            return f"baseline total IGF-I {base:.3g} ng/mL" + _fit_note(summary)
        from igfcirrhosis.model.fitting import fit_scenario
        from igfcirrhosis.model.population import run_trial, trial_summary, write_trial

        if sc.measured is not None:
            progress(0.02, "fitting the measured patient")
        fitted = fit_scenario(sc)
        done = [0]

        def advance(k: int) -> None:
            done[0] += k
            progress(0.95 * done[0] / population, f"{done[0]}/{population} patients")

        metrics = run_trial(fitted, population, seed, workers=1, progress=advance)
        summary = trial_summary(fitted, metrics, population, seed, fitted.days)
        summary["files"] = write_trial(fitted, metrics, out, True,
                                       summary["threshold_free_igf1"]["value"])
        dump(summary, out / "summary.json")
        return f"virtual trial of {population} patients, {len(sc.arms)} arms" + _fit_note(summary)

    return work


def fit_work(path: Path, n_rows: int, bootstrap: int) -> Work:
    """``igfc fit`` on a stored cohort: fitted.csv, fit.svg and a message counting the rows."""

    def work(out: Path, progress: Progress) -> str | None:
        from igfcirrhosis.cohort.io import read_cohort, write_frame
        from igfcirrhosis.model.cohort_fit import fit_cohort, plot_fits

        frame = read_cohort(path).frame
        done = [0]

        def advance(k: int) -> None:
            done[0] += k
            progress(0.95 * done[0] / max(n_rows, 1), f"{done[0]}/{n_rows} rows")

        res = fit_cohort(frame, n_boot=bootstrap, workers=1, progress=advance)
        write_frame(res.data, out / "fitted.csv")
        plot_fits(res, out / "fit.svg")
        flagged = int(res.data["fit_flags"].notna().sum())
        reasons = "; ".join(f"{k}: {v}" for k, v in sorted(res.reasons.items()))
        return (f"{res.n_fitted} of {len(frame)} rows fitted ({flagged} flagged: see "
                f"fit_flags)" + (f"; not fitted: {reasons}" if reasons else ""))

    return work


def simulation_work(spec: SimulationIn) -> Work:
    """The job for a form scenario; a scenario the model refuses is a 422 naming the key."""
    from igfcirrhosis.model.scenario import ScenarioError, parse_scenario

    try:
        sc = parse_scenario(scenario_mapping(spec))
    except ScenarioError as exc:
        raise ProblemError(422, f"scenario: {exc}", field="body", value=None) from None
    return scenario_work(sc, spec.population, spec.seed)
