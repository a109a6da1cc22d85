"""Analyses and simulations as background jobs over the API."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from markupsafe import escape

from igfcirrhosis.web.analysis_jobs import analysis_available


def wait(client: httpx.Client, url: str, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url).json()
        assert 0.0 <= job["progress"] <= 1.0
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"{url} did not finish")


def demo_id(client: httpx.Client) -> int:
    return next(c["id"] for c in client.get("/api/v1/cohorts").json()
                if c["name"] == "demo-cohort.csv")


needs_analysis = pytest.mark.skipif(not analysis_available(),
                                    reason="igfcirrhosis.analysis is not in this build")


@needs_analysis
def test_analysis_runs_on_the_stored_cohort_not_on_a_path_in_the_plan(
        client: httpx.Client) -> None:
    plan = client.get("/api/v1/plans/build",
                      params={"name": "demo", "analyses": "km_igf1", "igf1_cut": 13}).text
    plan = plan.replace("[data]\n", '[data]\npath = "/etc/passwd"\n')
    r = client.post("/api/v1/analyses", json={"cohort_id": demo_id(client), "plan": plan,
                                              "title": "km"})
    assert r.status_code == 202, r.text
    job = wait(client, f"/api/v1/analyses/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    assert {"report.html", "results.json", "figures/km_igf1_cut_km.svg"} <= set(job["files"])
    res = client.get(f"/api/v1/analyses/{job['id']}/files/results.json")
    assert res.headers["content-disposition"].startswith("attachment")
    doc = json.loads(res.content)
    assert "passwd" not in json.dumps(doc["data"])
    report = client.get(f"/api/v1/analyses/{job['id']}/files/report.html")
    assert "sandbox" in report.headers["content-security-policy"]
    table = client.get(f"/api/v1/analyses/{job['id']}/files/tables/km_igf1_cut_median.csv")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    for name in ("..%2F..%2Figfc.sqlite3", "%2Fetc%2Fpasswd", "figures/..%2F..%2F..%2Fx"):
        assert client.get(f"/api/v1/analyses/{job['id']}/files/{name}").status_code == 404
    assert job["id"] in [a["id"] for a in client.get("/api/v1/analyses").json()]


@needs_analysis
@pytest.mark.parametrize(("plan", "field"), [
    ("not = [toml", "plan"),
    ("[[analysis]]\nid = 'x'\ntype = 'nonsense'\n", "plan.analysis[1].type"),
    ("[data]\ndata_dictionary = '/etc/dd.csv'\n", "plan.data.data_dictionary"),
])
def test_bad_plans_are_422_naming_the_key(client: httpx.Client, plan: str, field: str) -> None:
    r = client.post("/api/v1/analyses", json={"cohort_id": demo_id(client), "plan": plan})
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field


def test_analysis_of_a_missing_cohort_is_404_or_unavailable(client: httpx.Client) -> None:
    r = client.post("/api/v1/analyses", json={"cohort_id": 999999, "plan": "title = 'x'"})
    assert r.status_code == (404 if analysis_available() else 409)


def test_plan_builder_rejects_unknown_analyses(client: httpx.Client) -> None:
    r = client.get("/api/v1/plans/build", params={"analyses": "km_igf1,oops"})
    assert r.status_code == 422 and r.json()["value"] == "oops"


def test_simulation_and_trial(client: httpx.Client) -> None:
    r = client.post("/api/v1/simulations", json={"state": "child_pugh_c", "dose_ug_per_kg": 80,
                                                 "interval_hours": 12, "days": 3})
    assert r.status_code == 202
    job = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    assert {"summary.json", "trajectories.svg", "trajectories.parquet"} <= set(job["files"])
    svg = client.get(f"/api/v1/simulations/{job['id']}/files/trajectories.svg")
    assert svg.headers["content-type"].startswith("image/svg")
    summary = client.get(f"/api/v1/simulations/{job['id']}/files/summary.json").json()
    assert summary["kind"] == "simulation"
    from igfcirrhosis.model.caveats import (
        FIBROSIS,
        IGFBP3_ON_TREATMENT,
        REPEATED_GH_ACTIVE,
        REPEATED_LOW_IGFBP3,
    )

    assert summary["caveats"] == [FIBROSIS, REPEATED_LOW_IGFBP3, REPEATED_GH_ACTIVE,
                                  IGFBP3_ON_TREATMENT]
    assert "4 caveats (summary.json" in job["message"]
    r = client.post("/api/v1/simulations", json={"state": "child_pugh_b", "dose_ug_per_kg": 40,
                                                 "days": 2, "population": 6, "seed": 3})
    trial = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    assert trial["status"] == "done", trial["message"]
    assert "trial.svg" in trial["files"]
    page = client.get(f"/simulations/{job['id']}").text
    assert 'id="patient-table"' in page and 'id="caveats"' in page
    assert str(escape(REPEATED_LOW_IGFBP3)) in page
    base = summary["baseline"]["igf1_total"]["value"]
    assert f"{base:.3g} ng/mL" in page
    page = client.get(f"/simulations/{trial['id']}").text
    tsum = client.get(f"/api/v1/simulations/{trial['id']}/files/summary.json").json()
    table = page[page.index('id="trial-table"'):page.index("</table>", page.index("trial-table"))]
    assert table.count("<tr>") == 1 + len(tsum["arms"])
    assert ">untreated<" in table and "[" in table


def test_stored_cohort_is_fitted_row_by_row(client: httpx.Client) -> None:
    import io

    csv = "patient_id,igf1,igfbp3,gh\na,60,1.3,4\nb,abc,2.0,2\nc,150,3.5,1.5\n"
    r = client.post("/api/v1/cohorts", params={"filename": "three.csv"}, content=csv.encode(),
                    headers={"content-type": "text/csv"})
    assert r.status_code == 201, r.text
    r = client.post("/api/v1/simulations/fit", json={"cohort_id": r.json()["id"]})
    assert r.status_code == 202, r.text
    job = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    assert job["message"].startswith("2 of 3 rows fitted")
    assert {"fitted.csv", "fit.svg"} <= set(job["files"])
    import pandas as pd

    out = pd.read_csv(io.StringIO(
        client.get(f"/api/v1/simulations/{job['id']}/files/fitted.csv").text))
    assert list(out["patient_id"]) == ["a", "b", "c"]
    assert out["fit_liver_mass"].notna().tolist() == [True, False, True]
    assert "'abc' is not a number" in out.loc[1, "fit_notes"]


@pytest.mark.parametrize(("body", "status"), [({"cohort_id": 999999}, 404),
                                              ({"cohort_id": 0}, 422),
                                              ({"cohort_id": 1, "bootstrap": 500}, 422)])
def test_bad_fit_requests(client: httpx.Client, body: dict[str, Any], status: int) -> None:
    assert client.post("/api/v1/simulations/fit", json=body).status_code == status


def test_measured_patient_from_the_form_is_fitted(client: httpx.Client) -> None:
    r = client.post("/api/v1/simulations", json={
        "state": "measured", "igf1_ng_ml": 58, "igfbp3_mg_l": 1.3, "gh_ng_ml": 4, "days": 1})
    assert r.status_code == 202, r.text
    job = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    assert "fitted liver_mass" in job["message"]
    summary = client.get(f"/api/v1/simulations/{job['id']}/files/summary.json").json()
    assert summary["fit"]["n_boot"] > 0
    assert summary["baseline"]["igf1_total"]["value"] == pytest.approx(58, rel=0.05)


@pytest.mark.parametrize(("body", "needle"), [
    ({"state": "measured", "igf1_ng_ml": 58}, "patient.fit"),
    ({"state": "measured"}, "patient.measured"),
    ({"state": "child_pugh_b", "gh_ng_ml": 4}, "only when state is 'measured'"),
])
def test_unfittable_measured_patients_are_422_before_a_job(
        client: httpx.Client, body: dict[str, Any], needle: str) -> None:
    before = len(client.get("/api/v1/simulations").json())
    r = client.post("/api/v1/simulations", json=body)
    assert r.status_code == 422
    assert needle in r.json()["detail"]
    assert len(client.get("/api/v1/simulations").json()) == before


@pytest.mark.parametrize("body", [{"state": "cirrhotic"}, {"days": 0}, {"population": 5000},
                                  {"dose_ug_per_kg": -1}, {"interval_hours": "x"},
                                  {"igf1_ng_ml": 0}, {"gh_ng_ml": 1000}])
def test_bad_simulation_requests_are_422(client: httpx.Client, body: dict[str, Any]) -> None:
    r = client.post("/api/v1/simulations", json=body)
    assert r.status_code == 422
    assert r.json()["field"] == next(iter(body))


SCENARIO = """name = "two days of mecasermin"
[patient]
state = "child_pugh_a"
[simulation]
days = 2
[[regimen]]
product = "mecasermin"
dose_ug_per_kg = 40
interval_hours = 12
"""


def test_scenario_file_runs(client: httpx.Client) -> None:
    r = client.post("/api/v1/simulations/scenario", content=SCENARIO.encode(),
                    headers={"content-type": "text/plain"})
    assert r.status_code == 202, r.text
    job = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    assert "trajectories.svg" in job["files"]


def test_measured_patient_scenario_is_fitted_and_says_so(client: httpx.Client) -> None:
    text = ('[patient]\nstate = "measured"\nbootstrap = 3\n'
            "[patient.measured]\nigf1 = 58\nigfbp3 = 1.3\ngh = 4\n"
            "[simulation]\ndays = 1\n")
    r = client.post("/api/v1/simulations/scenario", content=text.encode(),
                    headers={"content-type": "text/plain"})
    assert r.status_code == 202, r.text
    job = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    assert job["status"] == "done", job["message"]
    assert "fitted liver_mass" in job["message"]
    assert "fitted ghr_density" in job["message"]


@pytest.mark.parametrize(("text", "needle"), [
    ("name = [", "not valid TOML"),
    ("[patient]\nstate = 'measured'\n", "patient.measured"),
    ("[patient]\nstate = 'sick'\n", "patient.state"),
    ("[simulation]\ndays = 3000\n", "at most 365"),
])
def test_bad_scenario_files_are_422(client: httpx.Client, text: str, needle: str) -> None:
    r = client.post("/api/v1/simulations/scenario", content=text.encode(),
                    headers={"content-type": "text/plain"})
    assert r.status_code == 422
    assert needle in r.json()["detail"]


def test_pages_of_runs_stored_by_older_versions_still_open(client: httpx.Client,
                                                           data_dir: Any) -> None:
    """A summary.json without caveats (before 2026-12-04), or with keys missing, still gives a
    page: the results section is shown from what is there, or left out; the files stay listed."""
    r = client.post("/api/v1/simulations", json={"state": "healthy", "dose_ug_per_kg": 0,
                                                 "days": 1})
    job = wait(client, f"/api/v1/simulations/{r.json()['id']}")
    path = data_dir / "results" / f"job-{job['id']}" / "summary.json"
    doc = json.loads(path.read_text("utf-8"))
    del doc["caveats"]
    path.write_text(json.dumps(doc), "utf-8")
    page = client.get(f"/simulations/{job['id']}")
    assert page.status_code == 200 and 'id="patient-table"' in page.text
    del doc["peaks"]
    path.write_text(json.dumps(doc), "utf-8")
    page = client.get(f"/simulations/{job['id']}")
    assert page.status_code == 200 and 'id="patient-table"' not in page.text
    assert "summary.json" in page.text
