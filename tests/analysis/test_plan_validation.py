"""A bad plan fails before anything runs, with a message that names the key and what was expected."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from igfcirrhosis.analysis.errors import PlanError
from igfcirrhosis.analysis.plan import TYPES, load_plan
from igfcirrhosis.analysis.runner import prepare_data

HEAD = """
title = "t"
[data]
path = "package:pbc/pbc.csv"
[data.derive]
dead = "status == 2"
[outcome]
time = "time"
event = "dead"
"""


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    p = tmp_path / "plan.toml"
    p.write_text(textwrap.dedent(head) + textwrap.dedent(body), encoding="utf-8")
    return p


def check(tmp_path: Path, body: str, key: str, match: str, head: str = HEAD) -> None:
    """The plan fails (at load or at the column check) naming ``key``; message matches."""
    p = write(tmp_path, body, head)
    with pytest.raises(PlanError) as info:
        prepare_data(load_plan(p))
    assert info.value.key == key, str(info.value)
    assert str(info.value).startswith(f"{key}: ")
    assert match in str(info.value), str(info.value)


def test_a_valid_plan_loads(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, '[[analysis]]\ntype = "km"\nby = "stage"\n'))
    assert [a.type for a in plan.analyses] == ["km"]
    assert plan.analyses[0].params["time"] == "time"  # taken from [outcome]


def test_unknown_type_lists_the_types(tmp_path: Path) -> None:
    check(tmp_path, '[[analysis]]\ntype = "kaplan"\n', "analysis[1].type", "unknown type 'kaplan'")
    with pytest.raises(PlanError, match=", ".join(TYPES)):
        load_plan(write(tmp_path, '[[analysis]]\ntype = "survival"\n'))


def test_missing_column_names_key_and_lists_columns(tmp_path: Path) -> None:
    body = '[[analysis]]\ntype = "km"\n[[analysis]]\ntype = "cox"\ntime = "futime"\ncovariates = ["age"]\n'
    check(tmp_path, body, "analysis[2].time", "column 'futime' not in data")
    with pytest.raises(PlanError, match=r"\(columns: id, time, status, trt"):
        prepare_data(load_plan(write(tmp_path, body)))


def test_missing_covariate_column(tmp_path: Path) -> None:
    body = '[[analysis]]\ntype = "cox"\ncovariates = ["age", "bilirubin"]\n'
    check(tmp_path, body, "analysis[1].covariates[2]", "column 'bilirubin' not in data")


def test_bad_expression_names_the_derived_column(tmp_path: Path) -> None:
    head = HEAD.replace('dead = "status == 2"', 'dead = "status == 2"\nx = "__import__(\'os\')"')
    check(tmp_path, '[[analysis]]\ntype = "km"\n', "data.derive.x", "not allowed", head)


def test_expression_that_does_not_parse(tmp_path: Path) -> None:
    check(
        tmp_path,
        '[[analysis]]\ntype = "km"\nfilter = "bili >"\n',
        "analysis[1].filter",
        "cannot parse",
    )


def test_expression_with_unknown_column(tmp_path: Path) -> None:
    head = HEAD.replace('dead = "status == 2"', 'dead = "status == 2"\nlb = "log(bilirubin)"')
    check(
        tmp_path,
        '[[analysis]]\ntype = "km"\n',
        "data.derive.lb",
        "column 'bilirubin' not in data",
        head,
    )


def test_unknown_key_suggests_the_near_one(tmp_path: Path) -> None:
    check(
        tmp_path,
        '[[analysis]]\ntype = "km"\nhorizon = [90]\n',
        "analysis[1].horizon",
        "did you mean 'horizons'?",
    )


def test_missing_required_key(tmp_path: Path) -> None:
    check(tmp_path, '[[analysis]]\ntype = "cox"\n', "analysis[1].covariates", "missing")


def test_wrong_value_types(tmp_path: Path) -> None:
    check(
        tmp_path,
        '[[analysis]]\ntype = "km"\nhorizons = 90\n',
        "analysis[1].horizons",
        "expected an array",
    )
    check(
        tmp_path,
        '[[analysis]]\ntype = "km"\nhorizons = ["a"]\n',
        "analysis[1].horizons[1]",
        "expected a number",
    )
    check(
        tmp_path,
        '[[analysis]]\ntype = "cox"\ncovariates = ["age"]\nties = "exact"\n',
        "analysis[1].ties",
        "expected one of efron, breslow",
    )
    check(
        tmp_path,
        '[[analysis]]\ntype = "roc"\nmarkers = ["bili"]\noutcome = { within = "5y" }\n',
        "analysis[1].outcome.within",
        "expected a number",
    )


def test_outcome_needed_without_outcome_table(tmp_path: Path) -> None:
    head = '[data]\npath = "package:pbc/pbc.csv"\n'
    check(tmp_path, '[[analysis]]\ntype = "km"\n', "analysis[1].time", "[outcome].time", head)


def test_duplicate_ids_and_no_analyses(tmp_path: Path) -> None:
    body = '[[analysis]]\ntype = "km"\nid = "a"\n[[analysis]]\ntype = "km"\nid = "a"\n'
    check(tmp_path, body, "analysis[2].id", "duplicate id 'a'")
    check(tmp_path, "", "analysis", "at least one [[analysis]]")


def test_data_file_problems(tmp_path: Path) -> None:
    head = HEAD.replace("package:pbc/pbc.csv", "package:pbc/nothere.csv")
    check(tmp_path, '[[analysis]]\ntype = "km"\n', "data.path", "no bundled file", head)
    head = HEAD.replace("package:pbc/pbc.csv", "missing.csv")
    check(tmp_path, '[[analysis]]\ntype = "km"\n', "data.path", "not found", head)
    head = HEAD.replace("package:pbc/pbc.csv", "demo:n=abc")
    check(tmp_path, '[[analysis]]\ntype = "km"\n', "data.path", "demo data", head)


def test_not_toml(tmp_path: Path) -> None:
    p = tmp_path / "plan.toml"
    p.write_text("title = \n", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid TOML"):
        load_plan(p)


def test_relative_data_path_resolves_against_the_plan_folder(tmp_path: Path) -> None:
    sub = tmp_path / "study"
    sub.mkdir()
    (sub / "cohort.csv").write_text("time,dead,x\n10,1,1\n20,0,2\n30,1,3\n", encoding="utf-8")
    p = sub / "plan.toml"
    p.write_text(
        '[data]\npath = "cohort.csv"\n[outcome]\ntime = "time"\nevent = "dead"\n'
        '[[analysis]]\ntype = "km"\n',
        encoding="utf-8",
    )
    data = prepare_data(load_plan(p))
    assert data.resolved == str(sub / "cohort.csv")
    assert len(data.frame) == 3


def test_filter_rows_are_listed_with_reason(tmp_path: Path) -> None:
    head = HEAD.replace("[data.derive]", '"filter" = "trt notna"\nid = "id"\n[data.derive]')
    data = prepare_data(load_plan(write(tmp_path, '[[analysis]]\ntype = "km"\n', head)))
    assert len(data.frame) == 312
    assert len(data.excluded) == 106
    first = data.excluded[0]
    assert first == {
        "row": 313,
        "id": "313",
        "reason": "filtered out: trt notna is false",
        "stage": "filter",
    }


def test_cause_labels_need_numeric_codes(tmp_path: Path) -> None:
    body = ('[[analysis]]\ntype = "competing"\nstatus = "status"\nevent_code = 2\n'
            'cause_labels = { death = "2" }\n')  # fmt: skip
    check(tmp_path, body, "analysis[1].cause_labels.death", "numeric status code")
    ok = body.replace('{ death = "2" }', '{ 2 = "death", 1 = "transplant" }')
    plan = load_plan(write(tmp_path, ok))
    assert plan.analyses[0].params["cause_labels"] == {"2": "death", "1": "transplant"}


def test_redcap_with_dictionary_and_scores(tmp_path: Path) -> None:
    """A REDCap export read through the plan: headers carry units, score = true adds the
    canonical columns in default units (bilirubin 34.2 umol/L -> 2.0 mg/dL)."""
    examples = Path(__file__).resolve().parents[2] / "examples" / "data"
    p = tmp_path / "plan.toml"
    p.write_text(textwrap.dedent(f"""
        [data]
        path = "{examples / 'redcap_export.csv'}"
        data_dictionary = "{examples / 'redcap_data_dictionary.csv'}"
        score = true
        [data.derive]
        dead = "event == 1"
        log_bili_si = "log(`bilirubin [umol/L]`)"
        [outcome]
        time = "time [days]"
        event = "dead"
        [[analysis]]
        type = "km"
        """), encoding="utf-8")  # fmt: skip
    data = prepare_data(load_plan(p))
    assert data.format == "redcap"
    assert data.id_column == "patient_id"
    row = data.frame.iloc[0]
    assert row["bilirubin [umol/L]"] == 34.2
    assert abs(row["bilirubin"] - 2.0) < 1e-3  # 34.2 umol/L / 17.10 (MW 584.7 g/mol)
    assert data.units["bilirubin"] == "mg/dL"
    assert data.units["log_bili_si"] == "log(umol/L)"
    assert "child_pugh_class" in data.frame.columns


def test_text_covariate_is_refused_before_running(tmp_path: Path) -> None:
    body = '[[analysis]]\ntype = "cox"\ncovariates = ["age", "sex"]\n'
    check(
        tmp_path, body, "analysis[1].covariates[2]", "column 'sex' must be numeric; row 1 has 'f'"
    )
    body = '[[analysis]]\ntype = "roc"\nmarkers = ["sex"]\noutcome = { within = 1825 }\n'
    check(tmp_path, body, "analysis[1].markers[1].column", "column 'sex' must be numeric")


def test_declared_unit_conflicting_with_scoring_is_refused(tmp_path: Path) -> None:
    head = """
    [data]
    path = "demo:n=50,seed=3"
    score = true
    [data.units]
    bilirubin = "umol/L"
    [outcome]
    time = "time"
    event = "event"
    """
    check(tmp_path, '[[analysis]]\ntype = "km"\n', "data.units.bilirubin",
          "'umol/L' differs from 'mg/dL', the unit scoring assumes", head)  # fmt: skip
    ok = prepare_data(load_plan(write(tmp_path, '[[analysis]]\ntype = "km"\n',
                                      head.replace("umol/L", "mg/dL"))))  # fmt: skip
    assert "bilirubin" not in ok.units_assumed and "albumin" in ok.units_assumed


def test_analysis_filter_is_evaluated_before_running(tmp_path: Path) -> None:
    check(tmp_path, '[[analysis]]\ntype = "km"\nfilter = "sex > 1"\n', "analysis[1].filter",
          "compares text with a number")  # fmt: skip


def test_data_shorthand_string(tmp_path: Path) -> None:
    p = tmp_path / "plan.toml"
    p.write_text('data = "demo:n=40,seed=1"\n[outcome]\ntime = "time"\nevent = "event"\n'
                 '[[analysis]]\ntype = "km"\n', encoding="utf-8")  # fmt: skip
    data = prepare_data(load_plan(p))
    assert len(data.frame) == 40 and data.synthetic


def test_binary_outcome_column_must_be_0_1(tmp_path: Path) -> None:
    body = '[[analysis]]\ntype = "logistic"\noutcome = "sex"\ncovariates = ["age"]\n'
    check(tmp_path, body, "analysis[1].outcome", "outcome must be 0/1")


def test_competing_event_code_must_occur(tmp_path: Path) -> None:
    body = '[[analysis]]\ntype = "competing"\nstatus = "status"\nevent_code = 3\n'
    check(
        tmp_path,
        body,
        "analysis[1].event_code",
        "3 does not occur in column 'status' (codes: 0, 1, 2)",
    )
