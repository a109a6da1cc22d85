"""The validation table: published observations vs the model, each within/outside tolerance.

Tolerances live in ``data/model/observations.tsv`` and were fixed from the published spread
before any tuning; a row that fails is reported failing. ``kind`` says whether the row is an
independent prediction, a calibration target, or true by construction of the healthy state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from igfcirrhosis.model import SCHEMA_VERSION
from igfcirrhosis.model.engine import Dosing, IgfModel
from igfcirrhosis.model.outputs import current
from igfcirrhosis.model.parameters import packaged_table
from igfcirrhosis.model.patient import preset
from igfcirrhosis.model.tracer import label_half_life, tracer_matrix
from igfcirrhosis.model.units import IGF1_KDA


@dataclass(frozen=True)
class Observation:
    """One row of observations.tsv."""

    id: str
    quantity: str
    unit: str
    lower: float
    upper: float
    expected: str
    source: str
    status: str
    kind: str
    method: str


def load_observations() -> list[Observation]:
    """The packaged observation table."""
    rows = packaged_table("observations.tsv")
    text = ("id", "quantity", "unit", "expected", "source", "status", "kind", "method")
    return [Observation(**{k: r[k] for k in text}, lower=float(r["lower"]),
                        upper=float(r["upper"])) for r in rows]


def _steady(model: IgfModel, state: str, **extra: float) -> dict[str, float]:
    model.equilibrate({**preset(state).parameters(), **extra})
    return current(model.rr)


def _single_dose(model: IgfModel, params: dict[str, float], dose: float, iv: bool = False,
                 horizon_h: float = 240.0) -> tuple[float, np.ndarray, np.ndarray]:
    """Baseline and total IGF-I (nmol/L) after one 40 ug/kg-type dose at steady state."""
    model.equilibrate(params)
    base = float(model.rr["IGF1_total"])
    times = np.linspace(0.0, horizon_h, int(horizon_h * 10) + 1)
    if iv:
        model.rr["I"] = model.rr["I"] + dose / (IGF1_KDA * model.rr["V_kg"])
        res = model.simulate([], times, ["IGF1_total"])
    else:
        res = model.simulate([Dosing("mecasermin", dose, 1e6, 0.0, 1.0)], times, ["IGF1_total"])
    return base, res[:, 0], res[:, 1]


def _terminal_half_life(t: np.ndarray, y: np.ndarray, base: float, a: float, b: float) -> float:
    sel = (t >= a) & (t <= b)
    excess = y[sel] - base
    if np.any(excess <= 0):
        return float("nan")
    slope = np.polyfit(t[sel], np.log(excess), 1)[0]
    return float(-np.log(2) / slope) if slope < 0 else float("inf")


def simulate_observations(model: IgfModel | None = None) -> dict[str, float]:
    """The simulated value of every observation id (in the observation's unit)."""
    m = model or IgfModel()
    out: dict[str, float] = {}
    h = _steady(m, "healthy")
    out["healthy_igf1_total"] = h["igf1_total"]
    out["healthy_igfbp3"] = h["igfbp3_total"]
    out["healthy_als"] = h["als_total"]
    out["free_fraction"] = 100 * h["igf1_free"] / h["igf1_total"]
    out["ternary_fraction"] = 100 * h["igf1_ternary"] / h["igf1_total"]
    out["binary_fraction"] = 100 * h["igf1_binary"] / h["igf1_total"]
    tm = tracer_matrix(m)
    out["t_half_free_tracer"] = 60 * label_half_life(tm, "I")
    out["t_half_binary"] = 60 * label_half_life(tm, "IB")
    out["t_half_ternary"] = label_half_life(tm, "IBA")
    a = _steady(m, "child_pugh_a")
    out["gh_t_half_child_a"] = 60 * np.log(2) / float(m.rr["kGH"])
    c = _steady(m, "child_pugh_c")
    out["igf1_child_a"] = a["igf1_total"]
    out["igf1_child_c"] = c["igf1_total"]
    out["igfbp3_child_a"] = a["igfbp3_total"]
    out["igfbp3_child_c"] = c["igfbp3_total"]
    out["als_child_c_ratio"] = c["als_total"] / h["als_total"]
    out["gh_child_c_ratio"] = c["gh"] / h["gh"]

    healthy = preset("healthy").parameters()
    base, t, y = _single_dose(m, healthy, 40.0)
    out["meca_tmax_healthy"] = float(t[int(np.argmax(y))])
    out["meca_thalf_healthy"] = _terminal_half_life(t, y, base, 12.0, 48.0)
    auc_sc = float(np.trapezoid(y - base, t))
    base_iv, t_iv, y_iv = _single_dose(m, healthy, 40.0, iv=True)
    out["meca_f_healthy"] = auc_sc / float(np.trapezoid(y_iv - base_iv, t_iv))
    _, t100, y100 = _single_dose(m, healthy, 100.0, horizon_h=24.0)
    out["meca_igf1_4h_100"] = float(np.interp(4.0, t100, y100)) * IGF1_KDA
    m.equilibrate(healthy)
    free = m.simulate([Dosing("mecasermin", 100.0, 1e6, 0.0, 1.0)], np.array([0.0, 2.0]), ["I"])
    out["meca_free_2h_100"] = float(free[-1, 1]) * IGF1_KDA
    ghrd = {**healthy, "ghr": 0.0}
    base_g, t_g, y_g = _single_dose(m, ghrd, 40.0)
    out["ghrd_igf1"] = base_g * IGF1_KDA
    out["meca_thalf_ghrd"] = _terminal_half_life(t_g, y_g, base_g, 12.0, 48.0)
    out["conchillo_igf1"] = _conchillo(m)
    out["t_half_free_infusion"] = _frystyk(m)
    return out


def _frystyk(m: IgfModel) -> float:
    """Healthy; iv rhIGF-I 9 ug/kg/h for 75 min (15 boluses of 0.75 ug/kg every 5 min through
    a near-instant 'depot', ka = 60/h); free IGF-I decay 5-45 min after the infusion stops."""
    m.equilibrate({**preset("healthy").parameters(), "ka": 60.0})
    base = float(m.rr["I"])
    stop = 75.0 / 60.0
    times = np.linspace(0.0, stop + 1.0, 2 * 60 * 4 + 1)
    res = m.simulate([Dosing("mecasermin", 0.75, 5.0 / 60.0, 0.0, stop - 1e-3)], times, ["I"])
    t, y = res[:, 0], res[:, 1]
    return 60 * _terminal_half_life(t, y, base, stop + 5 / 60, stop + 45 / 60)


def _conchillo(m: IgfModel) -> float:
    """Child B; 20 ug/kg/day x 14 d, then 50 ug/kg/day to day 120; trough before last dose."""
    m.equilibrate(preset("child_pugh_b").parameters())
    days = 120
    regimen = [Dosing("mecasermin", 20.0, 24.0, 0.0, 14 * 24.0),
               Dosing("mecasermin", 50.0, 24.0, 14 * 24.0, days * 24.0)]
    times = np.array([0.0, (days - 1) * 24.0 - 1e-3])
    res = m.simulate(regimen, times, ["IGF1_total"])
    return float(res[-1, 1]) * IGF1_KDA


Row = dict[str, object]


def validation_table(model: IgfModel | None = None,
                     simulate: Callable[[IgfModel | None], dict[str, float]] | None = None,
                     ) -> list[Row]:
    """Rows {id, quantity, source, expected, simulated, unit, within, ...} in table order."""
    sim = (simulate or simulate_observations)(model)
    rows: list[Row] = []
    for ob in load_observations():
        value = sim.get(ob.id, float("nan"))
        finite = bool(np.isfinite(value))
        rows.append({
            **{k: v for k, v in asdict(ob).items() if k not in ("lower", "upper")},
            "expected": {"lower": ob.lower, "upper": ob.upper, "text": ob.expected},
            "simulated": round(float(value), 6) if finite else None,
            "within": bool(finite and ob.lower <= value <= ob.upper),
        })
    return rows


def validation_report(rows: list[Row]) -> dict[str, object]:
    """The JSON document printed by ``igfc validate-model --json``."""
    return {"schema_version": SCHEMA_VERSION, "observations": rows,
            "n_within": sum(bool(r["within"]) for r in rows), "n_total": len(rows),
            "by_kind": by_kind(rows)}


def by_kind(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Rows within tolerance per kind: an independent ``prediction`` passing means more than a
    ``calibration`` target (tuned on) or a value true ``by construction``."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        k = out.setdefault(str(r["kind"]), {"within": 0, "total": 0})
        k["within"] += int(bool(r["within"]))
        k["total"] += 1
    return out
