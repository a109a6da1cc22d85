"""Delimited files whose shape does not match their header are refused, never misread."""

from __future__ import annotations

from pathlib import Path

import pytest

from igfcirrhosis.cohort.io import read_cohort
from igfcirrhosis.cohort.read_result import CohortInputError


def test_semicolon_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    """Reviewer finding: '1;1,2;3,4' used to come out as silently shifted data."""
    path = tmp_path / "semi.csv"
    path.write_text("a;b;c\n1;1,2;3,4\n")
    with pytest.raises(CohortInputError, match="semicolon"):
        read_cohort(path)


def test_row_with_more_fields_than_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("bilirubin,albumin\n1.2,3.4\n2,3,4\n")
    with pytest.raises(CohortInputError, match="line 3"):
        read_cohort(path)


def test_regular_file_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("bilirubin,albumin\n1.2,3.4\n2.0,3.0\n")
    assert read_cohort(path).frame.shape == (2, 2)
