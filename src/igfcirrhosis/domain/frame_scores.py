"""Score a whole cohort table: every input row comes out, with every score and a reason.

:func:`score_frame` is what ``igfc score`` runs: the input columns are kept exactly as given,
the score columns of :data:`SCORE_COLUMNS` are appended, and ``score_notes`` says, per row,
which scores could not be computed and why (missing or implausible inputs, unreadable cells).
Nothing is dropped; the summary counts rows by reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.domain.score_specs import SPECS, ScoreOptions, compute_scores, needs

if TYPE_CHECKING:
    import pandas as pd

    from igfcirrhosis.domain.input_frames import NormalizedFrame

#: Output column -> (score key, result field). Units: points, or unitless score values.
SCORE_COLUMNS: dict[str, tuple[str, str]] = {
    "child_pugh_points": ("child_pugh", "points"),
    "child_pugh_class": ("child_pugh", "grade"),
    "meld": ("meld", "value"),
    "meld_na": ("meld_na", "value"),
    "meld_3": ("meld_3", "value"),
    "albi": ("albi", "value"),
    "albi_grade": ("albi", "grade"),
    "igf_ctp_points": ("igf_ctp", "points"),
    "igf_ctp_class": ("igf_ctp", "grade"),
    "mayo_pbc": ("mayo_pbc", "value"),
}

NOTES_COLUMN = "score_notes"


@dataclass(frozen=True)
class ScoredFrame:
    """``data``: the input rows and columns, then the score columns and ``score_notes``.
    ``summary``: rows by reason (columns ``score``, ``reason``, ``rows``).
    ``normalized``: the canonical frame and its issues (units assumed, flags)."""

    data: pd.DataFrame
    summary: pd.DataFrame
    normalized: NormalizedFrame

    @property
    def n_rows(self) -> int:
        return len(self.data)

    def n_scored(self, score: str) -> int:
        """Rows in which ``score`` (a key of SPECS) was computed."""
        col = next(c for c, (k, _) in SCORE_COLUMNS.items() if k == score)
        return int(self.data[col].notna().sum())


def _issue_notes(normalized: NormalizedFrame, n: int) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Per row: the input issues ("albumin: ...") joined, or None."""
    notes = np.full(n, None, dtype=object)
    issues = normalized.issues
    if len(issues) == 0:
        return notes
    grouped = issues.groupby("row", sort=True)["message"].agg(lambda m: "; ".join(map(str, m)))
    notes[grouped.index.to_numpy(dtype=np.int64)] = grouped.to_numpy(dtype=object)
    return notes


def _labels(values: np.ndarray[Any, Any], codes: np.ndarray[Any, Any] | None = None) -> Any:
    """An object column of str and None as pandas' ``str`` column, built through pyarrow
    (as ``pd.Series(values)`` would infer it, 3-4x cheaper on a million rows). With ``codes``
    (int, 0 = None, k = ``values[k - 1]``) ``values`` are the few distinct labels. A column
    of only None stays an object column, as pandas infers it."""
    import pandas as pd
    import pyarrow as pa

    if codes is None:
        arr = pa.array(values, type=pa.large_string(), from_pandas=True)
        if arr.null_count == len(arr):
            return values
    else:
        if not codes.any():
            return np.full(codes.shape, None, dtype=object)
        index = pa.array(codes.astype(np.int32) - 1, mask=codes == 0)
        arr = pa.DictionaryArray.from_arrays(
            index, pa.array(list(values), type=pa.large_string())).dictionary_decode()
    return pd.array(arr, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _notes_text(outcomes: dict[str, Any], combined: int) -> str | None:
    parts = []
    for k, spec in enumerate(SPECS):
        bits = combined >> (8 * k) & 0xFF
        if bits:
            parts.append(f"{spec.key}: {outcomes[spec.key].reason_text(bits)}")
    return "; ".join(parts) or None


def score_frame(
    df: pd.DataFrame,
    *,
    options: ScoreOptions | None = None,
    molecular_weights: dict[str, float] | None = None,
) -> ScoredFrame:
    """Append every score to every row of ``df`` (headers may carry units: ``bilirubin
    [umol/L]``; aliases such as ``bili`` are resolved). See the module docstring."""
    import pandas as pd

    from igfcirrhosis.domain.inputs import normalize_frame

    normalized = normalize_frame(df, molecular_weights=molecular_weights)
    canon = normalized.data
    n = len(canon)
    opts = options or ScoreOptions()
    wanted = {c for spec in SPECS for alt in needs(spec, opts) for c in alt}
    wanted |= {"etiology", "dialysis", "sex"}
    # not the ids; sex as its str array (compared in pyarrow)
    columns = {c: canon[c].array if c == "sex" else canon[c].to_numpy()
               for c in canon.columns if c in wanted}
    outcomes = compute_scores(columns, n, options, detail=False)  # the columns need no more

    out = df.reset_index(drop=True)  # copy-on-write: adding columns leaves df as it was
    for col, (key, fld) in SCORE_COLUMNS.items():
        result = outcomes[key].result
        computed = outcomes[key].computed
        values = np.asarray(getattr(result, fld))
        if values.dtype == object and fld == "grade" and hasattr(result, "grade_code"):
            # the labels A/B/C from their int8 codes (0 where missing or not computed)
            codes = np.asarray(result.grade_code) * computed
            out[col] = _labels(np.array(["A", "B", "C"], dtype=object), codes)
        else:
            blank: Any = None if values.dtype == object else np.nan
            out[col] = np.where(computed, values, blank)
    summary_rows: list[dict[str, Any]] = []
    combined = np.zeros(n, dtype=np.int64)  # every score's unmet bits, 8 bits per score
    for k, spec in enumerate(SPECS):
        outcome = outcomes[spec.key]
        combined |= outcome.unmet << (8 * k)
        codes, counts = np.unique(outcome.unmet[outcome.unmet != 0], return_counts=True)
        summary_rows += [{"score": spec.key, "reason": outcome.reason_text(int(c)),
                          "rows": int(m)} for c, m in zip(codes, counts, strict=True)]
    notes = np.full(n, None, dtype=object)  # rows with every score computed: no note
    rows = np.flatnonzero(combined)
    codes, inverse = np.unique(combined[rows], return_inverse=True)
    texts = np.array([_notes_text(outcomes, int(c)) for c in codes], dtype=object)
    notes[rows] = texts[inverse.reshape(-1)]
    issue_notes = _issue_notes(normalized, n)
    with_issues = np.flatnonzero(issue_notes != None)  # noqa: E711
    if with_issues.size:
        summary_rows.append({"score": "(input)", "reason": "rows with input issues",
                             "rows": int(with_issues.size)})
        for i in with_issues:
            notes[i] = issue_notes[i] if notes[i] is None else f"{notes[i]}; {issue_notes[i]}"
    out[NOTES_COLUMN] = _labels(notes)
    summary = pd.DataFrame(summary_rows, columns=["score", "reason", "rows"])
    return ScoredFrame(out, summary, normalized)
