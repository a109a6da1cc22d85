"""Input parsing and validation: one patient (:func:`parse_patient`) or a cohort
(:func:`normalize_frame`).

Canonical encodings (what the scores read):

* quantities: float64 in the catalog's default unit (bilirubin mg/dL, albumin g/dL, creatinine
  mg/dL, sodium mmol/L, inr 1, igf1 ng/mL, igfbp3 mg/L, als nmol/L, platelets 10^9/L, ...);
* ``sex``: ``"F"`` / ``"M"``; ``etiology``: HBV, HCV, alcohol, MASLD, autoimmune, PBC, PSC, other
  (unrecognised spellings kept as given, with a warning);
* ``ascites``, ``encephalopathy``: Child-Pugh points 1.0 / 2.0 / 3.0; ``edema``: 0 / 0.5 / 1;
* bools and ``event``: 0.0 / 1.0;
* missing: NaN (never a default). Implausible values are NaN too, with ``flag="implausible"``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.domain.analytes import Analyte, lookup, suggest
from igfcirrhosis.domain.input_errors import InputError, UnitError
from igfcirrhosis.domain.input_values import (
    atypical_unit_hint,
    category_code,
    category_message,
    implausible_message,
    is_missing,
    not_a_number_message,
    parse_quantity_text,
    sign_message,
)
from igfcirrhosis.domain.units import conversion_factor

if TYPE_CHECKING:
    import pandas as pd

    from igfcirrhosis.domain.input_frames import NormalizedFrame

__all__ = [
    "FieldInput",
    "InputError",
    "PatientInput",
    "UnitError",
    "normalize_frame",
    "parse_header",
    "parse_patient",
    "parse_quantity_text",
]

RawValue = str | float | int | bool | None


def parse_header(header: str) -> tuple[str, str | None]:
    """``"bilirubin [umol/L]"`` -> ``("bilirubin", "umol/L")``; ``"Bilirubin (mg/dL)"`` ->
    ``("bilirubin", "mg/dL")``; ``"bili"`` -> ``("bilirubin", None)``.

    Aliases resolve to the canonical name. An unknown column comes back unchanged with unit
    None (it is passed through, not scored).
    """
    text = header.strip()
    closer = text[-1:] if text.endswith(("]", ")")) else ""
    opener = {"]": "[", ")": "("}.get(closer, "")
    # try each opening bracket from the right: "alt [[iU]/L]" -> ("alt", "[iU]/L")
    i = text.rfind(opener, 0, len(text) - 1) if opener else -1
    while i > 0:
        analyte = lookup(text[:i])
        if analyte is not None:
            return analyte.name, (text[i + 1 : -1].strip() or None)
        i = text.rfind(opener, 0, i)
    analyte = lookup(header)
    return (analyte.name, None) if analyte is not None else (header, None)


@dataclass(frozen=True, slots=True)
class FieldInput:
    """One input value as given and as used.

    ``value`` is canonical (default unit / category code; NaN when missing or implausible);
    ``value_given`` the number as typed, in ``unit_given`` (or the assumed ``unit_used``);
    ``value_si`` / ``value_conventional`` where the analyte has both units; ``flag`` is
    ``"implausible"``, ``"missing"`` or None.
    """

    name: str
    raw: object
    value: float | str
    unit_given: str | None = None
    unit_used: str | None = None
    assumed_unit: bool = False
    value_given: float | None = None
    value_si: float | None = None
    unit_si: str | None = None
    value_conventional: float | None = None
    unit_conventional: str | None = None
    flag: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: NaN becomes None, ``raw`` is kept if JSON-representable, else str."""

        def clean(x: object) -> object:
            if isinstance(x, float) and not math.isfinite(x):
                return None
            return x

        raw = self.raw if isinstance(self.raw, str | int | float | bool | None) else str(self.raw)
        return {
            "name": self.name,
            "raw": clean(raw),
            "value": clean(self.value),
            "unit_given": self.unit_given,
            "unit_used": self.unit_used,
            "assumed_unit": self.assumed_unit,
            "value_given": clean(self.value_given),
            "value_si": clean(self.value_si),
            "unit_si": self.unit_si,
            "value_conventional": clean(self.value_conventional),
            "unit_conventional": self.unit_conventional,
            "flag": self.flag,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class PatientInput:
    """One patient's parsed input: canonical ``values``, per-field ``fields``, ``warnings``.

    ``values`` holds every given key (canonical name) -> canonical value; keys not given are
    absent (use :meth:`get`, which returns NaN for them).
    """

    values: dict[str, float | str]
    fields: dict[str, FieldInput]
    warnings: list[str] = field(default_factory=list)

    def get(self, name: str) -> float | str:
        """The canonical value of ``name`` (canonical name), NaN when not given."""
        return self.values.get(name, math.nan)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"inputs": {name: FieldInput.to_dict()}, "warnings": [...]}``."""
        return {
            "inputs": {k: f.to_dict() for k, f in self.fields.items()},
            "warnings": list(self.warnings),
        }


def _unknown_key(key: str) -> InputError:
    close = suggest(key)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; see the data dictionary"
    return InputError(key, key, f"unknown field {key!r}{hint}")


def _toggle(analyte: Analyte, value: float, mw: float | None) -> tuple[float | None, float | None]:
    if not analyte.has_toggle or not math.isfinite(value):
        return None, None
    default = analyte.default_unit or ""
    si = value * conversion_factor(default, analyte.si_unit or "", analyte.name, mw)
    conv = value * conversion_factor(default, analyte.conventional_unit or "", analyte.name, mw)
    return si, conv


def _parse_quantity(
    analyte: Analyte,
    raw: RawValue,
    mw: float | None,
    warnings: list[str],
    key_unit: str | None = None,
) -> FieldInput:
    name = analyte.name
    default = analyte.default_unit or "1"
    if isinstance(raw, bool | np.bool_):
        raise InputError(name, raw, not_a_number_message(name, raw, analyte))
    unit_given: str | None
    if isinstance(raw, numbers.Real):
        number, unit_given = float(raw), None
        if not math.isfinite(number):
            raise InputError(name, raw, f"{name}: {raw!r} is not a finite number")
    elif isinstance(raw, str):
        try:
            number, unit_given = parse_quantity_text(raw, name)
        except InputError as exc:
            raise InputError(name, raw, not_a_number_message(name, raw, analyte)) from exc
    else:
        raise InputError(name, raw, not_a_number_message(name, raw, analyte))
    if unit_given is None:
        unit_given = key_unit
    unit_used = unit_given if unit_given is not None else default
    try:
        factor = conversion_factor(unit_used, default, name, mw)
    except UnitError as exc:
        raise UnitError(name, raw, exc.message) from exc
    assumed = unit_given is None and analyte.has_unit
    problem = sign_message(analyte, number, unit_used)
    if problem is not None:
        raise InputError(name, raw, problem)
    value = number * factor
    flag: str | None = None
    message: str | None = None
    rng = analyte.plausible
    if rng is not None and not rng.low <= value <= rng.high:
        flag, message = "implausible", implausible_message(analyte, number, unit_used, mw)
        warnings.append(message)
        value = math.nan
    elif assumed:
        warnings.append(f"{name}: no unit given; assumed {default} (data dictionary default)")
        hint = atypical_unit_hint(analyte, number, unit_used, mw)
        if hint is not None:
            warnings.append(hint)
    si, conv = _toggle(analyte, value, mw)
    return FieldInput(
        name=name,
        raw=raw,
        value=value,
        unit_given=unit_given,
        unit_used=unit_used,
        assumed_unit=assumed,
        value_given=number,
        value_si=si,
        unit_si=analyte.si_unit if analyte.has_toggle else None,
        value_conventional=conv,
        unit_conventional=analyte.conventional_unit if analyte.has_toggle else None,
        flag=flag,
        message=message,
    )


def _parse_category(analyte: Analyte, raw: RawValue, warnings: list[str]) -> FieldInput:
    name = analyte.name
    code = category_code(analyte, raw)
    message: str | None = None
    if code is None:
        if analyte.open_categories and isinstance(raw, str):
            code = raw.strip()
            message = (
                f"{name}: {raw!r} is not one of {analyte.accepted_values_text()}; kept as given"
            )
            warnings.append(message)
        else:
            raise InputError(name, raw, category_message(analyte, raw))
    return FieldInput(name=name, raw=raw, value=code, message=message)


def parse_patient(
    values: Mapping[str, RawValue],
    *,
    molecular_weights: Mapping[str, float] | None = None,
) -> PatientInput:
    """Parse one patient's ``KEY=VALUE`` input (``igfc assess``, ``POST /api/v1/assess``).

    Keys are data-dictionary names or aliases, optionally with a unit (``"bilirubin [umol/L]"``,
    applying to values without their own); a value is a number in the default unit or a
    string with its unit (``"34 umol/L"``). ``molecular_weights`` overrides catalog molecular
    weights in g/mol (e.g. ``{"igfbp3": 30500.0}``). Raises :class:`InputError` (or its
    subclass :class:`UnitError`) for an unknown key, a non-number, a wrong-dimension unit, a
    negative concentration or INR <= 0. Implausible values do not raise: NaN + flag + warning.
    """
    mws = dict(molecular_weights or {})
    out_values: dict[str, float | str] = {}
    fields: dict[str, FieldInput] = {}
    warnings: list[str] = []
    given_as: dict[str, str] = {}
    for key, raw in values.items():
        name, key_unit = parse_header(key)
        analyte = lookup(name)
        if analyte is None:
            raise _unknown_key(key)
        name = analyte.name
        if key_unit is not None and not analyte.is_numeric:
            raise UnitError(name, key, f"{name} takes no unit (got {key_unit!r} in {key!r})")
        if name in given_as:
            raise InputError(name, raw, f"{name} given twice (as {given_as[name]!r} and {key!r})")
        given_as[name] = key
        if is_missing(raw):
            fields[name] = FieldInput(name=name, raw=raw, value=math.nan, flag="missing")
            out_values[name] = math.nan
            continue
        if analyte.is_numeric:
            fi = _parse_quantity(analyte, raw, mws.get(name), warnings, key_unit)
        elif analyte.kind in ("category", "bool", "event"):
            fi = _parse_category(analyte, raw, warnings)
        else:  # id, text
            fi = FieldInput(name=name, raw=raw, value=str(raw).strip())
        fields[name] = fi
        out_values[name] = fi.value
    return PatientInput(values=out_values, fields=fields, warnings=warnings)


def normalize_frame(
    df: pd.DataFrame,
    *,
    molecular_weights: Mapping[str, float] | None = None,
    mappings: Mapping[str, Mapping[Any, Any]] | None = None,
    unique_ids: bool = True,
) -> NormalizedFrame:
    """Normalise a cohort table: canonical columns in default units, bad cells NaN and listed
    in ``issues``; see :func:`igfcirrhosis.domain.input_frames.normalize_frame`."""
    from igfcirrhosis.domain.input_frames import normalize_frame as _normalize

    return _normalize(
        df, molecular_weights=molecular_weights, mappings=mappings, unique_ids=unique_ids
    )


def __getattr__(name: str) -> Any:
    """Lazy re-export of :class:`NormalizedFrame` (its module imports pandas)."""
    if name == "NormalizedFrame":
        from igfcirrhosis.domain.input_frames import NormalizedFrame

        return NormalizedFrame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
