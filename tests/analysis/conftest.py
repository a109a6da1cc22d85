"""Shared fixtures: the two example plans run once per session, and R's reference values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
R_FIXTURES = ROOT / "tests" / "fixtures" / "r"


@pytest.fixture(scope="session")
def r_survival() -> dict[str, Any]:
    """R survival + cmprsk reference values (tests/fixtures/r/survival.R)."""
    return json.loads((R_FIXTURES / "survival.json").read_text())


@pytest.fixture(scope="session")
def r_diagnostic() -> dict[str, Any]:
    """R pROC + maxstat + glm + stats reference values (tests/fixtures/r/diagnostic.R)."""
    return json.loads((R_FIXTURES / "diagnostic.json").read_text())


@pytest.fixture(scope="session")
def pbc_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from igfcirrhosis.analysis.plan import load_plan
    from igfcirrhosis.analysis.runner import run_plan

    out = tmp_path_factory.mktemp("pbc")
    return run_plan(load_plan(EXAMPLES / "pbc" / "plan.toml"), out)


@pytest.fixture(scope="session")
def igf_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from igfcirrhosis.analysis.plan import load_plan
    from igfcirrhosis.analysis.runner import run_plan

    out = tmp_path_factory.mktemp("igf")
    return run_plan(load_plan(EXAMPLES / "igf" / "plan.toml"), out)


def _analysis(run: Any, analysis_id: str) -> dict[str, Any]:
    doc = json.loads((run.out_dir / "results.json").read_text())
    entry: dict[str, Any] = next(a for a in doc["analyses"] if a["id"] == analysis_id)
    return entry


@pytest.fixture(scope="session")
def analysis() -> Any:
    """``analysis(run, id)``: the results.json entry of one analysis, read back from the file."""
    return _analysis
