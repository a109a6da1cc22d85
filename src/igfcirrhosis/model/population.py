"""Virtual populations and virtual trials (seeded; one RoadRunner per worker process).

Sampling: every parameter with ``iiv_cv > 0`` in parameters.tsv is drawn log-normal with median
= nominal value and sigma = sqrt(ln(1 + cv^2)); the disease parameters (liver mass, GH-receptor
density, injury) are drawn the same way around the Child-Pugh preset with the preset's CVs.
Draws are clipped to the parameter's [lower, upper] bounds. All draws happen in the parent
process from ``numpy.random.default_rng(seed)``, so the same seed gives the same patients and
(CVODE being deterministic) the same summary.

Long periodic regimens (one block of doses from day 0 to the end, horizon >= 240 days) are
integrated multi-rate (:mod:`igfcirrhosis.model.fast_dosing`): full resolution over the first
days, short bursts between jumps of the slow fibrosis states, and the last days; every trial
metric agrees with the event-by-event run within ``fast_dosing.TOLERANCE`` (1e-3 relative,
tested; measured <= 2.3e-4) at ~1/8 of the CPU time (72 -> 9.4 ms per BID patient-year on
the 2-core VM of 2026-12-04: 10,000 x 365 d in 53 s with 2 workers; figures in MODEL.md).
A fitted measured patient's liver mass and GHR density are drawn from its bootstrap refits.
``run_trial(..., multirate=False)`` resolves every interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.model import SCHEMA_VERSION, fast_dosing
from igfcirrhosis.model.caveats import caveats
from igfcirrhosis.model.engine import Dosing, IgfModel
from igfcirrhosis.model.parameters import default_parameters
from igfcirrhosis.model.patient import PRESET_NAMES, preset_cv
from igfcirrhosis.model.summary import num, qty
from igfcirrhosis.model.units import IGF1_KDA

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from igfcirrhosis.model.scenario import Scenario

DISEASE_KEYS = {"liver_mass": "Hmass_base", "ghr_density": "ghr", "injury": "tgf"}
METRICS = ("igf1_baseline", "igf1_last_day", "igf1_restoration", "ecm_change",
           "free_igf1_peak", "gh_last_day")
METRIC_UNITS = {"igf1_baseline": "ng/mL", "igf1_last_day": "ng/mL", "igf1_restoration": "1",
                "ecm_change": "1", "free_igf1_peak": "ng/mL", "gh_last_day": "ng/mL"}
_SEL = ["IGF1_total", "I", "ECM", "GH"]


#: Acceptance-rejection gives up after drawing this many candidates per accepted patient.
MAX_DRAWS_PER_PATIENT = 50
ACCEPTANCE_SOURCE = ("acceptance-rejection on the untreated total IGF-I (Allen, Rieger, Musante "
                     "2016 CPT Pharmacometrics Syst Pharmacol 5:140)")


class PopulationError(ValueError):
    """A virtual population that cannot be drawn as asked (the message names the key)."""


@dataclass(frozen=True)
class Acceptance:
    """How many candidates were drawn for how many accepted virtual patients."""

    lower: float
    upper: float
    drawn: int
    accepted: int


def sample_patients(scenario: Scenario, n: int, seed: int) -> tuple[list[str], NDArray[Any]]:
    """(parameter ids, n x p array) of virtual patients (see :func:`sample_population`)."""
    ids, arr, _ = sample_population(scenario, n, seed)
    return ids, arr


def sample_population(scenario: Scenario, n: int, seed: int, model: IgfModel | None = None
                      ) -> tuple[list[str], NDArray[Any], Acceptance | None]:
    """(parameter ids, n x p array, acceptance) of virtual patients.

    Disease parameters vary log-normally around the patient state with the preset's CVs
    (custom and measured patients: the healthy preset's). A fitted measured patient's fitted
    parameters are drawn jointly from the fit's bootstrap refits instead (its uncertainty), or
    held at the estimate when there are none (``patient.bootstrap = 0``).
    With ``population.baseline_igf1_ng_per_ml = [lo, hi]`` candidates are drawn in batches
    from the same seeded stream and kept, in order, while their untreated steady-state total
    IGF-I lies in [lo, hi] (acceptance-rejection): the virtual patients then match an observed
    range, and ``Acceptance`` says how many candidates that took.
    """
    if scenario.measured is not None:
        raise ValueError(f"scenario {scenario.name!r}: the measured patient is not fitted yet "
                         "(igfcirrhosis.model.fitting.fit_scenario)")
    rng = np.random.default_rng(seed)
    if scenario.baseline_igf1_range is None:
        return (*_draw(scenario, n, rng), None)
    key = _cache_key(scenario, n, seed)
    if key in _ACCEPTED:
        return _ACCEPTED[key]
    lo, hi = scenario.baseline_igf1_range
    m = model or IgfModel()
    kept: list[NDArray[Any]] = []
    values: list[NDArray[np.float64]] = []
    accepted = drawn = 0
    ids: list[str] = []
    while accepted < n:
        limit = MAX_DRAWS_PER_PATIENT * n
        if drawn >= limit:
            allv = np.concatenate(values)
            raise PopulationError(
                f"population.baseline_igf1_ng_per_ml = [{lo:g}, {hi:g}]: only {accepted} of "
                f"{drawn} virtual patients ({accepted / drawn:.1%}) have an untreated IGF-I in "
                f"this range (theirs: median {np.nanmedian(allv):.0f}, 5-95 % "
                f"{np.nanpercentile(allv, 5):.0f}-{np.nanpercentile(allv, 95):.0f} ng/mL); "
                "expected a range these patients reach: widen it or change patient.state")
        batch = min(max(2 * (n - accepted), 64), limit - drawn)
        ids, arr = _draw(scenario, batch, rng)
        base = baseline_igf1(m, ids, arr)
        ok = (base >= lo) & (base <= hi)
        kept.append(arr[ok])
        values.append(base)
        accepted += int(ok.sum())
        drawn += batch
    result = (ids, np.vstack(kept)[:n], Acceptance(lo, hi, drawn, accepted))
    _ACCEPTED.clear()  # keep one: trial_summary asks for the population run_trial just drew
    _ACCEPTED[key] = result
    return result


_ACCEPTED: dict[tuple[Any, ...], tuple[list[str], NDArray[Any], Acceptance]] = {}


def _cache_key(scenario: Scenario, n: int, seed: int) -> tuple[Any, ...]:
    draws = tuple(sorted((k, v) for k, v in (scenario.fit_draws or {}).items()))
    return (scenario.patient, scenario.baseline_igf1_range, n, seed, draws,
            tuple(sorted(scenario.extra_parameters.items())))


def baseline_igf1(model: IgfModel, ids: Sequence[str], values: NDArray[Any]
                  ) -> NDArray[np.float64]:
    """Untreated steady-state total IGF-I (ng/mL) of each row; NaN where none was reached."""
    out = np.full(values.shape[0], np.nan)
    for i, row in enumerate(values):
        try:
            model.equilibrate(dict(zip(ids, (float(v) for v in row), strict=True)),
                              fibrosis=False)
        except RuntimeError:
            continue
        out[i] = float(model.rr["IGF1_total"]) * IGF1_KDA
    return out


def _draw(scenario: Scenario, n: int, rng: np.random.Generator
          ) -> tuple[list[str], NDArray[Any]]:
    table = default_parameters()
    disease = scenario.patient.parameters()
    label = scenario.patient.label
    cvs = preset_cv(label if label in PRESET_NAMES else "healthy")
    draws = scenario.fit_draws or {}
    rows = rng.integers(0, len(next(iter(draws.values()))), n) if draws else None
    fitted = set(scenario.fit["parameters"]) if scenario.fit else set()
    ids: list[str] = []
    cols: list[NDArray[np.float64]] = []
    for key, pid in DISEASE_KEYS.items():
        ids.append(pid)
        if key in draws and rows is not None:
            cols.append(np.asarray(draws[key], dtype=float)[rows])
        else:
            cv = 0.0 if key in fitted else cvs.get(key, 0.0)
            cols.append(_lognormal(rng, disease[pid], cv, n))
    for pid, p in table.items():
        if p.iiv_cv > 0 and pid not in ids:
            ids.append(pid)
            cols.append(_lognormal(rng, p.value, p.iiv_cv, n))
    arr = np.column_stack(cols)
    for j, pid in enumerate(ids):
        arr[:, j] = np.clip(arr[:, j], table[pid].lower, table[pid].upper)
    for pid, v in scenario.extra_parameters.items():
        ids.append(pid)
        col = (np.asarray(draws[pid], dtype=float)[rows] if pid in draws and rows is not None
               else np.full(n, v))
        arr = np.column_stack([arr, col])
    return ids, arr


def _lognormal(rng: np.random.Generator, median: float, cv: float, n: int
               ) -> NDArray[np.float64]:
    sigma = math.sqrt(math.log1p(cv * cv)) if cv > 0 else 0.0
    return median * np.exp(sigma * rng.standard_normal(n))


def sample_times(days: float) -> NDArray[np.float64]:
    """Output grid (h): half-hourly over days 0-2 and the last day, daily in between."""
    end = days * 24.0
    parts = [np.arange(0.0, min(48.0, end), 0.5), np.arange(0.0, end, 24.0),
             np.arange(max(end - 24.0, 0.0), end, 0.5), np.array([end])]
    return np.unique(np.concatenate(parts))


_MODEL: IgfModel | None = None


def _init_worker(sbml: str, rules_sbml: str, rtol: float, atol: float) -> None:
    global _MODEL
    _MODEL = IgfModel(sbml, rtol=rtol, atol=atol, rules_sbml=rules_sbml)


@dataclass(frozen=True)
class _Task:
    ids: list[str]
    values: NDArray[Any]
    arms: list[list[Dosing]]
    days: float
    #: Multi-rate integration of long periodic arms (fast_dosing); False: every interval.
    multirate: bool = True


def _run_chunk(task: _Task) -> NDArray[np.float64]:
    """metrics array (patients x arms x METRICS); NaN where a patient failed."""
    m = _MODEL
    assert m is not None, "worker not initialised"
    times = sample_times(task.days)
    end = times[-1]
    fast = [task.multirate and end >= fast_dosing.MIN_HORIZON_H
            and fast_dosing.dosing_period(d, end) is not None for d in task.arms]
    out = np.full((task.values.shape[0], len(task.arms), len(METRICS)), np.nan)
    for i, row in enumerate(task.values):
        params = dict(zip(task.ids, (float(v) for v in row), strict=True))
        try:
            base_state = m.equilibrate(params)
        except RuntimeError:
            continue
        healthy_ref = params.get("Itot0", m.rr["Itot0"]) * IGF1_KDA
        base_igf = float(m.rr["IGF1_total"]) * IGF1_KDA
        base_ecm = float(m.rr["ECM"])
        jac = fast_dosing.slow_jacobian(m, base_state) if any(fast) else None
        for a, dosing in enumerate(task.arms):
            m.set_state(base_state)
            try:
                if fast[a] and jac is not None:
                    t, res = fast_dosing.simulate_multirate(m, dosing, times, _SEL, jac)
                else:
                    t, res = times, m.simulate(dosing, times, _SEL)
            except RuntimeError:
                continue
            last = t >= end - 24.0
            igf = res[:, 1] * IGF1_KDA
            igf_last = float(np.mean(igf[last]))
            out[i, a] = (base_igf, igf_last, igf_last / healthy_ref,
                         float(res[-1, 3]) / base_ecm - 1.0, float(res[:, 2].max()) * IGF1_KDA,
                         float(np.mean(res[last, 4])))
    return out


def run_trial(scenario: Scenario, n: int, seed: int, days: float | None = None,
              workers: int = 2, chunk_size: int = 25, rtol: float = 1e-5, atol: float = 1e-8,
              progress: Callable[[int], None] | None = None, multirate: bool = True,
              ) -> NDArray[np.float64]:
    """Metrics (n x arms x METRICS) for a seeded virtual population; ``workers`` processes.

    ``multirate=False`` resolves every dosing interval of every arm (the reference the
    multi-rate integration is tested against)."""
    from igfcirrhosis.model.sbml import sbml_string

    ids, values = sample_patients(scenario, n, seed)
    horizon = float(days if days is not None else scenario.days)
    arms = [[p.dosing() for p in arm.regimen] for arm in scenario.arms]
    arms = [[_clip(d, horizon) for d in a] for a in arms]
    tasks = [_Task(ids, values[k:k + chunk_size], arms, horizon, multirate)
             for k in range(0, n, chunk_size)]
    sbml, rules = sbml_string(fast=True), sbml_string()
    results: list[NDArray[np.float64]] = []
    if workers <= 1:
        _init_worker(sbml, rules, rtol, atol)
        for t in tasks:
            results.append(_run_chunk(t))
            if progress:
                progress(t.values.shape[0])
    else:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(sbml, rules, rtol, atol)) as pool:
            for t, r in zip(tasks, pool.imap(_run_chunk, tasks), strict=True):
                results.append(r)
                if progress:
                    progress(t.values.shape[0])
    return np.concatenate(results, axis=0)


def _clip(d: Dosing, horizon_days: float) -> Dosing:
    return Dosing(d.product, d.dose_ug_per_kg, d.interval_h, d.start_h,
                  min(d.end_h, horizon_days * 24.0))


def _stats(x: NDArray[np.float64], unit: str) -> dict[str, Any]:
    ok = x[np.isfinite(x)]
    if ok.size == 0:
        return {"median": None, "p05": None, "p95": None, "unit": unit, "n": 0}
    p05, med, p95 = np.percentile(ok, [5, 50, 95])
    return {"median": num(med), "p05": num(p05), "p95": num(p95), "unit": unit,
            "n": int(ok.size)}


def trial_summary(scenario: Scenario, metrics: NDArray[np.float64], n: int, seed: int,
                  days: float, threshold: tuple[float, str] | None = None) -> dict[str, Any]:
    """summary.json content of a virtual trial (medians and 90 % intervals per arm).

    ``threshold``: hypoglycaemia-proxy (ng/mL, source); default the scenario's or the anchor.
    """
    if threshold is None:
        from igfcirrhosis.model.simulate import hypo_threshold

        threshold = hypo_threshold(scenario, IgfModel())
    thr, thr_source = threshold
    arms_out: list[dict[str, Any]] = []
    for a, arm in enumerate(scenario.arms):
        m = metrics[:, a, :]
        peak = m[:, METRICS.index("free_igf1_peak")]
        ok = np.isfinite(peak)
        arms_out.append({
            "name": arm.name,
            "regimen": [{"product": p.product, "dose": qty(p.dose_ug_per_kg, "ug/kg"),
                         "interval": qty(p.interval_hours, "h")} for p in arm.regimen],
            "statistics": {k: _stats(m[:, j], METRIC_UNITS[k]) for j, k in enumerate(METRICS)},
            "fraction_free_igf1_above_threshold": qty(
                float(np.mean(peak[ok] > thr)) if ok.any() else None, "1"),
            "n_failed": int((~ok).sum()),
        })
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "virtual_trial",
        "scenario": {"name": scenario.name, "patient_state": scenario.patient.label},
        "n_patients": n,
        "seed": seed,
        "days": qty(days, "d"),
        "interval": "median with 5th-95th percentiles (90 % interval)",
        "definitions": {
            "igf1_restoration": "mean total IGF-I over the last day / the patient's healthy "
                                "reference total IGF-I",
            "ecm_change": "ECM index at the end / at baseline - 1",
            "free_igf1_peak": "highest free IGF-I sampled (half-hourly on days 0-2 and the "
                              "last day)",
            "hypoglycaemia_proxy": "fraction of patients whose free IGF-I peak exceeds "
                                   f"{thr:g} ng/mL (a proxy, not a glucose model)",
        },
        "threshold_free_igf1": qty(thr, "ng/mL"),
        "threshold_source": thr_source,
        "arms": arms_out,
        "caveats": caveats(scenario),
    }
    if scenario.baseline_igf1_range is not None:
        acc = sample_population(scenario, n, seed)[2]  # the draw run_trial made (cached)
        if acc is not None:
            doc["acceptance"] = {
                "criterion": ACCEPTANCE_SOURCE,
                "baseline_igf1_lower": qty(acc.lower, "ng/mL"),
                "baseline_igf1_upper": qty(acc.upper, "ng/mL"),
                "drawn": acc.drawn, "accepted": acc.accepted,
                "rate": qty(acc.accepted / acc.drawn, "1")}
    if scenario.fit is not None:
        doc["fit"] = scenario.fit
        doc["definitions"]["virtual_patients"] = (
            "the fitted parameters are drawn jointly from the fit's bootstrap refits (this "
            "patient's uncertainty); the others vary as in any virtual population")
    return doc


def arm_names(scenario: Scenario) -> Sequence[str]:
    """Names of the scenario's arms, in order."""
    return [a.name for a in scenario.arms]


def write_trial(scenario: Scenario, metrics: NDArray[np.float64], out_dir: Path,
                plots: bool = True, threshold: float | None = None) -> dict[str, Any]:
    """Per-patient metrics (Parquet) and box plots per arm of the free IGF-I peak (with the
    hypoglycaemia-proxy ``threshold``, ng/mL), IGF-I restoration and the scar change."""
    import pandas as pd

    rows = []
    for i in range(metrics.shape[0]):
        for a, arm in enumerate(scenario.arms):
            rows.append({"patient": i, "arm": arm.name,
                         **{f"{k} [{METRIC_UNITS[k]}]": metrics[i, a, j]
                            for j, k in enumerate(METRICS)}})
    path = out_dir / "population.parquet"
    pd.DataFrame(rows).to_parquet(path, index=False)
    files: dict[str, Any] = {"population": path.name}
    if plots:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        names = [a.name for a in scenario.arms]
        panels = [("free_igf1_peak", 1.0, "free IGF-I peak [ng/mL]"),
                  ("igf1_restoration", 100.0, "total IGF-I, last day [% of healthy]"),
                  ("ecm_change", 100.0, "scar (ECM) change [%]")]
        fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
        for ax, (key, scale, label) in zip(axes, panels, strict=True):
            j = METRICS.index(key)
            data = [scale * metrics[:, a, j][np.isfinite(metrics[:, a, j])]
                    for a in range(len(names))]
            ax.boxplot(data, whis=(5, 95))
            ax.set_xticks(range(1, len(names) + 1), names, rotation=20, fontsize=7)
            ax.set_ylabel(label)
            if key == "free_igf1_peak" and threshold is not None:
                ax.axhline(threshold, color="tab:red", linestyle="--", linewidth=1,
                           label=f"hypoglycaemia proxy {threshold:.3g} ng/mL")
                ax.legend(fontsize=7, loc="best")
            elif key == "igf1_restoration":
                ax.axhline(100.0, color="tab:green", linestyle=":", linewidth=1,
                           label="healthy reference")
                ax.legend(fontsize=7, loc="best")
        fig.suptitle(f"{scenario.name}: {metrics.shape[0]} virtual patients "
                     "(box: quartiles; whiskers: 5th-95th percentile)", fontsize=9)
        fig.tight_layout()
        figs = [out_dir / "trial.png", out_dir / "trial.svg"]
        fig.savefig(figs[0], dpi=110, metadata={"Software": None})
        fig.savefig(figs[1], metadata={"Date": None})
        plt.close(fig)
        files["figures"] = [p.name for p in figs]
    return files
