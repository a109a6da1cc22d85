"""Benchmark: the full demo report (examples/igf/plan.toml, every analysis type) on 10,000
synthetic patients: data generation and scoring, each analysis with its figures (SVG + 300-dpi
PNG) and tables, results.json and report.html.

Goal (cohort-analysis issue): under 30 s on the 2-core machine. Prints the time per step.

    .venv/bin/python benchmarks/bench_report.py [--n 10000] [--seed 20261125] [--out DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

GOAL_S = 30.0
PLAN = Path(__file__).resolve().parents[1] / "examples" / "igf" / "plan.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from igfcirrhosis.analysis.plan import load_plan
    from igfcirrhosis.analysis.runner import run_plan

    t_import = time.perf_counter() - t0
    plan = load_plan(PLAN)
    data = dataclasses.replace(plan.data, path=f"demo:n={args.n},seed={args.seed}")
    plan = dataclasses.replace(plan, data=data)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        t1 = time.perf_counter()
        outcome = run_plan(plan, out)
        total = time.perf_counter() - t1
        size = (out / "report.html").stat().st_size
    print(f"igf demo report, n = {args.n:,} synthetic patients, {len(plan.analyses)} analyses")
    print(f"{'step':<48}{'seconds':>9}")
    print(f"{'imports':<48}{t_import:>9.2f}")
    for step, sec in outcome.timings.items():
        print(f"{step:<48}{sec:>9.2f}")
    print(f"{'total (run_plan)':<48}{total:>9.2f}")
    print(f"report.html {size / 1e6:.1f} MB; failed analyses: {len(outcome.failed)}")
    verdict = "PASS" if total + t_import < GOAL_S else "FAIL"
    print(f"goal < {GOAL_S:.0f} s: {verdict} ({total + t_import:.1f} s)")


if __name__ == "__main__":
    main()
