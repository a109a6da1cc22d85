"""The parameter table (PEtab-like TSV): id, unit, value, source, status, bounds, IIV, estimate."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

STATUSES = frozenset({"VERIFIED", "UNVERIFIED", "DERIVED", "calibrated"})
COLUMNS = ("id", "unit", "value", "source", "status", "lower", "upper", "iiv_cv", "estimate",
           "description")
#: The table's units and the unit definitions of igf_axis.ant that the SBML export declares.
SBML_UNITS = {"1": "dimensionless", "1/h": "per_hour", "1/(nmol/L)/h": "per_nM_per_hour",
              "nmol/L": "nM", "ng/mL": "ng_per_mL", "L/kg": "litre_per_kg"}


@dataclass(frozen=True)
class Parameter:
    """One model parameter; ``iiv_cv`` is the log-normal between-patient CV (0 = fixed)."""

    id: str
    unit: str
    value: float
    source: str
    status: str
    lower: float
    upper: float
    iiv_cv: float
    estimate: bool
    description: str


def data_dir() -> Path:
    """Directory holding the model's data files (Antimony, parameters, presets, observations)."""
    return Path(str(resources.files("igfcirrhosis") / "data" / "model"))


def packaged_table(name: str) -> list[dict[str, str]]:
    """The rows of a packaged TSV file in :func:`data_dir` (its header line gives the keys)."""
    with (data_dir() / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_parameters(path: Path) -> dict[str, Parameter]:
    """Read and check a parameter TSV; raises ValueError naming the row and column."""
    out: dict[str, Parameter] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {COLUMNS}, got {reader.fieldnames}")
        for n, row in enumerate(reader, start=2):
            try:
                p = Parameter(
                    id=row["id"], unit=row["unit"], value=float(row["value"]),
                    source=row["source"], status=row["status"], lower=float(row["lower"]),
                    upper=float(row["upper"]), iiv_cv=float(row["iiv_cv"]),
                    estimate=row["estimate"] == "1", description=row["description"],
                )
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}: row {n}: {exc}") from exc
            if p.unit not in SBML_UNITS:
                raise ValueError(f"{path}: row {n}: unit {p.unit!r} of {p.id!r} not one of "
                                 f"{sorted(SBML_UNITS)}")
            if p.status not in STATUSES:
                raise ValueError(f"{path}: row {n}: status {p.status!r} not in {sorted(STATUSES)}")
            if not p.lower <= p.value <= p.upper:
                raise ValueError(f"{path}: row {n}: value {p.value} outside [{p.lower}, {p.upper}]")
            if p.id in out:
                raise ValueError(f"{path}: row {n}: duplicate id {p.id!r}")
            out[p.id] = p
    return out


@lru_cache(maxsize=1)
def default_parameters() -> dict[str, Parameter]:
    """The packaged parameter table."""
    return read_parameters(data_dir() / "parameters.tsv")


def nominal_values() -> dict[str, float]:
    """Parameter id -> nominal value."""
    return {k: p.value for k, p in default_parameters().items()}
