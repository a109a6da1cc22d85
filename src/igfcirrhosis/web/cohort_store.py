"""Read, validate and store an uploaded cohort atomically.

The upload was streamed to ``tmp/``; here it is read and validated (``normalize_frame``), then
in ONE transaction the row is inserted and the file renamed to ``uploads/cohort-<id><ext>``. If
anything fails before the commit, the transaction rolls back and the file is removed: the
database and the uploads folder are as they were.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from igfcirrhosis.store.engine import Store
from igfcirrhosis.store.models import Cohort
from igfcirrhosis.web.problems import ProblemError

MAX_ISSUES_STORED = 5000


def _before_commit(path: Path) -> None:
    """Fault-injection point for tests (a crash between the file move and the commit)."""


def validate_file(path: Path) -> tuple[Any, dict[str, Any]]:
    """Read and validate; returns the frame and the validation summary (JSON-ready)."""
    from igfcirrhosis.cohort.io import read_cohort
    from igfcirrhosis.cohort.read_result import CohortInputError
    from igfcirrhosis.domain.input_errors import InputError
    from igfcirrhosis.domain.inputs import normalize_frame
    from igfcirrhosis.web.api_assess import _records

    try:
        read = read_cohort(path)
        normalized = normalize_frame(read.frame)
    except (CohortInputError, InputError) as exc:
        text = str(exc).replace(str(path), "upload")
        raise ProblemError(422, text, field="body", value=path.suffix) from None
    except (ValueError, KeyError, OSError, UnicodeDecodeError) as exc:
        text = str(exc).replace(str(path), "upload")
        raise ProblemError(422, f"the file could not be read as {path.suffix}: {text}",
                      field="body", value=path.suffix) from None
    issues = normalized.issues
    severity = issues["severity"].value_counts().to_dict() if len(issues) else {}
    summary = {
        "format": read.format,
        "n_rows": len(read.frame),
        "columns": {str(k): str(v) for k, v in normalized.columns.items()},
        "assumed_units": list(normalized.assumed_units),
        "column_units": {str(k): str(v) for k, v in normalized.column_units.items()},
        "warnings": list(normalized.warnings) + list(read.notes),
        "severity": {str(k): int(v) for k, v in severity.items()},
        "issues": _records(issues.head(MAX_ISSUES_STORED)),
        "issues_truncated": len(issues) > MAX_ISSUES_STORED,
        "excluded": _records(read.excluded.head(MAX_ISSUES_STORED)),
    }
    return read.frame, summary


def store_cohort(store: Store, tmp_path: Path, name: str, ext: str) -> dict[str, Any]:
    """Validate ``tmp_path`` and store it (see the module docstring); returns the row."""
    try:
        frame, summary = validate_file(tmp_path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    final: Path | None = None
    try:
        with store.session() as s:
            row = Cohort(name=name, format=summary["format"], stored_name="pending",
                         n_rows=len(frame), n_issues=len(summary["issues"]),
                         validation=summary)
            s.add(row)
            s.flush()
            row.stored_name = f"cohort-{row.id}{ext}"
            final = store.data_dir / "uploads" / row.stored_name
            os.replace(tmp_path, final)
            _before_commit(final)
            s.flush()
            out = cohort_dict(row)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        if final is not None:
            final.unlink(missing_ok=True)
        raise
    return out


def cohort_dict(c: Cohort, with_validation: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "name": c.name, "format": c.format, "n_rows": c.n_rows,
                           "n_issues": c.n_issues, "created_at": c.created_at.isoformat()}
    if with_validation:
        out["validation"] = c.validation
    return out


def cohort_path(store: Store, c: Cohort) -> Path:
    return store.data_dir / "uploads" / c.stored_name


def load_demo(store: Store) -> bool:
    """Store the synthetic demo cohort once (when no cohort named ``demo-cohort.csv`` exists)."""
    from sqlalchemy import select

    with store.session() as s:
        if s.scalar(select(Cohort.id).where(Cohort.name == "demo-cohort.csv")) is not None:
            return False
    from igfcirrhosis.cohort.demo import generate_demo_cohort

    tmp = store.data_dir / "tmp" / f"demo-{os.getpid()}.csv"
    generate_demo_cohort().to_csv(tmp, index=False)
    store_cohort(store, tmp, "demo-cohort.csv", ".csv")
    return True
