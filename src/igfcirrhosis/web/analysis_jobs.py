"""Analysis jobs: an analysis plan (TOML) run on a stored cohort by :mod:`igfcirrhosis.analysis`.

Until that package has its runner, :func:`analysis_available` is False and the pages say so.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from igfcirrhosis.store.engine import Store
from igfcirrhosis.store.models import Cohort
from igfcirrhosis.web.jobs import Progress, Work
from igfcirrhosis.web.problems import ProblemError


def analysis_available() -> bool:
    try:
        return importlib.util.find_spec("igfcirrhosis.analysis.runner") is not None
    except ModuleNotFoundError:
        return False


def analysis_work(store: Store, cohort: Cohort, plan_text: str) -> Work:
    raise ProblemError(409, "cohort analysis is not available in this build", field="plan",
                  value=None)


def _unused(out: Path, progress: Progress) -> Any:  # pragma: no cover
    return None
