"""``GET /api/v1/model/validation`` (the ``igfc validate-model --json`` document),
``/api/v1/model/checks`` (the checks outside the table), ``/api/v1/model/figure.svg`` (both
drawn), ``/api/v1/model/parameters`` (the parameter table) and ``/api/v1/model/sbml`` (SBML
Level 3).

The validation table and the checks are computed once per process (about a second of
simulation each; the model and its parameters are packaged, so the answer cannot change while
the server runs).
"""

from __future__ import annotations

import copy
import threading
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from igfcirrhosis.web.problems import PROBLEM_RESPONSES
from igfcirrhosis.web.schemas import ModelChecksOut, ModelParametersOut, ModelValidationOut

router = APIRouter(prefix="/api/v1/model", tags=["model"])
_LOCK = threading.Lock()
_REPORT: dict[str, Any] = {}
_CHECKS: list[dict[str, Any]] = []
_FIGURE: list[bytes] = []


def validation_document() -> dict[str, Any]:
    """The validation report, computed on first use (one RoadRunner, under a lock)."""
    with _LOCK:
        if not _REPORT:
            from igfcirrhosis.model.validation import validation_report, validation_table

            _REPORT.update(validation_report(validation_table()))
        return copy.deepcopy(_REPORT)


def checks_rows() -> list[dict[str, Any]]:
    """The checks outside the validation table (``igfc validate-model --checks``), computed on
    first use."""
    with _LOCK:
        if not _CHECKS:
            from igfcirrhosis.model.checks import checks_table

            _CHECKS.extend(checks_table())
        return copy.deepcopy(_CHECKS)


def validation_svg() -> bytes:
    """The validation table and the checks drawn as SVG (``igfc validate-model --checks --plot
    F.svg``), drawn on first use."""
    report, checks = validation_document(), checks_rows()
    with _LOCK:
        if not _FIGURE:
            from igfcirrhosis.model.validation_plot import figure_svg, validation_figure

            _FIGURE.append(figure_svg(validation_figure(report["observations"], checks)))
        return _FIGURE[0]


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


@router.get("/checks", response_model=ModelChecksOut, responses=PROBLEM_RESPONSES)
def get_checks() -> dict[str, Any]:
    """Published experiments the model was not tuned on (GH and GH-receptor deficiency,
    repeated dosing, iv pharmacokinetics, Guler's infusion and tracer): model next to published
    with the ratio, no tolerance and no pass/fail (checks.tsv)."""
    rows = checks_rows()
    return {"count": len(rows), "checks": rows}


@router.get("/figure.svg",
            responses={200: {"content": {"image/svg+xml": {}}}, **PROBLEM_RESPONSES})
def get_figure() -> Response:
    """The validation table on each row's tolerance scale (0 = lower bound, 1 = upper) and the
    checks as model / published on a log scale, as SVG (the web Model page shows it)."""
    return Response(validation_svg(), media_type="image/svg+xml")


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
