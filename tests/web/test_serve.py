"""``igfc serve``: creates the store in the data directory, migrates, loads the demo cohort once,
serves on 127.0.0.1 (multi-worker uvicorn with the TCP_NODELAY protocol)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from .conftest import free_port

IGFC = Path(sys.executable).with_name("igfc")


def serve_once(data_dir: Path, *extra: str) -> list[dict[str, object]]:
    port = free_port()
    log = data_dir.parent / "serve.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([str(IGFC), "serve", "--port", str(port), "--data-dir",
                                 str(data_dir), "--workers", "2", *extra],
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/cohorts", timeout=5)
                if r.status_code == 200:
                    return list(r.json())
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "igfc serve did not answer"
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_creates_store_and_loads_demo_once(tmp_path: Path) -> None:
    data = tmp_path / "igfc-data"
    first = serve_once(data)
    assert [c["name"] for c in first] == ["demo-cohort.csv"]
    assert (data / "igfc.sqlite3").is_file()
    assert (data / "uploads" / "cohort-1.csv").is_file()
    second = serve_once(data)
    assert [c["id"] for c in second] == [c["id"] for c in first]


def test_serve_reports_an_unusable_database(tmp_path: Path) -> None:
    r = subprocess.run([str(IGFC), "serve", "--data-dir", str(tmp_path), "--db",
                        "mysql://nobody@localhost/x"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "only sqlite and postgresql" in r.stderr
