"""Benchmark: the seven vectorised clinical scores against the per-row reference implementation.

Run: ``.venv/bin/python benchmarks/bench_scores.py [--rows N] [--sample M] [--seed S]``

Generates N random plausible patients (seeded), times all seven vectorised scores over them
(best of 3), times :func:`igfcirrhosis.domain.scores.reference_row_scores` (the straightforward
per-row peer, exact decimal arithmetic) over M of the rows and extrapolates its per-row cost
to N, then prints both times and their ratio. Goals: N = 1e6 in < 1 s, >= 50x the peer.
A second, cheaper peer (plain float ``math``, checked against the reference) is also timed,
so that the ratio is not read as the gain over any per-row loop.

Both peers compute, per row, the score values, points and ALBI grade. The vectorised side is
timed twice: with ``detail=False`` (the same values plus the classes: what ``igfc score``
computes, and the like-for-like comparison) and with the full result objects (component
points, inputs after the bounds, unrounded values), reported beside it.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from igfcirrhosis.domain import scores as sc


def make_rows(n: int, seed: int) -> dict[str, np.ndarray]:
    """n plausible cirrhosis patients; about 1% of each lab missing (NaN)."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {
        "bilirubin_mg_dl": np.round(rng.lognormal(np.log(1.8), 0.9, n), 1).clip(0.1, 60),
        "albumin_g_dl": np.round(rng.normal(3.3, 0.6, n), 1).clip(1.0, 5.5),
        "inr": np.round(rng.lognormal(np.log(1.3), 0.25, n), 2).clip(0.8, 6),
        "pt_prolongation_s": np.round(rng.gamma(2.0, 1.8, n), 1),
        "creatinine_mg_dl": np.round(rng.lognormal(np.log(1.0), 0.5, n), 1).clip(0.2, 12),
        "sodium_mmol_l": np.round(rng.normal(136, 4.5, n)).clip(110, 160),
        "ascites_points": rng.integers(1, 4, n).astype(float),
        "encephalopathy_points": rng.choice([1.0, 2.0, 3.0], n, p=[0.7, 0.2, 0.1]),
        "igf1_ng_ml": np.round(rng.lognormal(np.log(45), 0.6, n), 1),
        "age_years": np.round(rng.normal(56, 11, n)).clip(18, 95),
        "prothrombin_time_s": np.round(rng.normal(12.5, 1.5, n), 1).clip(9, 25),
        "edema": rng.choice([0.0, 0.5, 1.0], n, p=[0.8, 0.12, 0.08]),
    }
    for values in cols.values():
        values[rng.random(n) < 0.01] = np.nan
    cols["female"] = rng.random(n) < 0.4
    cols["dialysis"] = rng.random(n) < 0.03
    cols["cholestatic"] = rng.random(n) < 0.1
    return cols


def score_calls(c: dict[str, np.ndarray],
                detail: bool = True) -> list[tuple[str, Callable[[], Any]]]:
    """The seven scores over the whole table, as (name, call); ALBI converts to SI inside.
    ``detail=False``: values, points and classes only (ALBI and Mayo have nothing more)."""
    labs = dict(bilirubin_mg_dl=c["bilirubin_mg_dl"], inr=c["inr"],
                creatinine_mg_dl=c["creatinine_mg_dl"], dialysis=c["dialysis"])
    return [
        ("child_pugh", lambda: sc.child_pugh(
            bilirubin_mg_dl=c["bilirubin_mg_dl"], albumin_g_dl=c["albumin_g_dl"],
            ascites_points=c["ascites_points"], encephalopathy_points=c["encephalopathy_points"],
            inr=c["inr"], pt_prolongation_s=c["pt_prolongation_s"], cholestatic=c["cholestatic"],
            detail=detail)),
        ("meld", lambda: sc.meld(**labs, detail=detail)),
        ("meld_na", lambda: sc.meld_na(**labs, sodium_mmol_l=c["sodium_mmol_l"], detail=detail)),
        ("meld_3", lambda: sc.meld_3(**labs, sodium_mmol_l=c["sodium_mmol_l"],
                                     albumin_g_dl=c["albumin_g_dl"], female=c["female"],
                                     detail=detail)),
        ("albi", lambda: sc.albi(bilirubin_umol_l=c["bilirubin_mg_dl"] * 17.1,
                                 albumin_g_l=c["albumin_g_dl"] * 10)),
        ("igf_ctp", lambda: sc.igf_ctp(
            igf1_ng_ml=c["igf1_ng_ml"], bilirubin_mg_dl=c["bilirubin_mg_dl"],
            albumin_g_dl=c["albumin_g_dl"], pt_prolongation_s=c["pt_prolongation_s"],
            cholestatic=c["cholestatic"], detail=detail)),
        ("mayo_pbc", lambda: sc.mayo_pbc(
            bilirubin_mg_dl=c["bilirubin_mg_dl"], albumin_g_dl=c["albumin_g_dl"],
            age_years=c["age_years"], prothrombin_time_s=c["prothrombin_time_s"],
            edema=c["edema"])),
    ]


def vectorised_all(c: dict[str, np.ndarray], detail: bool = True) -> list[Any]:
    """All seven scores over the whole table (every result kept until all are done)."""
    return [call() for _, call in score_calls(c, detail)]


def best_of(repeats: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock and best CPU (this process) seconds over ``repeats`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def _band(x: float, lo: float, hi: float) -> int:
    return 1 if x < lo else 2 if x <= hi else 3


def _band_down(x: float, hi: float, lo: float) -> int:
    return 1 if x > hi else 2 if x >= lo else 3


def _half_up(x: float) -> float:
    return float(math.floor(round(x, 9) + 0.5))


def float_row_scores(r: dict[str, Any]) -> dict[str, Any]:
    """A second, cheaper per-row peer: plain float ``math`` and if/else (benchmark only; its
    results are checked against :func:`reference_row_scores` on every run)."""
    nan = math.isnan
    b, a, inr, pt = r["bilirubin_mg_dl"], r["albumin_g_dl"], r["inr"], r["pt_prolongation_s"]
    cr, na, chol = r["creatinine_mg_dl"], r["sodium_mmol_l"], r["cholestatic"]
    out: dict[str, Any] = dict.fromkeys(
        ("child_pugh_points", "meld", "meld_na", "meld_3", "albi", "albi_grade",
         "igf_ctp_points", "mayo_pbc"))
    p_bili = None if nan(b) else (_band(b, 4, 10) if chol else _band(b, 2, 3))
    p_alb = None if nan(a) else _band_down(a, 3.5, 2.8)
    p_coag = _band(inr, 1.7, 2.3) if not nan(inr) else None if nan(pt) else _band(pt, 4, 6)
    asc, enc = r["ascites_points"], r["encephalopathy_points"]
    if not (p_bili is None or p_alb is None or p_coag is None or nan(asc) or nan(enc)):
        out["child_pugh_points"] = float(p_bili + p_alb + p_coag + asc + enc)
    if not (nan(b) or nan(inr) or nan(cr)):
        lb, li = math.log(max(b, 1.0)), math.log(max(inr, 1.0))
        c4 = 4.0 if r["dialysis"] else min(max(cr, 1.0), 4.0)
        meld_i = _half_up(10 * (0.957 * math.log(c4) + 0.378 * lb + 1.12 * li + 0.643))
        out["meld"] = min(meld_i, 40.0)
        if not nan(na):
            d = 137 - min(max(na, 125.0), 137.0)
            out["meld_na"] = (min(_half_up(meld_i + 1.32 * d - 0.033 * meld_i * d), 40.0)
                              if meld_i > 11 else min(meld_i, 40.0))
            if not nan(a):
                lc = math.log(3.0 if r["dialysis"] else min(max(cr, 1.0), 3.0))
                da = 3.5 - min(max(a, 1.5), 3.5)
                raw = (1.33 * r["female"] + 4.56 * lb + 0.82 * d - 0.24 * d * lb + 9.09 * li
                       + 11.14 * lc + 1.85 * da - 1.83 * da * lc + 6)
                out["meld_3"] = min(max(_half_up(raw), 6.0), 40.0)
    if not (nan(b) or nan(a)):
        v = 0.66 * math.log10(b * 17.1) - 0.085 * (a * 10)
        out["albi"] = v
        out["albi_grade"] = 1.0 if round(v, 9) <= -2.6 else 2.0 if round(v, 9) <= -1.39 else 3.0
    igf = r["igf1_ng_ml"]
    if not (nan(igf) or p_bili is None or p_alb is None or nan(pt)):
        out["igf_ctp_points"] = float(_band_down(igf, 50, 26) + p_bili + p_alb
                                      + _band(pt, 4, 6))
    age, ptime, edema = r["age_years"], r["prothrombin_time_s"], r["edema"]
    if not (nan(b) or nan(a) or nan(age) or nan(ptime) or nan(edema)):
        out["mayo_pbc"] = (0.871 * math.log(b) - 2.53 * math.log(a) + 0.039 * age
                           + 2.38 * math.log(ptime) + 0.859 * edema)
    return out


def _agree(fast: dict[str, Any], ref: dict[str, Any]) -> bool:
    for key, value in fast.items():
        other = ref[key]
        if value is None or other is None:
            if value is not other:
                return False
        elif not math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9):
            return False
    return True


def vectorised_rows(c: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """The detail=False results as one dict per row, keyed as :func:`float_row_scores`."""
    cp, meld, meld_na, meld_3, albi, igf_ctp, mayo = vectorised_all(c, detail=False)
    cols = {"child_pugh_points": cp.points, "meld": meld.value, "meld_na": meld_na.value,
            "meld_3": meld_3.value, "albi": albi.value, "albi_grade": albi.grade,
            "igf_ctp_points": igf_ctp.points, "mayo_pbc": mayo.value}
    return [{k: (None if math.isnan(v[j]) else float(v[j])) for k, v in cols.items()}
            for j in range(len(cp.points))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000, help="rows timed for the per-row peer")
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args()

    cols = make_rows(args.rows, args.seed)
    vectorised_all({k: v[:1000] for k, v in cols.items()})  # warm-up
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"rows: {args.rows:,}  seed: {args.seed}  cores: {os.cpu_count()}  "
          f"load average (1 min): {load:.1f}")
    full, full_cpu = best_of(3, lambda: vectorised_all(cols))
    total, total_cpu = best_of(3, lambda: vectorised_all(cols, detail=False))
    print(f"vectorised, all seven scores, values and classes (detail=False, best of 3): "
          f"wall {total:.3f} s, CPU {total_cpu:.3f} s")
    for name, call in score_calls(cols, detail=False):
        wall, cpu = best_of(3, call)
        print(f"  {name:<11} wall {wall:.3f} s  CPU {cpu:.3f} s")
    print(f"vectorised, full result objects (detail=True, best of 3): wall {full:.3f} s, "
          f"CPU {full_cpu:.3f} s")

    m = min(args.sample, args.rows)
    keys = list(cols)
    rows = [{k: cols[k][j].item() for k in keys} for j in range(m)]
    w0, c0 = time.perf_counter(), time.process_time()
    for row in rows:
        sc.reference_row_scores(row)
    per_row = (time.perf_counter() - w0) / m
    per_row_cpu = (time.process_time() - c0) / m
    extrapolated, extrapolated_cpu = per_row * args.rows, per_row_cpu * args.rows
    print(f"per-row reference over {m:,} rows: {per_row * 1e6:.1f} us/row wall "
          f"({per_row_cpu * 1e6:.1f} CPU) -> {extrapolated:.1f} s wall, {extrapolated_cpu:.1f} s "
          f"CPU extrapolated to {args.rows:,} rows")
    ratio, ratio_cpu = extrapolated / total, extrapolated_cpu / total_cpu
    print(f"ratio (per-row peer / vectorised): {ratio:.0f}x wall, {ratio_cpu:.0f}x CPU")

    c0 = time.process_time()
    fast = [float_row_scores(row) for row in rows]
    float_cpu = (time.process_time() - c0) / m * args.rows
    float_ratio = float_cpu / total_cpu
    agree = sum(_agree(f, sc.reference_row_scores(row)) for f, row in zip(fast, rows, strict=True))
    print(f"second peer, plain-float per-row loop: {float_cpu / args.rows * 1e6:.1f} us/row CPU "
          f"-> {float_cpu:.1f} s CPU per {args.rows:,} rows; ratio {float_ratio:.0f}x "
          f"CPU; agrees with the reference on {agree:,} of {m:,} rows")
    vec = vectorised_rows({k: v[:m] for k, v in cols.items()})
    agree = sum(_agree(v, sc.reference_row_scores(row)) for v, row in zip(vec, rows, strict=True))
    print(f"vectorised (detail=False) agrees with the reference on {agree:,} of {m:,} rows")
    per_million = total * 1e6 / args.rows
    print(f"goal < 1 s (wall) per 1e6 rows: {'met' if per_million < 1 else 'NOT met'} "
          f"({per_million:.3f} s; CPU {total_cpu * 1e6 / args.rows:.3f} s)")
    print(f"goal >= 50x: {'met' if ratio_cpu >= 50 else 'NOT met'} against the decimal reference "
          f"({ratio_cpu:.0f}x CPU); {'met' if float_ratio >= 50 else 'NOT met'} against the "
          f"plain-float loop ({float_ratio:.0f}x CPU; {float_cpu / full_cpu:.0f}x with the full "
          f"result objects)")


if __name__ == "__main__":
    main()
