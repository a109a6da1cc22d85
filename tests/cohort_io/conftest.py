"""Paths to the example files the cohort readers are tested on."""

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
