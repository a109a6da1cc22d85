"""Which inputs each clinical score needs, and the vectorised scoring of canonical columns.

One patient is a cohort of one: :func:`compute_scores` takes canonical columns (numpy arrays in
the data dictionary's default units, as produced by :mod:`igfcirrhosis.domain.inputs`) and
returns every score with, per row, the inputs it still lacks. The single-patient assessment and
``igfc score`` both go through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from igfcirrhosis.domain import scores
from igfcirrhosis.domain.units import convert

FloatArray = NDArray[np.float64]

#: Etiologies scored with the cholestatic bilirubin edges (Child-Pugh, IGF-CTP) when
#: ``cholestatic="auto"`` (CLINICAL-NOTES.md: PBC, PSC).
CHOLESTATIC_ETIOLOGIES = frozenset({"pbc", "psc"})


@dataclass(frozen=True)
class ScoreSpec:
    """A score's identity and the inputs it needs.

    ``needs`` lists requirements; each requirement is a tuple of alternative columns, any one of
    which suffices (e.g. INR or PT prolongation for Child-Pugh).
    """

    key: str
    name: str
    needs: tuple[tuple[str, ...], ...]
    kind: str  # "points" (integer points + class) or "value"
    unit: str = "points"


SPECS: tuple[ScoreSpec, ...] = (
    ScoreSpec(
        "child_pugh",
        "Child-Pugh",
        (("bilirubin",), ("albumin",), ("inr", "prothrombin_time_prolongation"), ("ascites",),
         ("encephalopathy",)),
        "points",
    ),
    ScoreSpec("meld", "MELD (OPTN 2016)", (("bilirubin",), ("inr",), ("creatinine",)), "value",
              "score 6-40"),
    ScoreSpec("meld_na", "MELD-Na (OPTN 2016; Kim 2008)",
              (("bilirubin",), ("inr",), ("creatinine",), ("sodium",)), "value", "score 6-40"),
    ScoreSpec("meld_3", "MELD 3.0 (Kim 2021)",
              (("bilirubin",), ("inr",), ("creatinine",), ("sodium",), ("albumin",), ("sex",)),
              "value", "score"),
    ScoreSpec("albi", "ALBI (Johnson 2015)", (("bilirubin",), ("albumin",)), "value",
              "score (unitless)"),
    ScoreSpec("igf_ctp", "IGF-CTP (Kaseb 2014)",
              (("igf1",), ("bilirubin",), ("albumin",), ("prothrombin_time_prolongation",)),
              "points"),
    ScoreSpec("mayo_pbc", "Mayo PBC risk score (Dickson 1989)",
              (("bilirubin",), ("albumin",), ("age",), ("prothrombin_time",), ("edema",)),
              "value", "risk score (unitless)"),
)

SPEC_BY_KEY: dict[str, ScoreSpec] = {s.key: s for s in SPECS}


@dataclass(frozen=True)
class ScoreOptions:
    """Convention choices that CLINICAL-NOTES.md leaves open; each is documented and tested.

    ``cholestatic``: "auto" (etiology PBC or PSC), True or False — Child-Pugh and IGF-CTP
    bilirubin edges. ``albi_coefficient``: -0.085 (Johnson 2015 as printed) or -0.0852.
    ``meld3_optn_rules``: OPTN 6-40 range and the under-18 rule (True) or the paper (False).
    ``assume_no_dialysis``: when ``dialysis`` is not given, score MELD as without dialysis and
    say so in a warning (True), or report it missing (False).
    """

    cholestatic: bool | str = "auto"
    albi_coefficient: float = -0.085
    meld3_optn_rules: bool = True
    assume_no_dialysis: bool = True


@dataclass
class ScoreOutcome:
    """One score over n rows: the result object and, per row, which requirements are unmet.

    ``requirements`` are labels ("inr or prothrombin_time_prolongation"); bit ``k`` of
    ``unmet`` is set where requirement ``k`` is missing in that row (vectorised, so a million
    rows cost one pass).
    """

    spec: ScoreSpec
    result: Any
    requirements: tuple[str, ...]
    unmet: NDArray[np.int64]

    @property
    def computed(self) -> NDArray[np.bool_]:
        """True where every requirement is met."""
        return np.asarray(self.unmet == 0, dtype=bool)

    def lacking(self, row: int) -> list[str]:
        """The unmet requirements of one row."""
        bits = int(self.unmet[row])
        return [label for k, label in enumerate(self.requirements) if bits >> k & 1]

    def reason_text(self, bits: int) -> str:
        """The text for one pattern of unmet requirements: "needs a, b"."""
        return "needs " + ", ".join(
            label for k, label in enumerate(self.requirements) if bits >> k & 1)


def _column(data: Mapping[str, Any], name: str, n: int) -> FloatArray:
    if name not in data:
        return np.full(n, np.nan)
    return np.asarray(data[name], dtype=np.float64)


def _present(data: Mapping[str, Any], name: str, n: int) -> NDArray[np.bool_]:
    if name not in data:
        return np.zeros(n, dtype=bool)
    values = data[name]
    arr = np.asarray(values)
    if arr.dtype.kind in "fc":
        return np.asarray(np.logical_not(np.isnan(arr), out=np.empty(arr.shape, dtype=bool)))
    if arr.dtype.kind in "iub":
        return np.ones(n, dtype=bool)
    blank = np.array([None, ""], dtype=object)
    return np.asarray(~np.isin(arr, blank) & (arr == arr), dtype=np.bool_)


def needs(spec: ScoreSpec, options: ScoreOptions) -> tuple[tuple[str, ...], ...]:
    """The inputs ``spec`` needs under ``options`` (dialysis becomes required for the MELD
    family when it may not be assumed absent)."""
    if not options.assume_no_dialysis and spec.key in ("meld", "meld_na", "meld_3"):
        return (*spec.needs, ("dialysis",))
    return spec.needs


def _unmet(
    requirements: tuple[tuple[str, ...], ...], present: Mapping[str, NDArray[np.bool_]], n: int
) -> NDArray[np.int64]:
    bits = np.zeros(n, dtype=np.int64)
    for k, alternatives in enumerate(requirements):
        have = present[alternatives[0]]
        for col in alternatives[1:]:
            have = have | present[col]
        unmet = np.flatnonzero(~have)  # usually a few rows: set bit k there only
        if unmet.size:
            bits[unmet] |= np.int64(1 << k)
    return bits


def cholestatic_flags(data: Mapping[str, Any], n: int, option: bool | str) -> FloatArray:
    """1.0 where the cholestatic bilirubin edges apply, 0.0 where not (per ``option``)."""
    if option is True or option is False:
        return np.full(n, float(option))
    if option != "auto":
        raise ValueError(f"cholestatic = {option!r}: expected 'auto', True or False")
    if "etiology" not in data:
        return np.zeros(n)
    etiology = np.asarray(data["etiology"], dtype=object)
    spellings = [v for e in CHOLESTATIC_ETIOLOGIES for v in (e, e.upper(), e.title())]
    return np.isin(etiology, spellings).astype(np.float64)


def compute_scores(
    data: Mapping[str, Any], n: int, options: ScoreOptions | None = None, *, detail: bool = True
) -> dict[str, ScoreOutcome]:
    """Every score of :data:`SPECS` on ``n`` rows of canonical columns (default units).

    Missing columns count as missing for every row. A score whose inputs are incomplete in a
    row is NaN there, and :meth:`ScoreOutcome.lacking` names what it needs. ``detail=False``
    keeps only each score's value, points and class (a cohort table's columns).
    """
    opts = options or ScoreOptions()
    names = {c for spec in SPECS for alt in needs(spec, opts) for c in alt}
    present = {name: _present(data, name, n) for name in names if name != "sex"}
    col = {name: _column(data, name, n) for name in names if name != "sex"}
    raw_sex = data["sex"] if "sex" in data else np.full(n, None)
    # a pandas str array compares in pyarrow (no million Python strings); NA is neither
    na_value = getattr(getattr(raw_sex, "dtype", None), "na_value", None)
    nan_semantics = isinstance(na_value, float) and na_value != na_value  # "str", not "string"
    sex = (raw_sex if hasattr(raw_sex, "__arrow_array__") and nan_semantics
           else np.asarray(raw_sex, dtype=object))
    is_female = np.asarray(sex == "F", dtype=bool)
    is_male = np.asarray(sex == "M", dtype=bool)
    female = np.where(is_female, 1.0, np.where(is_male, 0.0, np.nan))
    present["sex"] = np.asarray(is_female | is_male, dtype=bool)
    chol = cholestatic_flags(data, n, opts.cholestatic)
    dialysis = _column(data, "dialysis", n)
    if opts.assume_no_dialysis:
        dialysis = np.where(np.isnan(dialysis), 0.0, dialysis)

    bili, alb, inr, cr, na = (col[k] for k in ("bilirubin", "albumin", "inr", "creatinine",
                                                "sodium"))
    results: dict[str, Any] = {
        "child_pugh": scores.child_pugh(
            bilirubin_mg_dl=bili, albumin_g_dl=alb, ascites_points=col["ascites"],
            encephalopathy_points=col["encephalopathy"], inr=inr,
            pt_prolongation_s=col["prothrombin_time_prolongation"], cholestatic=chol,
            detail=detail),
        "meld": scores.meld(bilirubin_mg_dl=bili, inr=inr, creatinine_mg_dl=cr,
                            dialysis=dialysis, detail=detail),
        "meld_na": scores.meld_na(bilirubin_mg_dl=bili, inr=inr, creatinine_mg_dl=cr,
                                  sodium_mmol_l=na, dialysis=dialysis, detail=detail),
        "meld_3": scores.meld_3(bilirubin_mg_dl=bili, inr=inr, creatinine_mg_dl=cr,
                                sodium_mmol_l=na, albumin_g_dl=alb, female=female,
                                dialysis=dialysis, optn_rules=opts.meld3_optn_rules,
                                detail=detail),
        "albi": scores.albi(
            bilirubin_umol_l=convert(bili, "mg/dL", "umol/L", "bilirubin"),
            albumin_g_l=convert(alb, "g/dL", "g/L", "albumin"),
            albumin_coefficient=opts.albi_coefficient),
        "igf_ctp": scores.igf_ctp(igf1_ng_ml=col["igf1"], bilirubin_mg_dl=bili, albumin_g_dl=alb,
                                  pt_prolongation_s=col["prothrombin_time_prolongation"],
                                  cholestatic=chol, detail=detail),
        "mayo_pbc": scores.mayo_pbc(bilirubin_mg_dl=bili, albumin_g_dl=alb, age_years=col["age"],
                                    prothrombin_time_s=col["prothrombin_time"],
                                    edema=col["edema"]),
    }
    outcomes: dict[str, ScoreOutcome] = {}
    for spec in SPECS:
        reqs = needs(spec, opts)
        outcomes[spec.key] = ScoreOutcome(
            spec, results[spec.key], tuple(" or ".join(alt) for alt in reqs),
            _unmet(reqs, present, n))
    return outcomes
