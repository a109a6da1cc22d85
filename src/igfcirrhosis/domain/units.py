"""Units: one pint registry, the lab spellings people type, analyte-aware conversion.

* ``registry()`` builds ONE pint ``UnitRegistry`` on first use (pint's defaults plus
  ``data/units.txt``) and caches it; pint is imported only then.
* ``parse_unit("µmol/L")`` accepts the spellings labs print: micro as ``µ``/``μ``/``u``/``mc``,
  ``dl``/``dL``, ``10^9/L``, ``x10^9/L``, ``×10⁹/L``, ``10*9/L`` (UCUM), ``10^3/uL``, ``K/uL``,
  ``G/L``, ``/mm3``, ``mm³``, ``sec``, ``years``, ``%``, ``IU/L``; UCUM annotations
  (``{INR}``) are dropped.
* ``conversion_factor`` / ``convert`` multiply by ONE factor computed (and cached) per
  (from, to, analyte, molecular weight): vectorised and fast on millions of values.
* Mass <-> molar concentration uses the analyte's molecular weight from the catalog as an
  explicit factor, c[mol/L] = c[g/L] / MW[g/mol] (the same arithmetic as pint's "chemistry"
  context, written out so that the MW in use is visible and overridable, e.g. IGFBP-3 at
  28.7 or 30.5 kDa).
* Assay- or valence-specific units (``mEq/L`` for sodium, ``mIU/L`` for GH, ``IU/mL`` for AFP)
  are "equivalents" declared per analyte in ``analytes.toml`` with their sources; they are an
  error for any other analyte.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Literal, cast

import numpy as np
import numpy.typing as npt

from igfcirrhosis.domain.analytes import Analyte, resolve
from igfcirrhosis.domain.input_errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = [
    "UnitError",
    "convert",
    "conversion_factor",
    "is_dimensionless",
    "parse_unit",
    "registry",
    "tidy_unit",
    "to_system",
    "system_unit",
]

_MICRO = str.maketrans({"\u00b5": "u", "\u03bc": "u", "\u00d7": "x"})
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_POWER_OF_TEN = re.compile(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_UCUM_ANNOTATION = re.compile(r"\{[^}]*\}")
_COUNT = re.compile(
    r"^(?:x|\*)?10(?:\^|\*\*|\*|e)(\d{1,2})/(l|ul|ml|mm3|mm\^3|mm\*\*3|nl)$", re.IGNORECASE
)
_COUNT_VOLUME = {"l": "L", "ul": "uL", "ml": "mL", "nl": "nL"}
# Whole-string spellings (after tidying) that pint does not read, or reads differently.
_SPELLINGS: dict[str, str] = {
    "": "dimensionless",
    "1": "dimensionless",
    "ratio": "dimensionless",
    "K/uL": "1e3/uL",  # US "thousand per microlitre"
    "k/uL": "1e3/uL",
    "G/L": "1e9/L",  # French "giga par litre"
    "T/L": "1e12/L",
    "/uL": "1/uL",
    "/L": "1/L",
    "/mm3": "1/mm**3",
    "sec": "s",
    "secs": "s",
    "seconds": "s",
    "a": "year",  # UCUM annum
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "mo": "month",
    "mos": "month",
    "wk": "week",
    "wks": "week",
    "[iU]/L": "IU/L",
    "[IU]/L": "IU/L",
}
_EQUIVALENT_ONLY = re.compile(r"eq\b", re.IGNORECASE)


_REGISTRY_LOCK = threading.Lock()
_REGISTRY: list[Any] = []  # the one registry, once built


def registry() -> pint.UnitRegistry[Any]:
    """The one pint registry of the package (pint defaults + ``data/units.txt``).

    Built on first use (about 0.5 s) under a lock, so concurrent first calls (web workers)
    cannot create two registries whose quantities would not mix.
    """
    if _REGISTRY:
        return cast("pint.UnitRegistry[Any]", _REGISTRY[0])
    with _REGISTRY_LOCK:
        if not _REGISTRY:
            import pint

            ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(cache_folder=None)
            path = resources.files("igfcirrhosis").joinpath("data", "units.txt")
            with resources.as_file(path) as file:
                ureg.load_definitions(str(file))
            _REGISTRY.append(ureg)
    return cast("pint.UnitRegistry[Any]", _REGISTRY[0])


def tidy_unit(text: str) -> str:
    """The unit as typed, normalised for matching: micro sign -> ``u``, no spaces, ``mcg`` ->
    ``ug``, ``dl``/``ml`` -> ``dL``/``mL``, UCUM annotations dropped (``{INR}``)."""
    s = _POWER_OF_TEN.sub(lambda m: "10^" + m.group(1), text)  # 10⁹/L -> 10^9/L
    s = _UCUM_ANNOTATION.sub("", s.translate(_MICRO).translate(_SUPERSCRIPT))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"mc(g|mol)", r"u\1", s)
    return re.sub(r"(?<=[/munpdk])l\b", "L", s)


def _pint_expression(tidy: str) -> str:
    if tidy in _SPELLINGS:
        return _SPELLINGS[tidy]
    m = _COUNT.match(tidy)
    if m is not None:
        volume = m.group(2).lower()
        volume = _COUNT_VOLUME.get(volume, "mm**3")
        return f"1e{m.group(1)}/{volume}"
    return tidy


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> Any:
    """One of ``text`` as a pint Quantity (magnitude carries scale: ``10^9/L`` -> 1e9 1/L).

    Raises :class:`UnitError` for an unknown unit or an equivalent-only unit (``mEq/L``) used
    without an analyte.
    """
    tidy = tidy_unit(text)
    if _EQUIVALENT_ONLY.search(tidy):
        raise UnitError(
            None,
            text,
            f"unit {text!r} (equivalents) converts only for a monovalent ion such as sodium "
            "(1 mEq/L = 1 mmol/L); give it for sodium or write mmol/L",
        )
    ureg = registry()
    expr = _pint_expression(tidy)
    try:
        q: Any = ureg.Quantity(expr)
    except Exception as exc:  # pint raises several error types (undefined, syntax, ...)
        raise UnitError(
            None,
            text,
            f"unknown unit {text!r}; write e.g. umol/L, mg/dL, g/L, ng/mL, nmol/L, "
            "mmol/L, U/L, 10^9/L, s, years, cm",
        ) from exc
    if not isinstance(q, ureg.Quantity):  # a bare number such as "5"
        q = ureg.Quantity(float(q), "dimensionless")
    return q


def is_dimensionless(text: str) -> bool:
    """True for ``""``, ``"1"``, ``"ratio"``, ``"{INR}"`` (pure numbers; not ``%``)."""
    return _pint_expression(tidy_unit(text)) == "dimensionless"


def _equivalent(analyte: Analyte | None, unit: str) -> Any | None:
    """``unit`` as a pint Quantity through the analyte's equivalents table, if it is one."""
    if analyte is None or not analyte.equivalents:
        return None
    tidy = tidy_unit(unit)
    for key, eq in analyte.equivalents.items():
        if tidy_unit(key) == tidy:
            return eq.factor * parse_unit(eq.unit)
    return None


def _fingerprint(a: Analyte) -> tuple[Any, ...]:
    """What a conversion of ``a`` depends on in the catalog: default unit, molecular weight,
    equivalents. A table factor is used only while this is what the table was made from."""
    eqs = tuple(sorted((k, e.unit, e.factor) for k, e in a.equivalents.items()))
    return (a.default_unit, a.molecular_weight, eqs)


def _unit_error(analyte: Analyte, unit: str, why: str) -> UnitError:
    expected = ", ".join(analyte.accepted_units) or "no unit"
    return UnitError(
        analyte.name,
        unit,
        f"{analyte.name}: unit {unit!r} {why}; expected {expected}",
    )


#: (analyte, from unit, to unit) -> the factor pint computes for it, for every accepted unit to
#: and from the default unit: the conversions of a cohort file, of ALBI and of the "did you
#: mean" hints answered without importing pint and building its registry (1-2 s at start-up).
#: Generated with pint from the catalog entries in _KNOWN_CATALOG; an entry is used only while
#: the analyte's default unit, molecular weight and equivalents are still those (else pint
#: decides). tests/inputs/test_units_known_factors.py recomputes every entry with pint.
_KNOWN_FACTORS: Final[dict[tuple[str, str, str], float]] = {
    ("age", "months", "years"): 0.08333333333333333,
    ("age", "years", "months"): 12.0,
    ("bilirubin", "umol/L", "mg/dL"): 0.05847953216374269,
    ("bilirubin", "mg/dL", "umol/L"): 17.1,
    ("bilirubin", "mg/L", "mg/dL"): 0.1,
    ("bilirubin", "mg/dL", "mg/L"): 10.0,
    ("bilirubin", "mmol/L", "mg/dL"): 58.47953216374269,
    ("bilirubin", "mg/dL", "mmol/L"): 0.0171,
    ("albumin", "g/L", "g/dL"): 0.1,
    ("albumin", "g/dL", "g/L"): 10.0,
    ("albumin", "mg/dL", "g/dL"): 0.001,
    ("albumin", "g/dL", "mg/dL"): 1000.0,
    ("creatinine", "umol/L", "mg/dL"): 0.011312217194570135,
    ("creatinine", "mg/dL", "umol/L"): 88.4,
    ("creatinine", "mmol/L", "mg/dL"): 11.312217194570135,
    ("creatinine", "mg/dL", "mmol/L"): 0.0884,
    ("creatinine", "mg/L", "mg/dL"): 0.1,
    ("creatinine", "mg/dL", "mg/L"): 10.0,
    ("sodium", "mEq/L", "mmol/L"): 1.0,
    ("sodium", "mmol/L", "mEq/L"): 1.0,
    ("igf1", "nmol/L", "ng/mL"): 7.649,
    ("igf1", "ng/mL", "nmol/L"): 0.13073604392731078,
    ("igf1", "ug/L", "ng/mL"): 0.9999999999999999,
    ("igf1", "ng/mL", "ug/L"): 1.0000000000000002,
    ("igf2", "nmol/L", "ng/mL"): 7.469,
    ("igf2", "ng/mL", "nmol/L"): 0.13388673182487615,
    ("igf2", "ug/L", "ng/mL"): 0.9999999999999999,
    ("igf2", "ng/mL", "ug/L"): 1.0000000000000002,
    ("igfbp3", "nmol/L", "mg/L"): 0.028700000000000003,
    ("igfbp3", "mg/L", "nmol/L"): 34.843205574912886,
    ("igfbp3", "ug/mL", "mg/L"): 1.0,
    ("igfbp3", "mg/L", "ug/mL"): 1.0,
    ("igfbp3", "ng/mL", "mg/L"): 0.001,
    ("igfbp3", "mg/L", "ng/mL"): 999.9999999999999,
    ("als", "mg/L", "nmol/L"): 11.76470588235294,
    ("als", "nmol/L", "mg/L"): 0.08500000000000002,
    ("als", "ug/mL", "nmol/L"): 11.76470588235294,
    ("als", "nmol/L", "ug/mL"): 0.08500000000000002,
    ("gh", "ug/L", "ng/mL"): 0.9999999999999999,
    ("gh", "ng/mL", "ug/L"): 1.0000000000000002,
    ("gh", "mIU/L", "ng/mL"): 0.3333333333333333,
    ("gh", "ng/mL", "mIU/L"): 3.0,
    ("gh", "mU/L", "ng/mL"): 0.3333333333333333,
    ("gh", "ng/mL", "mU/L"): 3.0,
    ("gh", "uIU/mL", "ng/mL"): 0.3333333333333333,
    ("gh", "ng/mL", "uIU/mL"): 3.0,
    ("crp", "mg/dL", "mg/L"): 10.0,
    ("crp", "mg/L", "mg/dL"): 0.1,
    ("afp", "ug/L", "ng/mL"): 0.9999999999999999,
    ("afp", "ng/mL", "ug/L"): 1.0000000000000002,
    ("afp", "IU/mL", "ng/mL"): 1.21,
    ("afp", "ng/mL", "IU/mL"): 0.8264462809917356,
    ("afp", "kIU/L", "ng/mL"): 1.21,
    ("afp", "ng/mL", "kIU/L"): 0.8264462809917356,
    ("alt", "ukat/L", "U/L"): 60.0,
    ("alt", "U/L", "ukat/L"): 0.016666666666666666,
    ("ast", "ukat/L", "U/L"): 60.0,
    ("ast", "U/L", "ukat/L"): 0.016666666666666666,
    ("platelets", "10^3/uL", "10^9/L"): 1.0,
    ("platelets", "10^9/L", "10^3/uL"): 1.0,
    ("platelets", "1/uL", "10^9/L"): 0.001,
    ("platelets", "10^9/L", "1/uL"): 1000.0,
    ("platelets", "1/L", "10^9/L"): 1e-09,
    ("platelets", "10^9/L", "1/L"): 1000000000.0,
    ("spleen_length", "mm", "cm"): 0.1,
    ("spleen_length", "cm", "mm"): 10.0,
    ("time", "months", "days"): 30.4375,
    ("time", "days", "months"): 0.03285420944558522,
    ("time", "years", "days"): 365.25,
    ("time", "days", "years"): 0.0027378507871321013,
    ("time", "weeks", "days"): 7.0,
    ("time", "days", "weeks"): 0.14285714285714285,
}
_KNOWN_CATALOG: Final[dict[str, tuple[Any, ...]]] = {
    "age": ("years", None, ()),
    "bilirubin": ("mg/dL", 584.66, (
        ("mmol/L", "mg/dL", 58.47953216374269),
        ("umol/L", "mg/dL", 0.05847953216374269),
    )),
    "albumin": ("g/dL", 66500.0, ()),
    "prothrombin_time_prolongation": ("s", None, ()),
    "creatinine": ("mg/dL", 113.12, (
        ("mmol/L", "mg/dL", 11.312217194570135),
        ("umol/L", "mg/dL", 0.011312217194570135),
    )),
    "sodium": ("mmol/L", None, (("mEq/L", "mmol/L", 1.0),)),
    "igf1": ("ng/mL", 7649.0, ()),
    "igf2": ("ng/mL", 7469.0, ()),
    "igfbp3": ("mg/L", 28700.0, ()),
    "als": ("nmol/L", 85000.0, ()),
    "gh": ("ng/mL", 22124.0, (
        ("mIU/L", "ng/mL", 0.3333333333333333),
        ("mU/L", "ng/mL", 0.3333333333333333),
        ("uIU/mL", "ng/mL", 0.3333333333333333),
    )),
    "prothrombin_time": ("s", None, ()),
    "crp": ("mg/L", None, ()),
    "afp": ("ng/mL", None, (("IU/mL", "ng/mL", 1.21), ("kIU/L", "ng/mL", 1.21))),
    "alt": ("U/L", None, ()),
    "ast": ("U/L", None, ()),
    "platelets": ("10^9/L", None, ()),
    "spleen_length": ("cm", None, ()),
    "time": ("days", None, ()),
}


@lru_cache(maxsize=4096)
def conversion_factor(
    from_unit: str,
    to_unit: str,
    analyte: str | None = None,
    molecular_weight: float | None = None,
) -> float:
    """The number ``f`` with value[to_unit] = f * value[from_unit].

    ``analyte`` (a name or alias) enables mass <-> molar conversion through its molecular weight
    (g/mol; ``molecular_weight`` overrides the catalog's) and its equivalents (``mEq/L`` for
    sodium), and checks that ``from_unit`` is of the analyte's dimension. Raises
    :class:`UnitError` naming analyte, unit and the expected units.
    """
    a = resolve(analyte) if analyte is not None else None
    if a is not None and a.is_numeric and a.default_unit == "1":
        for unit in (from_unit, to_unit):
            if not is_dimensionless(unit):
                raise _unit_error(a, unit, "cannot be used: the value is a pure ratio")
        return 1.0
    if a is not None and molecular_weight is None:
        # the analyte's own default unit (checked by the catalog tests), and the clinical
        # factors of _KNOWN_FACTORS (each equal to pint's, tested): no pint registry needed
        if from_unit == to_unit == a.default_unit:
            return 1.0
        known = _KNOWN_FACTORS.get((a.name, from_unit, to_unit))
        if known is not None and _KNOWN_CATALOG.get(a.name) == _fingerprint(a):
            return known
    try:
        qf = _equivalent(a, from_unit)
        if qf is None:
            qf = parse_unit(from_unit)
        qt = _equivalent(a, to_unit)
        if qt is None:
            qt = parse_unit(to_unit)
    except UnitError as exc:
        if a is None:
            raise
        why = (
            "converts only for a monovalent ion such as sodium (1 mEq/L = 1 mmol/L)"
            if _EQUIVALENT_ONLY.search(tidy_unit(str(exc.value)))
            else "is not a known unit"
        )
        raise _unit_error(a, str(exc.value), why) from exc
    if qf.dimensionality == qt.dimensionality:
        return float(qf.to(qt.units).magnitude / qt.magnitude)
    mw = molecular_weight
    if mw is None and a is not None:
        mw = a.molecular_weight
    ureg = registry()
    mass_conc = ureg.get_dimensionality("[mass]/[length]**3")
    molar_conc = ureg.get_dimensionality("[substance]/[length]**3")
    pair = (qf.dimensionality, qt.dimensionality)
    if mw and pair in ((mass_conc, molar_conc), (molar_conc, mass_conc)):
        weight = ureg.Quantity(float(mw), "g/mol")
        moved = qf / weight if pair[0] == mass_conc else qf * weight
        return float(moved.to(qt.units).magnitude / qt.magnitude)
    if a is None:
        raise UnitError(
            None,
            from_unit,
            f"cannot convert {from_unit!r} ({qf.dimensionality}) to {to_unit!r} "
            f"({qt.dimensionality}); name the analyte for mass<->molar conversion",
        )
    if pair in ((mass_conc, molar_conc), (molar_conc, mass_conc)):
        raise _unit_error(a, from_unit, "needs a molecular weight, and none is catalogued")
    raise _unit_error(a, from_unit, f"is not a unit for {a.name}")


def convert(
    values: npt.ArrayLike,
    from_unit: str,
    to_unit: str,
    analyte: str | None = None,
    *,
    molecular_weight: float | None = None,
) -> npt.NDArray[np.float64]:
    """``values`` (in ``from_unit``) expressed in ``to_unit``, as float64.

    One factor is computed (cached) and multiplied into the array; NaN stays NaN.
    ``analyte`` and ``molecular_weight`` (g/mol) as in :func:`conversion_factor`.
    """
    factor = conversion_factor(from_unit, to_unit, analyte, molecular_weight)
    arr = np.asarray(values, dtype=np.float64)
    return arr * factor if factor != 1.0 else arr.copy()


def system_unit(analyte: str, system: Literal["si", "conventional"]) -> str:
    """The unit of ``analyte`` in the SI or conventional system (the UI toggle); the default
    unit when the catalog gives none for that system."""
    a = resolve(analyte)
    unit = a.si_unit if system == "si" else a.conventional_unit
    if unit is None:
        unit = a.default_unit
    if unit is None:
        raise UnitError(a.name, system, f"{a.name} has no unit (it is a {a.kind})")
    return unit


def to_system(
    values: npt.ArrayLike,
    analyte: str,
    system: Literal["si", "conventional"],
    *,
    molecular_weight: float | None = None,
) -> tuple[npt.NDArray[np.float64], str]:
    """Canonical ``values`` (default unit) in the SI or conventional system: (values, unit).

    ``to_system([2.0], "bilirubin", "si")`` -> ``(array([34.21]), "umol/L")``.
    """
    a = resolve(analyte)
    unit = system_unit(a.name, system)
    out = convert(values, a.default_unit or "1", unit, a.name, molecular_weight=molecular_weight)
    return out, unit
