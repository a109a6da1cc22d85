"""Files under the data directory: streamed uploads with a size limit, server-chosen names,
safe lookups of result files, and spreadsheet-formula neutralisation for CSV/Excel exports."""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from igfcirrhosis.web.problems import ProblemError

UPLOAD_EXTENSIONS = (".csv", ".tsv", ".parquet", ".xlsx", ".json", ".ndjson")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")


def upload_extension(filename: str) -> str:
    """The lower-case extension of an uploaded file's name (only used to pick the reader)."""
    ext = Path(filename.replace("\\", "/")).suffix.lower()
    if ext not in UPLOAD_EXTENSIONS:
        raise ProblemError(415, f"filename {filename!r}: expected one of {', '.join(UPLOAD_EXTENSIONS)}"
                      " (CSV, TSV, Parquet, Excel, REDCap CSV, FHIR JSON/NDJSON)",
                      field="filename", value=filename)
    return ext


def display_name(filename: str) -> str:
    """The base name, printable characters only, at most 200 characters (display only)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "upload"


async def receive_upload(chunks: AsyncIterator[bytes], tmp_dir: Path, ext: str,
                         limit: int) -> Path:
    """Stream the body into ``tmp_dir/<random><ext>``; 413 (file removed) above ``limit``."""
    path = tmp_dir / f"up-{secrets.token_hex(8)}{ext}"
    size = 0
    try:
        with path.open("wb") as fh:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ProblemError(413, f"upload larger than the limit of {limit} bytes",
                                  field="body", value=size)
                fh.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise ProblemError(422, "the upload is empty (send the file as the request body)",
                      field="body", value=0)
    return path


def result_file(root: Path, name: str) -> Path:
    """``root/name`` for a name listed by the job (no separators, no ``..``); else 404."""
    parts = name.split("/")
    if not all(_SAFE_NAME.match(p) for p in parts) or len(parts) > 3:
        raise ProblemError(404, f"no file {name!r}", field="name", value=name)
    path = (root / name).resolve()
    if root.resolve() not in path.parents or not path.is_file():
        raise ProblemError(404, f"no file {name!r}", field="name", value=name)
    return path


def list_files(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(cell: Any) -> Any:
    """Prefix ``'`` to a text cell starting with = + - @ tab or CR (numbers stay numbers)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not _is_number(cell):
        return "'" + cell
    return cell


def safe_csv_text(text: str, delimiter: str = ",") -> str:
    """A CSV text with every formula-like cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()


def safe_frame(frame: Any) -> Any:
    """A copy of a DataFrame with formula-like text cells (and headers) neutralised."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            out[col] = out[col].map(neutralise)
    return out


def frame_csv(frame: Any) -> bytes:
    return str(safe_frame(frame).to_csv(index=False)).encode("utf-8")


def frame_xlsx(frame: Any) -> bytes:
    buf = io.BytesIO()
    safe_frame(frame).to_excel(buf, index=False)
    return buf.getvalue()
