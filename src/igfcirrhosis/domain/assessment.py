"""One patient's assessment: every score, the IGF interpretation and the inputs as used.

:func:`assess` is what ``igfc assess`` prints and what ``POST /api/v1/assess`` returns; the
JSON object of :meth:`Assessment.to_dict` follows the command contract of DESIGN.md and is
described by ``schemas/assessment.schema.json``. Keep it stable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from igfcirrhosis import RESEARCH_USE
from igfcirrhosis.domain.analytes import lookup
from igfcirrhosis.domain.biomarkers import IgfInterpretation, ReferenceTable, interpret
from igfcirrhosis.domain.inputs import PatientInput, RawValue, parse_patient
from igfcirrhosis.domain.score_specs import (
    SPECS,
    ScoreOptions,
    ScoreOutcome,
    cholestatic_flags,
    compute_scores,
)
from igfcirrhosis.domain.scores import SOURCES

SCHEMA_VERSION = "1.0"

#: Components shown per point score: (component key in the output, result field, input column).
_POINT_COMPONENTS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "child_pugh": (
        ("bilirubin", "points_bilirubin", ("bilirubin",)),
        ("albumin", "points_albumin", ("albumin",)),
        ("coagulation", "points_coagulation", ("inr", "prothrombin_time_prolongation")),
        ("ascites", "points_ascites", ("ascites",)),
        ("encephalopathy", "points_encephalopathy", ("encephalopathy",)),
    ),
    "igf_ctp": (
        ("igf1", "points_igf1", ("igf1",)),
        ("bilirubin", "points_bilirubin", ("bilirubin",)),
        ("albumin", "points_albumin", ("albumin",)),
        ("prothrombin_time_prolongation", "points_pt", ("prothrombin_time_prolongation",)),
    ),
}

#: Canonical input columns shown as the components of each value score.
_VALUE_COMPONENTS: dict[str, tuple[str, ...]] = {
    "meld": ("bilirubin", "inr", "creatinine", "dialysis"),
    "meld_na": ("bilirubin", "inr", "creatinine", "sodium", "dialysis"),
    "meld_3": ("bilirubin", "inr", "creatinine", "sodium", "albumin", "sex", "dialysis"),
    "albi": ("bilirubin", "albumin"),
    "mayo_pbc": ("bilirubin", "albumin", "age", "prothrombin_time", "edema"),
}


def _clean(x: Any) -> Any:
    """numpy scalar / NaN -> plain Python / None."""
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return int(x)
    return x


def _first(arr: Any) -> Any:
    return _clean(np.asarray(arr).reshape(-1)[0])


@dataclass(frozen=True)
class Assessment:
    """The assessment of one patient; :meth:`to_dict` is the DESIGN.md ``assess`` contract."""

    patient: PatientInput
    outcomes: dict[str, ScoreOutcome]
    igf: IgfInterpretation
    options: ScoreOptions
    warnings: list[str] = field(default_factory=list)

    def _input_text(self, name: str) -> dict[str, Any]:
        """The canonical value used (data-dictionary default unit), or None."""
        f = self.patient.fields.get(name)
        analyte = lookup(name)
        unit = analyte.default_unit if analyte is not None and analyte.is_numeric else None
        return {"value": None if f is None else _clean(f.value), "unit": unit}

    def _input_dict(self, name: str) -> dict[str, Any]:
        """FieldInput.to_dict() plus ``unit``: the unit of ``value`` (the data-dictionary
        default; None for categories, whose ``value`` is a code such as points 1-3)."""
        out = self.patient.fields[name].to_dict()
        out["unit"] = self._input_text(name)["unit"]
        return out

    def _why_missing(self, lacking: list[str]) -> list[str]:
        notes = []
        for need in lacking:
            for name in need.split(" or "):
                f = self.patient.fields.get(name)
                if f is not None and f.flag == "implausible":
                    notes.append(f"{name} was flagged implausible and is not scored: {f.message}")
        return notes

    def score_dict(self, key: str) -> dict[str, Any]:
        """One score as its contract object (``points``/``value``, class, components, source,
        ``missing``)."""
        outcome = self.outcomes[key]
        spec = outcome.spec
        res = outcome.result
        lacking = outcome.lacking(0)
        out: dict[str, Any] = {"name": spec.name}
        if spec.kind == "points":
            out["points"] = None if lacking else _first(res.points)
            out["class"] = None if lacking else _first(res.grade)
            out["components"] = {
                comp: {"points": _first(getattr(res, fld)),
                       **self._coag_input(cols)}
                for comp, fld, cols in _POINT_COMPONENTS[key]
            }
        else:
            out["value"] = None if lacking else _first(res.value)
            out["unit"] = spec.unit
            if key == "albi":
                out["grade"] = None if lacking else _first(res.grade)
            if hasattr(res, "unrounded"):
                out["unrounded"] = None if lacking else _first(res.unrounded)
            out["components"] = {c: self._input_text(c) for c in _VALUE_COMPONENTS[key]}
        out["source"] = SOURCES[key]
        out["missing"] = list(lacking)
        if lacking:
            out["not_computed"] = (
                f"{spec.name} needs " + ", ".join(lacking) + "; it is not computed."
            )
            out["notes"] = self._why_missing(lacking)
        return out

    def _coag_input(self, cols: tuple[str, ...]) -> dict[str, Any]:
        for c in cols:
            f = self.patient.fields.get(c)
            if f is not None and isinstance(f.value, float) and not math.isnan(f.value):
                return {"input": c, **self._input_text(c)}
        return {"input": cols[0], "value": None, "unit": None}

    def _igf_dict(self) -> dict[str, Any]:
        """The interpretation; an analyte flagged implausible says so instead of "not given"."""
        d = self.igf.to_dict()
        statements: list[dict[str, Any]] = d["statements"]  # type: ignore[assignment]
        for st in statements:
            f = self.patient.fields.get(st["analyte"])
            if st["kind"] == "missing" and f is not None and f.flag == "implausible":
                st["text"] = f"{f.message}; it is not interpreted."
        return d

    def to_dict(self) -> dict[str, Any]:
        """The ``igfc assess --json`` / ``POST /api/v1/assess`` object (JSON-ready, no NaN)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "research_use": RESEARCH_USE,
            "inputs": {k: self._input_dict(k) for k in self.patient.fields},
            "scores": {spec.key: self.score_dict(spec.key) for spec in SPECS},
            "igf": self._igf_dict(),
            "options": {
                "cholestatic": self.options.cholestatic,
                "albi_coefficient": self.options.albi_coefficient,
                "meld3_optn_rules": self.options.meld3_optn_rules,
                "assume_no_dialysis": self.options.assume_no_dialysis,
            },
            "warnings": list(self.warnings),
        }


def _num(patient: PatientInput, name: str) -> float | None:
    v = patient.values.get(name)
    if isinstance(v, float) and not math.isnan(v):
        return v
    return None


def assess(
    values: Mapping[str, RawValue],
    *,
    options: ScoreOptions | None = None,
    reference: ReferenceTable | str | Mapping[str, ReferenceTable | str] | None = None,
    molecular_weights: Mapping[str, float] | None = None,
) -> Assessment:
    """Assess one patient from ``KEY=VALUE`` inputs (data-dictionary names; values are numbers
    in the default unit or strings with their unit, e.g. ``"34 umol/L"``).

    Raises :class:`igfcirrhosis.domain.input_errors.InputError` for input that cannot be read
    (unknown key, non-number, wrong unit, INR <= 0). Implausible values are flagged and not
    scored; a score whose inputs are incomplete is not computed and names what it needs.
    """
    opts = options or ScoreOptions()
    patient = parse_patient(values, molecular_weights=molecular_weights)
    columns = {k: np.array([v], dtype=object if isinstance(v, str) else np.float64)
               for k, v in patient.values.items()}
    outcomes = compute_scores(columns, 1, opts)
    warnings = list(patient.warnings)
    meld_scored = any(bool(outcomes[k].computed[0]) for k in ("meld", "meld_na", "meld_3"))
    if opts.assume_no_dialysis and meld_scored and _num(patient, "dialysis") is None:
        warnings.append(
            "dialysis not given: MELD, MELD-Na and MELD 3.0 assume no dialysis in the past week "
            "(pass dialysis=yes if >= 2 dialyses or 24 h CVVHD)"
        )
    if cholestatic_flags(columns, 1, opts.cholestatic)[0] == 1.0:
        warnings.append(
            "cholestatic disease (PBC/PSC): Child-Pugh and IGF-CTP use the bilirubin edges "
            "4 / 10 mg/dL"
        )
    sex = patient.values.get("sex")
    igf = interpret(
        igf1_ng_ml=_num(patient, "igf1"),
        igf2_ng_ml=_num(patient, "igf2"),
        igfbp3_mg_l=_num(patient, "igfbp3"),
        als_nmol_l=_num(patient, "als"),
        age_years=_num(patient, "age"),
        sex=sex if isinstance(sex, str) else None,
        reference=reference,
    )
    return Assessment(patient, outcomes, igf, opts, warnings)
