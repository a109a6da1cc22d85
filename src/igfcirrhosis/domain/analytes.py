"""The analyte catalog: the data dictionary's columns with LOINC, UCUM, units, molecular weights,
plausible and typical ranges and category spellings.

The numbers live in ``data/analytes.toml`` (each with its source); this module only reads them.
``catalog()`` is cached; ``resolve("bili")`` maps an alias to its :class:`Analyte`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal, cast

Kind = Literal["quantity", "category", "bool", "id", "text", "time", "event"]
Sign = Literal["nonnegative", "positive", "any"]

KINDS: frozenset[str] = frozenset({"quantity", "category", "bool", "id", "text", "time", "event"})

_KEY_SEPARATORS = re.compile(r"[\s\-.]+")
_SPELLING_SEPARATORS = re.compile(r"[\s\-/]+")

#: Spellings accepted for every ``bool`` column (the brief: true/false/yes/no/1/0/y/n).
BOOL_SPELLINGS: Mapping[str, float] = MappingProxyType(
    {
        "true": 1.0, "yes": 1.0, "y": 1.0, "1": 1.0, "1.0": 1.0, "present": 1.0,
        "false": 0.0, "no": 0.0, "n": 0.0, "0": 0.0, "0.0": 0.0, "absent": 0.0,
    }
)  # fmt: skip


def normalize_key(name: str) -> str:
    """Header/key form used for alias matching: lower case, runs of space/'-'/'.' become '_'."""
    return _KEY_SEPARATORS.sub("_", name.strip().lower()).strip("_")


def normalize_spelling(text: str) -> str:
    """Category spelling form: lower case, runs of space/'-'/'/' become '_' ("grade 1-2")."""
    return _SPELLING_SEPARATORS.sub("_", text.strip().lower()).strip("_")


@dataclass(frozen=True, slots=True)
class Range:
    """A closed interval ``[low, high]`` in the analyte's default unit, with its source."""

    low: float
    high: float
    source: str

    def __str__(self) -> str:
        return f"{self.low:g}\u2013{self.high:g}"


@dataclass(frozen=True, slots=True)
class Category:
    """One level of a category: its canonical ``code``, a ``label`` and accepted spellings."""

    code: float | str
    label: str
    spellings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Equivalent:
    """An assay- or valence-specific unit: 1 ``<key unit>`` = ``factor`` ``unit``."""

    unit: str
    factor: float
    source: str


@dataclass(frozen=True, slots=True)
class Analyte:
    """One column of the data dictionary. Ranges are in ``default_unit``; MW in g/mol."""

    name: str
    label: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    loinc: str | None = None
    loinc_si: str | None = None
    default_unit: str | None = None
    ucum: str | None = None
    si_unit: str | None = None
    conventional_unit: str | None = None
    units: tuple[str, ...] = ()
    molecular_weight: float | None = None
    molecular_weight_source: str | None = None
    molecular_weight_alternative: float | None = None
    sign: Sign = "any"
    plausible: Range | None = None
    typical: Range | None = None
    categories: tuple[Category, ...] = ()
    open_categories: bool = False
    equivalents: Mapping[str, Equivalent] = field(default_factory=dict)

    @property
    def is_numeric(self) -> bool:
        """True for kinds whose canonical value is a float carrying a unit (quantity, time)."""
        return self.kind in ("quantity", "time")

    @property
    def has_unit(self) -> bool:
        """True when the analyte carries a physical unit (not a dimensionless ratio)."""
        return self.is_numeric and self.default_unit not in (None, "1")

    @property
    def accepted_units(self) -> tuple[str, ...]:
        """Default, SI, conventional and further units, without duplicates, default first."""
        seq = [self.default_unit, self.si_unit, self.conventional_unit, *self.units]
        seq += list(self.equivalents)
        out: list[str] = []
        for unit in seq:
            if unit is not None and unit not in out:
                out.append(unit)
        return tuple(out)

    @property
    def has_toggle(self) -> bool:
        """True when SI and conventional units differ (the UI's SI/conventional toggle)."""
        return (
            self.si_unit is not None
            and self.conventional_unit is not None
            and self.si_unit != self.conventional_unit
        )

    def spellings(self) -> dict[str, float | str]:
        """Normalised spelling -> canonical code, for category, bool and event kinds."""
        out: dict[str, float | str] = {}
        if self.kind == "bool":
            out.update(BOOL_SPELLINGS)
        for cat in self.categories:
            for spelling in cat.spellings:
                out[normalize_spelling(spelling)] = cat.code
            out[normalize_spelling(cat.label)] = cat.code
            if isinstance(cat.code, str):
                out[normalize_spelling(cat.code)] = cat.code
        return out

    def numeric_codes(self) -> frozenset[float]:
        """Codes a number may take directly (ascites 1/2/3, edema 0/0.5/1, bool/event 0/1)."""
        if self.kind in ("bool", "event"):
            return frozenset({0.0, 1.0})
        return frozenset(c.code for c in self.categories if isinstance(c.code, float))

    def accepted_values_text(self) -> str:
        """Human-readable list of accepted values for error messages."""
        if self.kind == "bool":
            return "true/false, yes/no, y/n, 1/0"
        parts = []
        for cat in self.categories:
            code = f"{cat.code:g}" if isinstance(cat.code, float) else cat.code
            parts.append(f"{code} ({cat.label})" if code != cat.label else code)
        return ", ".join(parts)


def _range(spec: Mapping[str, Any], key: str) -> Range | None:
    if key not in spec:
        return None
    low, high = spec[key]
    source = spec.get(f"{key}_source")
    if not source:
        raise ValueError(f"analytes.toml: {key} range without {key}_source")
    return Range(float(low), float(high), str(source))


def _analyte(name: str, spec: Mapping[str, Any]) -> Analyte:
    kind = spec["kind"]
    if kind not in KINDS:
        raise ValueError(f"analytes.toml: {name}: unknown kind {kind!r}")
    categories = tuple(
        Category(
            code=float(c["code"]) if isinstance(c["code"], int | float) else str(c["code"]),
            label=str(c["label"]),
            spellings=tuple(str(s) for s in c.get("spellings", ())),
        )
        for c in spec.get("categories", ())
    )
    equivalents = {
        unit: Equivalent(str(e["unit"]), float(e["factor"]), str(e["source"]))
        for unit, e in spec.get("equivalents", {}).items()
    }
    mw = spec.get("molecular_weight")
    if mw is not None and not spec.get("molecular_weight_source"):
        raise ValueError(f"analytes.toml: {name}: molecular_weight without a source")
    alt = spec.get("molecular_weight_alternative")
    return Analyte(
        name=name,
        label=str(spec.get("label", name)),
        kind=cast(Kind, kind),
        aliases=tuple(normalize_key(a) for a in spec.get("aliases", ())),
        loinc=spec.get("loinc"),
        loinc_si=spec.get("loinc_si"),
        default_unit=spec.get("default_unit"),
        ucum=spec.get("ucum"),
        si_unit=spec.get("si_unit"),
        conventional_unit=spec.get("conventional_unit"),
        units=tuple(spec.get("units", ())),
        molecular_weight=None if mw is None else float(mw),
        molecular_weight_source=spec.get("molecular_weight_source"),
        molecular_weight_alternative=None if alt is None else float(alt),
        sign=cast(Sign, spec.get("sign", "any")),
        plausible=_range(spec, "plausible"),
        typical=_range(spec, "typical"),
        categories=categories,
        open_categories=bool(spec.get("open_categories", False)),
        equivalents=MappingProxyType(equivalents),
    )


@lru_cache(maxsize=1)
def catalog() -> Mapping[str, Analyte]:
    """All analytes of the data dictionary, keyed by canonical name (read once, cached)."""
    text = resources.files("igfcirrhosis").joinpath("data", "analytes.toml").read_text("utf-8")
    raw = tomllib.loads(text)["analytes"]
    return MappingProxyType({name: _analyte(name, spec) for name, spec in raw.items()})


@lru_cache(maxsize=1)
def _alias_index() -> Mapping[str, str]:
    index: dict[str, str] = {}
    for name, analyte in catalog().items():
        for key in (normalize_key(name), *analyte.aliases):
            other = index.setdefault(key, name)
            if other != name:
                raise ValueError(f"analytes.toml: alias {key!r} used by {other} and {name}")
    return MappingProxyType(index)


def lookup(name_or_alias: str) -> Analyte | None:
    """The analyte for a canonical name or alias (case/separator-insensitive), else None."""
    name = _alias_index().get(normalize_key(name_or_alias))
    return None if name is None else catalog()[name]


def suggest(name: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Canonical names whose name or alias is close to ``name`` (difflib ratio >= ``cutoff``),
    best first."""
    index = _alias_index()
    matches = difflib.get_close_matches(normalize_key(name), list(index), n=n * 3, cutoff=cutoff)
    out: list[str] = []
    for m in matches:
        if index[m] not in out:
            out.append(index[m])
    return out[:n]


def resolve(name_or_alias: str) -> Analyte:
    """The analyte for a name or alias; ``KeyError`` naming close matches when unknown."""
    analyte = lookup(name_or_alias)
    if analyte is None:
        close = suggest(name_or_alias)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown analyte {name_or_alias!r}{hint}")
    return analyte
