"""Benchmark: one machine versus a 2-worker Dask LocalCluster (on the same 2 cores).

1. Cohort scoring of a 2,000,000-row Parquet dataset (4 files): ``score_frame`` on the whole
   table (read, score, write one file) versus :func:`score_parquet` on the cluster.
2. A 200-patient virtual trial: ``run_trial`` with a 2-process pool versus
   :func:`run_trial_dask`.

On 2 cores the cluster cannot be faster than one machine using both cores; the ratios show the
overhead (scheduling, serialisation, per-partition writes), not a speed-up. The first Dask
call also pays for the workers importing the package; the second is shown as "warm".

    .venv/bin/python benchmarks/bench_distributed.py [--rows 2000000] [--patients 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from bench_score_file import make_cohort  # noqa: E402

from igfcirrhosis.distributed import dask_client, run_trial_dask, score_parquet  # noqa: E402
from igfcirrhosis.domain.frame_scores import score_frame  # noqa: E402
from igfcirrhosis.model.population import run_trial  # noqa: E402
from igfcirrhosis.model.scenario import parse_scenario  # noqa: E402

SCENARIO = {
    "name": "bench", "patient": {"state": "child_pugh_c"}, "simulation": {"days": 14},
    "population": {"arms": [
        {"name": "untreated"},
        {"name": "meca 80 BID", "regimen": [
            {"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12}]}]},
}


def single_machine_score(src: Path, out: Path) -> float:
    t0 = time.perf_counter()
    score_frame(pd.read_parquet(src)).data.to_parquet(out, index=False)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--partition-rows", type=int, default=250_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "cohort")
        src.mkdir()
        df = make_cohort(args.rows)
        quarter = -(-args.rows // 4)
        for k in range(4):
            df.iloc[k * quarter:(k + 1) * quarter].to_parquet(src / f"part-{k}.parquet",
                                                               index=False)
        del df
        single = single_machine_score(src, Path(tmp, "single.parquet"))
        sc = parse_scenario(SCENARIO)
        t0 = time.perf_counter()
        pool = run_trial(sc, args.patients, 1, workers=2, chunk_size=25)
        t_pool = time.perf_counter() - t0
        t0 = time.perf_counter()
        with dask_client(None, n_workers=2) as client:
            t_start = time.perf_counter() - t0
            t0 = time.perf_counter()  # cold: workers import the package and load catalogs
            res = score_parquet(src, Path(tmp, "dask"), client=client,
                                partition_rows=args.partition_rows)
            t_cold = time.perf_counter() - t0
            t0 = time.perf_counter()
            res = score_parquet(src, Path(tmp, "dask2"), client=client,
                                partition_rows=args.partition_rows)
            t_dask = time.perf_counter() - t0
            t0 = time.perf_counter()
            trial = run_trial_dask(sc, args.patients, 1, client=client, chunk_size=25)
            t_trial = time.perf_counter() - t0
        assert res.rows == args.rows
        same = (trial == pool) | ((trial != trial) & (pool != pool))
        print(f"cluster start-up (2 workers): {t_start:.2f} s")
        print(f"scoring {args.rows:,} rows: one machine {single:.2f} s; Dask ({res.partitions} "
              f"partitions) first call {t_cold:.2f} s, warm {t_dask:.2f} s; Dask/one machine = "
              f"{t_cold / single:.2f} first, {t_dask / single:.2f} warm")
        print(f"trial of {args.patients} patients x 14 days x 2 arms: multiprocessing (2) "
              f"{t_pool:.2f} s, Dask {t_trial:.2f} s, Dask/multiprocessing = "
              f"{t_trial / t_pool:.2f}; identical metrics: {bool(same.all())}")


if __name__ == "__main__":
    main()
