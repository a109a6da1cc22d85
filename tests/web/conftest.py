"""Fixtures: a live uvicorn server (thread) on a free loopback port over a fresh data dir."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from igfcirrhosis.web.settings import WebSettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    url: str
    app: object
    settings: WebSettings

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)  # type: ignore[arg-type]


def start_server(settings: WebSettings, *, with_demo: bool = True) -> tuple[Live, object, object]:
    import uvicorn

    from igfcirrhosis.web.app import create_app
    from igfcirrhosis.web.serve import prepare

    prepare(settings, with_demo=with_demo)
    app = create_app(settings, migrate=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return Live(f"http://127.0.0.1:{port}", app, settings), server, thread


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server for the session (demo cohort loaded)."""
    settings = WebSettings(data_dir=tmp_path_factory.mktemp("igfc-data"),
                           max_upload_bytes=2 * 1024 * 1024)
    srv, server, thread = start_server(settings)
    yield srv
    server.should_exit = True  # type: ignore[attr-defined]
    thread.join(timeout=10)  # type: ignore[attr-defined]


@pytest.fixture()
def client(live: Live) -> Iterator[httpx.Client]:
    with live.client() as c:
        yield c


@pytest.fixture()
def data_dir(live: Live) -> Path:
    return live.settings.data_dir
