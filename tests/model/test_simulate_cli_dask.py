"""`igfc simulate --population N --dask` gives the same trial summary as the local pool."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from igfcirrhosis.cli.main import app

SCENARIO = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / \
    "mecasermin-child-pugh-b.toml"


def test_dask_trial_equals_local_pool(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["simulate", str(SCENARIO), "--population", "6", "--days", "14", "--seed", "3",
            "--no-plots"]
    local = runner.invoke(app, [*args, "-o", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    on_dask = runner.invoke(app, [*args, "-o", str(tmp_path / "dask"), "--dask"])
    assert on_dask.exit_code == 0, on_dask.output
    a = json.loads((tmp_path / "local" / "summary.json").read_text())
    b = json.loads((tmp_path / "dask" / "summary.json").read_text())
    assert a["arms"] == b["arms"]


def test_unreachable_scheduler_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["simulate", str(SCENARIO), "--population", "2", "--days",
                                      "2", "-o", str(tmp_path / "x"), "--scheduler",
                                      "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "127.0.0.1:9" in result.output
