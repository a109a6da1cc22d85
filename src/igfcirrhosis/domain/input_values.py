"""Reading single input values: numbers with units, category spellings, and the messages that
explain what is wrong with a value. Shared by ``parse_patient`` and ``normalize_frame`` so one
patient and a cohort get the same answers.

Decisions (documented here, tested in ``tests/inputs``):

* Decimal commas (``"1,8"``) and thousands separators (``"1,500"``) are rejected with a message:
  the two are indistinguishable, and guessing would silently scale a value by 1000.
* Detection-limit values (``"<15"``, ``">2000"``) are rejected: they are not measurements.
* Missing: ``None``, NaN, ``""`` and the tokens in :data:`MISSING_TOKENS`. ``"none"`` is NOT
  missing: it is a category (no ascites). Missing is never defaulted.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Final

import numpy as np

from igfcirrhosis.domain.analytes import Analyte, normalize_spelling
from igfcirrhosis.domain.input_errors import InputError, UnitError
from igfcirrhosis.domain.units import conversion_factor

#: Cell texts read as missing (compared lower-cased, stripped).
MISSING_TOKENS: Final = frozenset({"", "na", "n/a", "nan", "null", "missing", "-", "."})

NUMBER_PATTERN: Final = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
#: A number, optional spaces, then an optional unit (anything else).
QUANTITY_PATTERN: Final = rf"^\s*({NUMBER_PATTERN})\s*(.*?)\s*$"
#: The same with named groups (``number``, ``unit``), RE2-compatible for pyarrow.
NAMED_QUANTITY_PATTERN: Final = rf"^\s*(?P<number>{NUMBER_PATTERN})\s*(?P<unit>.*?)\s*$"
COMMA_PATTERN: Final = r"^\s*[+-]?\d*,\d"
_QUANTITY = re.compile(QUANTITY_PATTERN)
_COMMA = re.compile(COMMA_PATTERN)
_CENSORED = re.compile(r"^\s*(?:<=?|>=?|≤|≥)")


def fmt(x: float) -> str:
    """A derived number for messages: up to 4 significant digits, no trailing zeros."""
    return f"{x:.4g}"


def fmt_given(x: float) -> str:
    """A number as the user gave it: up to 10 significant digits (150000, not 1.5e+05)."""
    return f"{x:.10g}"


def is_missing(raw: object) -> bool:
    """True for None, NaN and the missing tokens (``""``, ``"NA"``, ...)."""
    if raw is None or type(raw).__name__ in ("NAType", "NaTType"):  # pandas NA/NaT
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    if isinstance(raw, str):
        return raw.strip().lower() in MISSING_TOKENS
    return False


def not_a_number_message(field: str, raw: object, analyte: Analyte | None = None) -> str:
    """Why ``raw`` is not read as a number, in words a clinician understands."""
    text = str(raw)
    if _COMMA.match(text):
        return (
            f"{field}: {text!r} contains a comma; write the decimal point as '.' "
            "(e.g. 1.8) and no thousands separators (e.g. 1500)"
        )
    if _CENSORED.match(text):
        return (
            f"{field}: {text!r} is a detection limit, not a measured value; enter the number "
            "itself or leave the value missing"
        )
    if isinstance(raw, bool | np.bool_):
        return f"{field}: {bool(raw)!r} is a yes/no value; expected a number"
    expected = ""
    if analyte is not None and analyte.has_unit:
        example = analyte.si_unit or analyte.default_unit
        expected = (
            f"; expected a number in {analyte.default_unit}, or a number with its unit "
            f"(e.g. '1.2 {example}')"
        )
    elif analyte is not None:
        expected = "; expected a number"
    return f"{field}: {text!r} is not a number{expected}"


def parse_quantity_text(text: str, field: str | None = None) -> tuple[float, str | None]:
    """``"34umol/L"`` -> ``(34.0, "umol/L")``; ``"1.8"`` -> ``(1.8, None)``.

    Spaces between number and unit are optional. Raises :class:`InputError` for a decimal
    comma, a detection limit (``"<15"``) or text that does not start with a number.
    """
    name = field or "value"
    m = _QUANTITY.match(text)
    if m is None or _COMMA.match(text):
        raise InputError(field, text, not_a_number_message(name, text))
    value = float(m.group(1))
    if not math.isfinite(value):
        raise InputError(field, text, f"{name}: {text!r} is not a finite number")
    unit = m.group(2) or None
    return value, unit


def sign_message(analyte: Analyte, value: float, unit: str) -> str | None:
    """A hard-error message when ``value`` has an impossible sign (negative concentration,
    INR <= 0), else None."""
    if analyte.sign == "nonnegative" and value < 0:
        return (
            f"{analyte.name}: {fmt_given(value)} {unit} is negative; a concentration cannot be "
            f"below 0 (expected {_range_text(analyte)})"
        )
    if analyte.sign == "positive" and value <= 0:
        unit_text = "" if unit in ("", "1") else f" {unit}"
        return (
            f"{analyte.name}: {fmt_given(value)}{unit_text} is not possible; {analyte.name} must be "
            f"greater than 0 (expected {_range_text(analyte)})"
        )
    return None


def _range_text(analyte: Analyte, unit: str | None = None) -> str:
    rng = analyte.plausible
    default = analyte.default_unit or ""
    suffix = "" if default in ("", "1") else f" {default}"
    if rng is None:
        return f"a value in {default}"
    text = f"{fmt(rng.low)}\u2013{fmt(rng.high)}{suffix}"
    if unit is not None and unit != default and analyte.has_unit:
        try:
            f = conversion_factor(default, unit, analyte.name)
        except UnitError:
            return text
        text += f" = {fmt(rng.low * f)}\u2013{fmt(rng.high * f)} {unit}"
    return text


def _in(analyte: Analyte, value: float, which: str) -> bool:
    rng = analyte.plausible if which == "plausible" else analyte.typical
    return rng is not None and rng.low <= value <= rng.high


def alternative_unit(
    analyte: Analyte, value: float, given_unit: str, which: str, mw: float | None = None
) -> tuple[str, float] | None:
    """First accepted unit (other than ``given_unit``) in which ``value`` falls in the
    ``which`` range; returns (unit, value in the default unit)."""
    default = analyte.default_unit or ""
    for unit in analyte.accepted_units:
        try:
            if conversion_factor(unit, given_unit, analyte.name, mw) == 1.0:
                continue
            as_default = value * conversion_factor(unit, default, analyte.name, mw)
        except UnitError:
            continue
        if _in(analyte, as_default, which):
            return unit, as_default
    return None


def implausible_message(
    analyte: Analyte, value: float, given_unit: str, mw: float | None = None
) -> str:
    """``"albumin 35 g/dL is implausible (plausible 0.5–7 g/dL); did you mean 35 g/L?"``.

    ``value`` is the number as given, in ``given_unit``.
    """
    unit_text = "" if given_unit in ("", "1") else f" {given_unit}"
    msg = (
        f"{analyte.name} {fmt_given(value)}{unit_text} is implausible "
        f"(plausible {_range_text(analyte, given_unit)})"
    )
    alt = alternative_unit(analyte, value, given_unit, "plausible", mw)
    if alt is not None:
        msg += f"; did you mean {fmt_given(value)} {alt[0]}?"
    return msg + " (not scored)"


def atypical_unit_hint(
    analyte: Analyte, value: float, given_unit: str, mw: float | None = None
) -> str | None:
    """For a value whose unit was assumed: a warning when it is plausible but outside the
    typical range, and typical in another unit (bilirubin 34 assumed mg/dL, typical as
    umol/L). None otherwise."""
    if analyte.typical is None:
        return None
    default = analyte.default_unit or ""
    canonical = value * conversion_factor(given_unit, default, analyte.name, mw)
    if _in(analyte, canonical, "typical"):
        return None
    alt = alternative_unit(analyte, value, given_unit, "typical", mw)
    if alt is None:
        return None
    return (
        f"{analyte.name}: {fmt_given(value)} {given_unit} (unit assumed) is outside the typical range "
        f"({analyte.typical} {default}); if it is in {alt[0]}, write '{fmt_given(value)} {alt[0]}' "
        f"(= {fmt(alt[1])} {default})"
    )


def category_code(analyte: Analyte, raw: object) -> float | str | None:
    """The canonical code for a category/bool/event value, or None when not accepted.

    Strings are matched after lower-casing and turning runs of spaces, '-' and '/' into '_'
    ("grade 1-2" -> "grade_1_2"); numbers must equal a numeric code (ascites 1/2/3).
    """
    if isinstance(raw, bool | np.bool_):
        return float(raw) if analyte.kind in ("bool", "event") else None
    if isinstance(raw, numbers.Real):
        value = float(raw)
        return value if value in analyte.numeric_codes() else None
    if isinstance(raw, str):
        spellings = analyte.spellings()
        key = normalize_spelling(raw)
        if key in spellings:
            return spellings[key]
        try:
            value = float(raw)
        except ValueError:
            return None
        return value if value in analyte.numeric_codes() else None
    return None


def category_message(analyte: Analyte, raw: object) -> str:
    """Why ``raw`` is not an accepted value of a category/bool/event field."""
    extra = ""
    if analyte.name == "sex" and isinstance(raw, numbers.Real):
        extra = "; numeric sex codes differ between datasets: write F or M"
    elif analyte.name in ("ascites", "encephalopathy"):
        extra = " (numbers are Child-Pugh points)"
    return (
        f"{analyte.name}: {raw!r} is not an accepted value; expected "
        f"{analyte.accepted_values_text()}{extra}"
    )
