"""IGF biomarkers: a plain-language interpretation of one patient's IGF-I, IGF-II, IGFBP-3,
ALS and IGF-I/IGFBP-3 molar ratio against age- and sex-specific references (SDS) and against
the cut-offs of the evidence registry, each statement with its source.

The reference tables, SDS and molar ratio are in :mod:`igfcirrhosis.domain.igf_references`
(re-exported here); cut-offs come from the evidence registry
(:mod:`igfcirrhosis.domain.evidence`). Units as there: IGF-I and IGF-II ng/mL, IGFBP-3 mg/L,
ALS nmol/L, ratio mol/mol.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from igfcirrhosis.domain.evidence import EvidenceEntry, Registry, load_registry
from igfcirrhosis.domain.igf_references import (
    ANALYTE_LABELS,
    IGF1_MW_DA,
    IGFBP3_MW_KDA,
    INPUT_UNITS,
    SDS_ANALYTES,
    SEX_WORDS,
    ReferenceTable,
    available_reference_tables,
    bccg_sds,
    default_reference_id,
    igf1_igfbp3_molar_ratio,
    igf_sds,
    in_reference_age_range,
    lms_sds,
    load_reference_table,
    parse_sex,
    reference_table,
    resolve_table,
    unit_factor,
)

__all__ = [
    "IGF1_MW_DA",
    "IGFBP3_MW_KDA",
    "IgfInterpretation",
    "ReferenceTable",
    "Statement",
    "available_reference_tables",
    "bccg_sds",
    "default_reference_id",
    "igf1_igfbp3_molar_ratio",
    "igf_sds",
    "in_reference_age_range",
    "interpret",
    "lms_sds",
    "load_reference_table",
    "reference_table",
]

StatementKind = Literal["sds", "ratio", "cutoff", "missing"]


# --------------------------------------------------------------------------- interpretation
@dataclass(frozen=True)
class Statement:
    """One sentence of the interpretation.

    ``kind``: "sds" (value = SDS, or None if not computable), "ratio" (value = molar ratio),
    "cutoff" (value = the patient's value, compared with a registry cut-off), "missing"
    (the analyte or covariate was not given). ``applies``: for a cut-off, the value is on the
    risk side; for an SDS, it is outside +/-2 SD of the healthy reference; otherwise False.
    """

    analyte: str
    kind: StatementKind
    value: float | None
    unit: str
    text: str
    evidence_id: str | None = None
    reference_id: str | None = None
    applies: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (None for NaN)."""
        value = self.value
        if value is not None and not math.isfinite(value):
            value = None
        return {
            "analyte": self.analyte,
            "kind": self.kind,
            "value": value,
            "unit": self.unit,
            "text": self.text,
            "evidence_id": self.evidence_id,
            "reference_id": self.reference_id,
            "applies": self.applies,
        }


@dataclass(frozen=True)
class IgfInterpretation:
    """What one patient's IGF values mean, statement by statement, with their evidence."""

    statements: tuple[Statement, ...]
    references: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    evidence: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def for_analyte(self, analyte: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.analyte == analyte)

    def evidence_ids(self) -> tuple[str, ...]:
        return tuple(s.evidence_id for s in self.statements if s.evidence_id is not None)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: ``statements``, ``references`` (tables used), ``evidence`` (the registry
        entries cited, by id) and ``caveats``."""
        return {
            "statements": [s.to_dict() for s in self.statements],
            "references": {k: dict(v) for k, v in self.references.items()},
            "evidence": {k: dict(v) for k, v in self.evidence.items()},
            "caveats": list(self.caveats),
        }


def _fmt(x: float) -> str:
    """Compact number for sentences (up to 4 significant digits, no trailing zeros)."""
    return f"{x:.4g}"


_PHRASES: Mapping[str, tuple[str, str]] = {
    "<": ("is below", "is not below"),
    "<=": ("is at or below", "is above"),
    ">": ("is above", "is not above"),
    ">=": ("is at or above", "is below"),
}


def _cutoff_statement(entry: EvidenceEntry, value: float, analyte: str) -> Statement:
    assert entry.cutoff is not None
    converted = value * unit_factor(analyte, entry.unit)
    applies = bool(entry.on_risk_side(converted))
    op = entry.risk_operator
    verb = _PHRASES[op][0 if applies else 1]
    label = ANALYTE_LABELS.get(analyte, analyte)
    parts = [
        f"{label} {_fmt(converted)} {entry.unit} {verb} {_fmt(entry.cutoff)} {entry.unit}"
        f" (risk side: {label} {op} {_fmt(entry.cutoff)} {entry.unit}, for {entry.outcome}).",
        f"In {entry.citation} ({entry.population_short}"
        + (f"; assay: {entry.assay}" if entry.assay else "")
        + f"): {entry.effect}.",
    ]
    if entry.unit_as_printed and entry.unit_as_printed != entry.unit:
        parts.append(
            f"Unit: the source printed '{entry.unit_as_printed}'; this software assumes "
            f"{entry.unit}."
        )
    if entry.verification != "verified-abstract":
        parts.append(f"Verification: {entry.verification}.")
        if entry.notes:
            parts.append(entry.notes)
    parts.append(
        "The cut-off was derived in that population with that assay; it is not validated elsewhere."
    )
    return Statement(
        analyte=analyte,
        kind="cutoff",
        value=value,
        unit=INPUT_UNITS[analyte],
        text=" ".join(parts),
        evidence_id=entry.id,
        applies=applies,
    )


def _sds_statement(
    analyte: str, value: float, age: float, sex: str, table: ReferenceTable
) -> Statement:
    label = ANALYTE_LABELS[analyte]
    unit = INPUT_UNITS[analyte]
    z = float(igf_sds([value], [age], [sex], analyte=analyte, table=table)[0])
    ref = f"reference {table.id} ({table.citation}; {table.assay}; healthy people)"
    if math.isnan(z):
        rng = table.age_range(sex)
        span = f"{_fmt(rng[0])}-{_fmt(rng[1])} years" if rng else "no data for this sex"
        return Statement(
            analyte=analyte,
            kind="sds",
            value=None,
            unit="SD",
            text=(
                f"{label} SDS not computed: age {_fmt(age)} years is outside the range of "
                f"reference {table.id} for {SEX_WORDS[parse_sex(sex, 'sex')]}s ({span})."
            ),
            reference_id=table.id,
        )
    applies = abs(z) > 2
    where = (
        "below the healthy reference range (SDS < -2)"
        if z < -2
        else "above the healthy reference range (SDS > +2)"
        if z > 2
        else "within +/-2 SD of the healthy reference"
    )
    unit_note = (
        f" The table's unit is '{table.unit}'; the value was converted from {unit}."
        if unit_factor(analyte, table.unit) != 1.0
        else ""
    )
    inferred = table.metadata.get("unit_basis", "")
    if inferred.startswith("INFERRED"):
        unit_note += " The table's unit was inferred from its magnitude (see its metadata)."
    text = (
        f"{label} {_fmt(value)} {unit} is SDS {z:+.2f} for a {_fmt(age)}-year-old "
        f"{SEX_WORDS[parse_sex(sex, 'sex')]}, {where}, against {ref}.{unit_note} "
        f"Assays differ: the SDS is valid only if your laboratory's assay agrees with "
        f"{table.metadata.get('assay_short', table.assay)}. The reference comes from healthy people, so in cirrhosis "
        "the SDS shows the deficiency relative to health, not a cirrhosis norm."
    )
    return Statement(
        analyte=analyte,
        kind="sds",
        value=z,
        unit="SD",
        text=text,
        reference_id=table.id,
        applies=applies,
    )


def _scalar(value: float | None, name: str, unit: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name}: {value!r} is not a number; expected {unit}")
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(
            f"{name}: {value!r} is not a valid value; expected a number > 0 in {unit} "
            "(pass None when not measured)"
        )
    return v


def _tables_for(
    reference: ReferenceTable | str | Mapping[str, ReferenceTable | str] | None,
) -> dict[str, ReferenceTable]:
    chosen: dict[str, ReferenceTable | str] = {}
    if isinstance(reference, Mapping):
        unknown = sorted(set(reference) - set(SDS_ANALYTES))
        if unknown:
            raise ValueError(
                f"reference: no SDS for analyte(s) {unknown}; expected keys among "
                f"{list(SDS_ANALYTES)}"
            )
        chosen.update(reference)
    elif reference is not None:
        tab = reference if isinstance(reference, ReferenceTable) else reference_table(reference)
        chosen[tab.analyte] = tab
    out: dict[str, ReferenceTable] = {}
    for analyte in SDS_ANALYTES:
        spec = chosen.get(analyte)
        if spec is None and default_reference_id(analyte) is None:
            continue
        out[analyte] = resolve_table(analyte, spec)
    return out


def interpret(
    *,
    igf1_ng_ml: float | None = None,
    igf2_ng_ml: float | None = None,
    igfbp3_mg_l: float | None = None,
    als_nmol_l: float | None = None,
    age_years: float | None = None,
    sex: str | None = None,
    reference: ReferenceTable | str | Mapping[str, ReferenceTable | str] | None = None,
    registry: Registry | None = None,
) -> IgfInterpretation:
    """Interpret one patient's IGF values: SDS against healthy references, the molar ratio,
    and every literature cut-off in the evidence registry for each analyte given.

    Units: IGF-I and IGF-II ng/mL, IGFBP-3 mg/L (= ug/mL), ALS nmol/L, age in years, sex
    "F"/"M". ``reference``: a table (or id) replacing the default for its analyte, or a
    mapping analyte -> table. A missing analyte yields a "missing" statement.
    """
    reg = registry if registry is not None else load_registry()
    given: dict[str, float | None] = {
        "igf1": _scalar(igf1_ng_ml, "igf1_ng_ml", "ng/mL"),
        "igf2": _scalar(igf2_ng_ml, "igf2_ng_ml", "ng/mL"),
        "igfbp3": _scalar(igfbp3_mg_l, "igfbp3_mg_l", "mg/L"),
        "als": _scalar(als_nmol_l, "als_nmol_l", "nmol/L"),
    }
    age = None
    if age_years is not None:
        if isinstance(age_years, bool) or not isinstance(
            age_years, int | float | np.floating | np.integer
        ):
            raise ValueError(f"age_years: {age_years!r} is not a number; expected years")
        age = float(age_years)
        if not math.isfinite(age) or age < 0:
            raise ValueError(f"age_years: {age_years!r} is not valid; expected years >= 0")
    sex_code = parse_sex(sex, "sex") if sex is not None else None
    tables = _tables_for(reference)
    statements: list[Statement] = []
    used: dict[str, Mapping[str, object]] = {}

    values: dict[str, float] = {k: v for k, v in given.items() if v is not None}
    if "igf1" in values and "igfbp3" in values:
        values["igf1_igfbp3_ratio"] = float(
            igf1_igfbp3_molar_ratio(values["igf1"], values["igfbp3"])
        )
    sds_analytes = [a for a in tables if a in values]
    if sds_analytes:
        labels = ", ".join(ANALYTE_LABELS[a] for a in sds_analytes)
        if age is None:
            statements.append(
                Statement(
                    "age_years",
                    "missing",
                    None,
                    "years",
                    f"Age not given: no SDS computed for {labels}.",
                )
            )
        if sex_code is None:
            statements.append(
                Statement(
                    "sex", "missing", None, "", f"Sex not given: no SDS computed for {labels}."
                )
            )

    for analyte in ("igf1", "igf2", "igfbp3", "als"):
        label = ANALYTE_LABELS[analyte]
        unit = INPUT_UNITS[analyte]
        value = given[analyte]
        if value is None:
            statements.append(
                Statement(
                    analyte, "missing", None, unit, f"{label} not given (expected in {unit})."
                )
            )
            continue
        if analyte in tables and age is not None and sex_code is not None:
            statements.append(_sds_statement(analyte, value, age, sex_code, tables[analyte]))
            used[tables[analyte].id] = tables[analyte].summary()  # also when age is out of range
        elif analyte not in tables:
            statements.append(
                Statement(
                    analyte,
                    "sds",
                    None,
                    "SD",
                    f"{label}: no reference table is shipped, so no SDS is computed.",
                )
            )
        cutoffs = reg.cutoffs(analyte)
        for entry in cutoffs:
            statements.append(_cutoff_statement(entry, value, analyte))
        if not cutoffs:
            related = reg.for_analyte(analyte)
            seen = "; ".join(f"{e.id}: {e.effect}" for e in related)
            statements.append(
                Statement(
                    analyte,
                    "cutoff",
                    value,
                    unit,
                    f"{label} {_fmt(value)} {unit}: the evidence registry holds no validated "
                    f"cut-off for {label}, so no risk statement is made."
                    + (f" Related findings: {seen}." if seen else ""),
                    evidence_id=related[0].id if related else None,
                )
            )

    if "igf1_igfbp3_ratio" in values:
        ratio = values["igf1_igfbp3_ratio"]
        alt = float(igf1_igfbp3_molar_ratio(values["igf1"], values["igfbp3"], igfbp3_mw_kda=30.5))
        statements.append(
            Statement(
                "igf1_igfbp3_ratio",
                "ratio",
                ratio,
                "mol/mol",
                f"IGF-I/IGFBP-3 molar ratio {ratio:.3f} (IGF-I {_fmt(IGF1_MW_DA)} Da, Increlex "
                f"label; IGFBP-3 {_fmt(IGFBP3_MW_KDA)} kDa; with 30.5 kDa it would be "
                f"{alt:.3f}).",
            )
        )
        tab = tables.get("igf1_igfbp3_ratio")
        if tab is not None and age is not None and sex_code is not None:
            statements.append(_sds_statement("igf1_igfbp3_ratio", ratio, age, sex_code, tab))
            used[tab.id] = tab.summary()
        ratio_cutoffs = reg.cutoffs("igf1_igfbp3_ratio")
        for entry in ratio_cutoffs:
            statements.append(_cutoff_statement(entry, ratio, "igf1_igfbp3_ratio"))
        if not ratio_cutoffs:
            statements.append(
                Statement(
                    "igf1_igfbp3_ratio",
                    "cutoff",
                    ratio,
                    "mol/mol",
                    "The evidence registry holds no cut-off for the IGF-I/IGFBP-3 molar ratio in "
                    "cirrhosis, so no risk statement is made.",
                )
            )

    caveats = (
        "Research and decision support only; not a diagnosis.",
        "Inputs assumed in: IGF-I and IGF-II ng/mL, IGFBP-3 mg/L (= ug/mL), ALS nmol/L.",
        "IGF assays differ; literature cut-offs and reference tables apply to the assay and "
        "population they were derived in.",
    )
    cited = {s.evidence_id for s in statements if s.evidence_id is not None}
    evidence = {e.id: e.to_dict() for e in reg.entries if e.id in cited}
    return IgfInterpretation(tuple(statements), used, caveats, evidence)
