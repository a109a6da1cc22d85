"""Errors raised on bad input: they name the field, the value and what was expected."""

from __future__ import annotations


class InputError(ValueError):
    """A value a clinician or researcher supplied cannot be used.

    ``field`` is the key or column, ``value`` what was given, ``message`` a sentence that names
    both and the expected unit or range; ``row`` is the 0-based row for cohort input.
    """

    def __init__(self, field: str | None, value: object, message: str, row: int | None = None):
        super().__init__(message)
        self.field = field
        self.value = value
        self.message = message
        self.row = row

    def __str__(self) -> str:
        return self.message


class UnitError(InputError):
    """A unit that cannot be parsed, or is not of the analyte's dimension."""
