"""The plan's data: read (file, bundled ``package:`` data or ``demo:`` cohort), score, derive,
filter — with provenance (hash, rows read) and every row left out listed with its reason."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.analysis.errors import ExpressionError, PlanError
from igfcirrhosis.analysis.expressions import evaluate

if TYPE_CHECKING:
    import pandas as pd

    from igfcirrhosis.analysis.plan import DataSpec

ID_CANDIDATES = ("patient_id", "id", "record_id")


@dataclass
class PreparedData:
    """``frame``: rows kept by the filter, original row positions as index (0-based).
    ``all_rows``: every row read (after derivation), for excluded-row listings.
    ``row_number``/``row_id``: per original position, the 1-based data row and the id."""

    frame: pd.DataFrame
    all_rows: pd.DataFrame
    source: str
    resolved: str
    format: str
    sha256: str
    rows_read: int
    id_column: str | None
    excluded: list[dict[str, Any]]  # row, id, reason (stage: read / filter)
    notes: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    units_assumed: list[str] = field(default_factory=list)
    synthetic: bool = False
    derived_missing: dict[str, int] = field(default_factory=dict)

    def row_id(self, pos: int) -> str | None:
        if self.id_column is None:
            return None
        v = self.all_rows[self.id_column].iloc[pos]
        return None if _isna(v) else str(v)


def _isna(v: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


def _package_root() -> Path:
    import igfcirrhosis

    return Path(igfcirrhosis.__file__).resolve().parent / "data"


def resolve_path(spec_path: str, base_dir: Path) -> Path:
    """``package:pbc/pbc.csv`` → the bundled file; a relative path → against the plan folder."""
    if spec_path.startswith("package:"):
        rel = spec_path.removeprefix("package:").lstrip("/")
        root = _package_root()
        p = (root / rel).resolve()
        if root not in p.parents or not p.is_file():
            avail = sorted(str(q.relative_to(root)) for q in root.rglob("*.csv"))
            raise PlanError("data.path", f"no bundled file {rel!r} (bundled: {', '.join(avail)})")
        return p
    p = Path(spec_path).expanduser()
    return p if p.is_absolute() else (base_dir / p)


def _parse_demo(text: str) -> tuple[int, int]:
    from igfcirrhosis.cohort.demo import DEFAULT_N, DEFAULT_SEED

    n, seed = DEFAULT_N, DEFAULT_SEED
    body = text.removeprefix("demo:").strip()
    for part in filter(None, (s.strip() for s in body.split(","))):
        k, _, v = part.partition("=")
        if k.strip() not in ("n", "seed") or not v.strip().isdigit():
            raise PlanError("data.path", f"demo data: expected 'demo:n=400,seed=1', got {text!r}")
        if k.strip() == "n":
            n = int(v)
        else:
            seed = int(v)
    if n < 10:
        raise PlanError("data.path", f"demo data: n must be >= 10, got {n}")
    return n, seed


def _frame_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def read_data(spec: DataSpec, base_dir: Path) -> PreparedData:
    """Read the data the plan names (no derivation or filter yet)."""
    if spec.path.startswith("demo:"):
        from igfcirrhosis.cohort.demo import DEMO_NOTE, generate_demo_cohort

        n, seed = _parse_demo(spec.path)
        frame = generate_demo_cohort(n, seed)
        frame.attrs = {}
        return PreparedData(
            frame=frame, all_rows=frame, source=spec.path, resolved=spec.path,
            format="generated", sha256=_frame_hash(frame), rows_read=len(frame),
            id_column=None, excluded=[], notes=[DEMO_NOTE], synthetic=True,
        )  # fmt: skip
    from igfcirrhosis.cohort.io import read_cohort
    from igfcirrhosis.cohort.read_result import CohortInputError

    path = resolve_path(spec.path, base_dir)
    dd = resolve_path(spec.data_dictionary, base_dir) if spec.data_dictionary else None
    try:
        read = read_cohort(path, format=spec.format, data_dictionary=dd, sheet=spec.sheet)
    except CohortInputError as exc:
        raise PlanError("data.path", str(exc)) from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    frame = read.frame.reset_index(drop=True)
    excluded = [
        {"row": int(r["row"]) if not _isna(r["row"]) else None, "id": None,
         "reason": f"not read: {r['reason']}", "stage": "read"}
        for r in read.excluded.to_dict(orient="records")
    ]  # fmt: skip
    synthetic = bool("synthetic" in frame.columns and frame["synthetic"].astype(bool).all())
    return PreparedData(
        frame=frame, all_rows=frame, source=spec.path, resolved=str(path), format=read.format,
        sha256=digest, rows_read=len(frame) + len(excluded), id_column=None, excluded=excluded,
        notes=list(read.notes), synthetic=synthetic,
    )  # fmt: skip


def _score(spec: DataSpec, data: PreparedData, frame: pd.DataFrame) -> pd.DataFrame:
    """score_frame: score columns appended, canonical columns added in default units, units
    recorded (read, assumed, declared); a declared unit that contradicts scoring is an error."""
    from igfcirrhosis.domain.analytes import lookup
    from igfcirrhosis.domain.frame_scores import score_frame

    scored = score_frame(frame)
    frame = scored.data.copy()
    norm = scored.normalized
    for col, unit in norm.column_units.items():
        data.units.setdefault(col, unit)
    for header, canonical in norm.columns.items():  # "bilirubin [umol/L]" as read
        if header != canonical and canonical in norm.column_units:
            data.units.setdefault(str(header), norm.column_units[canonical])
    # canonical columns in default units (e.g. bilirubin from "bilirubin [umol/L]")
    for col in norm.data.columns:
        if col not in frame.columns:
            frame[col] = norm.data[col].to_numpy()
            analyte = lookup(str(col))
            if analyte is not None and analyte.default_unit:
                data.units[str(col)] = analyte.default_unit
            data.notes.append(f"column {col} added in its default unit "
                              f"({data.units.get(str(col), 'as read')}) from "
                              f"{_source_header(norm.columns, str(col))}")  # fmt: skip
    for col, unit in spec.units.items():
        analyte = lookup(col)
        default = analyte.default_unit if analyte is not None else None
        same = default is not None and unit.replace(" ", "").lower() == default.lower()
        if col in norm.assumed_units and default and not same:
            raise PlanError(
                f"data.units.{col}",
                f"{unit!r} differs from {default!r}, the unit scoring assumes for a header "
                f"without one; write the unit in the header instead (e.g. '{col} [{unit}]')",
            )
    declared = set(spec.units)
    data.units_assumed = sorted(set(norm.assumed_units) - declared)
    for score_col, unit in (("child_pugh_class", "class (A/B/C)"),
                            ("igf_ctp_class", "class (A/B/C)"),
                            ("albi_grade", "grade (1/2/3)")):  # fmt: skip
        data.units.setdefault(score_col, unit)
    for score_col in ("meld", "meld_na", "meld_3", "albi", "mayo_pbc"):
        data.units.setdefault(score_col, "1 (score)")
    for score_col in ("child_pugh_points", "igf_ctp_points"):
        data.units.setdefault(score_col, "points")
    return frame


def prepare(spec: DataSpec, data: PreparedData) -> PreparedData:
    """Score (optional), derive columns in plan order, then apply the filter."""
    frame = data.frame
    if spec.score:
        frame = _score(spec, data, frame)
    for col, unit in spec.units.items():
        data.units[col] = unit
    frame = frame.copy()
    n = len(frame)
    id_col = spec.id or next((c for c in ID_CANDIDATES if c in frame.columns), None)
    if id_col is not None and id_col not in frame.columns:
        raise PlanError("data.id", f"column {id_col!r} not in data (columns: "
                        f"{', '.join(map(str, frame.columns))})")  # fmt: skip
    data.id_column = id_col
    cols = column_arrays(frame)
    for name, expr in spec.derive.items():
        try:
            values = evaluate(expr, cols, n)
        except ExpressionError as exc:
            raise PlanError(f"data.derive.{name}", str(exc)) from None
        frame[name] = values
        cols[name] = values
        miss = int(np.isnan(values).sum()) if values.dtype != object else 0
        src_miss = _source_missing(cols, expr.columns, n)
        data.derived_missing[name] = miss
        if miss > src_miss:
            data.notes.append(
                f"derived column {name} = {expr.text}: {miss - src_miss} row(s) outside the "
                "domain of the function (e.g. log of a value <= 0) became missing"
            )
        data.units.setdefault(name, derived_unit(expr.text, expr.is_logical, data.units))
    data.all_rows = frame
    if spec.filter is not None:
        try:
            keep = evaluate(spec.filter, cols, n)
        except ExpressionError as exc:
            raise PlanError("data.filter", str(exc)) from None
        if keep.dtype == object or not np.isin(keep[~np.isnan(keep)], (0.0, 1.0)).all():
            raise PlanError("data.filter", f"{spec.filter.text!r} is not a true/false condition")
        for pos in np.flatnonzero(keep != 1.0):
            why = "undetermined (missing values)" if np.isnan(keep[pos]) else "false"
            data.excluded.append({
                "row": int(pos) + 1, "id": data.row_id(int(pos)),
                "reason": f"filtered out: {spec.filter.text} is {why}", "stage": "filter",
            })  # fmt: skip
        frame = frame.loc[keep == 1.0]
    data.frame = frame
    return data


def _source_header(columns: dict[str, str], canonical: str) -> str:
    return next((h for h, c in columns.items() if c == canonical), canonical)


_FN_OF_COLUMN = re.compile(r"^\s*(log|log10|sqrt|exp)\(\s*(?:`([^`]+)`|([A-Za-z_][\w.]*))\s*\)\s*$")


def derived_unit(text: str, logical: bool, units: dict[str, str]) -> str:
    """``log(bili)`` with bili in mg/dL → ``log(mg/dL)``; a condition → ``1 (true/false)``;
    anything else → ``derived`` (the plan can declare it in [data.units])."""
    if logical:
        return "1 (true/false)"
    m = _FN_OF_COLUMN.match(text)
    col = m and (m.group(2) or m.group(3))
    if m and col in units:
        return f"{m.group(1)}({units[col]})"
    return "derived"


def _source_missing(cols: dict[str, Any], names: tuple[str, ...], n: int) -> int:
    miss = np.zeros(n, dtype=bool)
    for c in names:
        v = cols.get(c)
        if v is None:
            continue
        if v.dtype == object:
            miss |= np.array([x is None or (isinstance(x, float) and np.isnan(x)) for x in v])
        else:
            miss |= np.isnan(v)
    return int(miss.sum())


def column_arrays(frame: pd.DataFrame) -> dict[str, Any]:
    """Each column as float (NaN for missing) when numeric/boolean, else object (None)."""
    import pandas as pd

    out: dict[str, Any] = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            out[str(c)] = s.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            out[str(c)] = np.array([None if _isna(v) else v for v in s], dtype=object)
    return out
