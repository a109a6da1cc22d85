"""Virtual-trial benchmark: libroadrunner (CVODE, SBML dose events, 2 worker processes) versus
scipy ``solve_ivp(method="BDF")`` on the same equations, timed in the same run.

    .venv/bin/python benchmarks/bench_model.py                      # 10,000 x 365 d (goal < 60 s)
    .venv/bin/python benchmarks/bench_model.py --patients 200 --days 60 --sample 3
    .venv/bin/python benchmarks/bench_model.py --exact              # trial event by event

Per patient-year (in process, CPU via ``time.process_time`` and wall): the event-by-event run
(``IgfModel.simulate``) and the multi-rate run ``run_trial`` uses for long periodic regimens
(:mod:`igfcirrhosis.model.fast_dosing`), with their largest relative metric difference.

Regimen: mecasermin 80 ug/kg SC every 12 h for the whole horizon, Child-Pugh B population
(seeded). Outputs sampled as in ``igfc simulate --population`` (half-hourly on days 0-2 and the
last day, daily in between). CVODE tolerances rtol 1e-5, atol 1e-8 (model units: nM, fractions;
max relative deviation 3e-5 from rtol 1e-6 on a 60-day BID run, 1.35x faster);
the scipy run uses the same tolerances.

The peer: for ``--sample`` patients, both integrators start from the same equilibrated baseline
(computed once, not timed) and integrate the dosing period; scipy's right-hand side is the
model's own compiled rate function (``rr.model`` -- identical equations, called from Python),
doses are added to the depot between ``solve_ivp`` segments, the Jacobian is scipy's finite
difference. The ratio printed is scipy time / roadrunner time per patient (single process each).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace

import numpy as np


def _scenario(days: float):  # type: ignore[no-untyped-def]
    from igfcirrhosis.model.scenario import parse_scenario

    sc = parse_scenario({
        "name": "benchmark", "patient": {"state": "child_pugh_b"},
        "simulation": {"days": days},
        "regimen": [{"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12}],
        "population": {"arms": [{"name": "mecasermin 80 ug/kg BID", "regimen": [
            {"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12}]}]},
    })
    return replace(sc, days=days)


def scipy_patient(model, baseline: np.ndarray, days: float, rtol: float, atol: float
                  ) -> float:  # type: ignore[no-untyped-def]
    """Integrate the dosing period with solve_ivp(BDF); returns final total IGF-I (nM)."""
    from scipy.integrate import solve_ivp

    from igfcirrhosis.model.units import dose_to_depot_nmol_per_l

    rr = model.rr
    ids = list(rr.model.getFloatingSpeciesIds())
    m = rr.model
    model.set_state(baseline)
    y = np.array(m.getFloatingSpeciesConcentrations(), dtype=float)
    dose = dose_to_depot_nmol_per_l(80.0, rr["V_kg"]) * rr["F_sc"]
    dep = ids.index("Dep")

    def rhs(_t: float, x: np.ndarray) -> np.ndarray:
        m.setFloatingSpeciesConcentrations(x)
        return np.array(m.getFloatingSpeciesConcentrationRates())

    end = days * 24.0
    t = 0.0
    while t < end - 1e-9:
        y[dep] += dose
        t1 = min(t + 12.0, end)
        sol = solve_ivp(rhs, (t, t1), y, method="BDF", rtol=rtol, atol=atol)
        if not sol.success:
            raise RuntimeError(sol.message)
        y = sol.y[:, -1]
        t = t1
    m.setFloatingSpeciesConcentrations(y)
    return float(rr["IGF1_total"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=10_000)
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--sample", type=int, default=3,
                    help="patients for the scipy peer (~30 s each at 365 d)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--atol", type=float, default=1e-8)
    ap.add_argument("--exact", action="store_true",
                    help="virtual trial event by event (run_trial(multirate=False))")
    args = ap.parse_args(argv)

    from igfcirrhosis.model.engine import Dosing, IgfModel
    from igfcirrhosis.model.population import run_trial, sample_patients, sample_times

    sc = _scenario(args.days)
    print(f"cores available: {os.cpu_count()}; workers: {args.workers}; "
          f"rtol {args.rtol:g}, atol {args.atol:g}; load average {os.getloadavg()[0]:.2f}",
          flush=True)

    # --- peer comparison on a sample (single process each) ---
    ids, values = sample_patients(sc, max(args.sample, 1), args.seed)
    model = IgfModel(rtol=args.rtol, atol=args.atol)
    times = sample_times(args.days)
    dosing = [Dosing("mecasermin", 80.0, 12.0, 0.0, args.days * 24.0)]
    rr_t = sp_t = 0.0
    worst = 0.0
    for row in values[:args.sample]:
        params = dict(zip(ids, (float(v) for v in row), strict=True))
        base = model.equilibrate(params)
        model.simulate([], np.array([0.0, 1.0]), ["IGF1_total"])  # warm-up, not timed
        model.set_state(base)
        t0 = time.perf_counter()
        res = model.simulate(dosing, times, ["IGF1_total"])
        rr_t += time.perf_counter() - t0
        t0 = time.perf_counter()
        final = scipy_patient(model, base, args.days, args.rtol, args.atol)
        sp_t += time.perf_counter() - t0
        worst = max(worst, abs(final / res[-1, 1] - 1.0))
    n_s = max(args.sample, 1)
    print(f"peer sample: {args.sample} patients x {args.days:g} d")
    print(f"  roadrunner (CVODE, events): {1e3 * rr_t / n_s:9.1f} ms/patient")
    print(f"  scipy solve_ivp(BDF):       {1e3 * sp_t / n_s:9.1f} ms/patient")
    print(f"  max relative difference of final total IGF-I: {worst:.2e}")
    print(f"  RATIO scipy/roadrunner = {sp_t / rr_t:.1f}x (goal >= 20x)", flush=True)

    # --- per patient-year: event by event vs multi-rate (in process) ---
    from igfcirrhosis.model import fast_dosing

    sel = ["IGF1_total", "I", "ECM", "GH"]
    cost = {"events": [0.0, 0.0], "multirate": [0.0, 0.0]}
    worst_mr = 0.0
    n_mr = max(args.sample, 1) * 2
    _, more = sample_patients(sc, n_mr, args.seed + 1)
    for row in more:
        params = dict(zip(ids, (float(v) for v in row), strict=True))
        base = model.equilibrate(params)
        jac = fast_dosing.slow_jacobian(model, base)
        ends = {}
        for how in ("events", "multirate"):
            model.set_state(base)
            c0, w0 = time.process_time(), time.perf_counter()
            if how == "events":
                t_s, res = times, model.simulate(dosing, times, sel)
            else:
                t_s, res = fast_dosing.simulate_multirate(model, dosing, times, sel, jac)
            cost[how][0] += time.process_time() - c0
            cost[how][1] += time.perf_counter() - w0
            last = t_s >= t_s[-1] - 24.0
            ends[how] = np.array([res[last, 1].mean(), res[-1, 3], res[:, 2].max(),
                                  res[last, 4].mean()])
        worst_mr = max(worst_mr, float(np.max(np.abs(ends["multirate"] / ends["events"] - 1))))
    years = n_mr * args.days / 365.0
    for how, (cpu, wall_s) in cost.items():
        print(f"  {how:9s}: {1e3 * cpu / years:6.1f} ms CPU, {1e3 * wall_s / years:6.1f} ms wall "
              f"per patient-year")
    print(f"  multi-rate vs events: max relative difference (last-day IGF-I, end ECM, free IGF-I "
          f"peak, last-day GH) {worst_mr:.1e} (tolerance {fast_dosing.TOLERANCE:g}; multi-rate "
          f"only for horizons >= {fast_dosing.MIN_HORIZON_H / 24:g} d)", flush=True)

    # --- the virtual trial on all workers ---
    t0 = time.perf_counter()
    metrics = run_trial(sc, args.patients, args.seed, workers=args.workers, chunk_size=50,
                        rtol=args.rtol, atol=args.atol, multirate=not args.exact)
    wall = time.perf_counter() - t0
    failed = int(np.isnan(metrics[:, 0, 0]).sum())
    print(f"virtual trial ({'event by event' if args.exact else 'multi-rate'}): "
          f"{args.patients} patients x {args.days:g} d, BID dosing "
          f"({int(2 * args.days)} dose events each): {wall:.1f} s wall "
          f"({1e3 * wall * args.workers / args.patients:.1f} ms per patient per worker), "
          f"{failed} failed (goal: 10,000 x 365 d < 60 s)")
    print(f"  extrapolated to 10,000 x 365 d: "
          f"{wall * (10_000 / args.patients) * (365 / args.days):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
