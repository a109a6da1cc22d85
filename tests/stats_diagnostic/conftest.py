"""Shared fixtures: the PBC data with the 5-year landmark outcome, and R's reference values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.roc import outcome_within

ROOT = Path(__file__).resolve().parents[2]
PBC_DIR = ROOT / "src" / "igfcirrhosis" / "data" / "pbc"
R_SCRIPT = ROOT / "tests" / "fixtures" / "r" / "diagnostic.R"
R_JSON = ROOT / "tests" / "fixtures" / "r" / "diagnostic.json"


def rel_diff(a: Any, b: Any) -> float:
    """Max relative difference |a - b| / max(|b|, 1e-300) over arrays (0 if both are equal)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    d = np.abs(a - b)
    return float(np.max(np.where(d == 0, 0.0, d / np.maximum(np.abs(b), 1e-300)), initial=0.0))


@pytest.fixture(scope="session")
def r_ref() -> dict[str, Any]:
    with R_JSON.open() as fh:
        return json.load(fh)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def pbc() -> pd.DataFrame:
    df = pd.read_csv(PBC_DIR / "pbc.csv")
    df["dead5"] = outcome_within(df["time"], df["status"], horizon=1825, event_code=2)
    df["log_bili"] = np.log(df["bili"])
    return df


@pytest.fixture(scope="session")
def landmark(pbc: pd.DataFrame) -> pd.DataFrame:
    """The 312 patients whose 5-year vital status is known (R: ``lm5``)."""
    return pbc[pbc["dead5"].notna()].reset_index(drop=True)


@pytest.fixture(scope="session")
def pbcseq() -> pd.DataFrame:
    return pd.read_csv(PBC_DIR / "pbcseq.csv")
