"""`igfc assess` and `igfc score` end to end through the Typer app: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app

runner = CliRunner()
ARGS = ["bilirubin=34umol/L", "albumin=28g/L", "inr=1.8", "creatinine=1.1mg/dL", "sodium=131",
        "ascites=mild", "encephalopathy=none", "sex=F", "age=54", "igf1=22ng/mL",
        "igfbp3=1.1mg/L"]


def test_assess_table_output() -> None:
    result = runner.invoke(app, ["assess", *ARGS])
    assert result.exit_code == 0, result.output
    assert "8 points, class B" in result.output
    assert "research" in result.output.lower()


def test_assess_json_matches_contract() -> None:
    result = runner.invoke(app, ["assess", *ARGS, "--json"])
    assert result.exit_code == 0
    d = json.loads(result.stdout)
    assert d["scores"]["child_pugh"]["points"] == 8
    assert d["scores"]["meld_3"]["value"] == 22
    assert d["scores"]["albi"]["grade"] == 3
    assert d["scores"]["mayo_pbc"]["missing"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["bilirubin=1.0kg"], "bilirubin"), (["inr=0"], "inr"), (["bilirubin=abc"], "'abc'"),
     (["bilirubin"], "KEY=VALUE"), (["bili=1", "bilirubin=2"], "twice"),
     (["--cholestatic", "maybe", "bilirubin=1"], "--cholestatic")],
)
def test_assess_bad_input_exits_2_without_traceback(args: list[str], fragment: str) -> None:
    result = runner.invoke(app, ["assess", *args])
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_score_keeps_every_row_and_explains(tmp_path: Path) -> None:
    src = tmp_path / "cohort.csv"
    pd.DataFrame({
        "patient_id": ["a", "b", "c"],
        "bilirubin [umol/L]": [34, 60, 20],
        "albumin [g/L]": [28, 35, 40],
        "inr": [1.8, 0, 1.1],
        "creatinine": [1.1, 1.0, "x"],
        "sodium": [131, 137, 140],
        "ascites": ["mild", "none", None],
        "encephalopathy": ["none", "none", "none"],
    }).to_csv(src, index=False)
    out = tmp_path / "scored.parquet"
    result = runner.invoke(app, ["score", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_parquet(out)
    assert list(scored["patient_id"]) == ["a", "b", "c"]
    assert scored.loc[0, "child_pugh_points"] == 8
    assert scored.loc[0, "meld"] == 17
    assert pd.isna(scored.loc[1, "meld"]) and "inr" in scored.loc[1, "score_notes"]
    assert pd.isna(scored.loc[2, "child_pugh_points"])
    assert "ascites" in scored.loc[2, "score_notes"]
    assert "creatinine" in scored.loc[2, "score_notes"]
    assert "Why rows were not scored" in result.output


def test_score_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path / "nope.csv"), "-o",
                                 str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "nope.csv" in result.output
