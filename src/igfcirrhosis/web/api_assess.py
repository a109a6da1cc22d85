"""``POST /api/v1/assess`` (one patient), ``/validate`` (live per-field check),
``GET /catalog`` and ``POST /score`` (a batch of rows)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from igfcirrhosis.domain.input_errors import InputError
from igfcirrhosis.web.problems import PROBLEM_RESPONSES, ProblemError
from igfcirrhosis.web.schemas import (
    AssessmentOut,
    CatalogField,
    PatientValues,
    ScoreBatchIn,
    ScoreBatchOut,
    ValidationOut,
)

router = APIRouter(prefix="/api/v1", tags=["assess"])
MAX_KEYS = 100


def score_options(cholestatic: str, albi_coefficient: float, meld3_optn: bool) -> Any:
    from igfcirrhosis.domain.score_specs import ScoreOptions

    choice: dict[str, bool | str] = {"auto": "auto", "yes": True, "no": False}
    try:
        return ScoreOptions(cholestatic=choice[cholestatic], albi_coefficient=albi_coefficient,
                            meld3_optn_rules=meld3_optn)
    except ValueError as exc:
        raise ProblemError(422, str(exc), field="albi_coefficient", value=albi_coefficient) from None


def check_values(values: PatientValues) -> None:
    if len(values) > MAX_KEYS:
        raise ProblemError(422, f"{len(values)} keys; at most {MAX_KEYS}", field="body",
                      value=len(values))


def run_assess(values: PatientValues, options: Any = None) -> dict[str, Any]:
    """``assess(values).to_dict()``; unreadable input raises InputError (a 422)."""
    from igfcirrhosis.domain.assessment import assess

    check_values(values)
    return assess(values, options=options).to_dict()


Cholestatic = Query("auto", description="Bilirubin edges 4/10 mg/dL: auto (PBC/PSC), yes, no.")


@router.post("/assess", response_model=AssessmentOut, responses=PROBLEM_RESPONSES)
def post_assess(
    values: Annotated[PatientValues, Body(
        examples=[{"bilirubin": "34 umol/L", "albumin": "28 g/L", "inr": 1.8,
                   "ascites": "mild", "encephalopathy": "none"}])],
    cholestatic: Literal["auto", "yes", "no"] = Cholestatic,
    albi_coefficient: float = Query(-0.085, ge=-0.0852, le=-0.085),
    meld3_optn: bool = Query(True, description="MELD 3.0 with OPTN rules (6-40)."),
) -> JSONResponse:
    """Assess one patient: the same keys as ``igfc assess`` (number in the default unit, or a
    string with its unit). Returns exactly ``assess(...).to_dict()``."""
    opts = score_options(cholestatic, albi_coefficient, meld3_optn)
    return JSONResponse(run_assess(values, opts))


def validate_values(values: PatientValues) -> dict[str, Any]:
    """Each field parsed on its own with ``parse_patient`` so that every field gets its flag."""
    from igfcirrhosis.domain.inputs import parse_patient

    check_values(values)
    out: dict[str, Any] = {}
    warnings: list[str] = []
    for key, raw in values.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            parsed = parse_patient({key: raw})
        except InputError as exc:
            out[key] = {"name": exc.field or key, "raw": raw, "flag": "error",
                        "message": exc.message}
            continue
        for f in parsed.fields.values():  # one field: keyed as the form sent it
            out[key] = f.to_dict()
        warnings.extend(parsed.warnings)
    return {"inputs": out, "warnings": warnings}


@router.post("/validate", response_model=ValidationOut, responses=PROBLEM_RESPONSES)
def post_validate(
    values: Annotated[PatientValues, Body(examples=[{"albumin": 28}])],
) -> JSONResponse:
    """Live validation: per field, whether it can be read, and implausible values flagged with
    the likely unit mistake (``albumin 28 g/dL ... did you mean 28 g/L?``)."""
    return JSONResponse(validate_values(values))


@router.get("/catalog", response_model=list[CatalogField])
def get_catalog() -> list[dict[str, Any]]:
    """Every input field: label, default, SI and conventional units, plausible range."""
    from igfcirrhosis.domain.analytes import catalog

    out = []
    for a in catalog().values():
        out.append({
            "name": a.name, "label": a.label, "kind": a.kind, "default_unit": a.default_unit,
            "si_unit": a.si_unit, "conventional_unit": a.conventional_unit,
            "units": list(a.accepted_units),
            "plausible": None if a.plausible is None else [a.plausible.low, a.plausible.high],
            "categories": [{"code": c.code, "label": c.label} for c in a.categories],
        })
    return out


def _records(frame: Any) -> list[dict[str, Any]]:
    rows = frame.astype(object).to_dict(orient="records")
    return [{str(k): _plain(v) for k, v in r.items()} for r in rows]


def _plain(v: Any) -> Any:
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            return str(v)
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


@router.post("/score", response_model=ScoreBatchOut, responses=PROBLEM_RESPONSES)
def post_score(batch: ScoreBatchIn) -> JSONResponse:
    """Score a batch of rows with the vectorised cohort path (``score_frame``)."""
    import pandas as pd

    from igfcirrhosis.domain.frame_scores import score_frame

    keys = {k for row in batch.rows for k in row}
    if len(keys) > 200:
        raise ProblemError(422, f"{len(keys)} distinct columns; at most 200", field="rows",
                      value=len(keys))
    frame = pd.DataFrame(batch.rows)
    try:
        scored = score_frame(frame)
    except InputError as exc:
        raise ProblemError(422, exc.message, field=exc.field or "rows", value=exc.value) from None
    return JSONResponse({
        "rows": _records(scored.data),
        "summary": _records(scored.summary),
        "issues": _records(scored.normalized.issues),
    })
