"""Errors of the analysis layer. Every message names the plan key (or data row) at fault."""

from __future__ import annotations


class PlanError(ValueError):
    """The plan (or the data it names) is not usable. ``key`` is the dotted plan key, e.g.
    ``analysis[2].time``; the message starts with it. The CLI prints it and exits with 2."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.detail = message
        super().__init__(f"{key}: {message}" if key else message)


class ExpressionError(ValueError):
    """An expression of the plan's small language is malformed or uses something not allowed."""
