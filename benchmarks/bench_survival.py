"""Benchmark: survival statistics against lifelines and R, timed in the same run.

Run: ``.venv/bin/python benchmarks/bench_survival.py [--km-rows N] [--cox-rows M] [--seed S]
[--repeat K] [--no-r]``

(a) Kaplan-Meier by two groups + two-group log-rank test on N seeded synthetic rows
    (default 1,000,000): ours (``KaplanMeier.fit(..., group_col=)``, which computes both) vs
    lifelines (``KaplanMeierFitter`` per group + ``logrank_test``) vs R
    (``survfit`` + ``survdiff``). Goals: at least as fast as lifelines, >= 5x faster than R.
(b) Cox model, Efron ties, 5 covariates, M rows (default 100,000): ours (``CoxPH.fit``,
    including Harrell's C as R's ``coxph`` computes it) vs R's ``coxph`` (and lifelines'
    ``CoxPHFitter`` for information). Goal: no slower than R.

Every time is the best of K runs (default 3). R runs through Rscript; its data come from a
temporary CSV that is read before the clock starts (timing inside R with ``system.time``).
The script also checks that the three implementations agree (log-rank chi-square, Cox
coefficients), so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from igfcirrhosis.stats.cox import CoxPH
from igfcirrhosis.stats.survival import KaplanMeier

COVS = [f"x{i}" for i in range(5)]


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def km_data(n: int, seed: int) -> pd.DataFrame:
    """Two groups, exponential event and censoring times in days (one decimal, many ties)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n)
    event_time = rng.exponential(1000.0 / (1.0 + 0.3 * group))
    censor_time = rng.exponential(1500.0, n)
    time_days = np.round(np.minimum(event_time, censor_time), 1) + 0.1
    return pd.DataFrame(
        {"time": time_days, "event": (event_time <= censor_time).astype(np.int64), "group": group}
    )


def cox_data(n: int, seed: int) -> pd.DataFrame:
    """Five normal covariates, exponential times in whole days (ties, so Efron matters)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    beta = np.array([0.5, -0.3, 0.2, 0.0, 0.1])
    event_time = rng.exponential(np.exp(-x @ beta))
    censor_time = rng.exponential(1.5, n)
    df = pd.DataFrame(x, columns=COVS)
    df["time"] = np.round(np.minimum(event_time, censor_time) * 365.0) + 1.0
    df["event"] = (event_time <= censor_time).astype(np.int64)
    return df


R_KM = """
suppressPackageStartupMessages(library(survival))
d <- read.csv("{csv}")
k <- {repeat}
el <- sapply(1:k, function(i) system.time({{
  f <<- survfit(Surv(time, event) ~ group, data = d)
  s <<- survdiff(Surv(time, event) ~ group, data = d)
}})[["elapsed"]])
cat(sprintf('{{"seconds": %.6f, "chisq": %.12g}}', min(el), s$chisq))
"""

R_COX = """
suppressPackageStartupMessages(library(survival))
d <- read.csv("{csv}")
k <- {repeat}
el <- sapply(1:k, function(i) system.time(
  f <<- coxph(Surv(time, event) ~ x0 + x1 + x2 + x3 + x4, data = d, ties = "efron")
)[["elapsed"]])
cat(sprintf('{{"seconds": %.6f, "coef": [%s], "concordance": %.12g}}', min(el),
            paste(sprintf("%.12g", coef(f)), collapse = ", "), f$concordance[["concordance"]]))
"""


def run_r(template: str, df: pd.DataFrame, repeat: int) -> dict[str, Any] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "data.csv"
        df.to_csv(csv, index=False)
        script = Path(tmp) / "bench.R"
        script.write_text(template.format(csv=csv.as_posix(), repeat=repeat))
        out = subprocess.run(
            ["Rscript", str(script)], capture_output=True, text=True, check=True, timeout=1800
        )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def bench_km(n: int, seed: int, repeat: int, with_r: bool) -> dict[str, Any]:
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test

    df = km_data(n, seed)

    def ours() -> float:
        km = KaplanMeier().fit(df, "time", "event", group_col="group")
        assert km.logrank_ is not None
        return km.logrank_.chisq

    def lifelines_run() -> float:
        g0, g1 = df[df["group"] == 0], df[df["group"] == 1]
        KaplanMeierFitter().fit(g0["time"], g0["event"])
        KaplanMeierFitter().fit(g1["time"], g1["event"])
        res = logrank_test(g0["time"], g1["time"], g0["event"], g1["event"])
        return float(res.test_statistic)

    t_ours, chisq = best_of(ours, repeat)
    t_ll, chisq_ll = best_of(lifelines_run, repeat)
    r = run_r(R_KM, df, repeat) if with_r else None
    assert abs(chisq / chisq_ll - 1) < 1e-6, (chisq, chisq_ll)
    if r is not None:
        assert abs(chisq / r["chisq"] - 1) < 1e-6, (chisq, r["chisq"])
    return {
        "rows": n,
        "ours": t_ours,
        "lifelines": t_ll,
        "R": r["seconds"] if r else None,
        "chisq": chisq,
    }


def bench_cox(n: int, seed: int, repeat: int, with_r: bool) -> dict[str, Any]:
    from lifelines import CoxPHFitter

    df = cox_data(n, seed)
    t_ours, fit = best_of(lambda: CoxPH().fit(df, "time", "event", COVS), repeat)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_ll, ll = best_of(lambda: CoxPHFitter().fit(df, "time", "event"), repeat)
    r = run_r(R_COX, df, repeat) if with_r else None
    coef = fit.params_.to_numpy()
    assert np.allclose(coef, ll.params_[COVS].to_numpy(), rtol=1e-5, atol=1e-8)
    if r is not None:
        assert np.allclose(coef, r["coef"], rtol=1e-6, atol=1e-10), (coef, r["coef"])
        assert abs(fit.concordance_.concordance / r["concordance"] - 1) < 1e-9
    return {"rows": n, "ours": t_ours, "lifelines": t_ll, "R": r["seconds"] if r else None}


def report(title: str, res: dict[str, Any]) -> None:
    print(f"\n{title} ({res['rows']:,} rows, best of the runs)")
    print(f"  ours       {res['ours']:8.3f} s")
    print(
        f"  lifelines  {res['lifelines']:8.3f} s   lifelines / ours = "
        f"{res['lifelines'] / res['ours']:.2f}x"
    )
    if res["R"] is not None:
        print(f"  R          {res['R']:8.3f} s   R / ours = {res['R'] / res['ours']:.2f}x")
    else:
        print("  R          not run (Rscript absent or --no-r)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--km-rows", type=int, default=1_000_000)
    ap.add_argument("--cox-rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-r", action="store_true")
    args = ap.parse_args()
    km = bench_km(args.km_rows, args.seed, args.repeat, not args.no_r)
    report("(a) Kaplan-Meier by 2 groups + log-rank", km)
    print("      goals: lifelines / ours >= 1, R / ours >= 5")
    cox = bench_cox(args.cox_rows, args.seed, args.repeat, not args.no_r)
    report("(b) Cox PH, Efron ties, 5 covariates (ours and R include Harrell's C)", cox)
    print("      goal: R / ours >= 1")


if __name__ == "__main__":
    main()
