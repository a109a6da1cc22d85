"""Shared fixtures: one compiled model per test session (JIT ~0.15 s)."""

from __future__ import annotations

import pytest

from igfcirrhosis.model.engine import IgfModel


@pytest.fixture(scope="session")
def model() -> IgfModel:
    return IgfModel()
