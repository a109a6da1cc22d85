"""Analysis jobs: an analysis plan (TOML) run on a stored cohort by :mod:`igfcirrhosis.analysis`.

The plan's ``[data] path`` is always set by the server to the stored cohort file (a plan never
names a file on the server); ``data_dictionary`` is refused. The plan is validated before the
job is queued, so a bad key is a 422 naming ``plan.<key>``.
"""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from typing import Any

from igfcirrhosis.store.engine import Store
from igfcirrhosis.store.models import Cohort
from igfcirrhosis.web.cohort_store import cohort_path
from igfcirrhosis.web.jobs import Progress, Work
from igfcirrhosis.web.problems import ProblemError


def analysis_available() -> bool:
    try:
        return importlib.util.find_spec("igfcirrhosis.analysis.runner") is not None
    except ModuleNotFoundError:
        return False


def parse_web_plan(store: Store, cohort: Cohort, plan_text: str) -> Any:
    """The validated plan with its data pointed at the stored cohort."""
    from igfcirrhosis.analysis.errors import PlanError
    from igfcirrhosis.analysis.plan import parse_plan

    try:
        raw = tomllib.loads(plan_text)
    except tomllib.TOMLDecodeError as exc:
        raise ProblemError(422, f"plan: not valid TOML ({exc})", field="plan",
                           value=None) from None
    data = raw.setdefault("data", {})
    if not isinstance(data, dict):
        raise ProblemError(422, "plan.data: expected a table", field="plan.data",
                           value=str(data)[:100])
    if "data_dictionary" in data:
        raise ProblemError(422, "plan.data.data_dictionary: not supported in the web app "
                           "(upload a REDCap export; it is recognised by its header)",
                           field="plan.data.data_dictionary", value=data["data_dictionary"])
    data["path"] = str(cohort_path(store, cohort))
    data.pop("format", None)
    try:
        return parse_plan(raw, base_dir=store.data_dir / "uploads", source="plan.toml",
                          text=plan_text)
    except PlanError as exc:
        key = f"plan.{exc.key}" if exc.key else "plan"
        raise ProblemError(422, f"{key}: {exc.detail}", field=key, value=None) from None


def analysis_work(store: Store, cohort: Cohort, plan_text: str,
                  ui_language: str | None = None) -> Work:
    """Validate now (422 on a bad plan); the returned work runs it into the job folder.

    The report is written in the plan's ``language`` if it names one, else in the user's page
    language ``ui_language`` (results.json does not depend on it)."""
    plan = parse_web_plan(store, cohort, plan_text)
    language = None if "language" in tomllib.loads(plan_text) else ui_language

    def work(out: Path, progress: Progress) -> str | None:
        from igfcirrhosis.analysis.errors import PlanError
        from igfcirrhosis.analysis.runner import prepare_data, run_plan

        total = len(plan.analyses) + 3
        done = [0]

        def step(event: str, label: str) -> None:
            if event == "done":
                done[0] += 1
            progress(min(0.99, done[0] / total), label)

        (out / "plan.toml").write_text(plan_text, encoding="utf-8")
        try:
            data = prepare_data(plan)
        except PlanError as exc:
            raise ValueError(str(exc)) from None
        step("done", "data")
        outcome = run_plan(plan, out, progress=step, data=data, language=language)
        failed = [f"{r.spec.id}: {r.error}" for r in outcome.failed]
        n = len(outcome.records)
        text = f"{n - len(failed)}/{n} analyses done"
        return text + ("; failed: " + "; ".join(failed) if failed else "")

    return work
