"""Benchmark: `igfc score` on a 1,000,000-row Parquet file (read, validate, score, write).

Goal (foundation issue): under 2 s beyond start-up on the 2-core machine. Start-up is measured
separately as `igfc --help`, and the whole command is timed as a subprocess, as a user runs it:
wall time, and the CPU time (user + system) of the child, which the machine's load inflates less.

    .venv/bin/python benchmarks/bench_score_file.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_cohort(n: int, seed: int = 1) -> pd.DataFrame:
    """Plausible random cirrhosis labs in default units, with a few bad cells to flag."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "patient_id": np.arange(n).astype(str),
        "age": rng.uniform(20, 85, n).round(1),
        "sex": rng.choice(["F", "M"], n),
        "bilirubin": rng.lognormal(0.5, 0.8, n).round(2),
        "albumin [g/L]": rng.normal(32, 6, n).clip(15, 50).round(1),
        "inr": rng.lognormal(0.25, 0.2, n).round(2),
        "prothrombin_time_prolongation": rng.uniform(0, 10, n).round(1),
        "prothrombin_time": rng.uniform(10, 20, n).round(1),
        "creatinine": rng.lognormal(0.0, 0.4, n).round(2),
        "sodium": rng.normal(136, 4, n).round(0),
        "ascites": rng.choice(["none", "mild", "moderate_severe"], n),
        "encephalopathy": rng.choice(["none", "grade_1_2", "grade_3_4"], n),
        "edema": rng.choice([0.0, 0.5, 1.0], n),
        "igf1": rng.lognormal(4.0, 0.6, n).round(1),
    })
    bad = rng.choice(n, size=max(1, n // 1000), replace=False)
    df.loc[bad, "inr"] = 0.0  # implausible: flagged, not scored
    return df


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``cmd``; CPU = user + system time of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(cmd: list[str], repeat: int = 3) -> tuple[float, float]:
    """Best wall and best CPU over ``repeat`` runs."""
    runs = [timed(cmd) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    igfc = str(Path(sys.executable).with_name("igfc"))
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "cohort.parquet"), Path(tmp, "scored.parquet")
        make_cohort(args.rows).to_parquet(src, index=False)
        load = os.getloadavg()[0]
        startup, startup_cpu = best([igfc, "--help"])
        # the libraries the command itself loads (pint no longer: its units come from a table)
        python_start, python_cpu = best([sys.executable, "-c",
                                         "import pandas, pyarrow, pyarrow.parquet"])
        total, total_cpu = best([igfc, "score", str(src), "-o", str(out)])
        scored = pd.read_parquet(out)
        assert len(scored) == args.rows
        print(f"rows: {args.rows:,}  cores: {os.cpu_count()}  load average (1 min): {load:.1f} "
              f"-> {os.getloadavg()[0]:.1f}")
        print("                                         wall      CPU")
        print(f"igfc --help (start-up):                 {startup:6.2f} s {startup_cpu:6.2f} s")
        print(f"python + pandas/pyarrow import:        {python_start:6.2f} s {python_cpu:6.2f} s")
        print(f"igfc score (whole command, best of 3): {total:6.2f} s {total_cpu:6.2f} s")
        print(f"beyond start-up and library import:    {total - python_start:6.2f} s "
              f"{total_cpu - python_cpu:6.2f} s (goal < 2 s)")
        print(f"rows with every score: {int(scored['meld_3'].notna().sum()):,}; "
              f"rows with notes: {int(scored['score_notes'].notna().sum()):,}")


if __name__ == "__main__":
    main()
