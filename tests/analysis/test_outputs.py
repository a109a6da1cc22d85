"""results.json is deterministic and follows its schema; the report is self-contained and lists
methods, warnings and excluded rows; figures are SVG + 300-dpi PNG; the IGF demo plan runs every
analysis type and is labelled SYNTHETIC."""

from __future__ import annotations

import json
import re
import struct
import textwrap
from pathlib import Path
from typing import Any

import pytest

from igfcirrhosis.analysis.plan import TYPES, load_plan
from igfcirrhosis.analysis.results import clean, dumps, validate
from igfcirrhosis.analysis.runner import run_plan

SMALL = """
title = "small"
[data]
path = "package:pbc/pbc.csv"
id = "id"
[data.derive]
dead = "status == 2"
log_bili = "log(bili)"
[outcome]
time = "time"
event = "dead"
[[analysis]]
type = "km"
cut = { column = "bili", at = 2 }
horizons = [365, 1825]
[[analysis]]
type = "cox"
filter = "trt notna"
covariates = ["age", "log_bili"]
[[analysis]]
type = "roc"
markers = ["log_bili", { column = "albumin", direction = ">" }]
outcome = { within = 1825 }
"""


@pytest.fixture(scope="module")
def small_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("plan") / "plan.toml"
    p.write_text(textwrap.dedent(SMALL), encoding="utf-8")
    return p


def test_same_plan_twice_gives_byte_identical_results(small_plan: Path, tmp_path: Path) -> None:
    a = run_plan(load_plan(small_plan), tmp_path / "a")
    b = run_plan(load_plan(small_plan), tmp_path / "b")
    assert (tmp_path / "a" / "results.json").read_bytes() == (
        tmp_path / "b" / "results.json"
    ).read_bytes()
    for rel in a.results["analyses"][0]["figures"] + a.results["analyses"][1]["tables"]:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert a.results == b.results
    text = (tmp_path / "a" / "results.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert not re.search(r"20\d\d-\d\d-\d\d", text)  # no timestamps


def test_clean_replaces_nan_and_rounds() -> None:
    assert clean({"a": float("nan"), "b": [float("inf"), 0.1 + 0.2]}) == {
        "a": None,
        "b": [None, 0.3],
    }
    assert dumps({"b": 1, "a": 2}).index('"a"') < dumps({"b": 1, "a": 2}).index('"b"')


def test_results_validate_against_the_schema(pbc_run: Any, igf_run: Any) -> None:
    for run in (pbc_run, igf_run):
        validate(json.loads((run.out_dir / "results.json").read_text()))


def test_schema_rejects_a_broken_document(pbc_run: Any) -> None:
    import jsonschema

    doc = json.loads((pbc_run.out_dir / "results.json").read_text())
    del doc["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)
    doc = json.loads((pbc_run.out_dir / "results.json").read_text())
    doc["analyses"][0]["results"]["units"] = {}
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)


def test_every_ok_analysis_names_units(pbc_run: Any) -> None:
    for a in pbc_run.results["analyses"]:
        assert a["results"]["units"], a["id"]
    assert pbc_run.results["outcome"]["time_unit"] == "days"
    assert pbc_run.results["data"]["units"]["bili"] == "mg/dL"


def test_igf_demo_runs_every_type_and_is_synthetic(igf_run: Any) -> None:
    doc = igf_run.results
    assert {a["type"] for a in doc["analyses"]} == set(TYPES)
    assert [a["status"] for a in doc["analyses"]] == ["ok"] * len(doc["analyses"])
    assert doc["synthetic"] is True
    assert doc["title"].startswith("SYNTHETIC")
    html = (igf_run.out_dir / "report.html").read_text()
    assert "<h1>SYNTHETIC" in html
    assert "SYNTHETIC DATA" in html


def test_igf_km_at_90_days_by_igf1_13(igf_run: Any, analysis: Any) -> None:
    res = analysis(igf_run, "km_igf1_13")["results"]
    groups = {g["group"]: g for g in res["groups"]}
    assert set(groups) == {"igf1 < 13", "igf1 >= 13"}
    s90 = {k: g["survival_at"][0]["survival"] for k, g in groups.items()}
    assert s90["igf1 < 13"] < s90["igf1 >= 13"]  # the demo is calibrated to 63.2% vs 94.3%
    assert res["logrank"]["p_value"] < 0.05


def test_igf_nested_question_is_answered(igf_run: Any, analysis: Any) -> None:
    res = analysis(igf_run, "compare_scores")["results"]
    assert res["nested"]["question"] == "does log_igf1 add to meld_na?"
    assert res["nested"]["likelihood_ratio"]["df"] == 1
    assert [c["score"] for c in res["concordance"]] == [
        "child_pugh_points", "igf_ctp_points", "meld", "meld_3"]  # fmt: skip
    assert len(res["comparisons"]) == 3


def test_excluded_rows_are_listed_in_report_and_csv(pbc_run: Any) -> None:
    html = (pbc_run.out_dir / "report.html").read_text()
    csv = (pbc_run.out_dir / "tables" / "excluded_rows.csv").read_text().splitlines()
    assert csv[0] == "analysis,stage,row,id,reason"
    cox_rows = [r for r in csv if r.startswith("cox_mayo,")]
    assert len(cox_rows) == 106
    assert cox_rows[0] == "cox_mayo,analysis,313,313,analysis filter trt notna is false"
    assert "analysis filter trt notna is false: 106" in html
    assert "outcome undetermined" in html
    assert "<td>313</td><td>313</td><td>analysis filter trt notna is false</td>" in html


def test_report_is_self_contained(pbc_run: Any) -> None:
    html = (pbc_run.out_dir / "report.html").read_text()
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)


def test_report_sections_methods_and_warnings(pbc_run: Any) -> None:
    html = (pbc_run.out_dir / "report.html").read_text()
    for heading in ("Data provenance", "Methods", "Results", "Warnings", "Excluded rows"):
        assert f">{heading}</h2>" in html
    assert "For research and clinical decision support only" in html
    assert pbc_run.results["data"]["sha256"] in html
    for r_name in ("survival::coxph", "survival::cox.zph", "pROC::roc.test(paired=TRUE)",
                   "maxstat::maxstat.test", "cmprsk::crr", "kruskal.test"):  # fmt: skip
        assert r_name in html, r_name
    assert "optimism: the cut-point was chosen on these data" in html
    assert "proportional hazards: cox.zph p" in html
    n_fig = sum(len(a["figures"]) for a in pbc_run.results["analyses"]) // 2
    assert html.count("<svg") == n_fig


def _png_dpi(path: Path) -> float:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    i = data.index(b"pHYs")
    x_ppm, _, unit = struct.unpack(">IIB", data[i + 4 : i + 13])
    assert unit == 1  # metres
    return x_ppm * 0.0254


def test_figures_are_svg_and_300_dpi_png(pbc_run: Any) -> None:
    figs = [f for a in pbc_run.results["analyses"] for f in a["figures"]]
    assert figs
    for rel in figs:
        path = pbc_run.out_dir / rel
        if rel.endswith(".png"):
            assert round(_png_dpi(path)) == 300, rel
        else:
            assert path.read_text().lstrip().startswith("<?xml") and "<svg" in path.read_text()


def test_km_figure_has_survminer_parts(pbc_run: Any) -> None:
    """Structure of the KM figure, rebuilt from the same fitted object (Agg)."""
    from igfcirrhosis.analysis.figures import km_figure
    from igfcirrhosis.stats.survival import KaplanMeier

    rec = next(r for r in pbc_run.records if r.spec.id == "km_bili")
    assert rec.result is not None
    frame = pbc_run.data.frame.assign(group=pbc_run.data.frame["bili"].gt(2))
    km = KaplanMeier().fit(frame, "time", "dead", "group")
    fig = km_figure(km, "t")
    labels = [a.get_label() for a in fig.axes]
    assert labels[1:] == ["number at risk", "cumulative number of events",
                          "cumulative number censored"]  # fmt: skip
    main = fig.axes[0]
    assert any(t.get_gid() == "p-value" for t in main.texts)
    assert any(line.get_marker() == "+" for line in main.lines)  # censor ticks
    assert any(line.get_label() == "_median" for line in main.lines)
    risk = [t.get_text() for t in fig.axes[1].texts]
    assert risk[:1] == [str(km.curves_[False].n)]
    table = rec.tables[[t["name"] for t in rec.tables].index("risk_table")]["frame"]
    assert {"n_risk", "cum_events", "cum_censored"} <= set(table.columns)


def test_report_key_results_sentences(pbc_run: Any, igf_run: Any) -> None:
    html = (pbc_run.out_dir / "report.html").read_text()
    assert "Log-rank test: chi-square 135.74 on 1 df, p &lt; 0.0001." in html
    assert "log_bili: hazard ratio 2.41 (95% CI 1.99-2.93) per 1 log(mg/dL)" in html
    assert "Cut-point 1.9 mg/dL" in html
    assert (
        "log_bili versus albumin: AUC difference +0.096 (95% CI 0.034 to 0.159), p = 0.0026."
        in html
    )
    igf = (igf_run.out_dir / "report.html").read_text()
    assert igf.count('<div class="summary">') == len(igf_run.records)


def test_fmt_p() -> None:
    from igfcirrhosis.analysis.messages import fmt_p

    assert [fmt_p(p) for p in (3e-5, 0.0026, 0.0612, 0.5, None, float("nan"))] == [
        "p < 0.0001", "p = 0.0026", "p = 0.061", "p = 0.5", "p = NA", "p = NA"]  # fmt: skip


def test_cutpoint_km_figure_has_no_p_value(pbc_run: Any) -> None:
    entry = next(a for a in pbc_run.results["analyses"] if a["id"] == "cut_bili")
    assert "figures/cut_bili_km_at_cutpoint.svg" in entry["figures"]
    svg = (pbc_run.out_dir / "figures" / "cut_bili_km_at_cutpoint.svg").read_text()
    assert 'id="p-value"' not in svg
    km_svg = (pbc_run.out_dir / "figures" / "km_bili_km.svg").read_text()
    assert 'id="p-value"' in km_svg


def test_levels_order_groups_and_exclude_others(tmp_path: Path) -> None:
    """levels = [4, 3, 2, 1] reverses the order: the Jonckheere-Terpstra z of albumin by stage
    changes sign (R: -6.4529 ascending); levels without 4 exclude stage-4 rows by name."""
    plan = tmp_path / "plan.toml"
    plan.write_text(textwrap.dedent("""
        [data]
        path = "package:pbc/pbc.csv"
        id = "id"
        [data.derive]
        dead = "status == 2"
        [outcome]
        time = "time"
        event = "dead"
        [[analysis]]
        id = "t1"
        type = "table1"
        by = "stage"
        levels = [4, 3, 2, 1]
        ordered = true
        continuous = ["albumin"]
        [[analysis]]
        id = "km"
        type = "km"
        by = "stage"
        levels = [1, 2, 3]
        trend = true
        """), encoding="utf-8")  # fmt: skip
    run = run_plan(load_plan(plan), tmp_path / "out")
    t1 = next(a for a in run.results["analyses"] if a["id"] == "t1")["results"]
    assert t1["levels"] == ["1. 4", "2. 3", "3. 2", "4. 1"]
    assert abs(t1["variables"][0]["jt_z"] - 6.4529341076148) < 1e-9
    km = next(a for a in run.results["analyses"] if a["id"] == "km")
    assert km["excluded_by_reason"] == {
        "missing stage": 6, "stage = 4 is not one of the levels (1, 2, 3)": 144}  # fmt: skip
    assert [g["group"] for g in km["results"]["groups"]] == [1, 2, 3]  # sorted: labels kept


def test_report_shows_the_plan_and_methods_per_analysis(pbc_run: Any) -> None:
    html = (pbc_run.out_dir / "report.html").read_text()
    assert "The analysis plan</h2>" in html
    assert "covariates = [&#34;age&#34;, &#34;log_bili&#34;" in html  # the plan text, escaped
    assert "Methods: Cox proportional hazards regression" in html
