"""REDCap events pivoted: later events as ``<field>@<event>`` columns and repeating instruments as
``<field>@<event>#<instance>`` columns of the one-row-per-record frame (example files in
``examples/data/``); they pass through normalisation untouched and plan expressions can name
them in backticks."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.analysis.expressions import evaluate, parse
from igfcirrhosis.cohort.io import read_cohort
from igfcirrhosis.cohort.read_result import CohortInputError, CohortRead
from igfcirrhosis.cohort.redcap import read_redcap
from igfcirrhosis.domain.inputs import normalize_frame

M6 = "@month_6_arm_1"


@pytest.fixture
def read(examples: Path) -> CohortRead:
    return read_cohort(
        examples / "redcap_export.csv", data_dictionary=examples / "redcap_data_dictionary.csv"
    )


def test_pivoted_columns_named_and_ordered(read: CohortRead) -> None:
    pivoted = [c for c in read.frame.columns if "@" in c]
    assert pivoted == [
        "hosp_date@baseline_arm_1#1", "hosp_reason@baseline_arm_1#1",
        "hosp_date@baseline_arm_1#2", "hosp_reason@baseline_arm_1#2",
        "bilirubin [umol/L]@month_6_arm_1", "albumin [g/L]@month_6_arm_1", "inr@month_6_arm_1",
        "igf1 [ng/mL]@month_6_arm_1", "ultrasound@month_6_arm_1",
    ]  # fmt: skip
    # fields with no value at month 6 (demographics, the complications checkbox) get no column;
    # the outcome carried into the baseline frame from month 6 is not repeated
    for absent in ("age [years]", "complications", "time [days]", "event"):
        assert absent + M6 not in read.frame.columns
    assert any("pivoted into 9 column(s)" in n for n in read.notes)


def test_values_in_the_right_columns(read: CohortRead) -> None:
    f = read.frame.set_index("patient_id")
    assert f[f"bilirubin [umol/L]{M6}"].loc[["101", "102"]].tolist() == [41.0, 85.5]
    assert f[f"albumin [g/L]{M6}"].loc[["101", "102"]].tolist() == [33.0, 27.0]
    assert f[f"inr{M6}"].loc[["101", "102"]].tolist() == [1.4, 2.0]
    assert f[f"igf1 [ng/mL]{M6}"].loc[["101", "102"]].tolist() == [70.0, 24.0]
    # the baseline columns keep the baseline values
    assert f["igf1 [ng/mL]"].loc[["101", "102"]].tolist() == [82.0, 35.0]
    assert f[f"igf1 [ng/mL]{M6}"].dtype == np.float64
    assert f["hosp_reason@baseline_arm_1#1"].loc["101"] == "variceal bleeding"
    assert f["hosp_reason@baseline_arm_1#2"].loc["101"] == "infection"
    assert f["hosp_date@baseline_arm_1#2"].loc["101"] == "2025-05-20"


def test_records_without_the_event_keep_their_row_with_missing_values(read: CohortRead) -> None:
    f = read.frame.set_index("patient_id")
    assert f.index.tolist() == ["101", "102", "103", "104"]  # nobody dropped
    # 103 has a month-6 row without labs; 104 has no month-6 row at all
    for col in (f"bilirubin [umol/L]{M6}", f"igf1 [ng/mL]{M6}", f"ultrasound{M6}"):
        assert f[col].loc[["103", "104"]].isna().all(), col
    # only 101 had hospitalisations
    assert f["hosp_reason@baseline_arm_1#1"].loc[["102", "103", "104"]].isna().all()


def test_checkbox_collapsed_per_event(read: CohortRead) -> None:
    f = read.frame.set_index("patient_id")
    base, m6 = f["ultrasound"], f[f"ultrasound{M6}"]
    assert base.loc["101"] == "splenomegaly"
    assert m6.loc["101"] == "splenomegaly;focal liver lesion"
    assert pd.isna(base.loc["102"])  # nothing ticked at baseline
    assert m6.loc["102"] == "splenomegaly;portal vein thrombosis"
    assert base.loc["103"] == "splenomegaly;focal liver lesion"
    assert pd.isna(m6.loc["103"]) and pd.isna(m6.loc["104"])
    assert not any(c.startswith("ultrasound___") for c in f.columns)


def test_followup_long_table_is_kept(read: CohortRead) -> None:
    fu = read.followup
    assert len(fu) == 5 and len(fu) + len(read.frame) == 9
    month6 = fu[fu["redcap_event_name"] == "month_6_arm_1"].set_index("patient_id")
    assert month6.loc["102", "ultrasound"] == "splenomegaly;portal vein thrombosis"
    f = read.frame.set_index("patient_id")
    assert f.loc["102", f"igf1 [ng/mL]{M6}"] == month6.loc["102", "igf1 [ng/mL]"]


def test_normalize_frame_passes_pivoted_columns_through(read: CohortRead) -> None:
    """Baseline bilirubin (umol/L) is converted to mg/dL; the month-6 column is not renamed,
    converted or scored (it keeps umol/L, as its header says)."""
    norm = normalize_frame(read.frame)
    pivoted = [c for c in read.frame.columns if "@" in c]
    for col in pivoted:
        assert norm.columns[col] == col
        pd.testing.assert_series_equal(norm.data[col], read.frame[col])
    assert norm.data["bilirubin"].iloc[0] == pytest.approx(2.0, abs=1e-3)  # 34.2 umol/L
    assert norm.data[f"bilirubin [umol/L]{M6}"].iloc[0] == 41.0
    assert "bilirubin" in norm.column_units
    assert norm.issues.empty


def test_plan_expressions_name_pivoted_columns_in_backticks(read: CohortRead) -> None:
    expr = parse(f"`igf1 [ng/mL]{M6}` - `igf1 [ng/mL]` + 0 * notna(`hosp_reason@baseline_arm_1#1`)")
    assert expr.columns == (f"igf1 [ng/mL]{M6}", "igf1 [ng/mL]", "hosp_reason@baseline_arm_1#1")
    cols = {c: read.frame[c].to_numpy(dtype=object) for c in expr.columns}
    cols = {c: v.astype(float) if "igf1" in c else v for c, v in cols.items()}
    change = evaluate(expr, cols, len(read.frame))
    np.testing.assert_array_equal(change[:2], [70.0 - 82.0, 24.0 - 35.0])
    assert np.isnan(change[2:]).all()


def test_plan_derives_from_a_pivoted_column(tmp_path: Path, examples: Path) -> None:
    """End to end through the plan's data step: a derived column from a month-6 column."""
    from igfcirrhosis.analysis.plan import load_plan
    from igfcirrhosis.analysis.runner import prepare_data

    plan = tmp_path / "plan.toml"
    plan.write_text(
        f'[data]\npath = "{examples / "redcap_export.csv"}"\n'
        f'data_dictionary = "{examples / "redcap_data_dictionary.csv"}"\n'
        "[data.derive]\n"
        f'igf1_change = "`igf1 [ng/mL]{M6}` - `igf1 [ng/mL]`"\n'
        '[outcome]\ntime = "time [days]"\nevent = "event"\n'
        '[[analysis]]\ntype = "km"\n',
        encoding="utf-8",
    )
    data = prepare_data(load_plan(plan))
    assert data.frame["igf1_change"].tolist()[:2] == [-12.0, -11.0]
    assert data.frame["igf1_change"].iloc[2:].isna().all()


def test_repeating_instruments_without_events(tmp_path: Path) -> None:
    """A classic (non-longitudinal) project: repeat instances pivot as <field>#<instance>."""
    export = tmp_path / "export.csv"
    export.write_text(
        "record_id,redcap_repeat_instrument,redcap_repeat_instance,age,igf_1\n"
        "1,,,50,\n"
        "1,labs,1,,40\n"
        "1,labs,2,,35\n"
        "2,,,60,\n"
        "2,labs,1,,20\n"
    )
    read = read_redcap(export)
    f = read.frame.set_index("patient_id")
    assert [c for c in f.columns] == ["age", "igf1#1", "igf1#2"]
    assert f["igf1#1"].tolist() == [40.0, 20.0]
    assert f["igf1#2"].loc["1"] == 35.0 and pd.isna(f["igf1#2"].loc["2"])


def test_repeat_instances_sort_numerically(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,age,crp\n"
        "1,baseline_arm_1,,,50,\n"
        "1,baseline_arm_1,visit,10,,3\n"
        "1,baseline_arm_1,visit,2,,4\n"
    )
    f = read_redcap(export).frame
    assert list(f.columns) == ["patient_id", "age", "crp@baseline_arm_1#2", "crp@baseline_arm_1#10"]


def test_duplicate_later_event_is_an_error(tmp_path: Path, examples: Path) -> None:
    lines = (examples / "redcap_export.csv").read_text().splitlines()
    month6 = next(line for line in lines if line.startswith("102,month_6_arm_1"))
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*lines, month6]) + "\n")
    with pytest.raises(
        CohortInputError,
        match=r"row 11, column 'patient_id': record '102' appears twice for the same event "
        r"\('@month_6_arm_1'\)",
    ):
        read_redcap(path, examples / "redcap_data_dictionary.csv")
