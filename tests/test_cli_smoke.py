"""The CLI starts, answers --help, and keeps its heavy imports out of start-up."""

import subprocess
import sys

from typer.testing import CliRunner

from igfcirrhosis.cli.main import app


def test_help_lists_about() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "about" in result.output


def test_about_states_research_use() -> None:
    result = CliRunner().invoke(app, ["about"])
    assert result.exit_code == 0
    assert "research" in result.output.lower()


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from igfcirrhosis.cli.main import app; "
        "heavy = [m for m in ('pandas', 'lifelines', 'roadrunner', 'fastapi', 'matplotlib', 'pint') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
