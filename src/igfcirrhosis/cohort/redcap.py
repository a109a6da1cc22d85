"""REDCap raw exports (coded values) with their data dictionary, pivoted to one row per record.

Input: the "CSV / Microsoft Excel (raw data)" export and the project's data dictionary CSV
(columns "Variable / Field Name", "Form Name", "Field Type", "Field Label", "Choices,
Calculations, OR Slider Labels", "Text Validation Type OR Show Slider Number", ...; the API
metadata names ``field_name``, ``field_type``, ``select_choices_or_calculations`` ... are
accepted too).

Decisions (each tested in ``tests/cohort_io/test_redcap.py``):

* **Record ID.** The export's first column is the record ID (REDCap always puts it first); it
  becomes ``patient_id`` (text).
* **Coded values.** radio/dropdown codes → their labels (``"1, None | 2, Mild"``); a code not
  in the choices is an error naming file, row, column and value. yesno/truefalse 1/0 →
  True/False. Checkbox columns ``var___1``, ``var___2`` … collapse into one column ``var``
  holding the labels of the ticked options, ';'-joined in the dictionary's order; with no box
  ticked the value is missing (REDCap cannot tell "none" from "not answered").
  Numeric validations (integer, number, number_*dp, calc, slider) → numbers; a non-number is an
  error naming file, row, column and value. Plain text becomes numeric when every value parses.
* **Events.** Baseline is ``baseline_event`` if given, else the first ``redcap_event_name`` in
  the file (REDCap exports events in their defined order). The wide ``frame`` holds one row per
  record: the baseline row's fields under their own names, then every other row *pivoted*
  into extra columns:

  - a later (non-repeating) event's fields become ``<field>@<event>``, e.g.
    ``igf1@month_6_arm_1``; a unit stays in brackets right after the field name,
    ``bilirubin [umol/L]@month_6_arm_1``, so the header still says what was measured and in
    which unit (:func:`igfcirrhosis.domain.inputs.normalize_frame` does not recognise such a
    header and passes the column through unchanged: only baseline columns are converted and
    scored; for a header starting with a known name it adds a "did you mean" hint to its
    warnings). In a plan expression name it in backticks: `` `igf1@month_6_arm_1` - igf1 ``;
  - a repeating instrument or repeating event (``redcap_repeat_instance`` set) becomes
    ``<field>@<event>#<instance>``, e.g. ``hosp_reason@baseline_arm_1#2`` (a repeating
    instrument at the baseline event is pivoted too); without ``redcap_event_name`` (a
    classic project) ``<field>#<instance>``;
  - only fields with a value in at least one row of that event (or instance) get a column, so
    the month-6 event adds no empty copies of the demographics form; columns come in the order
    the events (then instruments, then instance numbers) first occur in the file, fields in the
    export's column order;
  - a record without that event keeps its row, the event's columns missing; a record with two
    rows for the same event (and instrument and instance) is an error;
  - checkbox columns are collapsed row by row before the pivot, so ``complications@event``
    holds that event's ticked labels; values keep the dtype decoding gave them (numbers,
    True/False, text).

  The same rows also stay in the long table ``CohortRead.followup``, one row per record and
  visit, same column names plus ``redcap_event_name``, ``redcap_repeat_instrument``,
  ``redcap_repeat_instance``.
  Outcomes are the exception: a field of the *outcome form* — the form holding a field that
  maps to ``time``, ``event`` or ``transplant`` (without a dictionary: those fields alone) —
  that is never recorded at baseline but at exactly one later non-repeating event ("end of
  study", say) is carried into ``frame`` from that event under its own name (not repeated as
  ``<field>@<event>``), and a note says so. Labs measured only later are never moved to
  baseline (they appear only as ``<field>@<event>``). A record with no baseline row keeps a
  row in ``frame`` (its baseline fields missing) and is named in the notes.
* **Names.** A field whose name is a data-dictionary column or an alias of one
  (:func:`igfcirrhosis.domain.analytes.lookup`, e.g. ``total_bilirubin`` → ``bilirubin``) takes
  the canonical name; other fields keep their REDCap name. ``<form>_complete`` status columns
  are dropped (named in a note).
* **Units.** A numeric field whose label ends in a unit in brackets or parentheses
  ("Total bilirubin (umol/L)") gets it in the header: ``bilirubin [umol/L]``. A bracketed text
  counts as a unit only if :func:`igfcirrhosis.domain.units.parse_unit` accepts it and it
  contains a letter or '%'. Conversion happens downstream.

Not handled: REDCap's "missing data codes" (e.g. ``UNK``) — they make a numeric field fail
with a clear error; the label export (values already as labels) needs no dictionary and reads
as a plain CSV.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from igfcirrhosis.cohort.read_result import CohortInputError, CohortRead, empty_excluded

if TYPE_CHECKING:
    import pandas as pd

#: Data dictionary headers (CSV download) and their API metadata names.
DD_COLUMNS = {
    "field_name": "Variable / Field Name",
    "form_name": "Form Name",
    "field_type": "Field Type",
    "field_label": "Field Label",
    "select_choices_or_calculations": "Choices, Calculations, OR Slider Labels",
    "text_validation_type_or_show_slider_number": "Text Validation Type OR Show Slider Number",
}
_REQUIRED = ("Variable / Field Name", "Field Type", "Field Label")
_NUMERIC_VALIDATION = re.compile(r"^(integer|number(_\w+)?)$")
_UNIT_IN_LABEL = re.compile(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*:?\s*$")
_OUTCOMES = frozenset({"time", "event", "transplant"})
_REDCAP_META = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")


@dataclass(frozen=True)
class Field:
    """One data dictionary row: name, type, label, choices (code → label), validation."""

    name: str
    form: str
    type: str
    label: str
    choices: dict[str, str]
    validation: str

    @property
    def numeric(self) -> bool:
        """True for calc, slider and number/integer-validated text."""
        return self.type in ("calc", "slider") or bool(_NUMERIC_VALIDATION.match(self.validation))


def read_data_dictionary(path: str | Path) -> dict[str, Field]:
    """The REDCap data dictionary CSV at ``path`` as ``{field name: Field}`` in file order."""
    path = Path(path)
    if not path.is_file():
        raise CohortInputError(f"{path}: REDCap data dictionary not found")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise CohortInputError(f"{path}: REDCap data dictionary has no rows")
    header = {DD_COLUMNS.get(k.strip(), k.strip()): k for k in rows[0]}
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise CohortInputError(
            f"{path}: not a REDCap data dictionary; row 1 lacks column(s) {missing}"
        )

    def get(row: dict[str, str], col: str) -> str:
        key = header.get(col)
        return (row.get(key) or "").strip() if key else ""

    fields: dict[str, Field] = {}
    for i, row in enumerate(rows, start=2):
        name, ftype = get(row, "Variable / Field Name"), get(row, "Field Type").lower()
        if not name:
            raise CohortInputError(f"{path}: row {i}, column 'Variable / Field Name' is empty")
        choices: dict[str, str] = {}
        if ftype in ("radio", "dropdown", "checkbox"):
            choices = _parse_choices(
                get(row, "Choices, Calculations, OR Slider Labels"), path, i, name
            )
        elif ftype == "yesno":
            choices = {"1": "Yes", "0": "No"}
        elif ftype == "truefalse":
            choices = {"1": "True", "0": "False"}
        fields[name] = Field(
            name=name,
            form=get(row, "Form Name"),
            type=ftype,
            label=get(row, "Field Label"),
            choices=choices,
            validation=get(row, "Text Validation Type OR Show Slider Number").lower(),
        )
    return fields


def _parse_choices(text: str, path: Path, row: int, name: str) -> dict[str, str]:
    choices: dict[str, str] = {}
    for part in text.split("|"):
        if not part.strip():
            continue
        code, sep, label = part.partition(",")
        if not sep:
            raise CohortInputError(
                f"{path}: row {row}, column 'Choices, Calculations, OR Slider Labels' "
                f"(field {name}): choice {part.strip()!r} is not 'code, label'"
            )
        choices[code.strip()] = label.strip()
    if not choices:
        raise CohortInputError(
            f"{path}: row {row}, field {name}: a {name!r} choice field lists no choices"
        )
    return choices


def read_redcap(
    export: str | Path,
    data_dictionary: str | Path | None = None,
    *,
    baseline_event: str | None = None,
) -> CohortRead:
    """Read a REDCap raw export (and its data dictionary); see the module docstring."""
    import pandas as pd

    path = Path(export)
    if not path.is_file():
        raise CohortInputError(f"{path}: REDCap export not found")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CohortInputError(f"{path}: could not read as a REDCap CSV export: {exc}") from None
    if raw.empty:
        raise CohortInputError(f"{path}: REDCap export has no data rows")
    raw = raw.apply(lambda s: s.str.strip()).replace("", pd.NA)
    notes: list[str] = []
    fields = read_data_dictionary(data_dictionary) if data_dictionary is not None else None
    if fields is None:
        notes.append("no data dictionary: coded values kept as codes, no units from labels")
    id_col = str(raw.columns[0])
    if raw[id_col].isna().any():
        row = int(raw[id_col].isna().to_numpy().nonzero()[0][0]) + 2
        raise CohortInputError(f"{path}: row {row}, column {id_col!r}: record ID is empty")

    decoded = _decode(raw, fields, path, id_col, notes)
    columns = _canonical_columns(decoded, fields, id_col, notes)
    decoded = decoded.rename(columns=columns)
    outcome_cols = _outcome_columns(columns, fields)
    frame, followup = _pivot(decoded, path, baseline_event, outcome_cols, notes)
    return CohortRead(
        frame=frame,
        source=str(path),
        format="redcap",
        excluded=empty_excluded(),
        notes=notes,
        followup=followup,
    )


def _decode(
    raw: pd.DataFrame, fields: dict[str, Field] | None, path: Path, id_col: str, notes: list[str]
) -> pd.DataFrame:
    """Checkbox collapse, code → label, numbers; REDCap meta columns kept as they are."""
    import pandas as pd

    out: dict[str, Any] = {id_col: raw[id_col]}
    for meta in _REDCAP_META + ("redcap_data_access_group",):
        if meta in raw.columns:
            out[meta] = raw[meta]
    checkbox_cols: dict[str, list[str]] = {}
    status = [c for c in raw.columns if str(c).endswith("_complete")]
    if status:
        notes.append(f"form status columns dropped: {', '.join(map(str, status))}")
    for col in raw.columns:
        col = str(col)
        if col in out or col in status:
            continue
        base, sep, _code = col.partition("___")
        if sep:
            checkbox_cols.setdefault(base, []).append(col)
            out.setdefault(base, None)  # keep the column order of the export
            continue
        field = fields.get(col) if fields else None
        if fields is not None and field is None:
            notes.append(f"column {col!r} is not in the data dictionary; kept as read")
        out[col] = _decode_column(raw[col], field, path, col)
    for base, cols in checkbox_cols.items():
        field = fields.get(base) if fields else None
        out[base] = _collapse_checkbox(raw, base, cols, field, path)
    return pd.DataFrame(out)


def _decode_column(values: pd.Series, field: Field | None, path: Path, col: str) -> pd.Series:
    import pandas as pd

    if field is not None and field.type in ("radio", "dropdown", "yesno", "truefalse"):
        _check_codes(values, field.choices, path, col)
        if field.type in ("yesno", "truefalse"):
            return values.map({"1": True, "0": False}).astype("boolean")
        return values.map(field.choices).astype("string")
    if field is not None and field.numeric:
        return _to_number(values, path, col)
    numbers = pd.to_numeric(values, errors="coerce")
    if values.notna().any() and (numbers.notna() == values.notna()).all():
        return numbers
    return values.astype("string")


def _check_codes(values: pd.Series, choices: dict[str, str], path: Path, col: str) -> None:
    bad = values.notna() & ~values.isin(list(choices))
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise CohortInputError(
            f"{path}: row {i + 2}, column {col!r}: value {values.iloc[i]!r} is not a coded "
            f"choice; expected one of {sorted(choices)}"
        )


def _to_number(values: pd.Series, path: Path, col: str) -> pd.Series:
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & numbers.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise CohortInputError(
            f"{path}: row {i + 2}, column {col!r}: value {values.iloc[i]!r} is not a number"
        )
    return numbers.astype("float64")


def _collapse_checkbox(
    raw: pd.DataFrame, base: str, cols: list[str], field: Field | None, path: Path
) -> pd.Series:
    """``base___1``, ``base___2`` (0/1 or Unchecked/Checked) → ';'-joined chosen labels."""
    import pandas as pd

    by_code = {c.partition("___")[2]: c for c in cols}
    if field is not None:
        # REDCap writes the code lower-cased, '-' and '.' as '_' in the column name
        order = [(k, v) for k, v in field.choices.items()]
        keyed = {re.sub(r"[^0-9a-z_]", "_", k.lower()): (k, v) for k, v in order}
        unknown = [c for c in by_code if c not in keyed]
        if unknown:
            raise CohortInputError(
                f"{path}: row 1 (header), column {base}___{unknown[0]!r}: checkbox code "
                f"{unknown[0]!r} is not a choice of {base!r}; choices are {list(field.choices)}"
            )
        pairs = [(by_code[k], keyed[k][1]) for k in keyed if k in by_code]
    else:
        pairs = [(c, c.partition("___")[2]) for c in cols]
    chosen: list[list[str]] = [[] for _ in range(len(raw))]
    for col, label in pairs:
        ticks = raw[col]
        ok = ticks.isna() | ticks.str.lower().isin(["0", "1", "checked", "unchecked"])
        if not ok.all():
            i = int((~ok).to_numpy().nonzero()[0][0])
            raise CohortInputError(
                f"{path}: row {i + 2}, column {col!r}: checkbox value {ticks.iloc[i]!r}; "
                "expected 0/1 (or Unchecked/Checked)"
            )
        for i in ticks.str.lower().isin(["1", "checked"]).to_numpy().nonzero()[0]:
            chosen[int(i)].append(label)
    return pd.Series([";".join(c) if c else pd.NA for c in chosen], dtype="string")


def _canonical_columns(
    frame: pd.DataFrame, fields: dict[str, Field] | None, id_col: str, notes: list[str]
) -> dict[str, str]:
    """REDCap name → canonical name (with ``[unit]`` from the label) where one applies."""
    lookup = _alias_lookup()
    mapping = {id_col: "patient_id"}
    taken = {"patient_id"}
    for col in frame.columns:
        if col == id_col or col in _REDCAP_META:
            continue
        name = lookup(col) or col
        if name in taken:
            notes.append(f"field {col!r} also maps to {name!r}; kept under its REDCap name")
            name = col
        taken.add(name)
        field = fields.get(col) if fields else None
        unit = (
            unit_from_label(field.label) if field is not None and _is_numeric(frame[col]) else None
        )
        mapping[col] = f"{name} [{unit}]" if unit else name
    renamed = {k: v for k, v in mapping.items() if k != v}
    if renamed:
        notes.append(
            "fields renamed to data dictionary columns: "
            + ", ".join(f"{k} -> {v}" for k, v in renamed.items())
        )
    return mapping


def _is_numeric(values: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(values)) and not pd.api.types.is_bool_dtype(values)


def _alias_lookup() -> Any:
    """``name -> canonical name or None`` via the analyte catalog; exact names if unavailable."""
    try:
        from igfcirrhosis.domain.analytes import lookup
    except ImportError:  # pragma: no cover - the catalog ships with the package
        return lambda name: None

    def canonical(name: str) -> str | None:
        analyte = lookup(name)
        return None if analyte is None else analyte.name

    return canonical


def unit_from_label(label: str) -> str | None:
    """The unit a REDCap field label ends with, in () or [], e.g. ``"Bilirubin (umol/L)"``."""
    m = _UNIT_IN_LABEL.search(label)
    if m is None:
        return None
    text = m.group(1)
    if not re.search(r"[A-Za-z%µμ]", text):
        return None
    try:
        from igfcirrhosis.domain.units import parse_unit
    except ImportError:  # pragma: no cover - fall back to a plain shape check
        return text if "/" in text or "%" in text else None
    try:
        parse_unit(text)
    except ValueError:  # UnitError is a ValueError
        return None
    return text


def _outcome_columns(columns: dict[str, str], fields: dict[str, Field] | None) -> set[str]:
    """Output columns of the outcome form(s): forms with a time/event/transplant field."""
    outcome = {raw for raw, col in columns.items() if col.split(" [")[0] in _OUTCOMES}
    if fields is None:
        return {columns[raw] for raw in outcome}
    forms = {fields[raw].form for raw in outcome if raw in fields}
    return {
        col
        for raw, col in columns.items()
        if raw in outcome or (raw in fields and fields[raw].form in forms)
    }


def _pivot(
    decoded: pd.DataFrame,
    path: Path,
    baseline_event: str | None,
    outcome_cols: set[str],
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Baseline rows → wide frame; all other rows → long follow-up table."""
    import pandas as pd

    if "redcap_event_name" not in decoded.columns and "redcap_repeat_instance" not in decoded:
        _check_unique(decoded, path, ["patient_id"])
        return decoded.reset_index(drop=True), None
    repeating = pd.Series(False, index=decoded.index)
    for meta in ("redcap_repeat_instrument", "redcap_repeat_instance"):
        if meta in decoded.columns:
            repeating |= decoded[meta].notna()
    if "redcap_event_name" in decoded.columns:
        events = decoded["redcap_event_name"]
        if events.isna().any():
            i = int(events.isna().to_numpy().nonzero()[0][0])
            raise CohortInputError(f"{path}: row {i + 2}, column 'redcap_event_name' is empty")
        first = str(events.iloc[0])
        baseline = baseline_event or first
        if baseline not in set(events):
            raise CohortInputError(
                f"{path}: baseline event {baseline!r} does not occur in column "
                f"'redcap_event_name'; events are {list(dict.fromkeys(events))}"
            )
        notes.append(
            f"baseline event: {baseline!r} ({'given' if baseline_event else 'first in file'});"
            " later events and repeating instruments are pivoted into <field>@<event>[#<instance>]"
            " columns and kept in followup (long)"
        )
        is_base = (events == baseline) & ~repeating
    else:
        is_base = ~repeating
        notes.append(
            "repeating instruments are pivoted into <field>#<instance> columns and kept in "
            "followup (long)"
        )
    base = decoded.loc[is_base]
    _check_unique(base, path, ["patient_id"])
    meta_cols = [c for c in _REDCAP_META if c in decoded.columns]
    records = pd.DataFrame({"patient_id": pd.unique(decoded["patient_id"])})
    frame = records.merge(base.drop(columns=meta_cols), on="patient_id", how="left")
    lacking = sorted(set(records["patient_id"]) - set(base["patient_id"]))
    if lacking:
        notes.append(f"records without a baseline row (fields left missing): {lacking}")
    rest = decoded.loc[~is_base]
    if rest.empty:
        return frame, None
    carried = _carry_outcomes(frame, rest, repeating.loc[~is_base], outcome_cols, notes)
    keep = ["patient_id", *meta_cols]
    keep += [c for c in rest.columns if c not in keep and rest[c].notna().any()]
    followup = rest[keep].reset_index(drop=True)
    if "redcap_repeat_instance" in followup.columns:
        instance = followup["redcap_repeat_instance"]
        followup["redcap_repeat_instance"] = _to_number(instance, path, "redcap_repeat_instance")
        followup["redcap_repeat_instance"] = followup["redcap_repeat_instance"].astype("Int64")
    only_later = [c for c in frame.columns[1:] if frame[c].isna().all() and c in followup]
    if only_later:
        frame = frame.drop(columns=only_later)
        notes.append(
            f"fields recorded only after baseline, kept in followup: {only_later} "
            "(and as <field>@<event> columns)"
        )
    frame = _pivot_visits(frame, rest, followup, meta_cols, carried, path, notes)
    return frame, followup


def _pivot_visits(
    frame: pd.DataFrame,
    rest: pd.DataFrame,
    followup: pd.DataFrame,
    meta_cols: list[str],
    carried: dict[str, str],
    path: Path,
    notes: list[str],
) -> pd.DataFrame:
    """Append each non-baseline visit's fields to ``frame`` as ``<field>@<event>[#<instance>]``.

    ``rest`` holds the non-baseline rows with their export row positions as index (for error
    messages); ``followup`` the same rows in the same order, the instance as a number.
    ``carried`` maps outcome fields already carried into ``frame`` to their event.
    """
    import pandas as pd

    n = len(followup)
    missing = pd.Series([pd.NA] * n, index=followup.index, dtype="object")
    event = followup.get("redcap_event_name")
    instrument = followup.get("redcap_repeat_instrument", missing)
    instance = followup.get("redcap_repeat_instance", missing)
    visits = pd.DataFrame(
        {
            "event": missing if event is None else event,
            "instrument": instrument,
            "instance": instance,
        }
    )
    visits["suffix"] = [
        ("" if pd.isna(e) else f"@{e}") + ("" if pd.isna(k) else f"#{int(k)}")
        for e, k in zip(visits["event"], visits["instance"], strict=True)
    ]
    dup = pd.concat([followup["patient_id"], visits["suffix"]], axis=1).duplicated().to_numpy()
    if dup.any():
        i = int(dup.nonzero()[0][0])
        raise CohortInputError(
            f"{path}: row {int(rest.index[i]) + 2}, column 'patient_id': record "
            f"{followup['patient_id'].iloc[i]!r} appears twice for the same event "
            f"({visits['suffix'].iloc[i]!r})"
        )
    # visits in the order events, then instruments, first occur; then by instance number
    rank = pd.DataFrame(
        {
            "event": pd.factorize(visits["event"].astype("string"), use_na_sentinel=False)[0],
            "instrument": pd.factorize(
                visits["instrument"].astype("string"), use_na_sentinel=False
            )[0],
            "instance": pd.to_numeric(visits["instance"]).fillna(-1).to_numpy(),
        }
    )
    ordered = visits["suffix"].iloc[rank.sort_values(list(rank.columns), kind="stable").index]
    fields = [c for c in followup.columns if c != "patient_id" and c not in meta_cols]
    pieces = []
    for suffix in dict.fromkeys(ordered):
        rows = followup.loc[visits["suffix"] == suffix].set_index("patient_id")
        cols = [c for c in fields if rows[c].notna().any() and f"@{carried.get(c)}" != suffix]
        if cols:
            pieces.append(rows[cols].rename(columns=lambda c, v=suffix: f"{c}{v}"))
    if not pieces:
        return frame
    wide = pd.concat(pieces, axis=1)
    clash = [c for c in wide.columns if c in frame.columns]
    if clash:
        raise CohortInputError(
            f"{path}: pivoted column {clash[0]!r} clashes with a field of the same name"
        )
    notes.append(
        f"{len(pieces)} non-baseline visit(s) pivoted into {wide.shape[1]} column(s) "
        "<field>@<event> (repeating: <field>@<event>#<instance>); a record without a visit "
        "has those columns missing"
    )
    return frame.join(wide, on="patient_id")


def _check_unique(frame: pd.DataFrame, path: Path, cols: list[str]) -> None:
    dup = frame.duplicated(cols, keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        value = frame["patient_id"].iloc[i]
        raise CohortInputError(
            f"{path}: row {int(frame.index[i]) + 2}, column 'patient_id': record {value!r} "
            "appears twice for the same event"
        )


def _carry_outcomes(
    frame: pd.DataFrame,
    rest: pd.DataFrame,
    repeating: pd.Series,
    outcome_cols: set[str],
    notes: list[str],
) -> dict[str, str]:
    """Fill, in place, outcome fields empty at baseline that exactly one later event records;
    return ``{column: event it was taken from}``."""
    carried: dict[str, str] = {}
    if "redcap_event_name" not in rest.columns:
        return carried
    once = rest.loc[~repeating]
    for col in frame.columns:
        if col not in outcome_cols or frame[col].notna().any() or col not in once.columns:
            continue
        holders = once.loc[once[col].notna()]
        events = set(holders["redcap_event_name"])
        if len(events) != 1 or holders["patient_id"].duplicated().any():
            continue
        values = holders.set_index("patient_id")[col]
        frame[col] = frame["patient_id"].map(values).astype(values.dtype)
        carried[col] = str(events.pop())
        notes.append(f"{col!r} is not recorded at baseline; taken from event {carried[col]!r}")
    return carried
