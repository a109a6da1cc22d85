"""An analysis started from the web writes its report in the user's page language."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Live
from .test_jobs import demo_id, needs_analysis, wait


def _run(client: httpx.Client, plan: str) -> dict[str, Any]:
    r = client.post("/api/v1/analyses", json={"cohort_id": demo_id(client), "plan": plan,
                                              "title": "language"})
    assert r.status_code == 202, r.text
    job = wait(client, f"/api/v1/analyses/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    return job


@needs_analysis
@pytest.mark.parametrize(("cookie", "heading", "absent"), [("zh", "分析计划", None),
                                                         ("en", "Data provenance", "分析计划")])
def test_report_follows_the_page_language(live: Live, cookie: str, heading: str,
                                          absent: str | None) -> None:
    with live.client(cookies={"igfc_lang": cookie}) as client:
        plan = client.get("/api/v1/plans/build",
                          params={"name": "demo", "analyses": "km_igf1"}).text
        assert "\nlanguage =" not in plan  # the built plan leaves the language to the page
        job = _run(client, plan)
        report = client.get(f"/api/v1/analyses/{job['id']}/files/report.html").text
    assert heading in report
    if absent:
        assert absent not in report


@needs_analysis
def test_a_plan_that_names_its_language_keeps_it(live: Live) -> None:
    with live.client(cookies={"igfc_lang": "zh"}) as client:
        plan = client.get("/api/v1/plans/build",
                          params={"name": "demo", "analyses": "km_igf1"}).text
        job = _run(client, 'language = "en"\n' + plan)
        report = client.get(f"/api/v1/analyses/{job['id']}/files/report.html").text
    assert "Data provenance" in report and "分析计划" not in report
