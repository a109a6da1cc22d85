"""POST /api/v1/assess returns exactly assess(...).to_dict(); errors are problem details."""

from __future__ import annotations

import httpx
import pytest

from igfcirrhosis.domain.assessment import assess
from igfcirrhosis.domain.score_specs import ScoreOptions

SI_PATIENT = {"bilirubin": "34 umol/L", "albumin": "28 g/L", "inr": 1.8,
              "creatinine": "97 umol/L", "sodium": 131, "ascites": "mild",
              "encephalopathy": "none", "sex": "F", "age": 54, "igf1": "2.9 nmol/L",
              "igfbp3": 1.1}


def test_assess_is_exactly_the_domain_object(client: httpx.Client) -> None:
    r = client.post("/api/v1/assess", json=SI_PATIENT)
    assert r.status_code == 200
    assert r.json() == assess(SI_PATIENT).to_dict()
    assert r.json()["scores"]["child_pugh"]["class"] == "B"  # 1+2+2+2+1 = 8 points


def test_assess_options_are_passed(client: httpx.Client) -> None:
    values = {"bilirubin": 5.0, "albumin": 3.6, "inr": 1.0, "ascites": "none",
              "encephalopathy": "none", "etiology": "PBC"}
    r = client.post("/api/v1/assess", params={"cholestatic": "no"}, json=values)
    want = assess(values, options=ScoreOptions(cholestatic=False)).to_dict()
    assert r.json() == want
    auto = client.post("/api/v1/assess", json=values).json()
    # PBC: bilirubin 5 mg/dL is 2 points with the cholestatic edges, 3 without.
    assert auto["scores"]["child_pugh"]["components"]["bilirubin"]["points"] == 2
    assert r.json()["scores"]["child_pugh"]["components"]["bilirubin"]["points"] == 3


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        ({"bilirubin": "abc"}, "bilirubin", "abc"),
        ({"bilirubin": "34 kg"}, "bilirubin", "34 kg"),
        ({"bilirubn": 2}, "bilirubn", "bilirubn"),
        ({"ascites": "lots"}, "ascites", "lots"),
    ],
)
def test_bad_input_is_a_problem_naming_field_and_value(
    client: httpx.Client, body: dict[str, object], field: str, value: object
) -> None:
    r = client.post("/api/v1/assess", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    p = r.json()
    assert (p["status"], p["field"], p["value"]) == (422, field, value)
    assert field in p["detail"]


@pytest.mark.parametrize("content", [b"[1, 2]", b"not json", b'"text"', b"{\"a\": {\"b\": 1}}"])
def test_non_object_bodies_are_422(client: httpx.Client, content: bytes) -> None:
    r = client.post("/api/v1/assess", content=content,
                    headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["title"] == "Unprocessable input"


def test_validate_flags_the_likely_unit_mistake(client: httpx.Client) -> None:
    r = client.post("/api/v1/validate", json={"albumin": "28 g/dL", "bilirubin": "x",
                                              "inr": 1.2})
    assert r.status_code == 200
    inputs = r.json()["inputs"]
    assert inputs["albumin"]["flag"] == "implausible"
    assert "did you mean 28 g/L" in inputs["albumin"]["message"]
    assert inputs["bilirubin"]["flag"] == "error"
    assert inputs["inr"]["flag"] is None


def test_catalog_lists_units(client: httpx.Client) -> None:
    fields = {f["name"]: f for f in client.get("/api/v1/catalog").json()}
    assert fields["bilirubin"]["si_unit"] == "umol/L"
    assert fields["bilirubin"]["conventional_unit"] == "mg/dL"


def test_score_batch_matches_single_assessments(client: httpx.Client) -> None:
    rows = [{"bilirubin": 1.0, "albumin": 4.0, "inr": 1.0, "ascites": "none",
             "encephalopathy": "none"},
            {"bilirubin": "60 umol/L", "albumin": "25 g/L", "inr": 2.5, "ascites": "mild",
             "encephalopathy": "grade_1_2"}]
    r = client.post("/api/v1/score", json={"rows": rows})
    assert r.status_code == 200
    got = [row["child_pugh_class"] for row in r.json()["rows"]]
    want = [assess(row).to_dict()["scores"]["child_pugh"]["class"] for row in rows]
    assert got == want == ["A", "C"]


def test_evidence_search(client: httpx.Client) -> None:
    everything = client.get("/api/v1/evidence").json()
    found = client.get("/api/v1/evidence", params={"q": "Colombo"}).json()
    assert 0 < found["count"] < everything["count"]
    assert all("Colombo" in str(e) for e in found["entries"])
    assert client.get("/api/v1/evidence/colombo2017-igf1-13").json()["cutoff"] == 13.0
    assert client.get("/api/v1/evidence/nope").status_code == 404


def test_openapi_documents_the_api(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/v1/assess", "/api/v1/score", "/api/v1/cohorts", "/api/v1/analyses",
              "/api/v1/simulations", "/api/v1/evidence"):
        assert p in paths


def test_pages_render_with_research_use_and_units(client: httpx.Client) -> None:
    for page in ("/assess", "/cohorts", "/simulate", "/evidence", "/about"):
        r = client.get(page)
        assert r.status_code == 200, page
        assert "Not a medical device" in r.text
        assert "Units assumed when none is given" in r.text
