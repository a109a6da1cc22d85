"""Pure ASGI middleware: the access token (when set) and strict security headers on every
response (Content-Security-Policy ``default-src 'self'``, no inline scripts or styles)."""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Scope = dict[str, Any]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
TOKEN_COOKIE = "igfc_token"
#: Largest request body (by Content-Length) outside the cohort upload, which streams and
#: enforces its own limit.
MAX_BODY = 10 * 1024 * 1024
UPLOAD_PATH = "/api/v1/cohorts"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _same_origin(headers: dict[bytes, bytes]) -> bool:
    """True unless an Origin header names a different host than the Host header (CSRF guard
    for state-changing requests; non-browser clients send no Origin)."""
    origin = headers.get(b"origin")
    if origin is None:
        return True
    text = origin.decode("latin-1")
    host = headers.get(b"host", b"").decode("latin-1")
    return text.split("://", 1)[-1].rstrip("/") == host


def _given_token(scope: Scope) -> tuple[str | None, bool]:
    """The token of the request and whether it came from the query string."""
    headers = dict(scope.get("headers") or [])
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if "token" in query:
        return query["token"][0], True
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # noqa: BLE001 - a malformed cookie header is just no token
        return None, False
    morsel = cookie.get(TOKEN_COOKIE)
    return (morsel.value if morsel else None), False


class SecurityMiddleware:
    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        set_cookie: bytes | None = None
        if self.token:
            given, from_query = _given_token(scope)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                await _unauthorized(send, scope.get("path", "/"))
                return
            if from_query:
                set_cookie = (f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; "
                              "SameSite=Strict").encode()

        headers = dict(scope.get("headers") or [])
        if scope.get("method") not in SAFE_METHODS and not _same_origin(headers):
            await _problem(send, scope.get("path", "/"), 403, "Forbidden",
                           "cross-origin request refused (the Origin header names another site)")
            return
        length = headers.get(b"content-length", b"")
        if (scope.get("path") != UPLOAD_PATH and length.isdigit()
                and int(length) > MAX_BODY):
            await _problem(send, scope.get("path", "/"), 413, "Payload too large",
                           f"request body of {int(length)} bytes is larger than the limit of "
                           f"{MAX_BODY} bytes")
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = any(k.lower() == b"content-security-policy" for k, _ in headers)
                headers.extend(h for h in HEADERS if not (own and h[0] == HEADERS[0][0]))
                if set_cookie:
                    headers.append((b"set-cookie", set_cookie))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _unauthorized(send: Any, path: str) -> None:
    await _problem(send, path, 401, "Unauthorized",
                   "an access token is required (Authorization: Bearer <token>, or open the "
                   "page once with ?token=<token>)", [(b"www-authenticate", b"Bearer")])


async def _problem(send: Any, path: str, status: int, title: str, detail: str,
                   extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status,
                       "detail": detail, "instance": path}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()),
                            *(extra or []), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
