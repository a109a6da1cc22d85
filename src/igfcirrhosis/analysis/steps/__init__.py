"""One function per analysis type: ``run(ctx) -> StepResult``. Steps compose the stats objects;
the runner owns data, files and the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from igfcirrhosis.analysis.context import StepContext, StepResult


def get_step(kind: str) -> Callable[[StepContext], StepResult]:
    """The step function for analysis type ``kind`` (imported on demand)."""
    from igfcirrhosis.analysis.steps import descriptive, diagnostic, survival

    table: dict[str, Callable[[StepContext], StepResult]] = {
        "table1": descriptive.run_table1,
        "correlation": descriptive.run_correlation,
        "logistic": descriptive.run_logistic,
        "paired": descriptive.run_paired,
        "km": survival.run_km,
        "cox": survival.run_cox,
        "compare_models": survival.run_compare_models,
        "competing": survival.run_competing,
        "cutpoint": diagnostic.run_cutpoint,
        "roc": diagnostic.run_roc,
        "diagnostic": diagnostic.run_diagnostic,
        "combined": diagnostic.run_combined,
    }
    return table[kind]
