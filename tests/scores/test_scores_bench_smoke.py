"""The benchmark script runs end to end on a small table (its timings are not asserted:
speed is measured by ``benchmarks/bench_scores.py`` itself, never by a unit test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_scores.py"


def test_bench_scores_runs_and_reports_the_ratio() -> None:
    out = subprocess.run([sys.executable, str(SCRIPT), "--rows", "3000", "--sample", "300"],
                         capture_output=True, text=True, check=True, timeout=120)
    assert "rows: 3,000" in out.stdout
    assert "ratio (per-row peer / vectorised):" in out.stdout
    assert "loop: " in out.stdout and "agrees with the reference on 300 of 300 rows" in out.stdout
    assert "vectorised (detail=False) agrees with the reference on 300 of 300 rows" in out.stdout
    for name in ("child_pugh", "meld_na", "meld_3", "albi", "igf_ctp", "mayo_pbc"):
        assert name in out.stdout
