"""igfc analyze: exit 0 with the outputs, exit 2 with a one-line message (no traceback) for a bad
plan or data, and the command keeps its heavy imports inside."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from igfcirrhosis.cli.main import app

PLAN = """
title = "cli"
[data]
path = "package:pbc/pbc.csv"
[data.derive]
dead = "status == 2"
[outcome]
time = "time"
event = "dead"
[[analysis]]
type = "km"
{extra}
"""


def plan(tmp_path: Path, extra: str = "") -> Path:
    p = tmp_path / "plan.toml"
    p.write_text(textwrap.dedent(PLAN).replace("{extra}", extra), encoding="utf-8")
    return p


def test_analyze_writes_report_and_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(plan(tmp_path)), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "1/1 analyses done" in result.output
    for name in ("report.html", "results.json", "figures/km_1_km.svg", "figures/km_1_km.png",
                 "tables/km_1_median.csv"):  # fmt: skip
        assert (out / name).is_file(), name


def test_unknown_type_exits_2_naming_the_key(tmp_path: Path) -> None:
    p = plan(tmp_path, '[[analysis]]\ntype = "forest"\n')
    result = CliRunner().invoke(app, ["analyze", str(p), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "analysis[2].type: unknown type 'forest'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()  # nothing ran


def test_missing_column_exits_2_before_anything_runs(tmp_path: Path) -> None:
    p = plan(tmp_path, '[[analysis]]\ntype = "cox"\ncovariates = ["age", "bilirubin"]\n')
    result = CliRunner().invoke(app, ["analyze", str(p), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 2
    assert "analysis[2].covariates[2]: column 'bilirubin' not in data" in result.output
    assert "did you mean 'bili'?" in result.output
    assert not (tmp_path / "o" / "results.json").exists()


def test_bad_expression_exits_2(tmp_path: Path) -> None:
    p = plan(tmp_path, 'filter = "exec(1)"\n')
    result = CliRunner().invoke(app, ["analyze", str(p), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "analysis[1].filter" in result.output and "not allowed" in result.output


def test_event_not_0_1_exits_2_before_anything_runs(tmp_path: Path) -> None:
    p = plan(tmp_path, '[[analysis]]\ntype = "cox"\nevent = "status"\ncovariates = ["age"]\n')
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["analyze", str(p), "-o", str(out), "-q"])
    assert result.exit_code == 2
    assert "analysis[2].event: column 'status' must hold 0/1" in result.output
    assert "row 1 has 2" in result.output
    assert not (out / "results.json").exists()


def test_a_step_failing_on_the_data_is_reported_and_exits_2(tmp_path: Path) -> None:
    # one group left after the analysis filter: Table 1 cannot compare groups
    body = (
        '[[analysis]]\ntype = "table1"\nby = "dead"\nfilter = "dead == 1"\ncontinuous = ["age"]\n'
    )
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["analyze", str(plan(tmp_path, body)), "-o", str(out), "-q"])
    assert result.exit_code == 2
    assert "analysis[2] (table1_2)" in result.output and "two groups" in result.output
    assert "1/2 analyses done" in result.output
    html = (out / "report.html").read_text()
    assert "could not be computed" in html
    doc = json.loads((out / "results.json").read_text())
    assert doc["analyses"][1]["status"] == "failed" and doc["analyses"][1]["results"] is None


def test_missing_plan_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "nope.toml"), "-o", "x"])
    assert result.exit_code == 2
    assert "plan file not found" in result.output


def test_cli_import_stays_light() -> None:
    code = (
        "import sys; import igfcirrhosis.cli.analysis_commands; "
        "print(','.join(m for m in ('pandas', 'numpy', 'matplotlib', 'jinja2', 'scipy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cutpoint_optimism_warning_is_printed(tmp_path: Path) -> None:
    p = plan(tmp_path, '[[analysis]]\ntype = "cutpoint"\nmarker = "bili"\n')
    result = CliRunner().invoke(app, ["analyze", str(p), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0
    assert "warning: cutpoint_2: optimism: the cut-point was chosen on these data" in result.output


def test_check_validates_without_running(tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["analyze", str(plan(tmp_path)), "-o", str(out), "--check"])
    assert result.exit_code == 0, result.output
    assert "plan OK: 1 analyses on 418 rows (418 read, 0 excluded" in result.output
    assert not out.exists()
    bad = plan(tmp_path, '[[analysis]]\ntype = "km"\nby = "stages"\n')
    result = CliRunner().invoke(app, ["analyze", str(bad), "-o", str(out), "--check"])
    assert result.exit_code == 2
    assert "analysis[2].by: column 'stages' not in data; did you mean 'stage'?" in result.output


def test_keys_prints_the_plan_reference(tmp_path: Path) -> None:
    from igfcirrhosis.analysis.plan import TYPES

    result = CliRunner().invoke(app, ["analyze", "unused.toml", "-o", str(tmp_path), "--keys"])
    assert result.exit_code == 0
    for t in TYPES:
        assert f"type = {t!r}:" in result.output
    assert "  covariates: array of column names (required)" in result.output
    assert '  ties: one of efron | breslow (default "efron")' in result.output
    assert "  time: column name (default from [outcome])" in result.output
    assert "  ph_test: true/false (default true)" in result.output
