"""Cohort scoring on partitions equals score_frame on the whole table: values, notes, summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.distributed import DistributedError, score_parquet
from igfcirrhosis.distributed.scoring import plan_pieces
from igfcirrhosis.domain.frame_scores import score_frame
from igfcirrhosis.domain.input_errors import InputError
from igfcirrhosis.domain.score_specs import SPECS

if TYPE_CHECKING:
    from distributed import Client

N = 3000


def cohort(n: int, seed: int) -> pd.DataFrame:
    """A messy cohort: gaps, SI and conventional units in cells, unreadable and implausible
    values, so that every score has several reasons and rows have input issues."""
    rng = np.random.default_rng(seed)

    def gaps(x: np.ndarray[Any, Any], p: float) -> np.ndarray[Any, Any]:
        x = x.astype(object)
        x[rng.random(n) < p] = None
        return x

    bili = np.round(rng.lognormal(0.3, 0.8, n), 2)
    bili_text = np.where(rng.random(n) < 0.2, [f"{b * 17.1:.1f} umol/L" for b in bili],
                         bili.astype(str)).astype(object)
    bili_text[rng.random(n) < 0.01] = "high"
    bili_text[rng.random(n) < 0.08] = None
    return pd.DataFrame({
        "patient_id": [f"P{i:05d}" for i in range(n)],
        "age": gaps(rng.integers(25, 85, n).astype(float), 0.1),
        "sex": gaps(rng.choice(["F", "M", "female", "x"], n, p=[0.45, 0.45, 0.08, 0.02]), 0.05),
        "etiology": rng.choice(["HCV", "alcohol", "PBC", "PSC", "MASLD"], n),
        "bilirubin": bili_text,
        "albumin [g/L]": gaps(np.round(rng.normal(32, 6, n), 1), 0.05),
        "inr": gaps(np.round(rng.lognormal(0.3, 0.25, n), 2), 0.07),
        "prothrombin_time_prolongation": gaps(np.round(rng.uniform(0, 8, n), 1), 0.4),
        "creatinine": gaps(np.round(rng.lognormal(0.0, 0.5, n), 2), 0.05),
        "sodium": gaps(np.round(rng.normal(135, 5, n)), 0.1),
        "ascites": gaps(rng.choice(["none", "mild", "moderate_severe", "2"], n), 0.05),
        "encephalopathy": gaps(rng.choice(["none", "grade_1_2", "grade_3_4"], n), 0.05),
        "igf1": gaps(np.round(rng.lognormal(4.0, 0.6, n), 1), 0.3),
        "prothrombin_time": gaps(np.round(rng.normal(14, 2, n), 1), 0.3),
        "edema": gaps(rng.choice([0.0, 0.5, 1.0, 0.7], n, p=[0.6, 0.2, 0.15, 0.05]), 0.2),
        "site": rng.choice(["a", "b"], n),
    }).astype({"age": float, "albumin [g/L]": float, "inr": float, "creatinine": float,
               "sodium": float, "igf1": float, "prothrombin_time": float, "edema": float,
               "prothrombin_time_prolongation": float})


def write_dataset(df: pd.DataFrame, root: Path, splits: list[int], row_group: int) -> Path:
    """``df`` as several Parquet files (split at ``splits``) with small row groups."""
    root.mkdir()
    edges = [0, *splits, len(df)]
    for k, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        df.iloc[a:b].to_parquet(root / f"cohort-{k}.parquet", index=False,
                                row_group_size=row_group)
    return root


def reference(df: pd.DataFrame, tmp: Path) -> tuple[pd.DataFrame, Any]:
    """score_frame on the whole table, written and read back as ``igfc score`` would."""
    scored = score_frame(pd.read_parquet(tmp))
    path = tmp.parent / "reference.parquet"
    scored.data.to_parquet(path, index=False)
    return pd.read_parquet(path), scored


def assert_same(out: Path, summary: Any, source: Path) -> None:
    expected, scored = reference(pd.read_parquet(source), source)
    got = pd.read_parquet(out)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(summary.summary, scored.summary)
    assert summary.rows == len(expected)
    assert summary.scored == {s.key: scored.n_scored(s.key) for s in SPECS}


def test_partitions_equal_the_whole_table(tmp_path: Path, dask_client: Client) -> None:
    src = write_dataset(cohort(N, 1), tmp_path / "in", [1100, 1900], row_group=250)
    res = score_parquet(src, tmp_path / "out", client=dask_client, partition_rows=400)
    assert res.partitions == 8  # per file: 1100 rows -> 3, 800 -> 2, 1100 -> 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[0] == "part.00000.parquet"
    assert_same(tmp_path / "out", res, src)
    assert len(res.summary) > 10  # the data really exercise many reasons
    assert res.summary.iloc[-1]["score"] == "(input)"
    assert res.duplicate_ids.empty


def test_same_result_twice_and_on_local_threads(tmp_path: Path, dask_client: Client) -> None:
    src = write_dataset(cohort(1200, 2), tmp_path / "in", [500], row_group=100)
    a = score_parquet(src, tmp_path / "a", client=dask_client, partition_rows=300)
    again = score_parquet(src, tmp_path / "again", client=dask_client, partition_rows=300)
    b = score_parquet(src, tmp_path / "b", partition_rows=170)  # no client: threads
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "again").iterdir())
    for name in names:  # byte-identical files, whichever worker wrote them
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
    assert again.summary.equals(a.summary)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a"), pd.read_parquet(tmp_path / "b"))
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.warnings == b.warnings


def test_duplicates_across_partitions_are_reported_like_one_machine(
    tmp_path: Path, dask_client: Client
) -> None:
    df = cohort(1500, 3)
    ids = df["patient_id"].to_numpy(dtype=object)
    ids[1400] = ids[3]  # across files and partitions
    ids[700] = " P00003"  # same id after stripping, third copy
    ids[11] = ids[10]  # within one partition
    ids[[20, 900]] = "NA"  # missing, not duplicates
    ids[200:210] = "P00200"  # ten copies: the message shows five rows and "..."
    df["patient_id"] = ids
    src = write_dataset(df, tmp_path / "in", [1000], row_group=128)
    res = score_parquet(src, tmp_path / "out", client=dask_client, partition_rows=256)
    assert_same(tmp_path / "out", res, src)
    got = pd.read_parquet(tmp_path / "out")
    assert "appears 3 times (rows 3, 700, 1400)" in got.loc[1400, "score_notes"]
    assert dict(zip(res.duplicate_ids["patient_id"], res.duplicate_ids["rows"], strict=True)) == {
        "P00003": 3, "P00010": 2, "P00200": 10}


def test_duplicates_with_numeric_ids(tmp_path: Path) -> None:
    df = cohort(600, 4)
    df["patient_id"] = np.arange(600)
    df.loc[599, "patient_id"] = 5
    src = write_dataset(df, tmp_path / "in", [300], row_group=64)
    res = score_parquet(src, tmp_path / "out", partition_rows=100)
    assert_same(tmp_path / "out", res, src)
    assert "patient_id 5 appears 2 times (rows 5, 599)" in pd.read_parquet(
        tmp_path / "out").loc[599, "score_notes"]


def test_presence_coded_column_read_as_the_whole_table_reads_it(tmp_path: Path) -> None:
    df = cohort(400, 5)
    df["ascites"] = np.tile([0.0, 1.0, 1.0, np.nan], 100)  # a 0 in every partition
    src = write_dataset(df, tmp_path / "in", [], row_group=50)
    res = score_parquet(src, tmp_path / "out", partition_rows=100)
    assert_same(tmp_path / "out", res, src)
    assert any("0/1" in w for w in res.warnings)


def test_partition_that_would_read_a_column_differently_is_refused(tmp_path: Path) -> None:
    df = cohort(400, 6)
    df["ascites"] = np.where(np.arange(400) < 100, 0.0, 1.0)  # rows 100-399 hold only 1
    src = write_dataset(df, tmp_path / "in", [], row_group=50)
    with pytest.raises(DistributedError, match="'ascites'.*partition starting at row 100"):
        score_parquet(src, tmp_path / "out", partition_rows=100)


def test_plan_pieces_covers_every_row_once(tmp_path: Path) -> None:
    src = write_dataset(cohort(1000, 7), tmp_path / "in", [10, 990], row_group=33)
    pieces, _ = plan_pieces(sorted(str(p) for p in src.iterdir()), 97)
    assert [p.offset for p in pieces] == list(np.cumsum([0] + [p.length for p in pieces][:-1]))
    assert sum(p.length for p in pieces) == 1000 and max(p.length for p in pieces) <= 97


def test_empty_dataset_and_user_mistakes(tmp_path: Path) -> None:
    src = write_dataset(cohort(50, 8).iloc[:0], tmp_path / "in", [], row_group=10)
    res = score_parquet(src, tmp_path / "out")
    assert res.rows == 0 and len(pd.read_parquet(tmp_path / "out")) == 0
    with pytest.raises(DistributedError, match="not an empty directory"):
        score_parquet(src, tmp_path / "out")
    with pytest.raises(DistributedError, match="nowhere: no such file"):
        score_parquet(tmp_path / "nowhere", tmp_path / "o2")
    bad = tmp_path / "bad"
    bad.mkdir()
    cohort(20, 9).to_parquet(bad / "a.parquet", index=False)
    cohort(20, 9).drop(columns="site").to_parquet(bad / "b.parquet", index=False)
    with pytest.raises(DistributedError, match="b.parquet: its columns or types differ"):
        score_parquet(bad, tmp_path / "o3")


def test_unusable_headers_fail_before_any_work(tmp_path: Path) -> None:
    df = cohort(30, 10).rename(columns={"inr": "bili"})  # bili is an alias of bilirubin
    src = write_dataset(df, tmp_path / "in", [], row_group=10)
    with pytest.raises(InputError, match="both mean bilirubin"):
        score_parquet(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()
