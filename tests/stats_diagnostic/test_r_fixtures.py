"""Regenerate the R reference values with Rscript and compare them with the stored fixture."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from .conftest import PBC_DIR, R_JSON, R_SCRIPT, ROOT


def _compare(a: object, b: object, path: str) -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            _compare(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _compare(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, (int, float)):
        assert np.isclose(a, b, rtol=1e-9, atol=0), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.needs_r
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed")
def test_fixture_regenerates_identically(tmp_path: Path) -> None:
    out = tmp_path / "diagnostic.json"
    subprocess.run(
        ["Rscript", str(R_SCRIPT), str(PBC_DIR / "pbc.csv"), str(PBC_DIR / "pbcseq.csv"), str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    fresh = json.loads(out.read_text())
    stored = json.loads(R_JSON.read_text())
    fresh.pop("versions")
    stored.pop("versions")
    _compare(fresh, stored, "diagnostic")
