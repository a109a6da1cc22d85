"""Saved assessments: ``POST /api/v1/patients/{label}/assessments`` stores the inputs and
``assess(...).to_dict()``; ``GET`` lists a patient's assessments over time."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from sqlalchemy import func, select

from igfcirrhosis.store.models import Patient, SavedAssessment
from igfcirrhosis.web.api_assess import run_assess
from igfcirrhosis.web.problems import PROBLEM_RESPONSES, ProblemError
from igfcirrhosis.web.schemas import PatientOut, PatientValues, SavedAssessmentOut

router = APIRouter(prefix="/api/v1", tags=["patients"])
LABEL = re.compile(r"^[\w.-]{1,80}$")


def check_label(label: str) -> str:
    if not LABEL.match(label):
        raise ProblemError(422, f"patient label {label!r}: use 1-80 letters, digits, '.', '_' or "
                      "'-' (a pseudonym, not a name)", field="label", value=label)
    return label


def saved_dict(a: SavedAssessment, label: str) -> dict[str, Any]:
    return {"id": a.id, "patient": label, "taken_at": a.taken_at.isoformat(),
            "result": a.result}


def patient_history(request: Request, label: str) -> list[dict[str, Any]]:
    store = request.app.state.store
    with store.session() as s:
        p = s.scalar(select(Patient).where(Patient.label == label))
        if p is None:
            raise ProblemError(404, f"no patient {label!r}", field="label", value=label)
        return [saved_dict(a, label) for a in p.assessments]


@router.get("/patients", response_model=list[PatientOut])
def list_patients(request: Request) -> list[dict[str, Any]]:
    """Patients with their number of saved assessments and the date of the last."""
    store = request.app.state.store
    with store.session() as s:
        rows = s.execute(
            select(Patient.label, func.count(SavedAssessment.id), func.max(SavedAssessment.taken_at))
            .outerjoin(SavedAssessment).group_by(Patient.id).order_by(Patient.label)
        ).all()
    return [{"label": r[0], "n_assessments": r[1],
             "last": None if r[2] is None else r[2].isoformat()} for r in rows]


@router.post("/patients/{label}/assessments", response_model=SavedAssessmentOut,
             status_code=201, responses=PROBLEM_RESPONSES)
def save_assessment(request: Request, label: str,
                    values: Annotated[PatientValues, Body(examples=[{"bilirubin": "34 umol/L"}])],
                    ) -> dict[str, Any]:
    """Assess (as ``POST /assess``) and save the result to the patient (created if new)."""
    check_label(label)
    result = run_assess(values)
    store = request.app.state.store
    with store.session() as s:
        p = s.scalar(select(Patient).where(Patient.label == label))
        if p is None:
            p = Patient(label=label)
            s.add(p)
            s.flush()
        saved = SavedAssessment(patient_id=p.id, inputs=dict(values), result=result)
        s.add(saved)
        s.flush()
        return saved_dict(saved, label)


@router.get("/patients/{label}/assessments", response_model=list[SavedAssessmentOut],
            responses=PROBLEM_RESPONSES)
def list_assessments(request: Request, label: str) -> list[dict[str, Any]]:
    """A patient's saved assessments, oldest first."""
    check_label(label)
    return patient_history(request, label)
