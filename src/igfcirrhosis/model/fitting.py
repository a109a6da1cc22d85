"""Fit patient-state parameters to measured steady-state values (a measured patient -> a model).

Observation model (assumptions, stated): each measurement is log-normal around the model's
untreated steady state with a CV combining assay and within-person variation -- IGF-I 15 %,
IGFBP-3 15 %, ALS 15 %, IGF-II 15 %, free IGF-I 30 %, GH 60 % (pulsatile secretion; the model
gives the mean level). Estimation: weighted least squares on log values (= maximum likelihood
under that model), parameters on log scale within their parameters.tsv bounds.
Uncertainty: **parametric bootstrap** -- synthetic measurement sets are drawn from the fitted
model with the CVs above (seeded), each is refitted, and the 2.5-97.5 % percentiles of the
refits form the 95 % interval. Liver mass and GH-receptor density act on hepatic synthesis
mostly through their product, so IGF-I and IGFBP-3 alone identify the product well and each
factor poorly; ALS, IGF-II and GH separate them only weakly -- wide intervals are the honest
answer, not a bug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.parameters import default_parameters
from igfcirrhosis.model.patient import PatientState
from igfcirrhosis.model.units import ALS_KDA, IGF1_KDA, IGF2_KDA, IGFBP3_KDA

if TYPE_CHECKING:
    from igfcirrhosis.model.scenario import Scenario

#: measurement key -> (unit, CV, function of the RoadRunner state giving the model value)
MEASURABLES: dict[str, tuple[str, float, Any]] = {
    "igf1": ("ng/mL", 0.15, lambda rr: rr["IGF1_total"] * IGF1_KDA),
    "igfbp3": ("mg/L", 0.15, lambda rr: rr["IGFBP3_total"] * IGFBP3_KDA / 1000.0),
    "als": ("mg/L", 0.15, lambda rr: rr["ALS_total"] * ALS_KDA / 1000.0),
    "igf2": ("ng/mL", 0.15, lambda rr: rr["IGF2_total"] * IGF2_KDA),
    "free_igf1": ("ng/mL", 0.30, lambda rr: rr["I"] * IGF1_KDA),
    "gh": ("ng/mL", 0.60, lambda rr: rr["GH"]),
}
#: fit-parameter name -> model parameter id. The injury drive is not fittable: it moves only
#: the fibrosis states, none of which is measurable here.
FITTABLE = {"liver_mass": "Hmass_base", "ghr_density": "ghr", "gh_drive": "gh_drive"}
#: A fitted value further than this many observation SDs from its measurement is a warning.
MISFIT_SD = 3.0


class FitError(ValueError):
    """Bad fitting input (unknown key, non-positive value, too few measurements)."""


@dataclass
class FitResult:
    """Estimates with 95 % parametric-bootstrap intervals; ``state`` is the simulated patient."""

    estimates: dict[str, float]
    ci95: dict[str, tuple[float, float]]
    measurements: dict[str, float]
    simulated: dict[str, float]
    units: dict[str, str]
    success: bool
    method: str
    n_boot: int
    bootstrap: dict[str, list[float]] = field(repr=False, default_factory=dict)
    #: why the estimates should not be read as measurements of the patient (empty: none)
    warnings: list[str] = field(default_factory=list)

    @property
    def state(self) -> PatientState:
        """The fitted patient as a model state (unfitted values from the healthy preset)."""
        return PatientState("custom", self.estimates.get("liver_mass", 1.0),
                            self.estimates.get("ghr_density", 1.0),
                            self.estimates.get("injury", 0.05))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (units included)."""
        return {"estimates": self.estimates,
                "ci95": {k: list(v) for k, v in self.ci95.items()},
                "measurements": {k: {"value": v, "unit": self.units[k]}
                                 for k, v in self.measurements.items()},
                "simulated": {k: {"value": v, "unit": self.units[k]}
                              for k, v in self.simulated.items()},
                "success": self.success, "method": self.method, "n_boot": self.n_boot,
                "warnings": self.warnings}


def _predict(model: IgfModel, names: Sequence[str], x: np.ndarray, keys: Sequence[str],
             fixed: Mapping[str, float]) -> np.ndarray:
    params = dict(fixed)
    params.update({FITTABLE[n]: float(v) for n, v in zip(names, np.exp(x), strict=True)})
    model.equilibrate(params, fibrosis=False)
    return np.array([MEASURABLES[k][2](model.rr) for k in keys], dtype=float)


def _fit(model: IgfModel, names: Sequence[str], keys: Sequence[str], y: np.ndarray,
         fixed: Mapping[str, float], x0: np.ndarray, lo: np.ndarray, hi: np.ndarray
         ) -> tuple[np.ndarray, bool]:
    from scipy.optimize import least_squares

    sig = np.array([np.sqrt(np.log1p(MEASURABLES[k][1] ** 2)) for k in keys])

    def resid(x: np.ndarray) -> np.ndarray:
        out: np.ndarray = (np.log(_predict(model, names, x, keys, fixed)) - np.log(y)) / sig
        return out

    fit = least_squares(resid, x0, bounds=(lo, hi), x_scale=1.0, xtol=1e-8, ftol=1e-10)
    return fit.x, bool(fit.success)


def fit_patient(measurements: Mapping[str, float],
                parameters: Sequence[str] = ("liver_mass", "ghr_density"),
                n_boot: int = 50, seed: int = 0, model: IgfModel | None = None,
                fixed: Mapping[str, float] | None = None) -> FitResult:
    """Estimate ``parameters`` from a patient's (or a cohort's mean) steady-state values.

    ``measurements`` keys: igf1 (ng/mL), igfbp3 (mg/L), als (mg/L), igf2 (ng/mL),
    free_igf1 (ng/mL), gh (ng/mL). Needs at least as many measurements as parameters.
    """
    for k, v in measurements.items():
        if k not in MEASURABLES:
            raise FitError(f"measurement {k!r}: expected one of {sorted(MEASURABLES)}")
        if not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
            raise FitError(f"measurement {k} = {v!r}: expected a positive number "
                           f"({MEASURABLES[k][0]})")
    for p in parameters:
        if p not in FITTABLE:
            raise FitError(f"parameter {p!r}: expected one of {sorted(FITTABLE)}")
    if len(measurements) < len(parameters):
        raise FitError(f"{len(measurements)} measurements cannot identify {len(parameters)} "
                       "parameters")
    m = model or IgfModel()
    table = default_parameters()
    names = list(parameters)
    keys = list(measurements)
    y = np.array([float(measurements[k]) for k in keys])
    base = {"Hmass_base": 1.0, "ghr": 1.0, "tgf": 0.05, **(fixed or {})}
    lo = np.log([max(table[FITTABLE[n]].lower, 1e-3) for n in names])
    hi = np.log([table[FITTABLE[n]].upper for n in names])
    x0 = np.log([min(max(table[FITTABLE[n]].value * 0.7, np.exp(a) * 1.01), np.exp(b) * 0.99)
                 for n, a, b in zip(names, lo, hi, strict=True)])
    xhat, ok = _fit(m, names, keys, y, base, x0, lo, hi)
    yhat = _predict(m, names, xhat, keys, base)
    rng = np.random.default_rng(seed)
    sig = np.array([np.sqrt(np.log1p(MEASURABLES[k][1] ** 2)) for k in keys])
    boots = []
    for _ in range(n_boot):
        yb = yhat * np.exp(sig * rng.standard_normal(len(keys)))
        xb, okb = _fit(m, names, keys, yb, base, xhat, lo, hi)
        if okb:
            boots.append(np.exp(xb))
    arr = np.array(boots) if boots else np.full((0, len(names)), np.nan)
    warnings = _warnings(m, names, keys, y, xhat, yhat, base, lo, hi)
    ci = {n: ((float(np.percentile(arr[:, j], 2.5)), float(np.percentile(arr[:, j], 97.5)))
              if arr.shape[0] else (float("nan"), float("nan"))) for j, n in enumerate(names)}
    return FitResult(
        estimates={n: float(v) for n, v in zip(names, np.exp(xhat), strict=True)}, ci95=ci,
        measurements={k: float(v) for k, v in zip(keys, y, strict=True)},
        simulated={k: float(v) for k, v in zip(keys, yhat, strict=True)},
        units={k: MEASURABLES[k][0] for k in keys}, success=ok,
        method=f"weighted log least squares; 95 % CI by parametric bootstrap (n={n_boot}, "
               f"seed={seed})", n_boot=len(boots),
        bootstrap={n: arr[:, j].tolist() for j, n in enumerate(names)}, warnings=warnings)


def _warnings(model: IgfModel, names: Sequence[str], keys: Sequence[str], y: np.ndarray,
              xhat: np.ndarray, yhat: np.ndarray, fixed: Mapping[str, float], lo: np.ndarray,
              hi: np.ndarray) -> list[str]:
    """Estimates at a bound of their range, parameters the measurements do not move (a 10 %
    change shifts no measurement by 0.1 % -- not identifiable), and measurements the fit
    misses by more than :data:`MISFIT_SD` observation SDs (not consistent with the model)."""
    out = []
    for j, n in enumerate(names):
        for side, bound in (("lower", lo[j]), ("upper", hi[j])):
            if abs(xhat[j] - bound) <= 1e-3:
                out.append(f"{n} at its {side} bound {np.exp(bound):.3g}")
        x = xhat.copy()
        x[j] = x[j] + (np.log(1.1) if x[j] + np.log(1.1) <= hi[j] else -np.log(1.1))
        moved = np.abs(np.log(_predict(model, names, x, keys, fixed) / yhat))
        if float(moved.max()) < 1e-3:
            out.append(f"{n} is not identifiable from {', '.join(keys)} (a 10 % change moves "
                       "none of them)")
    _predict(model, names, xhat, keys, fixed)  # leave the model at the estimate
    for k, obs, fit in zip(keys, y, yhat, strict=True):
        z = float(np.log(fit / obs)) / float(np.sqrt(np.log1p(MEASURABLES[k][1] ** 2)))
        if abs(z) > MISFIT_SD:
            out.append(f"{k} fitted {fit:.3g} vs measured {obs:.3g} {MEASURABLES[k][0]} "
                       f"({z:+.1f} SD)")
    return out


def fit_scenario(scenario: Scenario, model: IgfModel | None = None) -> Scenario:
    """A scenario whose patient is ``measured`` becomes one with the fitted patient.

    The parameters named in ``patient.fit`` are estimated from ``[patient.measured]`` with
    :func:`fit_patient` (seeded with the scenario's seed, ``patient.bootstrap`` refits); the
    other state parameters keep the scenario's values. The returned scenario carries the fit
    report in ``fit`` (written into summary.json) and the bootstrap refits in ``fit_draws``
    (virtual populations of this patient draw from them); any other scenario is returned
    unchanged.
    """
    from igfcirrhosis.model.summary import num

    measured = scenario.measured
    if measured is None:
        return scenario
    pat = scenario.patient
    fixed = {**pat.parameters(), **scenario.extra_parameters}
    fit = fit_patient(measured.values, measured.fit, n_boot=measured.bootstrap,
                      seed=scenario.seed, model=model, fixed=fixed)
    est = fit.estimates
    patient = PatientState("measured (fitted)", est.get("liver_mass", pat.liver_mass),
                           est.get("ghr_density", pat.ghr_density), pat.injury)
    extra = dict(scenario.extra_parameters)
    if "gh_drive" in est:
        extra["gh_drive"] = est["gh_drive"]
    report = {
        "parameters": {n: {"estimate": num(est[n]), "ci95": [num(v) for v in fit.ci95[n]],
                           "unit": "1", "model_parameter": FITTABLE[n]} for n in measured.fit},
        "measurements": {k: {"measured": num(fit.measurements[k]),
                             "simulated": num(fit.simulated[k]), "unit": fit.units[k],
                             "cv": MEASURABLES[k][1]} for k in fit.measurements},
        "success": fit.success,
        "warnings": fit.warnings + ([] if measured.injury_given else [
            f"patient.injury not given: the healthy injury drive {pat.injury:g} is assumed; "
            "it sets the stellate-cell and fibrosis outputs, not the fit (Child-Pugh presets "
            "use 0.5 / 1.0 / 1.5)"]),
        "method": fit.method,
        "n_boot": fit.n_boot,
        "observation_model": "log-normal around the untreated steady state with the CVs "
                             "given per measurement (assay and within-person variation; "
                             "igfcirrhosis.model.fitting)",
    }
    draws = {n: tuple(v) for n, v in fit.bootstrap.items() if v}
    return replace(scenario, patient=patient, extra_parameters=extra, measured=None,
                   fit=report, fit_draws=draws)
