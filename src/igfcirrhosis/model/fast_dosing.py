"""Multi-rate integration of long periodic-dosing runs for virtual trials.

The full model resolves every dosing interval: a CVODE restart at each dose event and ~80
internal steps per 12-h interval (the free-IGF-I transient after each dose), 730 restarts in a
BID year, ~60 ms CPU per patient-year. Only the fibrosis states change over months, so a long
run with one periodic block of doses is integrated in three parts:

1. **lead** (``LEAD_H``): full resolution from the first dose -- the half-hourly samples of
   days 0-2 and the binding/HSC states settling onto their dose-periodic orbit;
2. **middle**: alternating *bursts* (full resolution over ``BURST_H``, at least two dosing
   periods, with the model's own dose events) and *jumps* (up to ``JUMP_H``) in which only the
   slow states ``SLOW_IDS`` move; all other states keep their burst-end (dose-time) values and
   re-settle in the next burst;
3. **tail** (``TAIL_H``): full resolution to the end; the last-day samples come from an orbit
   that has re-settled for >= 4 days after the last jump.

In a jump the slow states follow ``dy/dt = M y + g(t)``: ``M`` is their Jacobian block (finite
differences of the model's own rates at the patient's baseline; the HSC/ECM/liver-mass
equations are linear in these states), ``g`` the rest of their rate (HSC activation and
senescence driven by the dose-periodic free IGF-I): its mean over the burst's last dosing
period (stroboscopic difference of y minus ``M`` y), extrapolated linearly from the last two
bursts. The linear system is solved exactly (one matrix exponential per jump length).

Tolerance (``TOLERANCE``, pinned by tests/model/test_fast_trial.py, measured in MODEL.md):
every trial metric within 1e-3 relative of the event-by-event run at the same CVODE
tolerances. The largest error is in ``ecm_change`` (a difference of two ECM values), and it
comes from the first weeks, when HSC and binding proteins still adapt to treatment; it decays
with the ECM turnover (t1/2 ~60 d), hence ``MIN_HORIZON_H``. Measured on 8 scenario sets x 24
patients (Child A/B/C, healthy; mecasermin BID/TID, rinfabate QD, both; HSC sign -1; 240-730
d): worst 1.2e-4 (240 d), <= 8e-5 at 365 d; earlier settings reached 4e-4 at 180 d and 3e-3 at
90-150 d, which is why shorter runs are resolved event by event. After the 2026-12
recalibration (12 patients; Child B 365 d BID + rinfabate, Child C 240 d TID, Child A 730 d):
worst 2.3e-4 (Child C, 240 d).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from igfcirrhosis.model.engine import STATE_IDS, Dosing, IgfModel

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: States integrated through the jumps (all others are held at their burst-end values).
SLOW_IDS = ("Ha", "Hs", "ECM", "Hmass")
LEAD_H = 3 * 24.0
BURST_H = 24.0
#: Jump length: JUMP_FRACTION x the time since the first dose, within [MIN_JUMP_H, JUMP_H]
#: (short jumps while HSC and the binding proteins still adapt to treatment). 30-d jumps were
#: ~1.2x cheaper but 4x less accurate at 365 d (3e-4 instead of 7e-5 on ecm_change).
JUMP_H = 20 * 24.0
MIN_JUMP_H = 10 * 24.0
JUMP_FRACTION = 0.5
#: 5 days: free ALS (t1/2 ~1 day) held through the last jump re-settles in the tail; with 3 days
#: the last-day IB / free ALS samples were 1.5e-3 off after the 2026-12 recalibration (central
#: volume 0.12 L/kg makes each dose a larger, more non-linear load), 5.2e-4 with 5 days.
TAIL_H = 5 * 24.0
#: Shortest horizon (h) integrated this way; shorter runs are resolved event by event.
MIN_HORIZON_H = 240 * 24.0
#: Documented agreement with the event-by-event trial (relative, every metric).
TOLERANCE = 1e-3
_SLOW = [STATE_IDS.index(s) for s in SLOW_IDS]


def dosing_period(dosing: Sequence[Dosing], end_h: float) -> float | None:
    """The common dosing period (h) if the regimen is one strictly periodic block from time 0
    to ``end_h`` that divides a day; otherwise ``None`` (resolve every interval)."""
    if not dosing:
        return None
    period = max(d.interval_h for d in dosing)
    for d in dosing:
        if d.start_h != 0.0 or d.end_h < end_h or d.interval_h <= 0:
            return None
        if abs(period / d.interval_h - round(period / d.interval_h)) > 1e-9:
            return None
    if abs(24.0 / period - round(24.0 / period)) > 1e-9:
        return None
    return period


def slow_jacobian(model: IgfModel, state: NDArray[np.float64]) -> NDArray[np.float64]:
    """d(slow rates)/d(slow states) at ``state`` (finite differences of the model's rates)."""
    model.set_state(state)
    r0 = model.rates()[_SLOW]
    jac = np.zeros((len(_SLOW), len(_SLOW)))
    for j, k in enumerate(_SLOW):
        x = state.copy()
        h = 1e-6 * max(abs(x[k]), 1e-3)
        x[k] += h
        model.set_state(x)
        jac[:, j] = (model.rates()[_SLOW] - r0) / h
    model.set_state(state)
    return jac


def _restart(dosing: Sequence[Dosing], length: float) -> list[Dosing]:
    return [Dosing(d.product, d.dose_ug_per_kg, d.interval_h, 0.0, length) for d in dosing]


def simulate_multirate(model: IgfModel, dosing: Sequence[Dosing], times: NDArray[np.float64],
                       selections: Sequence[str], jac: NDArray[np.float64],
                       ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Multi-rate run from the current state (time 0) to ``times[-1]``.

    Returns (sample times computed, rows ``["time", *selections]``): the requested times inside
    the lead and on the last day (all times if no jump was made); mid-run samples are not
    produced (right after a jump the dose-periodic states are only approximately on their
    orbit). ``dosing`` must satisfy
    :func:`dosing_period` and the model must hold the patient (time 0 = first dose).
    """
    end = float(times[-1])
    period = dosing_period(dosing, end)
    if period is None:
        raise ValueError("dosing is not one periodic block from time 0")
    sel = list(selections)
    k = len(_SLOW)
    out_t: list[NDArray[np.float64]] = []
    out_r: list[NDArray[np.float64]] = []

    lead = np.ceil(LEAD_H / period) * period
    grid = times[times <= lead]
    if grid[-1] < lead:
        grid = np.append(grid, lead)
    res = model.integrate(_restart(dosing, lead), grid, sel)
    keep = np.isin(grid, times)
    out_t.append(grid[keep])
    out_r.append(res[keep])
    t = lead
    x = model.state()
    burst = max(2.0, np.ceil(BURST_H / period)) * period
    tail_start = end - TAIL_H
    g_prev: tuple[NDArray[np.float64], float] | None = None
    jumped = False
    props: dict[int, tuple[NDArray[np.float64], ...]] = {}
    while t + burst + period <= tail_start:
        model.set_state(x)
        g = np.arange(0.0, burst + period / 2, period)
        states = model.integrate(_restart(dosing, burst), g, list(STATE_IDS))[:, 1:]
        t += burst
        x = states[-1].copy()
        yb, yp = states[-1, _SLOW], states[-2, _SLOW]
        gb = (yb - yp) / period - jac @ ((yb + yp) / 2.0)
        g1 = np.zeros(k) if g_prev is None else (gb - g_prev[0]) / (t - g_prev[1])
        g_prev = (gb, t)
        jump = min(JUMP_H, max(MIN_JUMP_H, JUMP_FRACTION * t))
        n = min(max(1, int(round(jump / period))), int((tail_start - t) // period))
        if n <= 0:
            break
        if n not in props:
            props[n] = _propagators(jac, n * period)
        e, phi1, phi2 = props[n]
        x[_SLOW] = e @ yb + phi1 @ (gb + g1 * period / 2.0) + phi2 @ g1
        jumped = True
        t += n * period
    model.set_state(x)
    grid = times[times > t + 1e-9] - t
    grid = np.concatenate(([0.0], grid))
    res = model.integrate(_restart(dosing, end - t), grid, sel)
    res[:, 0] += t
    keep = np.isin(grid + t, times)
    if jumped:
        keep &= grid + t >= end - 24.0
    out_t.append(grid[keep] + t)
    out_r.append(res[keep])
    tt = np.concatenate(out_t)
    rr = np.vstack(out_r)
    _, first = np.unique(tt, return_index=True)
    return tt[first], rr[first]


def _propagators(jac: NDArray[np.float64], length: float) -> tuple[NDArray[np.float64], ...]:
    """(e^{ML}, int_0^L e^{M(L-s)} ds, int_0^L e^{M(L-s)} s ds) for ``y' = M y + g0 + g1 s``
    from one matrix exponential of the block matrix [[M, I, 0], [0, 0, I], [0, 0, 0]]."""
    k = jac.shape[0]
    aug = np.zeros((3 * k, 3 * k))
    aug[:k, :k] = jac
    aug[:k, k:2 * k] = np.eye(k)
    aug[k:2 * k, 2 * k:] = np.eye(k)
    e = _expm(aug * length)
    return e[:k, :k], e[:k, k:2 * k], e[:k, 2 * k:]


def _expm(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Matrix exponential by scaling and squaring of a degree-16 Taylor polynomial (relative
    error < 1e-15 once scaled to norm <= 0.5). scipy.linalg.expm gives the same result but takes
    ~2 ms instead of ~20 us on a 12 x 12 matrix when OpenBLAS runs multi-threaded."""
    norm = float(np.abs(a).sum(axis=1).max())
    squarings = max(0, int(np.ceil(np.log2(norm / 0.5)))) if norm > 0.5 else 0
    b = a / 2.0 ** squarings
    term = np.eye(a.shape[0])
    out = term.copy()
    for j in range(1, 17):
        term = term @ b / j
        out = out + term
    for _ in range(squarings):
        out = out @ out
    return out
