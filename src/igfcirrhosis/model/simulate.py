"""Single-patient simulation of a scenario: trajectories (Parquet), summary.json, plots."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.model import SCHEMA_VERSION
from igfcirrhosis.model.caveats import caveats
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.outputs import OUTPUTS, UNITS, columns_of, current, derive
from igfcirrhosis.model.summary import dump, num, qty

if TYPE_CHECKING:
    from igfcirrhosis.model.scenario import Scenario

SUMMARY_QUANTITIES = ("igf1_total", "igf1_free", "igf1_binary", "igf1_ternary", "igf2_total",
                      "igfbp3_total", "als_total", "gh", "hsc_activated", "hsc_senescent",
                      "ecm", "liver_mass", "igf1_igfbp3_molar_ratio")


def hypo_threshold(scenario: Scenario, model: IgfModel) -> tuple[float, str]:
    """The scenario's hypoglycaemia-proxy threshold (ng/mL free IGF-I) and its source."""
    from igfcirrhosis.model.hypoglycaemia import ANCHOR_SOURCE, anchored_threshold

    if scenario.hypo_free_igf1_ng_per_ml is not None:
        return (scenario.hypo_free_igf1_ng_per_ml,
                "scenario target.free_igf1_hypoglycaemia_ng_per_ml")
    return anchored_threshold(model), ANCHOR_SOURCE


def run_scenario(scenario: Scenario, model: IgfModel | None = None
                 ) -> tuple[dict[str, np.ndarray], dict[str, float], dict[str, float]]:
    """Trajectories (OUTPUTS columns), untreated baseline and healthy reference (scalars)."""
    _require_fitted(scenario)
    m = model or IgfModel()
    m.equilibrate({"Hmass_base": 1.0, "ghr": 1.0, "tgf": 0.05})
    healthy = current(m.rr)
    m.equilibrate({**scenario.patient.parameters(), **scenario.extra_parameters})
    baseline = current(m.rr)
    end_h = scenario.days * 24.0
    n = int(round(end_h / scenario.output_step_hours))
    times = np.linspace(0.0, end_h, max(n, 1) + 1)
    res = m.simulate(scenario.dosing(), times)
    traj = derive(columns_of(res, m.selections))
    return traj, baseline, healthy


def _require_fitted(scenario: Scenario) -> None:
    if scenario.measured is not None:
        raise ValueError(f"scenario {scenario.name!r}: the measured patient is not fitted yet "
                         "(igfcirrhosis.model.fitting.fit_scenario)")


def summarise(scenario: Scenario, traj: dict[str, np.ndarray], baseline: dict[str, float],
              healthy: dict[str, float], threshold: tuple[float, str]) -> dict[str, Any]:
    """summary.json content (see schemas/simulation-summary.schema.json)."""
    thr, thr_source = threshold
    t = traj["time_h"]
    igf = traj["igf1_total"]
    free = traj["igf1_free"]
    in_range = (igf >= scenario.igf1_low_ng_per_ml) & (igf <= scenario.igf1_high_ng_per_ml)
    dt = np.diff(t)
    frac_in = float(np.sum(dt * in_range[1:]) / np.sum(dt)) if dt.size else None
    above = free > thr
    hours_above = float(np.sum(dt * above[1:])) if dt.size else 0.0
    last = t >= t[-1] - 24.0

    def block(values: dict[str, float]) -> dict[str, Any]:
        return {k: qty(values[k], UNITS[k]) for k in SUMMARY_QUANTITIES}

    end = {k: float(traj[k][-1]) for k in SUMMARY_QUANTITIES}
    peaks = {k: qty(float(traj[k].max()), UNITS[k], time_h=num(float(t[int(traj[k].argmax())])))
             for k in ("igf1_total", "igf1_free", "gh")}
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "simulation",
        "scenario": {
            "name": scenario.name,
            "patient": {"state": scenario.patient.label,
                        "liver_mass": qty(scenario.patient.liver_mass, "1"),
                        "ghr_density": qty(scenario.patient.ghr_density, "1"),
                        "injury": qty(scenario.patient.injury, "1")},
            "days": qty(scenario.days, "d"),
            "regimen": [{"product": p.product, "dose": qty(p.dose_ug_per_kg, "ug/kg"),
                         "interval": qty(p.interval_hours, "h"),
                         "start_day": qty(p.start_day, "d"),
                         "duration": qty(p.duration_days, "d")} for p in scenario.regimen],
        },
        "healthy_reference": block(healthy),
        "baseline": block(baseline),
        "end": block(end),
        "peaks": peaks,
        "last_day_mean": {k: qty(float(np.mean(traj[k][last])), UNITS[k])
                          for k in ("igf1_total", "igf1_free", "gh")},
        "target_range": {
            "igf1_low": qty(scenario.igf1_low_ng_per_ml, "ng/mL"),
            "igf1_high": qty(scenario.igf1_high_ng_per_ml, "ng/mL"),
            "fraction_of_time_in_range": qty(frac_in, "1"),
        },
        "exposure": {
            "auc_igf1_total": qty(float(np.trapezoid(igf, t)), "ng*h/mL"),
            "auc_igf1_free": qty(float(np.trapezoid(free, t)), "ng*h/mL"),
            "auc_igf1_total_above_baseline": qty(
                float(np.trapezoid(igf - baseline["igf1_total"], t)), "ng*h/mL"),
        },
        "hypoglycaemia_proxy": {
            "definition": "free IGF-I above threshold (a proxy, not a glucose model; "
                          "Growth Regul 1991 1:23)",
            "threshold_free_igf1": qty(thr, "ng/mL"),
            "threshold_source": thr_source,
            "hours_above_threshold": qty(hours_above, "h"),
            "peak_free_igf1": qty(float(free.max()), "ng/mL"),
        },
        "outputs": {o.name: {"unit": o.unit, "description": o.description} for o in OUTPUTS},
        "caveats": caveats(scenario),
    }
    if scenario.fit is not None:
        doc["fit"] = scenario.fit
    return doc


def write_trajectories(traj: dict[str, np.ndarray], path: Path) -> Path:
    """Parquet with one column per output, named ``name [unit]``."""
    import pandas as pd

    df = pd.DataFrame({f"{o.name} [{o.unit}]": traj[o.name] for o in OUTPUTS})
    df.to_parquet(path, index=False)
    return path


def plot_trajectories(traj: dict[str, np.ndarray], scenario: Scenario, out_dir: Path,
                      threshold: float | None = None) -> list[Path]:
    """Six-panel figure (IGF-I, free IGF-I, binding proteins, GH, HSC, ECM) as PNG and SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = traj["time_h"] / 24.0
    fig, axes = plt.subplots(3, 2, figsize=(11, 9), sharex=True)
    ax = axes[0, 0]
    for k in ("igf1_total", "igf1_ternary", "igf1_binary"):
        ax.plot(d, traj[k], lw=0.9, label=k)
    ax.axhspan(scenario.igf1_low_ng_per_ml, scenario.igf1_high_ng_per_ml, alpha=0.1,
               color="green", label="target range")
    ax.set_ylabel("IGF-I [ng/mL]")
    ax.legend(fontsize=7, loc="lower right")
    ax = axes[0, 1]
    ax.plot(d, traj["igf1_free"], color="red", lw=0.8, label="free IGF-I")
    if threshold is not None:
        ax.axhline(threshold, color="black", ls="--", lw=0.8, label="hypoglycaemia-risk proxy")
    ax.set_ylabel("free IGF-I [ng/mL]")
    ax.legend(fontsize=7, loc="upper right")
    ax = axes[1, 0]
    ax.plot(d, traj["igfbp3_total"], label="IGFBP-3 [mg/L]")
    ax.plot(d, traj["als_total"] / 10.0, label="ALS [10 mg/L]")
    ax.plot(d, traj["igf2_total"] / 100.0, label="IGF-II [100 ng/mL]")
    ax.set_ylabel("binding proteins, IGF-II")
    ax.legend(fontsize=7)
    ax = axes[1, 1]
    ax.plot(d, traj["gh"], color="purple", lw=0.8)
    ax.set_ylabel("GH [ng/mL]")
    ax = axes[2, 0]
    for k in ("hsc_quiescent", "hsc_activated", "hsc_senescent"):
        ax.plot(d, traj[k], label=k)
    ax.set_ylabel("HSC fraction")
    ax.set_xlabel("time [days]")
    ax.legend(fontsize=7)
    ax = axes[2, 1]
    ax.plot(d, traj["ecm"], color="brown", label="ECM index")
    ax.set_ylabel("ECM / scar index")
    ax.set_xlabel("time [days]")
    ax3 = ax.twinx()
    ax3.plot(d, traj["liver_mass"], color="green", label="liver mass")
    ax3.set_ylabel("functional liver mass", color="green")
    for ax in (*axes.flat, ax3):
        _readable_y(ax)
    fig.suptitle(f"{scenario.name} \u2014 patient: {scenario.patient.label}")
    fig.tight_layout()
    paths = [out_dir / "trajectories.png", out_dir / "trajectories.svg"]
    fig.savefig(paths[0], dpi=110, metadata={"Software": None})
    fig.savefig(paths[1], metadata={"Date": None})
    plt.close(fig)
    return paths


def _readable_y(ax: Any) -> None:
    """No offset notation ('1e-7+5.3e-1'): a quantity that hardly moves is drawn flat within
    +-5 % of its level, with plain tick labels."""
    lines = [ln.get_ydata() for ln in ax.get_lines() if len(ln.get_ydata()) > 1]
    if lines:
        y = np.concatenate([np.asarray(v, dtype=float) for v in lines])
        y = y[np.isfinite(y)]
        level = float(np.max(np.abs(y))) if y.size else 0.0
        if level > 0 and float(np.ptp(y)) < 1e-3 * level:
            mid = float(np.mean(y))
            ax.set_ylim(mid - 0.05 * abs(mid), mid + 0.05 * abs(mid))
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")


def simulate_scenario(scenario: Scenario, out_dir: Path, model: IgfModel | None = None,
                      plots: bool = True) -> dict[str, Any]:
    """Run one scenario and write trajectories.parquet, summary.json and the figures.

    A measured patient is fitted first (:func:`igfcirrhosis.model.fitting.fit_scenario`).
    """
    from igfcirrhosis.model.fitting import fit_scenario

    out_dir.mkdir(parents=True, exist_ok=True)
    m = model or IgfModel()
    scenario = fit_scenario(scenario, m)
    traj, baseline, healthy = run_scenario(scenario, m)
    threshold = hypo_threshold(scenario, m)
    summary = summarise(scenario, traj, baseline, healthy, threshold)
    files: dict[str, Any] = {"trajectories": write_trajectories(traj, out_dir / "trajectories.parquet").name}
    if plots:
        files["figures"] = [p.name for p in plot_trajectories(traj, scenario, out_dir,
                                                              threshold[0])]
    summary["files"] = files
    dump(summary, out_dir / "summary.json")
    return summary
