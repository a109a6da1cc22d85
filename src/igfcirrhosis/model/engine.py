"""One reusable RoadRunner (CVODE) for the model: equilibrate a patient, dose, simulate.

Build one :class:`IgfModel` per process (JIT ~0.15 s) and reuse it: every run starts with
``resetAll()`` and the patient's parameters, so runs are independent and reproducible.
Time is in hours; doses enter as the SBML events ``E_dose`` (mecasermin) and ``E_doseR``
(rinfabate), each a self-rescheduling event driven by the parameters below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.model.units import dose_to_depot_nmol_per_l

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Species and assignment-rule outputs recorded by :meth:`IgfModel.simulate` (model units).
STATE_IDS = ("GH", "I", "IB", "IBA", "IO", "J", "JB", "JBA", "B", "A", "O", "Dep", "DepR",
             "Ha", "Hs", "ECM", "Hmass")
RULE_IDS = ("Hq", "IGF1_total", "IGF2_total", "IGFBP3_total", "ALS_total")
#: Pre-equilibration horizon (h): > 15 half-lives of the slowest process (ECM, t1/2 ~60 days).
EQUILIBRATION_H = 40_000.0
_DEPOT = {"mecasermin": "Dep", "rinfabate": "DepR"}
_EVENT_PARAMS = {
    "mecasermin": ("dose_inc", "dose_tau", "t_next", "dose_tend"),
    "rinfabate": ("doseR_inc", "doseR_tau", "tR_next", "doseR_tend"),
}


@dataclass(frozen=True)
class Dosing:
    """Repeated SC doses of one product from ``start_h`` (first dose) until before ``end_h``.

    ``dose_ug_per_kg`` is the IGF-I content per dose (rinfabate: IGF-I in the 1:1 complex).
    """

    product: str
    dose_ug_per_kg: float
    interval_h: float
    start_h: float
    end_h: float


@dataclass(frozen=True)
class _Index:
    """Positions of the dosing parameters and depots in the compiled model, so that arming a
    dose is one vector call (~1 us) instead of named item access (~2-3 us per value)."""

    event: dict[str, NDArray[np.int32]]
    disarm: NDArray[np.int32]
    zeros: NDArray[np.float64]
    v_f: NDArray[np.int32]
    depot: dict[str, NDArray[np.int32]]

    @staticmethod
    def of(mod: Any) -> _Index | None:
        """The index of ``mod`` (an ExecutableModel), or None if it lacks any of the ids."""
        params = list(mod.getGlobalParameterIds())
        species = list(mod.getFloatingSpeciesIds())
        try:
            event = {p: np.array([params.index(n) for n in names], dtype=np.int32)
                     for p, names in _EVENT_PARAMS.items()}
            disarm = np.array([params.index(n) for names in _EVENT_PARAMS.values()
                               for n in (names[0], names[3])], dtype=np.int32)
            v_f = np.array([params.index("V_kg"), params.index("F_sc")], dtype=np.int32)
            depot = {p: np.array([species.index(s)], dtype=np.int32) for p, s in _DEPOT.items()}
        except ValueError:
            return None
        return _Index(event, disarm, np.zeros(disarm.size), v_f, depot)


class SteadyStateError(RuntimeError):
    """The patient did not reach a steady state."""


class IgfModel:
    """The compiled model; one instance per process, reused between runs."""

    def __init__(self, sbml: str | None = None, rtol: float = 1e-6, atol: float = 1e-9,
                 rules_sbml: str | None = None) -> None:
        """``sbml``: SBML text or a path to an SBML file (default: the packaged model in its fast
        simulation form, paired with the rule form ``rules_sbml`` that evaluates the derived
        healthy-state constants for each patient). A user-supplied ``sbml`` without
        ``rules_sbml`` is simulated as it is."""
        import roadrunner

        from igfcirrhosis.model.sbml import derived_ids, sbml_string

        roadrunner.Logger.setLevel(roadrunner.Logger.LOG_ERROR)
        if sbml is None:
            sbml, rules_sbml = sbml_string(fast=True), sbml_string()
        self.sbml = sbml
        self.rules_sbml = rules_sbml
        self.rr: Any = roadrunner.RoadRunner(sbml)
        self._rules: Any = roadrunner.RoadRunner(rules_sbml) if rules_sbml else None
        self._derived = derived_ids() if rules_sbml else []
        self.set_tolerances(rtol, atol)
        self.selections = ["time", *STATE_IDS, *RULE_IDS]
        self._model_order = tuple(self.rr.model.getFloatingSpeciesIds()) == STATE_IDS
        self._index = _Index.of(self.rr.model)

    def set_tolerances(self, rtol: float, atol: float) -> None:
        """CVODE relative/absolute tolerances (model units: nM, fractions, index)."""
        integ = self.rr.integrator
        integ.relative_tolerance = rtol
        integ.absolute_tolerance = atol
        integ.maximum_num_steps = 100_000

    def reset(self, params: Mapping[str, float] | None = None) -> None:
        """Back to the SBML initial state, then apply ``params`` (model parameter ids).

        The derived healthy-state constants are taken from the rule-form instance
        (``setValue('init(...)')`` on the fast form would recompile the model: ~0.7 s).
        """
        self.rr.resetAll()
        for key, value in (params or {}).items():
            self.rr[key] = float(value)
        if self._rules is not None:
            self._rules.resetAll()
            for key, value in (params or {}).items():
                self._rules[key] = float(value)
            for key in self._derived:
                self.rr[key] = self._rules[key]

    def equilibrate(self, params: Mapping[str, float] | None = None,
                    fibrosis: bool = True,
                    initial_state: Sequence[float] | NDArray[np.float64] | None = None
                    ) -> NDArray[np.float64]:
        """Steady state of an untreated patient; returns the state vector (STATE_IDS order).

        The scar-to-liver-mass coupling is switched off while equilibrating, the baseline scar
        becomes ``ECM_ref`` and the coupling is restored, so the patient's functional liver mass
        at baseline equals its set-point ``Hmass_base``. ``fibrosis=False`` integrates only long
        enough for the IGF axis (2000 h) -- used when fitting. ``initial_state`` (STATE_IDS
        order) replaces the healthy reference as the starting point.
        """
        rr = self.rr
        self.reset(params)
        w = rr["w_ECM"]
        rr["w_ECM"] = 0.0
        if initial_state is not None:
            self.set_state(initial_state)
        else:
            rr["Hmass"] = rr["Hmass_base"]
        horizon = EQUILIBRATION_H if fibrosis else 2_000.0
        rr.simulate(0.0, horizon, 2)
        rr["ECM_ref"] = rr["ECM"]
        rr["w_ECM"] = w
        state = self.state()
        if not np.all(np.isfinite(state)) or np.any(state < -1e-9):
            raise SteadyStateError("non-finite or negative steady state")
        return state

    def state(self) -> NDArray[np.float64]:
        """Current values of STATE_IDS."""
        if self._model_order:
            return np.array(self.rr.model.getFloatingSpeciesConcentrations(), dtype=float)
        return np.array([self.rr[s] for s in STATE_IDS], dtype=float)

    def set_state(self, state: Sequence[float] | NDArray[np.float64]) -> None:
        """Set STATE_IDS to ``state`` (one call when the model's species are STATE_IDS in
        order, as in the packaged model: ~20x cheaper than 17 item assignments)."""
        if self._model_order:
            x = np.asarray(state, dtype=float)
            if x.shape != (len(STATE_IDS),):
                raise ValueError(f"state must have {len(STATE_IDS)} values")
            self.rr.model.setFloatingSpeciesConcentrations(x)
            return
        for s, v in zip(STATE_IDS, state, strict=True):
            self.rr[s] = float(v)

    def rates(self) -> NDArray[np.float64]:
        """d(state)/dt (model units per hour) at the current state, STATE_IDS order."""
        ids = list(self.rr.model.getFloatingSpeciesIds())
        r = self.rr.model.getFloatingSpeciesConcentrationRates()
        return np.array([r[ids.index(s)] for s in STATE_IDS], dtype=float)

    def _arm(self, d: Dosing, now: float) -> None:
        """Arm the product's event; a dose due ``now`` is given directly (an event whose
        trigger is already true when integration starts does not fire in libroadrunner)."""
        ix = self._index
        if ix is None:
            self._arm_by_name(d, now)
            return
        mod = self.rr.model
        v_kg, f_sc = mod.getGlobalParameterValues(ix.v_f)
        amount = dose_to_depot_nmol_per_l(d.dose_ug_per_kg, v_kg)
        first = d.start_h
        if first <= now + 1e-9:
            k = ix.depot[d.product]
            mod.setFloatingSpeciesConcentrations(
                k, mod.getFloatingSpeciesConcentrations(k) + amount * f_sc)
            first += d.interval_h
        # inc, tau, next, tend (_EVENT_PARAMS order), one call
        mod.setGlobalParameterValues(ix.event[d.product], np.array(
            [amount, d.interval_h, first, d.end_h - 1e-6]))

    def _arm_by_name(self, d: Dosing, now: float) -> None:
        inc, tau, nxt, tend = _EVENT_PARAMS[d.product]
        amount = dose_to_depot_nmol_per_l(d.dose_ug_per_kg, self.rr["V_kg"])
        self.rr[inc] = amount
        self.rr[tau] = d.interval_h
        self.rr[tend] = d.end_h - 1e-6
        first = d.start_h
        if first <= now + 1e-9:
            depot = _DEPOT[d.product]
            self.rr[depot] = self.rr[depot] + amount * self.rr["F_sc"]
            first += d.interval_h
        self.rr[nxt] = first

    def _disarm(self) -> None:
        if self._index is not None:
            self.rr.model.setGlobalParameterValues(self._index.disarm, self._index.zeros)
            return
        for inc, _tau, _nxt, tend in _EVENT_PARAMS.values():
            self.rr[inc] = 0.0
            self.rr[tend] = 0.0

    def simulate(self, dosing: Sequence[Dosing], times: Sequence[float] | NDArray[np.float64],
                 selections: Sequence[str] | None = None) -> NDArray[np.float64]:
        """Simulate from the current state (time 0) with ``dosing``; output rows at ``times``.

        Phases of the same product must not overlap; a new phase re-arms the product's event at
        its start. Returns an array with columns ``["time", *selections]``.
        """
        t = np.asarray(times, dtype=float)
        if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
            raise ValueError("times must be increasing with at least two points")
        return self.integrate(dosing, t, selections)

    def integrate(self, dosing: Sequence[Dosing], t: NDArray[np.float64],
             selections: Sequence[str] | None) -> NDArray[np.float64]:
        """:meth:`simulate` without checking ``t`` (increasing, >= 2 points: the caller's duty)."""
        sel = ["time", *(selections or self.selections[1:])]
        self._disarm()
        starts = sorted({d.start_h for d in dosing if t[0] < d.start_h < t[-1]})
        cuts = [t[0], *starts, t[-1]]
        pieces: list[NDArray[np.float64]] = []
        for k in range(len(cuts) - 1):
            a, b = cuts[k], cuts[k + 1]
            for d in dosing:
                if d.start_h == a or (k == 0 and d.start_h <= a < d.end_h):
                    self._arm(d if d.start_h >= a else _shift(d, a), a)
            inner = t[(t > a) & (t < b)]
            grid = np.concatenate(([a], inner, [b]))
            if self.rr.timeCourseSelections != sel:  # setting costs ~30 us; reading ~1 us
                self.rr.timeCourseSelections = sel
            res = np.array(self.rr.simulate(times=grid))
            # rows at requested times: the inner ones, and the cuts that are requested times
            keep = np.ones(grid.size, dtype=bool)
            keep[0] = not pieces  # a later piece starts where the previous one ended
            keep[-1] = b == t[-1] or _requested(t, b)
            pieces.append(res[keep])
        return pieces[0] if len(pieces) == 1 else np.vstack(pieces)


def _requested(t: NDArray[np.float64], x: float) -> bool:
    """``x`` is one of the (sorted) times ``t``."""
    i = int(np.searchsorted(t, x))
    return i < t.size and t[i] == x


def _shift(d: Dosing, t0: float) -> Dosing:
    """A phase already running at ``t0``: next dose on its original grid."""
    n = np.ceil((t0 - d.start_h) / d.interval_h - 1e-9)
    return Dosing(d.product, d.dose_ug_per_kg, d.interval_h, d.start_h + n * d.interval_h,
                  d.end_h)
