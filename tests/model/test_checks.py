"""Checks outside the validation table: every check is simulated, the column model of Guler's
gel filtration reads the steady state as Guler's baseline, and MODEL.md quotes the numbers the
code gives (so the notes cannot drift from the model again)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app
from igfcirrhosis.model.checks import (
    GULER_COLUMN_UG_L,
    checks_markdown,
    checks_table,
    column_shares,
    guler_column_half_lives,
    load_checks,
)
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.parameters import data_dir
from igfcirrhosis.model.patient import preset
from igfcirrhosis.model.tracer import TRACER_SPECIES, label_half_life, tracer_matrix
from igfcirrhosis.model.validation import load_observations


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return checks_table()


def test_every_check_is_simulated_with_a_finite_value(rows: list[dict[str, object]]) -> None:
    ids = [c.id for c in load_checks()]
    assert len(ids) == len(set(ids)) >= 20
    assert [r["id"] for r in rows] == ids
    for r in rows:
        assert isinstance(r["simulated"], float) and abs(r["simulated"]) < 1e6, r
        assert r["source"] and r["method"] and r["published_text"]


def test_ratio_is_given_only_where_signs_agree(rows: list[dict[str, object]]) -> None:
    for r in rows:
        sim, pub = float(r["simulated"]), float(r["published"])  # type: ignore[arg-type]
        if pub == 0 or sim * pub < 0:
            assert r["ratio"] is None
        else:
            assert r["ratio"] == pytest.approx(sim / pub, rel=1e-3)


def test_column_shares_read_the_model_steady_state_as_gulers_baseline() -> None:
    m = IgfModel()
    m.equilibrate(preset("healthy").parameters())
    x = {s: float(m.rr[s]) for s in TRACER_SPECIES}
    d_t, d_b = column_shares(x)
    assert 0 < d_t < 1 and 0 < d_b < 1
    tot = sum(x.values())
    fifty = x["IB"] + x["IO"] + d_t * x["IBA"]
    read = {"200kD": (1 - d_t) * x["IBA"] / tot, "50kD": (1 - d_b) * fifty / tot,
            "free": (x["I"] + d_b * fifty) / tot}
    g_tot = sum(GULER_COLUMN_UG_L.values())
    for k, v in GULER_COLUMN_UG_L.items():
        assert read[k] == pytest.approx(v / g_tot, rel=1e-9)


def test_a_perfect_column_gives_the_validation_rows_free_half_life() -> None:
    """With no dissociation on the column the free-label halving time is the table's
    t_half_free_tracer (the eigen-solution in tracer.py), to the 0.1-min grid."""
    m = IgfModel()
    m.equilibrate(preset("healthy").parameters())
    free, _ = guler_column_half_lives(m, 0.0, 0.0)
    assert free == pytest.approx(60 * label_half_life(tracer_matrix(m), "I"), abs=0.1)


def test_model_md_quotes_the_checks_the_code_computes(rows: list[dict[str, object]]) -> None:
    notes = (data_dir() / "MODEL.md").read_text("utf-8")
    assert checks_markdown(rows) in notes, (
        "MODEL.md's table of checks is stale: paste checks_markdown(checks_table())")


def test_cli_checks_table_and_json() -> None:
    res = CliRunner().invoke(app, ["validate-model", "--checks"])
    assert res.exit_code == 1  # the exit code is the validation table's, unchanged
    assert "Checks outside the table" in res.stdout and "guler_infusion_igf2_change" in res.stdout
    res = CliRunner().invoke(app, ["validate-model", "--checks", "--json"])
    doc = json.loads(res.stdout)
    schema = json.loads((resources.files("igfcirrhosis") / "schemas" /
                         "model-validation.schema.json").read_text())
    jsonschema.validate(doc, schema)
    assert [c["id"] for c in doc["checks"]] == [c.id for c in load_checks()]
    plain = json.loads(CliRunner().invoke(app, ["validate-model", "--json"]).stdout)
    assert "checks" not in plain


def test_cli_plot_writes_the_figure_and_refuses_other_formats(tmp_path: Path) -> None:
    out = tmp_path / "figs" / "validation.svg"
    res = CliRunner().invoke(app, ["validate-model", "--checks", "--plot", str(out)])
    assert res.exit_code == 1 and f"figure: {out}" in res.stdout
    svg = out.read_text(encoding="utf-8")
    assert "Checks outside the table" in svg and "Validation table: " in svg
    res = CliRunner().invoke(app, ["validate-model", "--json", "--plot",
                                   str(tmp_path / "v.png")])
    assert json.loads(res.stdout)["n_total"] == len(load_observations())  # stdout stays JSON
    assert (tmp_path / "v.png").read_bytes()[:4] == b"\x89PNG"
    res = CliRunner().invoke(app, ["validate-model", "--plot", str(tmp_path / "v.pdf")])
    assert res.exit_code == 2 and "expected a .png or .svg file" in res.stderr
    assert not (tmp_path / "v.pdf").exists()
