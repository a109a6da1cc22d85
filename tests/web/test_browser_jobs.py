"""Browser: upload the demo cohort, run the analysis, see the Kaplan-Meier figure, download
results.json; run a simulation and see its plot; screenshots of every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from igfcirrhosis.web.analysis_jobs import analysis_available

from .browser import browser_page, shot
from .conftest import Live


@pytest.mark.skipif(not analysis_available(), reason="igfcirrhosis.analysis is not in this build")
def test_upload_demo_cohort_and_run_analysis(live: Live, tmp_path: Path) -> None:
    from igfcirrhosis.cohort.demo import generate_demo_cohort

    csv = tmp_path / "my-demo.csv"
    generate_demo_cohort(200, 7).to_csv(csv, index=False)
    with browser_page(accept_downloads=True) as page:
        page.goto(live.url + "/cohorts")
        page.set_input_files("#cohort-file", str(csv))
        page.click("#upload-btn")
        page.wait_for_url("**/cohorts/*")
        assert page.text_content("#n-rows") == "200"
        shot(page, "cohort-validation")
        page.uncheck("#pa-table1")
        page.uncheck("#pa-cox")
        page.wait_for_function(
            "!document.getElementById('plan-text').value.includes('table1_child_pugh')")
        page.click("#run-btn")
        page.wait_for_url("**/analyses/*")
        page.wait_for_selector("img[src$='km_igf1_cut_km.svg']", timeout=180_000)
        shot(page, "analysis-report")
        with page.expect_download() as dl:
            page.click("#job-files a[href$='/results.json']")
        doc = json.loads(Path(dl.value.path()).read_text("utf-8"))
        assert doc["schema_version"]
        assert {a["id"] for a in doc["analyses"]} == {"km_igf1_cut", "km_child_pugh"}
        page.goto(live.url + "/cohorts")
        assert "my-demo.csv" in page.text_content("#cohorts")
        shot(page, "cohorts")


def test_run_simulation_and_see_plot(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/simulate")
        page.fill("#s-days", "3")
        page.click("#sim-btn")
        img = page.wait_for_selector("img.sim-plot", timeout=180_000)
        page.wait_for_function("document.querySelector('img.sim-plot').naturalWidth > 0")
        assert img.get_attribute("src").endswith("trajectories.svg")
        shot(page, "simulate")
        page.click("#sim-link")
        page.wait_for_selector("#job-figures img[src$='trajectories.svg']")
        page.goto(live.url + "/evidence")
        assert page.is_visible("#igf-diagram")
        shot(page, "evidence")
        page.goto(live.url + "/about")
        shot(page, "about")
        assert page.csp_errors == []  # type: ignore[attr-defined]


def test_measured_patient_from_the_form(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/simulate")
        assert not page.is_visible("#s-igf1")  # only for a measured patient
        page.select_option("#s-state", "measured")
        page.fill("#s-igf1", "58")
        page.fill("#s-igfbp3", "1.3")
        page.fill("#s-gh", "4")
        page.fill("#s-days", "2")
        page.click("#sim-btn")
        page.wait_for_selector("img.sim-plot", timeout=180_000)
        assert "fitted liver_mass" in page.text_content("#sim-message")
        shot(page, "simulate-measured")
        assert page.csp_errors == []  # type: ignore[attr-defined]


def test_fit_a_stored_cohort_from_the_simulate_page(live: Live) -> None:
    csv = "patient_id,igf1,igfbp3,gh\na,60,1.3,4\nb,120,2.8,2\nc,45,1.0,5\n"
    with live.client() as c:
        r = c.post("/api/v1/cohorts", params={"filename": "fit-me.csv"}, content=csv.encode(),
                   headers={"content-type": "application/octet-stream"})
        assert r.status_code == 201, r.text
        cohort_id = str(r.json()["id"])
    with browser_page() as page:
        page.goto(live.url + "/simulate")
        page.select_option("#fit-cohort", cohort_id)
        page.click("#fit-btn")
        img = page.wait_for_selector("img.sim-plot", timeout=180_000)
        assert img.get_attribute("src").endswith("fit.svg")
        assert "3 of 3 rows fitted" in page.text_content("#sim-message")
        assert page.is_visible("a[href$='fitted.csv']")
        shot(page, "simulate-fit-cohort")
        assert page.csp_errors == []  # type: ignore[attr-defined]
