"""Read a cohort file of any supported format, and write a frame by file extension.

Formats, by extension (``format=`` overrides):

==========================  ==========  ==========================================================
extension                   format      reader
==========================  ==========  ==========================================================
``.csv``                    csv         pandas; REDCap when ``data_dictionary`` is given or the
                                        header has both ``record_id`` and ``redcap_event_name``
``.tsv``, ``.tab``          tsv         pandas, tab-separated
``.parquet``, ``.pq``       parquet     pyarrow
``.xlsx``, ``.xlsm``        excel       openpyxl (first sheet unless ``sheet=``)
``.xls``                    excel       needs the optional ``xlrd`` package
``.json``, ``.ndjson``      fhir        FHIR R4 Bundle or NDJSON (:mod:`igfcirrhosis.cohort.fhir`)
==========================  ==========  ==========================================================

Row numbers in messages and in ``excluded.row`` are spreadsheet rows: the header is row 1, the
first data row is row 2 (for CSV without multi-line quoted cells this is the line number).
Blank rows are never dropped silently: they are listed in ``excluded`` with reason ``blank row``.
Identifier columns (``patient_id``, ``id``, ``record_id``, ``subject_id``, ``mrn``) are read as
text so that ``007`` stays ``007``. Columns are not renamed or converted here; that is
:func:`igfcirrhosis.domain.inputs.normalize_frame`'s job.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from igfcirrhosis.cohort.read_result import CohortInputError, CohortRead, empty_excluded

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "tsv", "parquet", "excel", "redcap", "fhir")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
    ".json": "fhir",
    ".ndjson": "fhir",
    ".jsonl": "fhir",
}
ID_COLUMNS = frozenset({"patient_id", "id", "record_id", "subject_id", "mrn"})
_EXPECTED = "expected .csv, .tsv, .parquet, .xlsx/.xls, or .json/.ndjson (FHIR R4)"


def detect_format(path: str | Path) -> str:
    """The format implied by ``path``'s extension (REDCap is detected later, from the header)."""
    suffix = Path(path).suffix.lower()
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        raise CohortInputError(
            f"{path}: unknown cohort file format {suffix or '(no extension)'!r}; {_EXPECTED}, "
            "or pass format="
        ) from None


def read_cohort(
    path: str | Path,
    *,
    format: str | None = None,
    data_dictionary: str | Path | None = None,
    sheet: str | int | None = None,
) -> CohortRead:
    """Read a cohort from ``path``; see the module docstring for formats and conventions.

    Raises :class:`CohortInputError` for a missing, empty, unreadable or unknown file.
    """
    path = Path(path)
    if not path.exists():
        raise CohortInputError(f"{path}: cohort file not found")
    if path.is_dir():
        raise CohortInputError(f"{path}: is a directory, not a cohort file ({_EXPECTED})")
    if path.stat().st_size == 0:
        raise CohortInputError(f"{path}: file is empty (expected a header row and data rows)")
    fmt = format.lower() if format else detect_format(path)
    if fmt not in FORMATS:
        raise CohortInputError(f"{path}: unknown format {format!r}; expected one of {FORMATS}")
    if fmt == "csv" and (data_dictionary is not None or _looks_like_redcap(path)):
        fmt = "redcap"
    if fmt == "redcap":
        from igfcirrhosis.cohort.redcap import read_redcap

        return read_redcap(path, data_dictionary)
    if fmt == "fhir":
        from igfcirrhosis.cohort.fhir import read_fhir

        return read_fhir(path)
    if data_dictionary is not None:
        raise CohortInputError(
            f"{path}: a REDCap data dictionary was given but the file is {fmt}, not a REDCap CSV"
        )
    if fmt in ("csv", "tsv"):
        frame = read_delimited(path, sep="," if fmt == "csv" else "\t")
    elif fmt == "parquet":
        frame = _read_parquet(path)
    else:
        frame = _read_excel(path, sheet)
    frame, excluded = _exclude_blank_rows(frame)
    notes = []
    if len(excluded):
        notes.append(f"{len(excluded)} blank row(s) skipped; listed in excluded")
    if frame.empty:
        raise CohortInputError(f"{path}: no data rows (only a header, or only blank rows)")
    return CohortRead(frame=frame, source=str(path), format=fmt, excluded=excluded, notes=notes)


def read_delimited(path: Path, sep: str = ",") -> pd.DataFrame:
    """A CSV/TSV file as a DataFrame; identifier columns as text; blank lines kept as NA rows."""
    import pandas as pd

    header = _header(path, sep)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise CohortInputError(f"{path}: row 1 (header) repeats column name(s) {dupes}")
    if any(h == "" for h in header):
        col = header.index("") + 1
        raise CohortInputError(f"{path}: row 1 (header), column {col} has no name")
    if len(header) == 1 and ";" in header[0]:
        raise CohortInputError(
            f"{path}: row 1 (header) is one column {header[0]!r}: the file looks "
            "semicolon-separated (as spreadsheets with decimal commas save it); export it as "
            "comma-separated CSV with decimal points"
        )
    id_cols = {h: "string" for h in header if _base_name(h) in ID_COLUMNS}
    kind = "CSV" if sep == "," else "TSV"
    try:
        with warnings.catch_warnings():
            # More fields in a row than in the header would silently shift data into an
            # index: with index_col=False pandas warns instead, and the warning is an error here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(path, sep=sep, dtype=id_cols, skip_blank_lines=False,
                               index_col=False)
    except pd.errors.ParserWarning:
        raise CohortInputError(
            f"{path}: a data row has more fields than the header ({len(header)} columns); "
            f"check the delimiter (this reader expects {kind} with '{sep}') and decimal commas"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise CohortInputError(f"{path}: could not read as {kind}: {exc}") from None


def _header(path: Path, sep: str) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            row = next(csv.reader(fh, delimiter=sep), None)
    except UnicodeDecodeError as exc:
        raise CohortInputError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    if not row or all(not c.strip() for c in row):
        raise CohortInputError(f"{path}: row 1 is empty (expected a header row)")
    return [c.strip() for c in row]


def _base_name(header: str) -> str:
    """``'bilirubin [umol/L]'`` → ``'bilirubin'``, lower-cased."""
    return header.split("[", 1)[0].strip().lower()


def _looks_like_redcap(path: Path) -> bool:
    try:
        header = _header(path, ",")
    except CohortInputError:
        return False
    return "record_id" in header and "redcap_event_name" in header


def _read_parquet(path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        # one block per column: no copy of every float column into a 2-D block (a million
        # rows x 10 columns), which the scoring path would only take apart again
        return pd.read_parquet(path, to_pandas_kwargs={"split_blocks": True})
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise CohortInputError(f"{path}: could not read as Parquet: {exc}") from None


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    import pandas as pd

    engine = "xlrd" if path.suffix.lower() == ".xls" else "openpyxl"
    try:
        book = pd.ExcelFile(path, engine=engine)
    except ImportError:
        raise CohortInputError(
            f"{path}: reading legacy .xls needs the optional 'xlrd' package; "
            "save the sheet as .xlsx or CSV instead"
        ) from None
    except Exception as exc:  # zipfile/openpyxl errors for a file that is not a workbook
        raise CohortInputError(f"{path}: could not read as an Excel workbook: {exc}") from None
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            chosen: str | int = 0
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet in names):
            chosen = sheet
        elif isinstance(sheet, str) and sheet.isdigit():
            chosen = int(sheet)
        else:
            raise CohortInputError(f"{path}: no sheet named {sheet!r}; sheets are {names}")
        if isinstance(chosen, int) and not 0 <= chosen < len(names):
            raise CohortInputError(f"{path}: no sheet number {chosen}; sheets are {names}")
        head = pd.read_excel(book, sheet_name=chosen, nrows=0)
        id_cols = {h: "string" for h in head.columns if _base_name(str(h)) in ID_COLUMNS}
        frame = pd.read_excel(book, sheet_name=chosen, dtype=id_cols)
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed:
        col = list(frame.columns).index(unnamed[0]) + 1
        raise CohortInputError(f"{path}: row 1 (header), column {col} has no name")
    return frame


def _exclude_blank_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    blank = frame.isna().all(axis=1).to_numpy()
    if not blank.any():
        return frame.reset_index(drop=True), empty_excluded()
    rows = [int(i) + 2 for i in blank.nonzero()[0]]
    excluded = pd.DataFrame({"row": rows, "reason": ["blank row"] * len(rows)})
    return frame.loc[~blank].reset_index(drop=True), excluded


def write_frame(frame: pd.DataFrame, path: str | Path, *, note: str | None = None) -> Path:
    """Write ``frame`` as CSV, TSV, Parquet or Excel, chosen by ``path``'s extension.

    ``note`` (e.g. "synthetic data") goes where the format can hold it: Parquet key-value
    metadata (``igfcirrhosis.note``), an ``about`` sheet in Excel; CSV/TSV cannot hold it, so
    label the rows themselves (the demo cohort has a ``synthetic`` column).
    """
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "fhir" or path.suffix.lower() == ".xls":
        raise CohortInputError(
            f"{path}: cannot write {path.suffix}; expected .csv, .tsv, .parquet or .xlsx"
        )
    if fmt in ("csv", "tsv"):
        frame.to_csv(path, sep="," if fmt == "csv" else "\t", index=False, lineterminator="\n")
    elif fmt == "parquet":
        _write_parquet(frame, path, note)
    else:
        import pandas as pd

        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="cohort", index=False)
            if note:
                pd.DataFrame({"note": [note]}).to_excel(writer, sheet_name="about", index=False)
    return path


def _write_parquet(frame: pd.DataFrame, path: Path, note: str | None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if note:
        meta = dict(table.schema.metadata or {})
        meta[b"igfcirrhosis.note"] = note.encode("utf-8")
        table = table.replace_schema_metadata(meta)
    pq.write_table(table, path)
