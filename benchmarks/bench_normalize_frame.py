"""Speed of input normalisation (run by hand; not a test): ``python benchmarks/bench_normalize_frame.py``.

Goal (brief): 1,000,000 rows x 12 numeric columns in well under 1 s. Also times a string column
of "<number> <unit>" cells, the first (cold) call that builds the pint registry, and
parse_patient. Prints one line per case: best of ``--repeat`` runs, in seconds, wall (and the
CPU time of this process, which the shared machine's load inflates less).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

_CPU: list[float] = []  # best CPU seconds of the last _best call


def _best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall seconds over ``repeat`` runs; the best CPU seconds go to ``_CPU[-1]``."""
    times, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    _CPU.append(min(cpus))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.rows
    rng = np.random.default_rng(20261125)

    t0, c0 = time.perf_counter(), time.process_time()
    from igfcirrhosis.domain.inputs import normalize_frame, parse_patient

    normalize_frame(pd.DataFrame({"bilirubin [umol/L]": [34.0]}))
    print(f"cold start (import + catalog; pint only for units outside the factor table): "
          f"{time.perf_counter() - t0:.3f} s (CPU {time.process_time() - c0:.3f} s)")

    numeric = pd.DataFrame(
        {
            "bilirubin [umol/L]": rng.uniform(5, 300, n),
            "albumin [g/L]": rng.uniform(15, 50, n),
            "inr": rng.uniform(0.8, 3, n),
            "creatinine [umol/L]": rng.uniform(40, 400, n),
            "sodium [mEq/L]": rng.uniform(120, 145, n),
            "igf1 [nmol/L]": rng.uniform(1, 30, n),
            "igfbp3": rng.uniform(0.5, 5, n),
            "age": rng.uniform(20, 80, n),
            "platelets [10^3/uL]": rng.uniform(30, 300, n),
            "crp": rng.uniform(0, 100, n),
            "alt": rng.uniform(10, 300, n),
            "ast": rng.uniform(10, 300, n),
        }
    )
    from igfcirrhosis.domain.units import convert

    column = numeric["creatinine [umol/L]"].to_numpy()
    sec = _best(lambda: convert(column, "umol/L", "mg/dL", "creatinine"), args.repeat)
    print(f"convert {n} values umol/L -> mg/dL: {sec * 1e3:.1f} ms")
    sec = _best(lambda: normalize_frame(numeric), args.repeat)
    print(f"normalize_frame {n} rows x 12 numeric columns: {sec:.3f} s (CPU {_CPU[-1]:.3f} s)")

    m = min(n, 200_000)
    units = np.array(["umol/L", "mg/dL", ""])[rng.integers(0, 3, m)]
    values = np.round(rng.uniform(0.3, 20, m), 2)
    cells = pd.Series([f"{v} {u}".strip() for v, u in zip(values, units, strict=True)])
    text = pd.DataFrame({"bilirubin": cells})
    sec = _best(lambda: normalize_frame(text), args.repeat)
    print(f"normalize_frame {m} rows x 1 string column with per-cell units: {sec:.3f} s "
          f"(CPU {_CPU[-1]:.3f} s)")

    patient = {"bilirubin": "34 umol/L", "albumin": "30 g/L", "inr": 1.4, "creatinine": 1.1,
               "sodium": "131 mEq/L", "ascites": "mild", "encephalopathy": "none", "igf1": 25}  # fmt: skip
    sec = _best(lambda: parse_patient(patient), max(args.repeat, 100))
    print(f"parse_patient (8 fields, warm): {sec * 1e6:.0f} us")


if __name__ == "__main__":
    main()
