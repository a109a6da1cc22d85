"""RFC 9457 problem details: every error is a 4xx ``application/problem+json`` object that
names the field and the value where there is one."""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from igfcirrhosis.domain.input_errors import InputError

PROBLEM = "application/problem+json"
TITLES = {400: "Bad request", 401: "Unauthorized", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Payload too large", 415: "Unsupported media type",
          422: "Unprocessable input", 500: "Internal error"}


class ProblemError(Exception):
    """Raise to answer with a problem detail."""

    def __init__(self, status: int, detail: str, *, field: str | None = None,
                 value: object = None, title: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.value = value
        self.title = title or TITLES.get(status, "Error")


def _jsonable(value: object) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        return str(value)[:200]


def problem_response(p: ProblemError, instance: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": p.title, "status": p.status,
                            "detail": p.detail}
    if instance:
        body["instance"] = instance
    if p.field is not None:
        body["field"] = p.field
        body["value"] = _jsonable(p.value)
    headers = {"WWW-Authenticate": "Bearer"} if p.status == 401 else None
    return JSONResponse(body, status_code=p.status, media_type=PROBLEM, headers=headers)


def _validation_problem(exc: RequestValidationError) -> ProblemError:
    errors = exc.errors()
    if not errors:
        return ProblemError(422, "the request could not be read")
    err = errors[0]
    loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")]
    field = ".".join(loc) or "body"
    value = err.get("input")
    msg = str(err.get("msg", "invalid"))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ProblemError(422, f"{field}: {msg}; got {_jsonable(value)!r}{more}", field=field,
                   value=value)


def install(app: FastAPI) -> None:
    """Exception handlers: ProblemError, InputError, HTTP errors and request validation."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(exc, request.url.path)

    async def on_input(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InputError)
        return problem_response(ProblemError(422, exc.message, field=exc.field or "body",
                                        value=exc.value), request.url.path)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(ProblemError(exc.status_code, str(exc.detail)), request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc), request.url.path)

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(ProblemError(500, f"internal error ({type(exc).__name__}); "
                                             "please report it"), request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(Exception, on_error)
    app.add_exception_handler(InputError, on_input)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": TITLES[code], "content": {PROBLEM: {"schema": {"type": "object"}}}}
    for code in (401, 404, 413, 422)
}
