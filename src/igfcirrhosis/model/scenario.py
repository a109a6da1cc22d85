"""Scenario TOML files: patient state, horizon, regimen(s), targets, virtual-trial arms.

Every problem is a :class:`ScenarioError` naming the TOML key, the value and what was expected.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from igfcirrhosis.model.engine import Dosing
from igfcirrhosis.model.patient import PRESET_NAMES, PatientState, preset

PRODUCTS = ("mecasermin", "rinfabate")


class ScenarioError(ValueError):
    """Bad scenario input; the message names the key, the value and what was expected."""


@dataclass(frozen=True)
class Phase:
    """One dosing phase as written in the scenario (days, ug/kg IGF-I per dose)."""

    product: str
    dose_ug_per_kg: float
    interval_hours: float
    start_day: float
    duration_days: float

    def dosing(self) -> Dosing:
        """As engine dosing (hours)."""
        start = self.start_day * 24.0
        return Dosing(self.product, self.dose_ug_per_kg, self.interval_hours, start,
                      start + self.duration_days * 24.0)


@dataclass(frozen=True)
class Arm:
    """A virtual-trial arm: a name and its regimen (empty = untreated)."""

    name: str
    regimen: tuple[Phase, ...]


#: What a measured patient may give (key -> unit, plausible range): the values the model can
#: be fitted to (:data:`igfcirrhosis.model.fitting.MEASURABLES`), untreated steady state.
MEASURED_KEYS: dict[str, tuple[str, float, float]] = {
    "igf1": ("ng/mL", 1.0, 2000.0), "igfbp3": ("mg/L", 0.05, 20.0),
    "als": ("mg/L", 0.5, 100.0), "igf2": ("ng/mL", 10.0, 3000.0),
    "free_igf1": ("ng/mL", 0.01, 100.0), "gh": ("ng/mL", 0.01, 200.0),
}
#: Patient-state parameters that can be fitted (keys of fitting.FITTABLE; the injury drive
#: moves no measurable value).
FIT_KEYS = ("liver_mass", "ghr_density", "gh_drive")


@dataclass(frozen=True)
class MeasuredPatient:
    """``patient.state = "measured"``: steady-state values (units of :data:`MEASURED_KEYS`),
    the parameters to fit to them and the number of bootstrap refits for their intervals."""

    values: dict[str, float]
    fit: tuple[str, ...]
    bootstrap: int
    #: False when ``patient.injury`` was not given (the healthy 0.05 is then assumed)
    injury_given: bool = True


@dataclass(frozen=True)
class Scenario:
    """A validated scenario."""

    name: str
    patient: PatientState
    days: float
    output_step_hours: float
    regimen: tuple[Phase, ...]
    igf1_low_ng_per_ml: float
    igf1_high_ng_per_ml: float
    hypo_free_igf1_ng_per_ml: float | None  # None: anchored threshold (hypoglycaemia.py)
    population_n: int
    seed: int
    arms: tuple[Arm, ...]
    extra_parameters: dict[str, float] = field(default_factory=dict)
    #: a measured patient still to be fitted (:func:`igfcirrhosis.model.fitting.fit_scenario`)
    measured: MeasuredPatient | None = None
    #: the fit that made this scenario's patient (``FitResult.to_dict()``), for the summaries
    fit: dict[str, Any] | None = None
    #: bootstrap refits of the fitted parameters (name -> values), for virtual populations
    fit_draws: dict[str, tuple[float, ...]] | None = None
    #: virtual patients whose untreated total IGF-I (ng/mL) falls outside are redrawn
    baseline_igf1_range: tuple[float, float] | None = None

    def dosing(self) -> list[Dosing]:
        """The regimen as engine dosing."""
        return [p.dosing() for p in self.regimen]


def _err(key: str, value: object, expected: str) -> ScenarioError:
    return ScenarioError(f"{key} = {value!r}: expected {expected}")


def _table(d: dict[str, Any], key: str, allowed: set[str], where: str) -> dict[str, Any]:
    sub = d.get(key, {})
    if not isinstance(sub, dict):
        raise _err(f"{where}{key}", sub, "a table")
    for k in sub:
        if k not in allowed:
            raise _err(f"{where}{key}.{k}", sub[k], f"one of the keys {sorted(allowed)}")
    return sub


def _num(d: dict[str, Any], key: str, where: str, lo: float, hi: float, default: float | None,
         unit: str) -> float:
    if key not in d:
        if default is None:
            raise _err(f"{where}{key}", None, f"a number in [{lo}, {hi}] {unit} (required)")
        return default
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
        raise _err(f"{where}{key}", v, f"a number in [{lo}, {hi}] {unit}")
    return float(v)


def _phases(items: object, where: str, days: float) -> tuple[Phase, ...]:
    if not isinstance(items, list):
        raise _err(where, items, "an array of tables [[regimen]]")
    out: list[Phase] = []
    allowed = {"product", "dose_ug_per_kg", "interval_hours", "start_day", "duration_days"}
    for i, it in enumerate(items):
        w = f"{where}[{i}]."
        if not isinstance(it, dict):
            raise _err(f"{where}[{i}]", it, "a table")
        for k in it:
            if k not in allowed:
                raise _err(f"{w}{k}", it[k], f"one of the keys {sorted(allowed)}")
        product = it.get("product")
        if product not in PRODUCTS:
            raise _err(f"{w}product", product, f"one of {list(PRODUCTS)}")
        dose = _num(it, "dose_ug_per_kg", w, 0.1, 1000.0, None, "ug/kg IGF-I per dose")
        interval = _num(it, "interval_hours", w, 1.0, 168.0, 12.0, "h")
        start = _num(it, "start_day", w, 0.0, days, 0.0, "days (within simulation.days)")
        duration = _num(it, "duration_days", w, 0.01, 3650.0, days - start, "days")
        out.append(Phase(str(product), dose, interval, start, duration))
    for prod in PRODUCTS:
        ph = sorted((p for p in out if p.product == prod), key=lambda p: p.start_day)
        for p, q in zip(ph, ph[1:], strict=False):
            if q.start_day < p.start_day + p.duration_days - 1e-9:
                raise _err(f"{where}.start_day", q.start_day,
                           f"{prod} phases not to overlap (previous ends on day "
                           f"{p.start_day + p.duration_days:g})")
    return tuple(out)


def parse_scenario(data: dict[str, Any], name: str = "scenario") -> Scenario:
    """Validate a scenario mapping (as read from TOML)."""
    top = {"name", "description", "patient", "simulation", "target", "regimen", "population"}
    for k in data:
        if k not in top:
            raise _err(k, data[k], f"one of the top-level keys {sorted(top)}")
    pat = _table(data, "patient", {"state", "liver_mass", "ghr_density", "injury",
                                   "igf_hsc_sign", "measured", "fit", "bootstrap"}, "")
    state = pat.get("state", "healthy")
    if state not in (*PRESET_NAMES, "custom", "measured"):
        raise _err("patient.state", state, f"one of {[*PRESET_NAMES, 'custom', 'measured']}")
    measured = _measured(pat) if state == "measured" else None
    if measured is None:
        for key in ("measured", "fit", "bootstrap"):
            if key in pat:
                raise _err(f"patient.{key}", pat[key], "nothing here unless patient.state = "
                           "'measured'")
    base = preset("healthy" if state in ("custom", "measured") else state)
    default = None if state == "custom" else base
    lm = _num(pat, "liver_mass", "patient.", 0.05, 1.2,
              default.liver_mass if default else None, "(functional liver mass, healthy 1)")
    gr = _num(pat, "ghr_density", "patient.", 0.0, 1.5,
              default.ghr_density if default else None, "(GH-receptor density, healthy 1)")
    inj = _num(pat, "injury", "patient.", 0.0, 3.0, default.injury if default else None,
               "(TGF-beta1 injury drive, healthy 0.05)")
    extra: dict[str, float] = {}
    if "igf_hsc_sign" in pat:
        extra["igf_hsc_sign"] = _num(pat, "igf_hsc_sign", "patient.", -1.0, 1.0, None,
                                     "(+1 anti-fibrotic, -1 pro-activation)")
    sim = _table(data, "simulation", {"days", "output_step_hours"}, "")
    days = _num(sim, "days", "simulation.", 0.1, 3650.0, 28.0, "days")
    step = _num(sim, "output_step_hours", "simulation.", 0.05, 24.0, 0.5, "h")
    tgt = _table(data, "target", {"igf1_low_ng_per_ml", "igf1_high_ng_per_ml",
                                  "free_igf1_hypoglycaemia_ng_per_ml"}, "")
    low = _num(tgt, "igf1_low_ng_per_ml", "target.", 0.0, 2000.0, 100.0, "ng/mL")
    high = _num(tgt, "igf1_high_ng_per_ml", "target.", 0.0, 2000.0, 300.0, "ng/mL")
    if high <= low:
        raise _err("target.igf1_high_ng_per_ml", high, f"a value above igf1_low ({low:g})")
    hypo = (_num(tgt, "free_igf1_hypoglycaemia_ng_per_ml", "target.", 0.1, 1000.0, None,
                 "ng/mL") if "free_igf1_hypoglycaemia_ng_per_ml" in tgt else None)
    regimen = _phases(data.get("regimen", []), "regimen", days)
    pop = _table(data, "population", {"n", "seed", "arms", "baseline_igf1_ng_per_ml"}, "")
    accept = _range(pop, "baseline_igf1_ng_per_ml", "population.", 1.0, 2000.0)
    n = pop.get("n", 100)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 1_000_000:
        raise _err("population.n", n, "an integer in [1, 1000000]")
    seed = pop.get("seed", 12345)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise _err("population.seed", seed, "a non-negative integer")
    arms_raw = pop.get("arms")
    if arms_raw is None:
        arms: tuple[Arm, ...] = (Arm("untreated", ()), Arm("scenario regimen", regimen)) if regimen else (
            Arm("untreated", ()),)
    else:
        if not isinstance(arms_raw, list) or not arms_raw:
            raise _err("population.arms", arms_raw, "a non-empty array of tables")
        arms_l: list[Arm] = []
        for i, a in enumerate(arms_raw):
            if not isinstance(a, dict) or not isinstance(a.get("name"), str):
                raise _err(f"population.arms[{i}].name", None if not isinstance(a, dict)
                           else a.get("name"), "a string")
            bad = set(a) - {"name", "regimen"}
            if bad:
                k = sorted(bad)[0]
                raise _err(f"population.arms[{i}].{k}", a[k], "only the keys name, regimen")
            arms_l.append(Arm(a["name"], _phases(a.get("regimen", []),
                                                 f"population.arms[{i}].regimen", days)))
        arms = tuple(arms_l)
    return Scenario(
        name=str(data.get("name", name)), patient=PatientState(state, lm, gr, inj), days=days,
        output_step_hours=step, regimen=regimen, igf1_low_ng_per_ml=low,
        igf1_high_ng_per_ml=high, hypo_free_igf1_ng_per_ml=hypo, population_n=n, seed=seed,
        arms=arms, extra_parameters=extra, measured=measured, baseline_igf1_range=accept,
    )


def _range(table: dict[str, Any], key: str, prefix: str, lo: float, hi: float
           ) -> tuple[float, float] | None:
    """An optional ``[lower, upper]`` pair of numbers within [lo, hi], lower < upper."""
    if key not in table:
        return None
    v = table[key]
    ok = (isinstance(v, list) and len(v) == 2
          and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
          and lo <= v[0] < v[1] <= hi)
    if not ok:
        raise _err(prefix + key, v, f"[lower, upper] in ng/mL, {lo:g} <= lower < upper <= {hi:g}")
    return float(v[0]), float(v[1])


def _measured(pat: dict[str, Any]) -> MeasuredPatient:
    """``[patient.measured]`` values, ``patient.fit`` and ``patient.bootstrap``, validated."""
    values = pat.get("measured")
    if not isinstance(values, dict) or not values:
        raise _err("patient.measured", values, "a table of measured values, e.g. {igf1 = 62, "
                   "igfbp3 = 1.4} (" + ", ".join(f"{k} {u}" for k, (u, _, _)
                                                  in MEASURED_KEYS.items()) + ")")
    out: dict[str, float] = {}
    for key, value in values.items():
        if key not in MEASURED_KEYS:
            raise _err(f"patient.measured.{key}", value, f"one of the keys {list(MEASURED_KEYS)}")
        unit, lo, hi = MEASURED_KEYS[key]
        out[key] = _num(values, key, "patient.measured.", lo, hi, None, unit)
    fit = pat.get("fit", ["liver_mass", "ghr_density"])
    if (not isinstance(fit, list) or not fit or len(set(fit)) != len(fit)
            or any(f not in FIT_KEYS for f in fit)):
        raise _err("patient.fit", fit, f"a list of distinct names from {list(FIT_KEYS)}")
    if len(fit) > len(out):
        raise _err("patient.fit", fit, f"at most as many parameters as measured values "
                   f"({len(out)}: {', '.join(out)})")
    fixed = [f for f in fit if f in pat]
    if fixed:
        raise _err(f"patient.{fixed[0]}", pat[fixed[0]], "not given: it is fitted (patient.fit)")
    boot = pat.get("bootstrap", 50)
    if isinstance(boot, bool) or not isinstance(boot, int) or not 0 <= boot <= 1000:
        raise _err("patient.bootstrap", boot, "an integer in [0, 1000] (refits for the 95 % "
                   "intervals)")
    return MeasuredPatient(out, tuple(fit), boot, injury_given="injury" in pat)


def load_scenario(path: Path, days: float | None = None) -> Scenario:
    """Read and validate a scenario TOML file; errors are ScenarioError naming the file.

    ``days`` overrides ``simulation.days`` before validation (so regimens that run "to the end"
    run to the new end)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ScenarioError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from exc
    if days is not None:
        sim = data.setdefault("simulation", {})
        if isinstance(sim, dict):
            sim["days"] = days
    try:
        return parse_scenario(data, path.stem)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") from exc
