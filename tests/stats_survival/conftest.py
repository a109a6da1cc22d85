"""Shared fixtures: the Mayo PBC data and the R reference values.

R values come from tests/fixtures/r/survival.R, stored in tests/fixtures/r/survival.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
PBC_CSV = ROOT / "src" / "igfcirrhosis" / "data" / "pbc" / "pbc.csv"
R_SCRIPT = ROOT / "tests" / "fixtures" / "r" / "survival.R"
R_JSON = ROOT / "tests" / "fixtures" / "r" / "survival.json"


@pytest.fixture(scope="session")
def r_ref() -> dict[str, Any]:
    return json.loads(R_JSON.read_text())


@pytest.fixture(scope="session")
def pbc_data() -> pd.DataFrame:
    df = pd.read_csv(PBC_CSV)
    df["death"] = (df["status"] == 2).astype(np.int64)
    df["high_bili"] = df["bili"] > 2
    return df


@pytest.fixture(scope="session")
def pbc_randomised(pbc_data: pd.DataFrame) -> pd.DataFrame:
    """The 312 randomised patients with the Mayo model's transformed covariates."""
    df = pbc_data.loc[pbc_data["trt"].notna()].copy()
    df["log_bili"] = np.log(df["bili"])
    df["log_albumin"] = np.log(df["albumin"])
    df["log_protime"] = np.log(df["protime"])
    return df
