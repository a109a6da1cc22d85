"""What a step receives (:class:`StepContext`) and returns (:class:`StepResult`).

The context owns the row bookkeeping: :meth:`StepContext.complete` applies the analysis filter
and keeps the rows with every needed column present, recording each other row with its reason;
:meth:`StepContext.binary_outcome` adds the 0/1 outcome column (a column, or "event within a
horizon"), recording undetermined rows. Steps only compose the stats objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.analysis.errors import ExpressionError, PlanError
from igfcirrhosis.analysis.expressions import evaluate

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from igfcirrhosis.analysis.data import PreparedData
    from igfcirrhosis.analysis.plan import AnalysisSpec, Plan

OUTCOME_COL = "__outcome__"
GROUP_COL = "group"


@dataclass
class StepResult:
    """One analysis: JSON results, tables (CSV + report), figures, warnings, methods, exclusions.

    ``methods`` are keys of :data:`igfcirrhosis.analysis.messages.METHODS`."""

    results: dict[str, Any]
    n_used: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)


@dataclass
class StepContext:
    plan: Plan
    data: PreparedData
    spec: AnalysisSpec
    excluded: list[dict[str, Any]] = field(default_factory=list)

    @property
    def time_unit(self) -> str:
        return self.plan.outcome.time_unit

    def say(self, key: str, **kwargs: Any) -> str:
        """A report sentence, always in English so that results.json does not depend on the
        language; it remembers its key, and the report says it in its own language
        (:func:`igfcirrhosis.analysis.messages.localize`)."""
        from igfcirrhosis.analysis.messages import text

        return text(key, "en", **kwargs)

    def unit(self, column: str) -> str | None:
        return self.data.units.get(column)

    def _exclude(self, positions: Any, reason: str | list[str]) -> None:
        reasons = [reason] * len(positions) if isinstance(reason, str) else reason
        for pos, why in zip(positions, reasons, strict=True):
            self.excluded.append(
                {"row": int(pos) + 1, "id": self.data.row_id(int(pos)), "reason": why}
            )

    def complete(self, columns: list[str], frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """Rows passing the analysis filter with every column in ``columns`` present."""
        import pandas as pd

        df = self.data.frame if frame is None else frame
        flt = self.spec.filter
        if flt is not None and frame is None:
            from igfcirrhosis.analysis.data import column_arrays

            try:
                keep = evaluate(flt, column_arrays(df), len(df))
            except ExpressionError as exc:
                raise PlanError(f"{self.spec.key}.filter", str(exc)) from None
            drop = keep != 1.0
            why = np.where(np.isnan(keep), "undetermined (missing values)", "false")
            self._exclude(df.index[drop], [f"analysis filter {flt.text} is {w}" for w in why[drop]])
            df = df.loc[~drop]
        cols = list(dict.fromkeys(columns))
        miss = df[cols].isna()
        bad = miss.any(axis=1).to_numpy()
        if bad.any():
            names = np.array(cols, dtype=object)
            reasons = ["missing " + ", ".join(names[row]) for row in miss.to_numpy()[bad]]
            self._exclude(df.index[bad], reasons)
        out = df.loc[~bad]
        assert isinstance(out, pd.DataFrame)
        return out

    def order_groups(self, frame: pd.DataFrame, column: str, levels: list[Any]) -> pd.DataFrame:
        """Groups of ``column`` restricted to ``levels``, in that order: when it is not the sorted
        order, labels become "1. severe", "2. mild", ... (the stats modules sort groups, and trend
        scores are then 1..k). Rows with another value are excluded with the reason."""
        if not levels:
            return tidy_groups(frame, column)
        width = len(str(len(levels)))
        keys = {str(v): f"{i:0{width}d}. {v}" for i, v in enumerate(levels, 1)}
        raw = frame[column]
        as_text = [str(int(x)) if isinstance(x, float) and x.is_integer() else str(x) for x in raw]
        mapped = [keys.get(x) for x in as_text]
        outside = np.array([m is None for m in mapped])
        if outside.any():
            shown = ", ".join(map(str, levels))
            self._exclude(
                frame.index[outside],
                [f"{column} = {x} is not one of the levels ({shown})"
                 for x, o in zip(as_text, outside, strict=True) if o],
            )  # fmt: skip
        kept = frame.loc[~outside]
        try:
            natural = sorted(levels) == list(levels)
        except TypeError:  # mixed text and numbers
            natural = False
        if natural:  # the stats modules sort groups: the labels can stay as they are
            return tidy_groups(kept, column)
        return kept.assign(**{column: [m for m in mapped if m is not None]})

    def outcome_label(self, outcome: str | dict[str, Any]) -> str:
        if isinstance(outcome, str):
            return outcome
        return f"{outcome['event']} within {outcome['within']:g} {self.time_unit}"

    def outcome_columns(self, outcome: str | dict[str, Any]) -> list[str]:
        return [outcome] if isinstance(outcome, str) else [outcome["time"], outcome["event"]]

    def binary_outcome(self, frame: pd.DataFrame, outcome: str | dict[str, Any]) -> pd.DataFrame:
        """``frame`` with :data:`OUTCOME_COL` (0/1); undetermined rows recorded and dropped."""
        from igfcirrhosis.stats.roc import binary_array, outcome_within

        key = f"{self.spec.key}.outcome"
        if isinstance(outcome, str):
            try:
                y = binary_array(frame[outcome].to_numpy(dtype=object), f"column {outcome!r}")
            except ValueError as exc:
                raise PlanError(key, str(exc)) from None
            out = frame.assign(**{OUTCOME_COL: y})
            return out
        ev = frame[outcome["event"]].to_numpy(dtype=np.float64)
        bad = ~np.isin(ev, (0.0, 1.0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise PlanError(
                key, f"event column {outcome['event']!r} must be 0/1; row "
                f"{int(frame.index[i]) + 1} has {ev[i]:g}"
            )  # fmt: skip
        y = outcome_within(frame[outcome["time"]].to_numpy(dtype=np.float64), ev,
                           outcome["within"], 1)  # fmt: skip
        und = np.isnan(y)
        if und.any():
            self._exclude(
                frame.index[und],
                f"outcome undetermined: {outcome['event']} = 0 with follow-up <= "
                f"{outcome['within']:g} {self.time_unit} (censored before the horizon)",
            )
        return frame.assign(**{OUTCOME_COL: y}).loc[~und]

    def result(self, results: dict[str, Any], n_used: int, **kw: Any) -> StepResult:
        return StepResult(results=results, n_used=n_used, excluded=self.excluded, **kw)


def tidy_groups(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Whole-number float group codes (stage 1.0, 2.0 ...) as integers, for readable labels."""
    import pandas as pd

    s = frame[column]
    if pd.api.types.is_float_dtype(s) and s.notna().all() and (s % 1 == 0).all():
        return frame.assign(**{column: s.astype("int64")})
    return frame


def small_cells(counts: dict[str, int], minimum: int, what: str, language: str = "en") -> list[str]:
    """Warnings for groups with fewer than ``minimum`` ``what``."""
    from igfcirrhosis.analysis.messages import text

    return [
        text("warn_small_cell", language, group=g, n=n, what=what, minimum=minimum)
        for g, n in counts.items()
        if n < minimum
    ]
