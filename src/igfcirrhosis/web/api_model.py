"""``GET /api/v1/model/validation`` (the ``igfc validate-model --json`` document),
``/api/v1/model/parameters`` (the parameter table) and ``/api/v1/model/sbml`` (SBML Level 3).

The validation table is computed once per process (about a second of simulation; the model and
its parameters are packaged, so the answer cannot change while the server runs).
"""

from __future__ import annotations

import copy
import threading
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from igfcirrhosis.web.problems import PROBLEM_RESPONSES
from igfcirrhosis.web.schemas import ModelParametersOut, ModelValidationOut

router = APIRouter(prefix="/api/v1/model", tags=["model"])
_LOCK = threading.Lock()
_REPORT: dict[str, Any] = {}


def validation_document() -> dict[str, Any]:
    """The validation report, computed on first use (one RoadRunner, under a lock)."""
    with _LOCK:
        if not _REPORT:
            from igfcirrhosis.model.validation import validation_report, validation_table

            _REPORT.update(validation_report(validation_table()))
        return copy.deepcopy(_REPORT)


def parameter_rows() -> list[dict[str, Any]]:
    """The model's parameter table (parameters.tsv), one dict per parameter."""
    from igfcirrhosis.model.parameters import default_parameters

    return [asdict(p) for p in default_parameters().values()]


@router.get("/validation", response_model=ModelValidationOut, responses=PROBLEM_RESPONSES)
def get_validation() -> dict[str, Any]:
    """Published observations vs the model: expected range, simulated value, within or not,
    and whether the row is an independent prediction, a calibration target or true by
    construction (the ``igfc validate-model --json`` object)."""
    return validation_document()


@router.get("/parameters", response_model=ModelParametersOut, responses=PROBLEM_RESPONSES)
def get_parameters() -> dict[str, Any]:
    """Every model parameter with unit, value, source, status, bounds and between-patient CV."""
    rows = parameter_rows()
    return {"count": len(rows), "parameters": rows}


@router.get("/sbml", responses={200: {"content": {"application/xml": {}}}, **PROBLEM_RESPONSES})
def get_sbml() -> Response:
    """The model as SBML Level 3 (the ``igfc export-sbml`` file; opens in COPASI, tellurium)."""
    from igfcirrhosis.model.sbml import sbml_string

    return Response(sbml_string(), media_type="application/xml", headers={
        "Content-Disposition": 'attachment; filename="igf_axis.xml"'})
