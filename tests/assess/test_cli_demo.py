"""`igfc demo` runs end to end and writes what it says it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from igfcirrhosis.cli.demo_commands import example_patients
from igfcirrhosis.cli.main import app


def test_demo_writes_assessments_and_scored_cohort(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "-o", str(tmp_path), "--n", "300", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assessments = json.loads((tmp_path / "assessments.json").read_text())
    assert [a["patient_id"] for a in assessments] == [p["patient_id"] for p in example_patients()]
    by_id = {a["patient_id"]: a["scores"] for a in assessments}
    # demo-2 is the foundation issue's example patient: Child-Pugh 8 (B), MELD-Na 22.
    assert by_id["demo-2"]["child_pugh"]["points"] == 8
    assert by_id["demo-2"]["meld_na"]["value"] == 22
    # demo-4 has PBC: cholestatic bilirubin edges (3.2 mg/dL scores 1 point, not 3).
    assert by_id["demo-4"]["child_pugh"]["components"]["bilirubin"]["points"] == 1
    scored = pd.read_csv(tmp_path / "demo_cohort_scored.csv")
    assert len(scored) == 300
    assert scored["synthetic"].all()
    assert scored["child_pugh_class"].notna().all()
    assert "SYNTHETIC" in result.output
    # Step 3: the IGF plan ran on this same cohort (n = 300), labelled synthetic.
    results = json.loads((tmp_path / "analysis" / "results.json").read_text())
    assert results["synthetic"] and results["data"]["rows_read"] == 300
    assert (tmp_path / "analysis" / "report.html").stat().st_size > 10_000
    assert all(a["status"] == "ok" for a in results["analyses"]), [
        (a["id"], a.get("error")) for a in results["analyses"] if a["status"] != "ok"]
    # Step 4: the mecasermin simulation wrote its trajectories and summary.
    summary = json.loads((tmp_path / "simulation" / "summary.json").read_text())
    assert summary["peaks"]["igf1_total"]["value"] > summary["baseline"]["igf1_total"]["value"]
    assert (tmp_path / "simulation" / "trajectories.parquet").exists()
