"""``GET /api/v1/evidence``: the evidence registry, searchable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from igfcirrhosis.web.problems import PROBLEM_RESPONSES, ProblemError
from igfcirrhosis.web.schemas import EvidenceOut

router = APIRouter(prefix="/api/v1", tags=["evidence"])


def evidence_entries(q: str | None = None, analyte: str | None = None) -> list[dict[str, Any]]:
    from igfcirrhosis.domain.evidence import load_registry

    reg = load_registry()
    entries = reg.search(q) if q else tuple(reg)
    if analyte:
        entries = tuple(e for e in entries if e.analyte == analyte)
    return [dict(e.to_dict()) for e in entries]


@router.get("/evidence", response_model=EvidenceOut, responses=PROBLEM_RESPONSES)
def get_evidence(q: str | None = Query(None, max_length=200, description="Text to search."),
                 analyte: str | None = Query(None, max_length=40)) -> dict[str, Any]:
    """Evidence entries whose text contains ``q`` (case-insensitive), optionally one analyte."""
    entries = evidence_entries(q, analyte)
    return {"count": len(entries), "entries": entries}


@router.get("/evidence/{entry_id}", responses=PROBLEM_RESPONSES)
def get_evidence_entry(entry_id: str) -> dict[str, Any]:
    """One evidence entry by id."""
    from igfcirrhosis.domain.evidence import load_registry

    reg = load_registry()
    if entry_id not in reg:
        raise ProblemError(404, f"no evidence entry with id {entry_id!r}", field="entry_id",
                      value=entry_id)
    return dict(reg.get(entry_id).to_dict())
