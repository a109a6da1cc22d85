"""Pydantic models of the REST API (request bodies and the documented shape of answers)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2_147_483_647
#: A database id in a path (bounded so that no database integer overflows).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

#: One input value: a number in the default unit, a string with its unit ("34 umol/L"),
#: a category/bool spelling, or null (not given).
RawValue = bool | int | float | str | None
PatientValues = dict[str, RawValue]


class AssessmentOut(BaseModel):
    """``assess(...).to_dict()`` (the ``igfc assess --json`` object); returned unchanged."""

    model_config = ConfigDict(extra="allow")
    schema_version: str
    research_use: str
    inputs: dict[str, Any]
    scores: dict[str, Any]
    igf: dict[str, Any]
    options: dict[str, Any]
    warnings: list[str]


class FieldCheck(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    flag: str | None = None
    message: str | None = None


class ValidationOut(BaseModel):
    """Per field: the parsed input (``flag`` implausible/error, ``message``) and warnings."""

    inputs: dict[str, dict[str, Any]]
    warnings: list[str]


class CatalogField(BaseModel):
    name: str
    label: str
    kind: str
    default_unit: str | None
    si_unit: str | None
    conventional_unit: str | None
    units: list[str]
    plausible: list[float] | None
    categories: list[dict[str, Any]]


class ScoreBatchIn(BaseModel):
    """Rows of a cohort (data-dictionary keys; headers may carry units: ``bilirubin [umol/L]``)."""

    rows: list[dict[str, RawValue]] = Field(min_length=1, max_length=10_000)


class ScoreBatchOut(BaseModel):
    rows: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    issues: list[dict[str, Any]]


class EvidenceOut(BaseModel):
    count: int
    entries: list[dict[str, Any]]


class ModelValidationOut(BaseModel):
    """The ``igfc validate-model --json`` object."""

    schema_version: str
    observations: list[dict[str, Any]]
    n_within: int
    n_total: int
    by_kind: dict[str, dict[str, int]]


class ModelChecksOut(BaseModel):
    """``igfc validate-model --checks``: model next to published, no tolerance."""

    count: int
    checks: list[dict[str, Any]]


class ModelParametersOut(BaseModel):
    count: int
    parameters: list[dict[str, Any]]


class SavedAssessmentOut(BaseModel):
    id: int
    patient: str
    taken_at: str
    result: dict[str, Any]


class PatientOut(BaseModel):
    label: str
    n_assessments: int
    last: str | None


class CohortOut(BaseModel):
    id: int
    name: str
    format: str
    n_rows: int
    n_issues: int
    created_at: str
    validation: dict[str, Any] | None = None


class JobIn(BaseModel):
    """An analysis of a stored cohort: the plan as TOML text (from the form or a file)."""

    cohort_id: int = Field(ge=1, le=MAX_ID)
    plan: str = Field(min_length=1, max_length=200_000)
    title: str = Field(default="analysis", max_length=200)


class FitIn(BaseModel):
    """Fit every row of a stored cohort to the model (``igfc fit``, IGF-I, IGFBP-3 and GH)."""

    cohort_id: int = Field(ge=1, le=MAX_ID)
    bootstrap: int = Field(default=0, ge=0, le=20)


class SimulationIn(BaseModel):
    """A scenario: a preset patient state and a regimen; ``population`` > 0 runs a trial.

    ``state = "measured"``: the patient's liver mass and GH-receptor density are fitted to at
    least two of its untreated IGF-I, IGFBP-3 and GH first (igfcirrhosis.model.fitting)."""

    state: Literal["healthy", "child_pugh_a", "child_pugh_b", "child_pugh_c",
                   "measured"] = "child_pugh_b"
    igf1_ng_ml: float | None = Field(default=None, gt=0, le=2000)
    igfbp3_mg_l: float | None = Field(default=None, gt=0, le=20)
    gh_ng_ml: float | None = Field(default=None, gt=0, le=200)
    product: Literal["mecasermin", "rinfabate"] = "mecasermin"
    dose_ug_per_kg: float = Field(default=0.0, ge=0, le=500)
    interval_hours: float = Field(default=12.0, ge=1, le=168)
    days: float = Field(default=30.0, ge=1, le=365)
    population: int = Field(default=0, ge=0, le=200)
    seed: int = Field(default=1, ge=0, le=2**31 - 1)


class JobOut(BaseModel):
    id: int
    kind: str
    title: str
    status: str
    progress: float
    message: str | None
    cohort_id: int | None
    created_at: str
    finished_at: str | None
    files: list[str]
