"""Security: CSP and headers, the access token, no external assets, no inline scripts."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from igfcirrhosis.web.settings import WebSettings

from .conftest import Live, start_server

WEB = Path(__file__).resolve().parents[2] / "src" / "igfcirrhosis" / "web"
PAGES = ("/assess", "/cohorts", "/simulate", "/evidence", "/about", "/patients",
         "/patients/nobody")


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    settings = WebSettings(data_dir=tmp_path_factory.mktemp("guarded"), token="s3cret-token")
    srv, server, thread = start_server(settings, with_demo=False)
    yield srv
    server.should_exit = True  # type: ignore[attr-defined]
    thread.join(timeout=10)  # type: ignore[attr-defined]


def test_strict_csp_on_pages_api_and_errors(client: httpx.Client) -> None:
    for r in (client.get("/assess"), client.post("/api/v1/assess", json={"x": 1}),
              client.get("/static/app.css"), client.get("/nowhere")):
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_no_inline_scripts_or_styles_in_pages(client: httpx.Client) -> None:
    for path in PAGES:
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (path, tag)
        assert "<style" not in html and " style=" not in html and "onclick" not in html


def test_no_external_assets() -> None:
    pattern = re.compile(r"(?:src|href|url)\s*[=(]\s*[\"']?\s*(?:https?:)?//", re.I)
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/*")]:
        assert not pattern.search(path.read_text("utf-8")), path


def test_token_is_required_when_set(guarded: Live) -> None:
    with guarded.client() as c:
        for path in ("/assess", "/api/v1/evidence", "/static/app.css", "/openapi.json"):
            r = c.get(path)
            assert r.status_code == 401, path
            assert r.json()["status"] == 401
        assert c.get("/api/v1/evidence", headers={"authorization": "Bearer wrong"}
                     ).status_code == 401
        ok = c.get("/api/v1/evidence", headers={"authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        first = c.get("/assess", params={"token": "s3cret-token"})
        assert first.status_code == 200 and "HttpOnly" in first.headers["set-cookie"]
        assert c.get("/about").status_code == 200  # the cookie now carries the token


def test_serve_refuses_public_address_without_token(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "igfcirrhosis.cli.main", "serve", "--host",
                        "0.0.0.0", "--data-dir", str(tmp_path)], capture_output=True,
                       text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert r.returncode == 2
    assert "requires an access token" in r.stderr


def test_cli_main_does_not_import_the_web_stack() -> None:
    code = ("import sys, igfcirrhosis.cli.main; "
            "print(sorted(m for m in ('fastapi', 'sqlalchemy', 'pandas', 'uvicorn') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.strip()
    assert out == "[]"


def test_json_bodies_have_a_size_limit(client: httpx.Client) -> None:
    from igfcirrhosis.web.security import MAX_BODY

    r = client.post("/api/v1/score", content=b"{" + b" " * MAX_BODY + b"}",
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


def test_cross_origin_writes_are_refused(client: httpx.Client, live: Live) -> None:
    body = {"bilirubin": 1.0}
    evil = client.post("/api/v1/patients/CSRF/assessments", json=body,
                       headers={"origin": "http://evil.example"})
    assert evil.status_code == 403
    assert client.get("/api/v1/patients/CSRF/assessments").status_code == 404
    same = client.post("/api/v1/patients/CSRF/assessments", json=body,
                       headers={"origin": live.url})
    assert same.status_code == 201
    form = client.post("/api/v1/assess", content=b"bilirubin=1",
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 422
