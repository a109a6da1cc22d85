"""The evidence registry: literature claims and cut-offs about the IGF system in cirrhosis.

The data live in ``igfcirrhosis/data/evidence.toml`` (one ``[[entry]]`` per claim, each with its
source and how it was verified). This module loads and validates that file; interpretation code
reads every cut-off from here, never from constants in code.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, cast

import numpy as np
import numpy.typing as npt

__all__ = [
    "ALLOWED_ANALYTES",
    "ALLOWED_SECTIONS",
    "ALLOWED_VERIFICATION",
    "EvidenceEntry",
    "EvidenceError",
    "Registry",
    "load_registry",
]

Direction = Literal["below", "above", "none"]
Boundary = Literal["exclusive", "inclusive"]
Verification = Literal["verified-abstract", "as-quoted-by-review", "unit-ambiguous"]

ALLOWED_SECTIONS: frozenset[str] = frozenset({"clinical", "hcc", "ascites", "treatment", "outlook"})
ALLOWED_VERIFICATION: frozenset[str] = frozenset(
    {"verified-abstract", "as-quoted-by-review", "unit-ambiguous"}
)
ALLOWED_DIRECTIONS: frozenset[str] = frozenset({"below", "above", "none"})
ALLOWED_BOUNDARIES: frozenset[str] = frozenset({"exclusive", "inclusive"})
ALLOWED_ANALYTES: frozenset[str] = frozenset(
    {
        "igf1",
        "igf2",
        "igfbp3",
        "als",
        "igf1_igfbp3_ratio",
        "crp",
        "igf1_ascitic_fluid",
        "crp_ascitic_fluid",
        "rhigf1",
        "rhigf1_igfbp3",
        "igf1r",
    }
)

_REQUIRED_TEXT = (
    "id",
    "section",
    "analyte",
    "unit",
    "direction",
    "outcome",
    "effect",
    "population",
    "population_short",
    "assay",
    "citation",
    "review_ref",
    "source",
    "verification",
    "notes",
)
_OPTIONAL_TEXT = ("unit_as_printed", "doi", "pmid", "boundary")
_KNOWN_KEYS = frozenset(_REQUIRED_TEXT + _OPTIONAL_TEXT + ("cutoff",))


class EvidenceError(ValueError):
    """The evidence file is malformed; the message names the entry and the key."""


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One claim from the literature; ``cutoff`` is in ``unit`` (None for qualitative claims)."""

    id: str
    section: str
    analyte: str
    cutoff: float | None
    unit: str
    direction: Direction
    boundary: Boundary | None
    outcome: str
    effect: str
    population: str
    population_short: str
    assay: str
    citation: str
    review_ref: str
    source: str
    verification: Verification
    notes: str
    unit_as_printed: str | None = None
    doi: str | None = None
    pmid: str | None = None

    @property
    def has_cutoff(self) -> bool:
        """True when the entry carries a numeric cut-off."""
        return self.cutoff is not None

    @property
    def risk_operator(self) -> str:
        """The risk side as an operator: '<', '<=', '>', '>=' (e.g. '<' for "IGF-I < 13")."""
        if self.cutoff is None:
            raise ValueError(f"evidence entry {self.id!r} has no cut-off")
        inclusive = self.boundary == "inclusive"
        if self.direction == "below":
            return "<=" if inclusive else "<"
        return ">=" if inclusive else ">"

    def on_risk_side(self, value: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Whether each value (in ``unit``) is on the entry's risk side; NaN gives False.

        ``boundary`` decides the cut-off itself: "exclusive" (e.g. Colombo 2017, IGF-I < 13 ng/mL:
        13.0 is not at risk) or "inclusive" (the cut-off counts as positive).
        """
        if self.cutoff is None:
            raise ValueError(f"evidence entry {self.id!r} has no cut-off")
        x = np.asarray(value, dtype=float)
        op = self.risk_operator
        with np.errstate(invalid="ignore"):
            if op == "<":
                out = x < self.cutoff
            elif op == "<=":
                out = x <= self.cutoff
            elif op == ">":
                out = x > self.cutoff
            else:
                out = x >= self.cutoff
        return np.asarray(out, dtype=np.bool_)

    def to_dict(self) -> dict[str, str | float | None]:
        """A JSON-ready dict of every field (None where absent)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def text_fields(self) -> tuple[str, ...]:
        """All text values of the entry (for searching)."""
        values = (getattr(self, f.name) for f in fields(self))
        return tuple(v for v in values if isinstance(v, str))


class Registry:
    """An immutable, validated collection of :class:`EvidenceEntry`."""

    __slots__ = ("_by_id", "entries", "source")

    def __init__(self, entries: Sequence[EvidenceEntry], source: str = "<memory>") -> None:
        by_id: dict[str, EvidenceEntry] = {}
        for entry in entries:
            if entry.id in by_id:
                raise EvidenceError(f"{source}: duplicate evidence id {entry.id!r}")
            by_id[entry.id] = entry
        self.entries: tuple[EvidenceEntry, ...] = tuple(entries)
        self.source = source
        self._by_id = by_id

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[EvidenceEntry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        """Entry ids in file order."""
        return tuple(self._by_id)

    def get(self, entry_id: str) -> EvidenceEntry:
        """The entry with this id; KeyError naming the id if there is none."""
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise KeyError(f"no evidence entry with id {entry_id!r} in {self.source}") from None

    def for_analyte(self, name: str) -> tuple[EvidenceEntry, ...]:
        """Entries about one analyte (e.g. "igf1"), in file order."""
        return tuple(e for e in self.entries if e.analyte == name)

    def cutoffs(self, name: str) -> tuple[EvidenceEntry, ...]:
        """Entries about one analyte that carry a numeric cut-off."""
        return tuple(e for e in self.for_analyte(name) if e.cutoff is not None)

    def search(self, text: str) -> tuple[EvidenceEntry, ...]:
        """Entries whose text fields contain ``text`` (case-insensitive)."""
        needle = text.casefold()
        return tuple(
            e for e in self.entries if any(needle in v.casefold() for v in e.text_fields())
        )


def _entry_from_mapping(raw: Mapping[str, object], where: str) -> EvidenceEntry:
    label = f"{where} (id {raw.get('id')!r})" if "id" in raw else where
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise EvidenceError(f"{label}: unknown key(s) {', '.join(unknown)}")
    text: dict[str, str] = {}
    for key in _REQUIRED_TEXT:
        if key not in raw:
            raise EvidenceError(f"{label}: missing required key {key!r}")
        value = raw[key]
        if not isinstance(value, str):
            raise EvidenceError(f"{label}: {key!r} must be text, got {value!r}")
        text[key] = value
    optional: dict[str, str | None] = {}
    for key in _OPTIONAL_TEXT:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise EvidenceError(f"{label}: {key!r} must be text, got {value!r}")
        optional[key] = value
    for key in ("id", "effect", "citation", "outcome"):
        if not text[key].strip():
            raise EvidenceError(f"{label}: {key!r} must not be empty")
    if text["section"] not in ALLOWED_SECTIONS:
        raise EvidenceError(
            f"{label}: section {text['section']!r} is not one of {sorted(ALLOWED_SECTIONS)}"
        )
    if text["analyte"] not in ALLOWED_ANALYTES:
        raise EvidenceError(
            f"{label}: analyte {text['analyte']!r} is not one of {sorted(ALLOWED_ANALYTES)}"
        )
    if text["direction"] not in ALLOWED_DIRECTIONS:
        raise EvidenceError(
            f"{label}: direction {text['direction']!r} is not one of {sorted(ALLOWED_DIRECTIONS)}"
        )
    if text["verification"] not in ALLOWED_VERIFICATION:
        raise EvidenceError(
            f"{label}: verification {text['verification']!r} is not one of "
            f"{sorted(ALLOWED_VERIFICATION)}"
        )
    boundary = optional["boundary"]
    raw_cutoff = raw.get("cutoff")
    cutoff: float | None
    if raw_cutoff is None:
        cutoff = None
        if text["direction"] != "none":
            raise EvidenceError(
                f"{label}: direction {text['direction']!r} needs a cut-off; "
                'use direction = "none" for a qualitative finding'
            )
        if boundary is not None:
            raise EvidenceError(f"{label}: 'boundary' is only allowed with a cut-off")
    else:
        if isinstance(raw_cutoff, bool) or not isinstance(raw_cutoff, int | float):
            raise EvidenceError(f"{label}: cutoff must be a number, got {raw_cutoff!r}")
        cutoff = float(raw_cutoff)
        if not math.isfinite(cutoff) or cutoff <= 0:
            raise EvidenceError(f"{label}: cutoff must be a finite number > 0, got {cutoff!r}")
        if text["direction"] == "none":
            raise EvidenceError(f"{label}: a cut-off needs direction 'below' or 'above'")
        if boundary not in ALLOWED_BOUNDARIES:
            raise EvidenceError(
                f"{label}: boundary {boundary!r} is not one of {sorted(ALLOWED_BOUNDARIES)} "
                "(required with a cut-off)"
            )
        if not text["unit"].strip():
            raise EvidenceError(f"{label}: a cut-off needs a unit")
    return EvidenceEntry(
        id=text["id"],
        section=text["section"],
        analyte=text["analyte"],
        cutoff=cutoff,
        unit=text["unit"],
        direction=cast(Direction, text["direction"]),
        boundary=cast(Boundary | None, boundary),
        outcome=text["outcome"],
        effect=text["effect"],
        population=text["population"],
        population_short=text["population_short"],
        assay=text["assay"],
        citation=text["citation"],
        review_ref=text["review_ref"],
        source=text["source"],
        verification=cast(Verification, text["verification"]),
        notes=text["notes"],
        unit_as_printed=optional["unit_as_printed"],
        doi=optional["doi"],
        pmid=optional["pmid"],
    )


def parse_registry(data: Mapping[str, object], source: str = "<memory>") -> Registry:
    """Validate parsed TOML (``{"entry": [...]}``) and build a :class:`Registry`."""
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise EvidenceError(f"{source}: expected a non-empty list of [[entry]] tables")
    entries = []
    for i, raw in enumerate(raw_entries, start=1):
        if not isinstance(raw, dict):
            raise EvidenceError(f"{source}: entry #{i} is not a table")
        entries.append(_entry_from_mapping(raw, f"{source}: entry #{i}"))
    return Registry(entries, source)


@lru_cache(maxsize=1)
def _default_registry() -> Registry:
    ref = resources.files("igfcirrhosis").joinpath("data/evidence.toml")
    return parse_registry(tomllib.loads(ref.read_text(encoding="utf-8")), "evidence.toml")


def load_registry(path: Path | None = None) -> Registry:
    """Load and validate an evidence file; the packaged default is cached."""
    if path is None:
        return _default_registry()
    with Path(path).open("rb") as fh:
        data = tomllib.load(fh)
    return parse_registry(data, str(path))
