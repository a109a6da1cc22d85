"""Cohort uploads: validation row by row, size limit, no user-controlled paths, atomic store,
formula injection neutralised in CSV/Excel exports."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from igfcirrhosis.store.models import Cohort
from igfcirrhosis.web import cohort_store

from .conftest import Live

CSV = (
    "patient_id,bilirubin [umol/L],albumin,inr,ascites,encephalopathy,etiology\n"
    "=HYPERLINK(\"http://x\"),34,3.1,1.4,none,none,@SUM(1)\n"
    "P2,-5,2.9,1.9,mild,none,+cmd\n"
    "P3,20,31,1.1,none,none,HBV\n"
)


def upload(client: httpx.Client, name: str, content: bytes) -> httpx.Response:
    return client.post("/api/v1/cohorts", params={"filename": name}, content=content,
                       headers={"content-type": "application/octet-stream"})


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_demo_cohort_was_loaded_once(client: httpx.Client) -> None:
    names = [c["name"] for c in client.get("/api/v1/cohorts").json()]
    assert names.count("demo-cohort.csv") == 1


def test_upload_validates_row_by_row(client: httpx.Client, data_dir: Path) -> None:
    r = upload(client, "../../etc/evil.csv", CSV.encode())
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["name"] == "evil.csv" and c["n_rows"] == 3
    assert (data_dir / "uploads" / f"cohort-{c['id']}.csv").is_file()
    detail = client.get(f"/api/v1/cohorts/{c['id']}").json()["validation"]
    by_col = {(i["row"], i["column"]): i for i in detail["issues"]}
    assert by_col[(2, "albumin")]["severity"] == "implausible"  # 31 g/dL: meant g/L
    assert by_col[(1, "bilirubin [umol/L]")]["severity"] == "error"       # negative bilirubin
    page = client.get(f"/cohorts/{c['id']}").text
    assert "did you mean 31 g/L" in page


def test_exports_neutralise_formulas(client: httpx.Client) -> None:
    cid = upload(client, "f.csv", CSV.encode()).json()["id"]
    text = client.get(f"/api/v1/cohorts/{cid}/scored.csv").text
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and "'+cmd" in text
    assert ",=" not in text and "\n=" not in text
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/cohorts/{cid}/scored.xlsx")
                                             .content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert any(c.value == "'=HYPERLINK(\"http://x\")" for c in cells)
    assert all(c.data_type != "f" for c in cells)
    issues = client.get(f"/api/v1/cohorts/{cid}/issues.csv").text
    assert "\n=" not in issues and ",=" not in issues


def test_upload_size_limit(live: Live, client: httpx.Client, data_dir: Path) -> None:
    before = files_under(data_dir / "uploads") | files_under(data_dir / "tmp")
    big = b"patient_id,age\n" + b"P,50\n" * (live.settings.max_upload_bytes // 5 + 10)
    r = upload(client, "big.csv", big)
    assert r.status_code == 413
    assert r.json()["field"] == "body"

    def chunks():  # no Content-Length: the streamed size is counted
        for k in range(0, len(big), 65536):
            yield big[k:k + 65536]

    r = client.post("/api/v1/cohorts", params={"filename": "big.csv"}, content=chunks())
    assert r.status_code == 413
    assert files_under(data_dir / "uploads") | files_under(data_dir / "tmp") == before


@pytest.mark.parametrize(("name", "content", "status"), [
    ("x.exe", b"MZ", 415),
    ("x", b"a,b\n1,2\n", 415),
    ("x.parquet", b"not parquet at all", 422),
    ("x.xlsx", b"not a zip", 422),
    ("x.json", b"{\"resourceType\": 5}", 422),
    ("x.csv", b"", 422),
])
def test_bad_uploads_are_4xx_and_leave_nothing(client: httpx.Client, data_dir: Path,
                                               name: str, content: bytes, status: int) -> None:
    before = files_under(data_dir / "uploads") | files_under(data_dir / "tmp")
    n = len(client.get("/api/v1/cohorts").json())
    r = upload(client, name, content)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert len(client.get("/api/v1/cohorts").json()) == n
    assert files_under(data_dir / "uploads") | files_under(data_dir / "tmp") == before


def test_crash_between_file_and_commit_leaves_store_as_it_was(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    store = live.app.state.store  # type: ignore[attr-defined]
    uploads = store.data_dir / "uploads"
    before = files_under(uploads)
    with store.session() as s:
        n = s.scalar(select(func.count(Cohort.id)))

    def crash(path: Path) -> None:
        assert path.is_file()  # the file was renamed into place; now the process "dies"
        raise RuntimeError("injected failure")

    monkeypatch.setattr(cohort_store, "_before_commit", crash)
    tmp = store.data_dir / "tmp" / "up-test.csv"
    tmp.write_text(CSV)
    with pytest.raises(RuntimeError, match="injected"):
        cohort_store.store_cohort(store, tmp, "crash.csv", ".csv")
    with store.session() as s:
        assert s.scalar(select(func.count(Cohort.id))) == n
    assert files_under(uploads) == before
    assert not tmp.exists()


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.mark.parametrize(("name", "fmt"), [
    ("demo.parquet", "parquet"), ("demo.xlsx", "excel"), ("redcap_export.csv", "redcap"),
    ("fhir_bundle.json", "fhir"), ("fhir_resources.ndjson", "fhir"),
])
def test_every_format_uploads(client: httpx.Client, tmp_path: Path, name: str,
                              fmt: str) -> None:
    if name.startswith("demo."):
        from igfcirrhosis.cohort.demo import generate_demo_cohort
        from igfcirrhosis.cohort.io import write_frame

        path = write_frame(generate_demo_cohort(50, 1), tmp_path / name)
    else:
        path = EXAMPLES / name
    r = upload(client, name, path.read_bytes())
    assert r.status_code == 201, r.text
    assert r.json()["format"] == fmt and r.json()["n_rows"] > 0
