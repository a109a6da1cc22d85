"""Normalising a cohort table: headers resolved, units converted once per column (vectorised),
bad cells set to NaN and listed in ``issues`` (never dropped silently), row count and index kept.

Per column: numeric columns are converted with one multiplication; string columns are parsed
with pandas string methods (plain numbers first, then ``"<number> <unit>"`` cells, one factor
per distinct unit). Plausibility checks are vectorised; messages are built only for the cells
that fail them.

A numeric ``ascites`` or ``encephalopathy`` column that contains 0 and otherwise only 1 is read
as presence-coded (0 = absent, 1 = present; the Mayo PBC data): 0 becomes "none" (1 point) and
1 becomes NaN with a warning, because presence does not say mild or moderate-severe. This is
stated in ``warnings``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from igfcirrhosis.domain.analytes import Analyte, lookup, suggest
from igfcirrhosis.domain.input_errors import InputError, UnitError
from igfcirrhosis.domain.input_values import (
    COMMA_PATTERN,
    MISSING_TOKENS,
    NAMED_QUANTITY_PATTERN,
    QUANTITY_PATTERN,
    alternative_unit,
    category_message,
    fmt,
    implausible_message,
    not_a_number_message,
    sign_message,
)
from igfcirrhosis.domain.inputs import parse_header
from igfcirrhosis.domain.units import conversion_factor, tidy_unit

__all__ = ["ISSUE_COLUMNS", "NormalizedFrame", "normalize_frame"]

ISSUE_COLUMNS: Final = ("row", "patient_id", "column", "value", "severity", "message")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class NormalizedFrame:
    """The result of :func:`normalize_frame`.

    ``data``: canonical columns in default units (other columns passed through unchanged), same
    index and row count as the input. ``issues``: one row per problem, columns
    :data:`ISSUE_COLUMNS` (``row`` is the 0-based position; severity "error", "implausible" or
    "warning"). ``column_units``: canonical column -> unit its numbers were read in (header or
    default). ``assumed_units``: columns whose unit came from the default. ``columns``: input
    header -> output column. ``warnings``: table-level notes.
    """

    data: pd.DataFrame
    issues: pd.DataFrame
    column_units: dict[str, str]
    assumed_units: list[str]
    columns: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def n_errors(self) -> int:
        """Number of issues with severity "error"."""
        return int((self.issues["severity"] == "error").sum())


class _Issues:
    """Collects issues column-wise (cheap to append arrays of rows)."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.columns: list[str] = []
        self.values: list[list[object]] = []
        self.severities: list[str] = []
        self.messages: list[list[str]] = []

    def add(
        self,
        rows: IntArray,
        column: str,
        values: list[object],
        severity: str,
        messages: list[str],
    ) -> None:
        if len(rows) == 0:
            return
        self.rows.append(np.asarray(rows, dtype=np.intp))
        self.columns.append(column)
        self.values.append(values)
        self.severities.append(severity)
        self.messages.append(messages)

    def frame(self, ids: pd.Series | None) -> pd.DataFrame:
        """The issues as a table; ``ids`` (the identifier column, if any) is read only at the
        rows with an issue."""
        if not self.rows:
            empty: dict[str, Any] = {
                "row": pd.Series([], dtype="int64"),
                "patient_id": pd.Series([], dtype=object),
                "column": pd.Series([], dtype=object),
                "value": pd.Series([], dtype=object),
                "severity": pd.Series([], dtype=object),
                "message": pd.Series([], dtype=object),
            }
            return pd.DataFrame(empty)
        rows = np.concatenate(self.rows)
        n = [len(r) for r in self.rows]
        values: list[object] = [v for vs in self.values for v in vs]
        out = pd.DataFrame(
            {
                "row": rows.astype("int64"),
                "patient_id": pd.Series(
                    ids.iloc[rows].to_numpy(dtype=object) if ids is not None
                    else [None] * len(rows),
                    dtype=object,
                ),
                "column": pd.Series(np.repeat(self.columns, n), dtype=object),
                "value": pd.Series(values, dtype=object),
                "severity": pd.Series(np.repeat(self.severities, n), dtype=object),
                "message": pd.Series([m for ms in self.messages for m in ms], dtype=object),
            }
        )
        return out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)


def _raw_values(series: pd.Series, rows: IntArray) -> list[object]:
    out = series.iloc[rows].tolist()
    return [None if isinstance(v, float) and math.isnan(v) else v for v in out]


def _is_plain_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def _text(series: pd.Series) -> tuple[pd.Series, npt.NDArray[np.bool_]]:
    """Stripped string view of a column and its missing mask."""
    text = series.astype("str").str.strip()
    missing = (text.isna() | text.str.lower().isin(MISSING_TOKENS)).to_numpy(dtype=bool)
    return text, missing


def _quantity_column(
    analyte: Analyte,
    header: str,
    series: pd.Series,
    unit: str,
    mw: float | None,
    issues: _Issues,
    hints: list[str] | None = None,
) -> FloatArray:
    """Canonical float64 values of one quantity/time column (default unit). With ``hints``
    (the unit was assumed), a note is added when the column's median is atypical in the assumed
    unit but typical in another (a column of umol/L read as mg/dL)."""
    name = analyte.name
    default = analyte.default_unit or "1"
    try:
        header_factor = conversion_factor(unit, default, name, mw)
    except UnitError as exc:
        raise UnitError(header, unit, f"column {header!r}: {exc.message}") from exc
    n = len(series)
    given_units: npt.NDArray[Any] | None = None  # per-cell units where a cell carried one
    if _is_plain_numeric(series):
        given = series.to_numpy(dtype=np.float64, na_value=np.nan)  # may be read-only
        factor: FloatArray | float = header_factor
        bad = np.isinf(given)
    else:
        text, missing = _text(series)
        given = np.array(
            pd.to_numeric(text.where(~missing), errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            ),
            copy=True,
        )
        bad = np.isinf(given)
        need = ~missing & np.isnan(given)
        factor_arr = np.full(n, header_factor)
        if need.any():
            pos = np.flatnonzero(need)
            sub = text.iloc[pos]
            comma = sub.str.match(COMMA_PATTERN).to_numpy(dtype=bool)
            matched, nums, units = _split_quantities(sub)
            ok = matched & ~comma
            bad_pos = pos[~ok]
            issues.add(
                bad_pos,
                header,
                _raw_values(series, bad_pos),
                "error",
                [not_a_number_message(name, v, analyte) for v in series.iloc[bad_pos]],
            )
            given_units = np.full(n, None, dtype=object)
            for u in pd.unique(units[ok]):
                sel = pos[ok & (units == u)]
                given[sel] = nums[ok & (units == u)]
                if u == "":
                    continue
                try:
                    factor_arr[sel] = conversion_factor(str(u), default, name, mw)
                except UnitError as exc:
                    given[sel] = np.nan
                    issues.add(
                        sel, header, _raw_values(series, sel), "error", [exc.message] * len(sel)
                    )
                    continue
                given_units[sel] = u
                if hints is None and tidy_unit(str(u)) != tidy_unit(unit):
                    issues.add(
                        sel, header, _raw_values(series, sel), "warning",
                        [f"{name}: the cell carries its own unit {u!r}, which differs from the "
                         f"column's [{unit}]; the cell's unit was used"] * len(sel),
                    )
        factor = factor_arr
    if bad.any():
        bad_pos = np.flatnonzero(bad)
        issues.add(
            bad_pos,
            header,
            _raw_values(series, bad_pos),
            "error",
            [f"{name}: {v!r} is not a finite number" for v in series.iloc[bad_pos]],
        )
        given = np.where(bad, np.nan, given)
    canonical: FloatArray = np.asarray(given * factor, dtype=np.float64)
    if hints is not None:
        own = given if given_units is None else given[given_units == None]  # noqa: E711
        hint = _median_hint(analyte, header, own, unit, mw)
        if hint is not None:
            hints.append(hint)
    # sign: a hard error (negative concentration, INR <= 0)
    if analyte.sign == "nonnegative":
        wrong = given < 0
    elif analyte.sign == "positive":
        wrong = given <= 0
    else:
        wrong = np.zeros(n, dtype=bool)
    if wrong.any():
        pos = np.flatnonzero(wrong)
        issues.add(
            pos,
            header,
            _raw_values(series, pos),
            "error",
            [
                sign_message(analyte, float(given[i]), _cell_unit(given_units, int(i), unit)) or ""
                for i in pos
            ],
        )
        canonical[wrong] = np.nan
    rng = analyte.plausible
    if rng is not None:
        out = (canonical < rng.low) | (canonical > rng.high)  # NaN compares False
        if out.any():
            pos = np.flatnonzero(out)
            issues.add(
                pos,
                header,
                _raw_values(series, pos),
                "implausible",
                [
                    implausible_message(
                        analyte, float(given[i]), _cell_unit(given_units, int(i), unit), mw
                    )
                    for i in pos
                ],
            )
            canonical[out] = np.nan
    return canonical


def _split_quantities(
    text: pd.Series,
) -> tuple[npt.NDArray[np.bool_], FloatArray, npt.NDArray[Any]]:
    """Split ``"<number> <unit>"`` cells: (matched, number, unit text or "").

    Uses pyarrow's RE2 ``extract_regex`` (about 7x faster than ``Series.str.extract``), with
    the pandas method as fallback; the pattern is :data:`QUANTITY_PATTERN` either way.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a declared dependency
        ext = text.str.extract(QUANTITY_PATTERN)
        matched = ext[0].notna().to_numpy(dtype=bool)
        numbers = ext[0]
        units = ext[1].fillna("").to_numpy(dtype=object)
    else:
        arr = pa.array(text.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
        res = pc.extract_regex(arr, NAMED_QUANTITY_PATTERN)
        matched = np.asarray(res.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        numbers = pd.Series(res.field("number").to_numpy(zero_copy_only=False), dtype=object)
        units = np.asarray(res.field("unit").to_numpy(zero_copy_only=False), dtype=object)
        units[~matched] = ""
    nums = pd.to_numeric(numbers, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return matched, np.array(nums, copy=True), units


def _median_hint(
    analyte: Analyte, header: str, given: FloatArray, unit: str, mw: float | None
) -> str | None:
    # a hint, not a statistic: the median of at most ~10,000 evenly spaced cells (deterministic)
    sample = given[:: max(1, given.size // 10_000)]
    finite = sample[np.isfinite(sample)]
    if finite.size == 0 or analyte.typical is None:
        return None
    median = float(np.median(finite))
    rng = analyte.typical
    as_default = median * conversion_factor(unit, analyte.default_unit or "1", analyte.name, mw)
    if rng.low <= as_default <= rng.high:
        return None
    alt = alternative_unit(analyte, median, unit, "typical", mw)
    if alt is None:
        return None
    return (
        f"{analyte.name}: the median of column {header!r} is {fmt(median)} {unit} (unit "
        f"assumed), outside the typical range ({rng} {analyte.default_unit}); if the column is "
        f"in {alt[0]}, name it '{analyte.name} [{alt[0]}]'"
    )


def _cell_unit(given_units: npt.NDArray[Any] | None, i: int, column_unit: str) -> str:
    if given_units is not None and given_units[i] is not None:
        return str(given_units[i])
    return column_unit


def _spelling_codes(text: pd.Series, spellings: Mapping[str, Any]) -> pd.Series:
    """Each cell's category code by its normalised spelling (NaN if none), computed once per
    distinct value: a million-row column holds a handful of spellings."""
    idx, uniques = pd.factorize(text, use_na_sentinel=True)
    keys = (pd.Series(np.asarray(uniques, dtype=object), dtype="str").str.lower()
            .str.replace(r"[\s\-/]+", "_", regex=True).str.strip("_"))
    mapped = np.append(keys.map(spellings).to_numpy(dtype=object), np.nan)
    return pd.Series(mapped[idx], index=text.index, dtype=object)


def _category_column(
    analyte: Analyte,
    header: str,
    series: pd.Series,
    issues: _Issues,
    warnings: list[str],
) -> FloatArray | pd.Series:
    """Canonical codes of one category/bool/event column (float64, or str for sex/etiology)."""
    name = analyte.name
    numeric_codes = analyte.numeric_codes()
    string_coded = any(isinstance(c.code, str) for c in analyte.categories)
    if pd.api.types.is_bool_dtype(series.dtype) and analyte.kind in ("bool", "event"):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    if _is_plain_numeric(series) and not string_coded:
        nums = series.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(nums)
        present = nums[~missing]
        if (
            name in ("ascites", "encephalopathy")
            and present.size
            and np.isin(present, (0.0, 1.0)).all()
            and (present == 0.0).any()
        ):
            return _presence_coded(analyte, header, series, nums, issues, warnings)
        valid = np.isin(nums, list(numeric_codes))
        bad = ~missing & ~valid
        if name in ("ascites", "encephalopathy") and _foreign(present, int(bad.sum())):
            return _foreign_coding(analyte, header, series, nums, issues, warnings)
        pos = np.flatnonzero(bad)
        issues.add(
            pos,
            header,
            _raw_values(series, pos),
            "error",
            [category_message(analyte, v) for v in series.iloc[pos].tolist()],
        )
        if name in ("ascites", "encephalopathy") and present.size and (present == 1.0).all():
            warnings.append(
                f"{name}: column {header!r} holds only 1, read as Child-Pugh points (1 = none). "
                "If it is 0/1 presence coding, every patient is 'present' and would be scored as "
                f"'none': give {analyte.accepted_values_text()} instead"
            )
        out = nums.copy()
        out[bad] = np.nan
        return out
    # Everything below is decided once per distinct raw value (a million-row column holds a
    # handful) and gathered per row by the factorize index; -1 (a missing cell) maps to the
    # extra last entry. Only the rows with a problem are looked at one by one.
    idx, raw_uniques = pd.factorize(series.astype("str"), use_na_sentinel=True)
    utext, umissing = _text(pd.Series(np.asarray(raw_uniques, dtype=object), dtype="str"))
    ucodes = _spelling_codes(utext, analyte.spellings())
    uunmatched = ~umissing & ucodes.isna().to_numpy(dtype=bool)
    if uunmatched.any() and numeric_codes:
        nums = pd.to_numeric(utext.where(pd.Series(uunmatched, index=utext.index)),
                             errors="coerce")
        num_ok = nums.isin(list(numeric_codes)).to_numpy(dtype=bool) & uunmatched
        if num_ok.any():
            ucodes = ucodes.where(~num_ok, nums)
            uunmatched &= ~num_ok
    unmatched = np.append(uunmatched, False)[idx]
    if uunmatched.any():
        pos = np.flatnonzero(unmatched)
        if analyte.open_categories:
            ucodes = ucodes.where(~uunmatched, utext)
            text_pos = pd.Series(np.append(utext.to_numpy(dtype=object), [None])[idx[pos]],
                                 dtype="str")
            for value in pd.unique(text_pos):
                msg = (
                    f"{name}: {value!r} is not one of {analyte.accepted_values_text()}; "
                    "kept as given"
                )
                sel = pos[(text_pos == value).to_numpy(dtype=bool)]
                issues.add(sel, header, _raw_values(series, sel), "warning", [msg] * len(sel))
        else:
            issues.add(
                pos,
                header,
                _raw_values(series, pos),
                "error",
                [category_message(analyte, v) for v in series.iloc[pos].tolist()],
            )
    if string_coded:
        kept = ucodes.where(~pd.Series(uunmatched & (not analyte.open_categories),
                                       index=ucodes.index))
        labels = pd.Series(kept.to_numpy(dtype=object)).astype("str")
        return pd.Series(_gather_str(labels, idx), index=series.index)
    uout = np.array(
        pd.to_numeric(ucodes, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan),
        copy=True,
    )
    uout[uunmatched] = np.nan
    return np.append(uout, np.nan)[idx]


def _gather_str(labels: pd.Series, idx: IntArray) -> Any:
    """``labels`` (a ``str`` Series of distinct values) taken at ``idx`` (-1 = missing), as a
    ``str`` array built in pyarrow (no million Python strings)."""
    import pyarrow as pa

    values = pa.array(labels.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    index = pa.array(np.asarray(idx, dtype=np.int64), mask=np.asarray(idx) < 0)
    taken = values.take(index)
    return pd.array(taken, dtype=labels.dtype)


def _foreign(present: FloatArray, n_bad: int) -> bool:
    """Does a numeric ascites/encephalopathy column use another coding than points 1/2/3? Yes
    if it holds a 0 (never a point; 0/1 presence coding is handled before) or more than one
    code outside 1-3 making up over 5% of its values; a lone stray code is a cell error."""
    return bool(np.any(present == 0.0)) or (n_bad > 1 and n_bad > 0.05 * present.size)


def _foreign_coding(
    analyte: Analyte,
    header: str,
    series: pd.Series,
    nums: FloatArray,
    issues: _Issues,
    warnings: list[str],
) -> FloatArray:
    """A numeric ascites/encephalopathy column with codes outside 1/2/3 (e.g. West Haven 0-4)
    is some other coding: none of its cells can be trusted as Child-Pugh points, not even the
    1s, so every given cell is an error issue and nothing from it is scored."""
    name = analyte.name
    codes = ", ".join(f"{v:g}" for v in np.unique(nums[~np.isnan(nums)])[:8])
    why = (f"{name}: column {header!r} holds codes {codes}, not Child-Pugh points 1/2/3 "
           f"(West Haven grades 0-4 or another coding?); not scored. Give "
           f"{analyte.accepted_values_text()}")
    warnings.append(why)
    pos = np.flatnonzero(~np.isnan(nums))
    issues.add(pos, header, _raw_values(series, pos), "error", [why] * len(pos))
    return np.full(len(nums), np.nan)


def _presence_coded(
    analyte: Analyte,
    header: str,
    series: pd.Series,
    nums: FloatArray,
    issues: _Issues,
    warnings: list[str],
) -> FloatArray:
    name = analyte.name
    warnings.append(
        f"{name}: column {header!r} holds only 0/1, read as absent/present: 0 -> none "
        f"(1 point); 1 (present, grade unknown) -> missing. Give "
        f"{analyte.accepted_values_text()} to score it"
    )
    out = np.where(nums == 0.0, 1.0, np.nan)
    pos = np.flatnonzero(nums == 1.0)
    msg = (
        f"{name}: 1 in a 0/1 (absent/present) column: present, but the grade (mild or "
        "moderate-severe / grade 1-2 or 3-4) is unknown; not scored"
    )
    issues.add(pos, header, _raw_values(series, pos), "warning", [msg] * len(pos))
    return out


def _unknown_header_hint(header: str) -> str | None:
    """A warning for an unrecognised header that looks like a known column (a misspelling,
    or a unit without brackets such as "Bilirubin umol/L"); None when nothing is close."""
    if "@" in header or "#" in header:  # a pivoted REDCap event or repeat instance
        return None
    first = re.split(r"[\s,;]+", header.strip(), maxsplit=1)[0]
    analyte = lookup(first) if first != header.strip() else None
    close = [analyte.name] if analyte is not None else suggest(header, n=1, cutoff=0.8)
    if not close:
        return None
    return (
        f"column {header!r} is not in the data dictionary: kept as is, not scored; did you "
        f"mean {close[0]}? (a unit goes in brackets: '{close[0]} [unit]')"
    )


def _all_distinct(text: pd.Series) -> bool:
    """True if no two cells of ``text`` are equal (at most one missing): then no identifier is
    repeated. One hash pass in pyarrow (about half of ``duplicated``); False when unsure."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(text.array if hasattr(text.array, "__arrow_array__")
                       else text.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        return False
    return len(pc.unique(arr)) == len(text)


def _check_ids(header: str, series: pd.Series, issues: _Issues, unique: bool) -> None:
    """Error issue on every row of a repeated patient_id (if ``unique``); warning if missing."""
    text, missing = _text(series)
    if unique and not _all_distinct(text):
        dup = ~missing & text.duplicated(keep=False).to_numpy(dtype=bool)
        pos = np.flatnonzero(dup)
        if pos.size:
            groups = pd.Series(pos).groupby(text.iloc[pos].to_numpy()).agg(list)
            raw = _raw_values(series, pos)
            messages = []
            for key, value in zip(text.iloc[pos].tolist(), raw, strict=True):
                rows = groups[key]
                shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
                messages.append(
                    f"patient_id {value!r} appears {len(rows)} times (rows {shown}); "
                    "identifiers must be unique"
                )
            issues.add(pos, header, raw, "error", messages)
    miss = np.flatnonzero(missing)
    issues.add(miss, header, [None] * len(miss), "warning", ["patient_id is missing"] * len(miss))


def _apply_mapping(series: pd.Series, mapping: Mapping[Any, Any]) -> pd.Series:
    """Replace the raw values named in ``mapping`` (e.g. sex {0: "M", 1: "F"}); None -> NaN."""
    obj = series.astype(object)
    hit = obj.isin(list(mapping))
    if not hit.any():
        return series
    mapped = obj.where(~hit, obj.map(lambda v: mapping.get(v)))
    return mapped.astype(object)


def normalize_frame(
    df: pd.DataFrame,
    *,
    molecular_weights: Mapping[str, float] | None = None,
    mappings: Mapping[str, Mapping[Any, Any]] | None = None,
    unique_ids: bool = True,
) -> NormalizedFrame:
    """Normalise a cohort table to canonical columns and default units.

    Headers are resolved through the catalog (aliases; units in brackets, ``bilirubin
    [umol/L]``); unknown columns pass through unchanged. Cells may be numbers (in the header's
    or default unit) or strings with their own unit (``"34 umol/L"``). ``molecular_weights``
    overrides catalog molecular weights (g/mol); ``mappings`` maps raw values of a category
    column before reading it (``{"sex": {0: "M", 1: "F"}}``; keys are canonical names).
    ``unique_ids=False`` allows repeated patient_id (long format, one row per visit);
    otherwise each row of a duplicated id gets an error issue. Raises :class:`InputError` when
    a header appears twice, two headers mean the same column, or a header unit is wrong for its
    analyte (the whole column would be unusable).
    """
    mws = dict(molecular_weights or {})
    maps: dict[str, Mapping[Any, Any]] = {}
    for key, mapping in (mappings or {}).items():
        target = lookup(key)
        maps[target.name if target is not None else key] = mapping
    duplicated = df.columns[df.columns.duplicated()]
    if len(duplicated):
        raise InputError(
            str(duplicated[0]), duplicated[0], f"column {duplicated[0]!r} appears more than once"
        )
    issues = _Issues()
    warnings: list[str] = []
    column_units: dict[str, str] = {}
    assumed: list[str] = []
    columns: dict[str, str] = {}
    resolved: list[tuple[Any, str, Analyte | None, str | None]] = []
    seen: dict[str, str] = {}
    for original in df.columns:
        h = str(original)
        name, unit = parse_header(h)
        analyte = lookup(name)
        out_name = analyte.name if analyte is not None else h
        if out_name in seen:
            raise InputError(
                out_name,
                h,
                f"columns {seen[out_name]!r} and {h!r} both mean {out_name}; keep one",
            )
        seen[out_name] = h
        columns[h] = out_name
        resolved.append((original, h, analyte, unit))

    ids = next(
        (
            df[orig]
            for orig, _, a, _ in resolved
            if a is not None and a.kind == "id"
        ),
        None,
    )
    out: dict[Any, Any] = {}
    for original, header, analyte, unit in resolved:
        series = df[original]
        if analyte is None:
            out[original] = series
            hint = _unknown_header_hint(header)
            if hint is not None:
                warnings.append(hint)
            continue
        name = analyte.name
        if name in maps:
            series = _apply_mapping(series, maps[name])
        if unit is not None and not analyte.is_numeric:
            raise UnitError(header, unit, f"column {header!r}: {name} takes no unit (got {unit!r})")
        if analyte.is_numeric:
            used = unit if unit is not None else (analyte.default_unit or "1")
            column_units[name] = used
            assumed_here = unit is None and analyte.has_unit
            if assumed_here:
                assumed.append(name)
                warnings.append(
                    f"{name}: no unit in the header {header!r}; assumed {used} "
                    "(data dictionary default)"
                )
            out[name] = _quantity_column(
                analyte,
                header,
                series,
                used,
                mws.get(name),
                issues,
                warnings if assumed_here else None,
            )
        elif analyte.kind in ("category", "bool", "event"):
            out[name] = _category_column(analyte, header, series, issues, warnings)
        elif analyte.kind == "id":
            out[name] = series
            _check_ids(header, series, issues, unique_ids)
        else:  # text
            out[name] = series
    # the columns as built (ours, or the input's under copy-on-write), not copied into blocks
    data = pd.DataFrame(out, index=df.index, copy=False)
    return NormalizedFrame(
        data=data,
        issues=issues.frame(ids),
        column_units=column_units,
        assumed_units=assumed,
        columns=columns,
        warnings=warnings,
    )
