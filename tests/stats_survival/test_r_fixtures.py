"""The stored R fixtures are what tests/fixtures/r/survival.R produces with the installed R.

Runs the script with Rscript into a temporary directory and compares every number with
tests/fixtures/r/survival.json (relative tolerance 1e-12; the JSON keeps 15 significant digits).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from .conftest import PBC_CSV, R_JSON, R_SCRIPT, ROOT


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            out.update(_flatten(v, f"{prefix}/{k}"))
        return out
    if isinstance(obj, list) and obj and isinstance(obj[0], (list, dict)):
        out = {}
        for i, v in enumerate(obj):
            out.update(_flatten(v, f"{prefix}[{i}]"))
        return out
    return {prefix: obj}


@pytest.mark.needs_r
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_fixtures_regenerate_identically(tmp_path: Path) -> None:
    out = tmp_path / "survival.json"
    subprocess.run(
        ["Rscript", str(R_SCRIPT), str(PBC_CSV), str(out)], check=True, cwd=ROOT, timeout=300
    )
    fresh = _flatten(json.loads(out.read_text()))
    stored = _flatten(json.loads(R_JSON.read_text()))
    assert fresh.keys() == stored.keys()
    for key, value in stored.items():
        if key.startswith("/versions"):
            continue
        if isinstance(value, (list, int, float)) and not isinstance(value, bool):
            a = np.asarray(value if isinstance(value, list) else [value], dtype=object)
            b = np.asarray(
                fresh[key] if isinstance(fresh[key], list) else [fresh[key]], dtype=object
            )
            assert a.shape == b.shape, key
            na = np.array([v is None for v in a])
            assert (na == np.array([v is None for v in b])).all(), key
            np.testing.assert_allclose(
                a[~na].astype(float), b[~na].astype(float), rtol=1e-12, atol=0, err_msg=key
            )
        else:
            assert fresh[key] == value, key
