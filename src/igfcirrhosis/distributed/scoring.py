"""Cohort scoring on partitions: a Parquet dataset in, a Parquet dataset out, one pass.

The input files are split into partitions of at most ``partition_rows`` rows (files in sorted
path order, rows in file order), so the output row order is the input order, reproducibly.
Each partition runs :func:`igfcirrhosis.domain.frame_scores.score_frame`, writes its rows as
``part.NNNNN.parquet`` and returns its reason counts; the counts are summed afterwards. Nothing
is scored twice and no scored rows travel back to the client.

Two things ``score_frame`` decides from the whole table are decided globally here, before
scoring: duplicate ``patient_id`` (a Dask ``value_counts``; every row of a repeated id gets the
single-machine message, with global row numbers), and whether a numeric ascites or
encephalopathy column is presence-coded (0/1). If a partition would read such a column
differently from the whole table, :class:`DistributedError` says so instead of scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.distributed.errors import DistributedError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from distributed import Client
    from igfcirrhosis.domain.score_specs import ScoreOptions

#: Default rows per partition (about 100 MB of a typical cohort table in memory).
PARTITION_ROWS = 250_000
PART_NAME = "part.{:05d}.parquet"
_PRESENCE_CODED = ("ascites", "encephalopathy")
_DUP_MARK = "\x00igfc-duplicate-row-"


@dataclass(frozen=True)
class Piece:
    """Rows ``[start, start + length)`` of the row groups ``row_groups`` of one file; ``offset``
    is the 0-based position of its first row in the whole dataset."""

    path: str
    row_groups: tuple[int, ...]
    start: int
    length: int
    offset: int


@dataclass(frozen=True)
class ScoreSummary:
    """What :func:`score_parquet` did. ``summary`` has the columns of
    :attr:`ScoredFrame.summary` (``score``, ``reason``, ``rows``) in the same order;
    ``scored`` maps each score key to the rows in which it was computed; ``duplicate_ids``
    lists each repeated patient_id (``patient_id``, ``rows``); ``warnings`` are the table-level
    notes of the partitions, each once."""

    rows: int
    partitions: int
    scored: dict[str, int]
    summary: pd.DataFrame
    duplicate_ids: pd.DataFrame
    output: Path
    warnings: list[str] = field(default_factory=list)


def list_files(source: str | Path | Sequence[str | Path]) -> list[str]:
    """The Parquet files of ``source`` (a file, a directory searched recursively, or a list),
    sorted by path; names starting with ``.`` or ``_`` are skipped."""
    paths = [source] if isinstance(source, str | Path) else list(source)
    files: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and not any(part[:1] in "._" for part in f.relative_to(p).parts)
            )
            files += [str(f) for f in found]
        elif p.is_file():
            files.append(str(p))
        else:
            raise DistributedError(f"{p}: no such file or directory")
    if not files:
        raise DistributedError(f"{source}: no Parquet files found")
    return files


def plan_pieces(files: Sequence[str], partition_rows: int) -> tuple[list[Piece], pa.Schema]:
    """Split ``files`` into pieces of at most ``partition_rows`` rows (from the Parquet
    metadata; nothing is read) and check that every file has the first file's columns."""
    import pyarrow.parquet as pq

    if partition_rows < 1:
        raise DistributedError(f"partition_rows = {partition_rows}: must be at least 1")
    pieces: list[Piece] = []
    schema: pa.Schema | None = None
    offset = 0
    for path in files:
        try:
            meta = pq.ParquetFile(path).metadata
        except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for a non-Parquet file
            raise DistributedError(f"{path}: not a readable Parquet file ({exc})") from None
        file_schema = meta.schema.to_arrow_schema()
        if schema is None:
            schema = file_schema
        elif not file_schema.remove_metadata().equals(schema.remove_metadata()):
            raise DistributedError(
                f"{path}: its columns or types differ from {files[0]}; a dataset must have one "
                "schema"
            )
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        edges = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
        n = int(edges[-1])
        for lo in range(0, n, partition_rows):
            hi = min(lo + partition_rows, n)
            groups = tuple(i for i in range(len(sizes)) if edges[i] < hi and edges[i + 1] > lo)
            first = int(edges[groups[0]])
            pieces.append(Piece(path, groups, lo - first, hi - lo, offset + lo))
        offset += n
    assert schema is not None
    if not pieces:  # every file is empty: one empty partition keeps the columns
        pieces.append(Piece(files[0], (), 0, 0, 0))
    return pieces, schema


def read_piece(piece: Piece, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of one piece, converted as ``pandas.read_parquet`` converts them."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(piece.path)
    if not piece.row_groups:
        table = pf.schema_arrow.empty_table()
        if columns is not None:
            table = table.select(columns)
    else:
        table = pf.read_row_groups(list(piece.row_groups), columns=columns)
    return table.slice(piece.start, piece.length).to_pandas()


def id_keys(series: pd.Series) -> pd.Series:
    """The text ``score_frame`` compares for duplicate ids: stripped, missing tokens as NA
    (the rule of ``input_frames._check_ids``; the parity tests pin it)."""
    from igfcirrhosis.domain.input_values import MISSING_TOKENS

    text = series.astype("str").str.strip()
    missing = text.isna() | text.str.lower().isin(MISSING_TOKENS)
    return text.where(~missing)


def _read_keys(piece: Piece, id_col: str) -> pd.Series:
    keys = id_keys(read_piece(piece, [id_col])[id_col])
    return keys.reset_index(drop=True)


def _dup_rows(piece: Piece, id_col: str, dup_keys: frozenset[str]) -> pd.DataFrame:
    import pandas as pd

    series = read_piece(piece, [id_col])[id_col].reset_index(drop=True)
    keys = id_keys(series)
    pos = np.flatnonzero(keys.isin(list(dup_keys)).to_numpy(dtype=bool))
    raw = [None if isinstance(v, float) and np.isnan(v) else v for v in series.iloc[pos].tolist()]
    return pd.DataFrame(
        {"key": pd.Series(keys.iloc[pos].tolist(), dtype=object),
         "row": (pos + piece.offset).astype(np.int64), "raw": pd.Series(raw, dtype=object)}
    )


def _presence_stats(piece: Piece, headers: list[str]) -> pd.DataFrame:
    """Per header: has values, all in {0, 1}, has a 0 (the presence-coding test)."""
    import pandas as pd

    df = read_piece(piece, headers)
    rows = []
    for h in headers:
        nums = df[h].to_numpy(dtype=np.float64, na_value=np.nan)
        present = nums[~np.isnan(nums)]
        rows.append({"offset": piece.offset, "header": h, "any": bool(present.size),
                     "all01": bool(np.isin(present, (0.0, 1.0)).all()),
                     "zero": bool((present == 0.0).any())})
    return pd.DataFrame(rows, columns=["offset", "header", "any", "all01", "zero"])


def duplicate_message(raw: object, rows: Sequence[int]) -> str:
    """The single-machine message for one row of a repeated id (``input_frames._check_ids``)."""
    shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
    return (f"patient_id {raw!r} appears {len(rows)} times (rows {shown}); "
            "identifiers must be unique")


def _with_duplicates(
    scored: Any, df: pd.DataFrame, id_col: str, dups: dict[int, str]
) -> tuple[pd.DataFrame, int]:
    """Insert the global duplicate messages into ``score_notes`` where ``score_frame`` would
    (issues ordered by header); returns the data and the rows that gained their first issue."""
    from igfcirrhosis.domain.frame_scores import NOTES_COLUMN

    out = scored.data
    out[id_col] = df[id_col].reset_index(drop=True)
    issues = scored.normalized.issues
    issues = issues[issues["row"].isin(list(dups))]
    by_row = {int(r): g for r, g in issues.groupby("row", sort=False)}
    gained = 0
    notes = np.array(out[NOTES_COLUMN].astype(object).to_numpy(), dtype=object, copy=True)
    for row, msg in dups.items():
        group = by_row.get(row)
        msgs = [] if group is None else [str(m) for m in group["message"]]
        cols = [] if group is None else [str(c) for c in group["column"]]
        k = sum(c < id_col for c in cols)
        new = "; ".join([*msgs[:k], msg, *msgs[k:]])
        note = notes[row]
        if msgs:
            old = "; ".join(msgs)
            notes[row] = str(note)[: len(str(note)) - len(old)] + new
        else:
            gained += 1
            notes[row] = new if note is None or note != note else f"{note}; {new}"
    out[NOTES_COLUMN] = notes
    return out, gained


def _score_partition(
    df: pd.DataFrame,
    *,
    pieces: list[Piece],
    output: str,
    schema: pa.Schema,
    id_col: str | None,
    dups: dict[int, str],
    options: ScoreOptions | None,
    molecular_weights: dict[str, float] | None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Score one partition, write it as part.NNNNN.parquet, return its counts (see meta)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from igfcirrhosis.domain.frame_scores import score_frame

    number = 0 if partition_info is None else int(partition_info["number"])
    piece = pieces[number]
    local = {g - piece.offset: m for g, m in dups.items()
             if piece.offset <= g < piece.offset + piece.length}
    given = df
    if local and id_col is not None:  # hide global duplicates from the per-partition check
        given = df.copy()
        ids = given[id_col].astype(object).reset_index(drop=True)
        for p in local:
            ids.iloc[p] = f"{_DUP_MARK}{piece.offset + p}"
        given[id_col] = ids.to_numpy(dtype=object)
    scored = score_frame(given, options=options, molecular_weights=molecular_weights)
    out, gained = scored.data, 0
    if local and id_col is not None:
        out, gained = _with_duplicates(scored, df, id_col, local)
    table = pa.Table.from_pandas(out, schema=schema, preserve_index=False)
    pq.write_table(table, str(Path(output) / PART_NAME.format(number)))
    rows = [("reason", r.score, r.reason, int(r.rows)) for r in scored.summary.itertuples()
            if r.score != "(input)"]
    n_input = int(scored.summary.loc[scored.summary["score"] == "(input)", "rows"].sum())
    rows.append(("input", "(input)", "rows with input issues", n_input + gained))
    rows += [("warning", "", w, 0) for w in scored.normalized.warnings]
    rows.append(("total", "", "", len(out)))
    frame = pd.DataFrame(rows, columns=["kind", "score", "reason", "rows"])
    frame.insert(0, "partition", number)
    return frame.astype(_SUMMARY_DTYPES)


_SUMMARY_DTYPES = {"partition": "int64", "kind": object, "score": object, "reason": object,
                   "rows": "int64"}


def _reason_order(options: ScoreOptions | None) -> dict[tuple[str, str], tuple[int, int]]:
    """(score, reason text) -> (score index, unmet-bits code): ``score_frame``'s row order."""
    from igfcirrhosis.domain.score_specs import SPECS, ScoreOptions, ScoreOutcome, needs

    order: dict[tuple[str, str], tuple[int, int]] = {}
    for k, spec in enumerate(SPECS):
        labels = tuple(" or ".join(alt) for alt in needs(spec, options or ScoreOptions()))
        outcome = ScoreOutcome(spec, None, labels, np.zeros(0, dtype=np.int64))
        for code in range(1, 2 ** len(labels)):
            order[(spec.key, outcome.reason_text(code))] = (k, code)
    return order


def _output_schema(meta_in: pd.DataFrame, meta_out: pd.DataFrame, schema: pa.Schema) -> pa.Schema:
    """Input columns keep their Parquet types; score columns are float64 or string."""
    import pyarrow as pa

    fields = [schema.field(str(c)) for c in meta_in.columns]
    for c in meta_out.columns[len(meta_in.columns):]:
        kind = meta_out[c].dtype.kind
        fields.append(pa.field(str(c), pa.float64() if kind == "f" else pa.string()))
    return pa.schema(fields)


def _check_presence_coding(stats: pd.DataFrame) -> None:
    for header, g in stats.groupby("header", sort=False):
        whole = bool(g["any"].any() and g["all01"].all() and g["zero"].any())
        local = g["any"] & g["all01"] & g["zero"]
        if (local != whole).any():
            first = int(g.loc[local != whole, "offset"].iloc[0])
            how = "presence-coded (0/1)" if whole else "as points"
            raise DistributedError(
                f"column {header!r}: the whole table reads it {how}, but the partition starting "
                f"at row {first} would read it differently; write it as none/mild/"
                "moderate_severe (or none/grade_1_2/grade_3_4), or score on one machine"
            )


def _dask() -> tuple[Any, Any]:
    """dask and dask.dataframe (untyped libraries; imported only when scoring)."""
    import dask
    import dask.dataframe as dd

    return dask, dd


def score_parquet(
    source: str | Path | Sequence[str | Path],
    output: str | Path,
    *,
    client: Client | None = None,
    options: ScoreOptions | None = None,
    partition_rows: int = PARTITION_ROWS,
    molecular_weights: dict[str, float] | None = None,
) -> ScoreSummary:
    """Score every row of the Parquet dataset ``source`` into the directory ``output`` (one
    ``part.NNNNN.parquet`` per partition, in input order); see the module docstring.

    ``client``: a ``distributed.Client`` (workers must see ``source`` and ``output`` at the same
    paths); ``None`` runs on local threads. Raises :class:`DistributedError` for a missing or
    inconsistent dataset or a non-empty ``output``; :class:`InputError` for unusable headers.
    """
    dask, _ = _dask()
    # keep the column types pandas.read_parquet gives (dask would turn strings to pyarrow's)
    with dask.config.set({"dataframe.convert-string": False}):
        return _score_parquet(source, output, client, options, partition_rows, molecular_weights)


def _score_parquet(
    source: str | Path | Sequence[str | Path],
    output: str | Path,
    client: Client | None,
    options: ScoreOptions | None,
    partition_rows: int,
    molecular_weights: dict[str, float] | None,
) -> ScoreSummary:
    import pandas as pd

    from igfcirrhosis.domain.frame_scores import SCORE_COLUMNS, score_frame

    dask, dd = _dask()
    files = list_files(source)
    pieces, schema = plan_pieces(files, partition_rows)
    out_dir = Path(output)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise DistributedError(f"{out_dir}: exists and is not an empty directory")
    meta_in = read_piece(Piece(pieces[0].path, (), 0, 0, 0))
    empty = score_frame(meta_in, options=options, molecular_weights=molecular_weights)
    out_schema = _output_schema(meta_in, empty.data, schema)
    headers = empty.normalized.columns
    id_col = next((h for h, name in headers.items() if name == "patient_id"), None)
    presence = [h for h, name in headers.items() if name in _PRESENCE_CODED
                and meta_in[h].dtype.kind in "iuf"]
    run: dict[str, Any] = {"scheduler": client if client is not None else "threads"}

    scans: list[Any] = []
    if id_col is not None:
        keys = dd.from_map(_read_keys, pieces, id_col=id_col,
                           meta=pd.Series([], dtype="str", name=id_col))
        counts = keys.value_counts(split_out=1)  # tree reduction, no shuffle
        scans.append(counts[counts > 1])  # only the repeated ids travel to the client
    if presence:
        scans.append(dd.from_map(_presence_stats, pieces, headers=presence,
                                 meta=_presence_stats(pieces[0], presence).iloc[:0]))
    found = dask.compute(*scans, **run)
    if presence:
        _check_presence_coding(found[-1])
    dup_counts = pd.Series([], dtype="int64")
    dups: dict[int, str] = {}
    if id_col is not None:
        dup_counts = found[0]
    if len(dup_counts):
        where = dd.from_map(_dup_rows, pieces, id_col=id_col,
                            dup_keys=frozenset(map(str, dup_counts.index)),
                            meta=pd.DataFrame({"key": pd.Series([], dtype=object),
                                               "row": pd.Series([], dtype="int64"),
                                               "raw": pd.Series([], dtype=object)}))
        (located,) = dask.compute(where, **run)
        located = located.sort_values("row", kind="stable")
        rows_of = located.groupby("key", sort=False)["row"].agg(list).to_dict()
        dups = {int(r.row): duplicate_message(r.raw, rows_of[r.key])
                for r in located.itertuples()}

    out_dir.mkdir(parents=True, exist_ok=True)
    frame = dd.from_map(read_piece, pieces, meta=meta_in)
    counts_meta = pd.DataFrame({c: pd.Series([], dtype=t) for c, t in _SUMMARY_DTYPES.items()})
    done = frame.map_partitions(
        _score_partition, pieces=pieces, output=str(out_dir), schema=out_schema, id_col=id_col,
        dups=dups, options=options, molecular_weights=molecular_weights, meta=counts_meta,
        align_dataframes=False,
    )
    (parts,) = dask.compute(done, **run)
    return _summarise(parts, len(pieces), out_dir, dup_counts, options, list(SCORE_COLUMNS))


def _summarise(parts: pd.DataFrame, n_parts: int, out_dir: Path, dup_counts: pd.Series,
               options: ScoreOptions | None, score_columns: list[str]) -> ScoreSummary:
    import pandas as pd

    from igfcirrhosis.domain.score_specs import SPECS

    total = int(parts.loc[parts["kind"] == "total", "rows"].sum())
    reasons = (parts[parts["kind"] == "reason"].groupby(["score", "reason"], sort=False)["rows"]
               .sum().reset_index())
    order = _reason_order(options)
    reasons["_order"] = [order.get((s, r), (len(SPECS), 0)) for s, r in
                         zip(reasons["score"], reasons["reason"], strict=True)]
    reasons = reasons.sort_values(["_order", "reason"], kind="stable").drop(columns="_order")
    n_input = int(parts.loc[parts["kind"] == "input", "rows"].sum())
    if n_input:
        reasons.loc[len(reasons)] = ["(input)", "rows with input issues", n_input]
    summary = pd.DataFrame({"score": reasons["score"].astype(object).to_numpy(),
                            "reason": reasons["reason"].astype(object).to_numpy(),
                            "rows": reasons["rows"].astype("int64").to_numpy()})
    scored = {s.key: total - int(summary.loc[summary["score"] == s.key, "rows"].sum())
              for s in SPECS}
    warnings = list(dict.fromkeys(parts.loc[parts["kind"] == "warning", "reason"].tolist()))
    duplicates = pd.DataFrame({"patient_id": dup_counts.index.astype(object),
                               "rows": dup_counts.to_numpy(dtype=np.int64)})
    return ScoreSummary(total, n_parts, scored, summary, duplicates, out_dir, warnings)
