"""Cohorts: upload (the file as the request body), list, validation row by row, and scored
exports (CSV/Excel, formula injection neutralised)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import select

from igfcirrhosis.store.engine import Store
from igfcirrhosis.store.models import Cohort
from igfcirrhosis.web.cohort_store import cohort_dict, cohort_path, store_cohort
from igfcirrhosis.web.files import (
    display_name,
    frame_csv,
    frame_xlsx,
    receive_upload,
    upload_extension,
)
from igfcirrhosis.web.problems import PROBLEM_RESPONSES, ProblemError
from igfcirrhosis.web.schemas import CohortOut, Id

router = APIRouter(prefix="/api/v1", tags=["cohorts"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string",
                                                             "format": "binary"}}},
    }
}


@router.get("/cohorts", response_model=list[CohortOut])
def list_cohorts(request: Request) -> list[dict[str, Any]]:
    """Stored cohorts, newest first."""
    with request.app.state.store.session() as s:
        return [cohort_dict(c) for c in s.scalars(select(Cohort).order_by(Cohort.id.desc()))]


@router.post("/cohorts", response_model=CohortOut, status_code=201,
             responses=PROBLEM_RESPONSES, openapi_extra=UPLOAD_BODY)
async def upload_cohort(
    request: Request,
    filename: str = Query(..., min_length=1, max_length=255,
                          description="The file's name; only its extension is used."),
) -> dict[str, Any]:
    """Upload a cohort file (CSV, TSV, Parquet, Excel, REDCap CSV, FHIR JSON/NDJSON) as the
    raw request body. It is validated and stored atomically under a server-chosen name."""
    ext = upload_extension(filename)
    settings = request.app.state.settings
    store = request.app.state.store
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > settings.max_upload_bytes:
        raise ProblemError(413, f"upload of {length} bytes is larger than the limit of "
                      f"{settings.max_upload_bytes} bytes", field="body", value=int(length))
    tmp = await receive_upload(request.stream(), store.data_dir / "tmp", ext,
                               settings.max_upload_bytes)
    return await run_in_threadpool(store_cohort, store, tmp, display_name(filename), ext)


def get_cohort_row(request: Request, cohort_id: Id) -> Cohort:
    store: Store = request.app.state.store
    with store.session() as s:
        c = s.get(Cohort, cohort_id)
        if c is None:
            raise ProblemError(404, f"no cohort {cohort_id}", field="cohort_id", value=cohort_id)
        s.expunge(c)
        return c


@router.get("/cohorts/{cohort_id}", response_model=CohortOut, responses=PROBLEM_RESPONSES)
def get_cohort(request: Request, cohort_id: Id) -> dict[str, Any]:
    """A cohort with its validation: issues row by row (``normalize_frame``), units assumed,
    rows excluded by the reader."""
    return cohort_dict(get_cohort_row(request, cohort_id), with_validation=True)


def scored_frame(request: Request, cohort_id: Id) -> Any:
    from igfcirrhosis.cohort.io import read_cohort
    from igfcirrhosis.domain.frame_scores import score_frame

    c = get_cohort_row(request, cohort_id)
    read = read_cohort(cohort_path(request.app.state.store, c))
    return score_frame(read.frame).data


@router.get("/cohorts/{cohort_id}/scored.csv", responses=PROBLEM_RESPONSES,
            response_class=Response)
def scored_csv(request: Request, cohort_id: Id) -> Response:
    """The cohort with every score appended, as CSV (formula-like cells prefixed with ')."""
    return Response(frame_csv(scored_frame(request, cohort_id)), media_type="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="cohort-{cohort_id}-scored.csv"'})


@router.get("/cohorts/{cohort_id}/scored.xlsx", responses=PROBLEM_RESPONSES,
            response_class=Response)
def scored_xlsx(request: Request, cohort_id: Id) -> Response:
    """The cohort with every score appended, as Excel (formula-like cells prefixed with ')."""
    return Response(
        frame_xlsx(scored_frame(request, cohort_id)),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="cohort-{cohort_id}-scored.xlsx"'})


@router.get("/cohorts/{cohort_id}/issues.csv", responses=PROBLEM_RESPONSES,
            response_class=Response)
def issues_csv(request: Request, cohort_id: Id) -> Response:
    """The validation issues as CSV (formula-like cells prefixed with ')."""
    import pandas as pd

    c = get_cohort_row(request, cohort_id)
    frame = pd.DataFrame(c.validation.get("issues", []),
                         columns=["row", "patient_id", "column", "value", "severity", "message"])
    return Response(frame_csv(frame), media_type="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="cohort-{cohort_id}-issues.csv"'})
