"""``igfc demo-cohort`` writes each format, labels it synthetic, and fails cleanly on bad paths."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app
from igfcirrhosis.cohort.io import read_cohort

runner = CliRunner()


@pytest.mark.parametrize("name", ["demo.csv", "demo.tsv", "demo.parquet", "demo.xlsx"])
def test_writes_each_format(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["demo-cohort", "-o", str(out), "--n", "120", "--seed", "3"])
    assert result.exit_code == 0, result.output
    read = read_cohort(out)
    assert len(read.frame) == 120
    assert read.frame["synthetic"].astype(bool).all()
    assert "SYNTHETIC" in result.output
    assert "90-day Kaplan-Meier survival, igf1 < 13" in result.output
    assert "median IGF-I" in result.output


def test_same_seed_byte_identical_file(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        result = runner.invoke(app, ["demo-cohort", "-o", str(tmp_path / name), "--n", "50"])
        assert result.exit_code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_unknown_extension_exits_2_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-cohort", "-o", str(tmp_path / "demo.json")])
    assert result.exit_code == 2
    assert "cannot write .json; expected .csv, .tsv, .parquet or .xlsx" in result.output
    assert "Traceback" not in result.output


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-cohort", "-o", str(tmp_path / "nope" / "demo.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_n_below_one_is_rejected(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-cohort", "-o", str(tmp_path / "d.csv"), "--n", "0"])
    assert result.exit_code == 2


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["demo-cohort", "--help"])
    assert result.exit_code == 0
    assert "igfc demo-cohort -o demo.csv" in result.output
