"""The analysis-plan form: a default plan for a stored cohort (edited on the page)."""

from __future__ import annotations

from typing import Any


def default_plan(cohort: dict[str, Any]) -> str:
    """A starting plan for ``cohort`` (TOML text); empty until the analysis package lands."""
    return ""
