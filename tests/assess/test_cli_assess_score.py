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


def test_score_on_dask_matches_single_machine(tmp_path: Path) -> None:
    """`igfc score --dask` writes the same rows, scores and notes as the single-machine path."""
    src = tmp_path / "cohort.parquet"
    n = 300
    pd.DataFrame({
        "patient_id": [f"p{i}" for i in range(n)],
        "bilirubin": [0.5 + (i % 40) * 0.2 for i in range(n)],
        "albumin": [2.0 + (i % 25) * 0.1 for i in range(n)],
        "inr": [1.0 + (i % 15) * 0.1 for i in range(n)],
        "creatinine": [0.6 + (i % 10) * 0.3 for i in range(n)],
        "sodium": [125 + (i % 16) for i in range(n)],
        "ascites": [["none", "mild", "moderate_severe", None][i % 4] for i in range(n)],
        "encephalopathy": ["none"] * n,
    }).to_parquet(src, index=False)
    single = tmp_path / "single.parquet"
    assert runner.invoke(app, ["score", str(src), "-o", str(single)]).exit_code == 0
    result = runner.invoke(app, ["score", str(src), "-o", str(tmp_path / "parts"), "--dask"])
    assert result.exit_code == 0, result.output
    def cells(df: pd.DataFrame) -> list[list[object]]:
        """Values with every kind of missing as None (an all-missing column has no type)."""
        obj = df.reset_index(drop=True).astype(object)
        return obj.where(obj.notna(), None).to_numpy().tolist()

    on_dask = pd.read_parquet(tmp_path / "parts")
    expected = pd.read_parquet(single)
    assert list(on_dask.columns) == list(expected.columns)
    assert cells(on_dask) == cells(expected)


def test_score_on_dask_unreachable_scheduler_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "c.parquet"
    pd.DataFrame({"bilirubin": [1.0]}).to_parquet(src)
    result = runner.invoke(app, ["score", str(src), "-o", str(tmp_path / "o"), "--scheduler",
                                 "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "127.0.0.1:9" in result.output


@pytest.mark.parametrize("args", [["igf1=0"], ["igf2=0"], ["als=0"], ["bilirubin=0", "albumin=3"]])
def test_zero_levels_are_flagged_not_a_crash(args: list[str]) -> None:
    """A 0 is below an assay's detection limit (and ALBI/Mayo take log bilirubin): flagged
    implausible and not scored, never a traceback (reviewer finding)."""
    result = runner.invoke(app, ["assess", *args, "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    key = args[0].split("=")[0]
    assert d["inputs"][key]["flag"] == "implausible"
    texts = [s["text"] for s in d["igf"]["statements"] if s["analyte"] == key]
    assert all("not given" not in t for t in texts)


def test_score_row_with_zero_bilirubin_does_not_stop_the_file(tmp_path: Path) -> None:
    src = tmp_path / "z.csv"
    pd.DataFrame({"bilirubin": [1.2, 0.0, 3.1], "albumin": [3.5, 3.0, 2.5],
                  "inr": [1.1, 1.2, 1.9]}).to_csv(src, index=False)
    out = tmp_path / "z-scored.csv"
    result = runner.invoke(app, ["score", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out)
    assert scored["albi"].notna().tolist() == [True, False, True]
    assert "bilirubin" in scored.loc[1, "score_notes"]


def test_assess_with_a_laboratory_reference_table(tmp_path: Path) -> None:
    """--reference takes a shipped id or a lab's own CSV + TOML; the SDS then uses that table."""
    from importlib import resources

    refs = resources.files("igfcirrhosis").joinpath("data", "references")
    (tmp_path / "lab.csv").write_text(refs.joinpath("isojima2012-igf1.csv").read_text())
    meta = refs.joinpath("isojima2012-igf1.toml").read_text()
    (tmp_path / "lab.toml").write_text(meta.replace('id = "isojima2012-igf1"', 'id = "my-lab"'))
    args = ["assess", "igf1=150", "age=40", "sex=F", "--json"]

    def sds(extra: list[str]) -> tuple[str, float]:
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 0, result.output
        st = next(s for s in json.loads(result.stdout)["igf"]["statements"] if s["kind"] == "sds")
        return st["reference_id"], st["value"]

    default, shipped, own = sds([]), sds(["--reference", "isojima2012-igf1"]), sds(
        ["--reference", str(tmp_path / "lab.csv")])
    assert default[0] == "bidlingmaier2014-igf1"
    assert shipped[0] == "isojima2012-igf1" and own[0] == "my-lab"
    assert own[1] == pytest.approx(shipped[1], rel=1e-12) and own[1] != default[1]
    bad = runner.invoke(app, [*args, "--reference", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2 and "missing" in bad.output
