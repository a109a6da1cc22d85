"""The store: Alembic migrations, saved assessments over time, on SQLite and on a real
PostgreSQL server; an interrupted upload leaves PostgreSQL as it was too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, inspect, select

from igfcirrhosis.store.engine import StoreError, current_revision, make_engine, open_store
from igfcirrhosis.store.models import Cohort
from igfcirrhosis.web import cohort_store
from igfcirrhosis.web.settings import WebSettings

from .conftest import Live, start_server
from .postgres import postgres_server

TABLES = {"patients", "assessments", "cohorts", "jobs", "alembic_version"}


def test_sqlite_migrates_to_head_idempotently(tmp_path: Path) -> None:
    for _ in range(2):
        store = open_store(tmp_path)
        assert current_revision(store.engine) == "0001"
        assert set(inspect(store.engine).get_table_names()) == TABLES
        store.dispose()


@pytest.mark.parametrize(("url", "message"), [
    ("not a url", "not a database URL"),
    ("mysql://u@localhost/x", "only sqlite and postgresql"),
    ("postgresql+nosuchdriver://u@localhost/x", "--db"),
])
def test_bad_database_urls_are_clear_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        make_engine(url)


def history_roundtrip(client: httpx.Client, label: str) -> None:
    # bilirubin 1.2 / 2.3 / 3.5 mg/dL -> 1 / 2 / 3 points; albumin 3.0 g/dL 2, INR 1.5 1,
    # no ascites 1, no encephalopathy 1.
    for bili in ("20 umol/L", "40 umol/L", "60 umol/L"):
        r = client.post(f"/api/v1/patients/{label}/assessments",
                        json={"bilirubin": bili, "albumin": "30 g/L", "inr": 1.5,
                              "ascites": "none", "encephalopathy": "none"})
        assert r.status_code == 201, r.text
    history = client.get(f"/api/v1/patients/{label}/assessments").json()
    assert [h["result"]["scores"]["child_pugh"]["points"] for h in history] == [6, 7, 8]
    assert [h["result"]["inputs"]["bilirubin"]["raw"] for h in history] == [
        "20 umol/L", "40 umol/L", "60 umol/L"]
    page = client.get(f"/patients/{label}").text
    assert page.count("<tr>") == 4  # header + 3 assessments
    assert f'href="/patients/{label}"' in client.get("/patients").text
    assert client.post(f"/api/v1/patients/{'x' * 81}/assessments", json={}).status_code == 422
    assert client.get("/api/v1/patients/nobody/assessments").status_code == 404


def test_saved_assessments_over_time_sqlite(client: httpx.Client) -> None:
    history_roundtrip(client, "SQLITE-1")


@pytest.fixture(scope="module")
def pg_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with postgres_server() as url:
        settings = WebSettings(data_dir=tmp_path_factory.mktemp("pg-data"), db_url=url)
        srv, server, thread = start_server(settings, with_demo=True)
        yield srv
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)  # type: ignore[attr-defined]
        srv.app.state.store.dispose()  # type: ignore[attr-defined]


def test_postgresql_store(pg_live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    store = pg_live.app.state.store  # type: ignore[attr-defined]
    assert store.engine.dialect.name == "postgresql"
    assert current_revision(store.engine) == "0001"
    with pg_live.client() as c:
        history_roundtrip(c, "PG-1")
        cohorts = c.get("/api/v1/cohorts").json()
        assert [x["name"] for x in cohorts] == ["demo-cohort.csv"]
        assert cohorts[0]["n_rows"] == 400
    with store.session() as s:
        n = s.scalar(select(func.count(Cohort.id)))

    def crash(path: Path) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(cohort_store, "_before_commit", crash)
    tmp = store.data_dir / "tmp" / "up-pg.csv"
    tmp.write_text("patient_id,bilirubin\nA,1.0\n")
    before = sorted(p.name for p in (store.data_dir / "uploads").iterdir())
    with pytest.raises(RuntimeError):
        cohort_store.store_cohort(store, tmp, "crash.csv", ".csv")
    with store.session() as s:
        assert s.scalar(select(func.count(Cohort.id))) == n
    assert sorted(p.name for p in (store.data_dir / "uploads").iterdir()) == before
