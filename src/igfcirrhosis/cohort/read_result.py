"""What every cohort reader returns, and the error it raises for bad input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Columns of :attr:`CohortRead.excluded`; readers may add more after these.
EXCLUDED_COLUMNS = ("row", "reason")


class CohortInputError(ValueError):
    """Bad cohort input. The message names the file and, where it applies, the row, column
    and value; the CLI prints it and exits with code 2."""


@dataclass
class CohortRead:
    """A cohort read from a file.

    frame
        One row per patient, canonical column names (units in header brackets where the
        source gives them).
    source
        The path read (as given).
    format
        ``csv``, ``tsv``, ``parquet``, ``excel``, ``redcap`` or ``fhir``.
    excluded
        Everything the reader did not carry into ``frame``: one row per excluded source row
        (or FHIR resource) with at least ``row`` (1-based data row, or resource position) and
        ``reason``.
    notes
        Human-readable statements about choices made while reading (baseline rule, units
        taken from labels, duplicates resolved ...).
    followup
        Longitudinal data that is not baseline (REDCap later events and repeating
        instruments), long by visit: one row per record and event/instance, or ``None``.
    """

    frame: pd.DataFrame
    source: str
    format: str
    excluded: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    followup: pd.DataFrame | None = None


def empty_excluded(extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """An empty ``excluded`` table with the standard columns plus ``extra``."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in (*EXCLUDED_COLUMNS, *extra)})
