"""The app factory: ``create_app(settings)`` wires the store, the API, the pages, the
security middleware and the problem-detail handlers.

``app_from_env`` is the uvicorn factory used by ``igfc serve`` (workers read the settings from
the environment; the serve command has already migrated the store and loaded the demo cohort).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from igfcirrhosis import __version__
from igfcirrhosis.store.engine import Store, open_store
from igfcirrhosis.web import problems
from igfcirrhosis.web.jobs import JobRunner
from igfcirrhosis.web.security import SecurityMiddleware
from igfcirrhosis.web.settings import WebSettings

STATIC = Path(__file__).with_name("static")

API_DESCRIPTION = (
    "REST API of igfcirrhosis. For research and clinical decision support only; not a medical "
    "device. Numbers without a unit are read in the data dictionary's default unit (bilirubin "
    "mg/dL, albumin g/dL, creatinine mg/dL, IGF-I ng/mL, IGFBP-3 mg/L). Errors are RFC 9457 "
    "problem details naming the field and the value."
)


def create_app(settings: WebSettings, *, store: Store | None = None,
               migrate: bool = True) -> FastAPI:
    """A FastAPI application serving ``settings.data_dir`` (store opened and migrated here
    unless given)."""
    from igfcirrhosis.web import (
        api_assess,
        api_cohorts,
        api_evidence,
        api_jobs,
        api_model,
        api_patients,
        pages,
    )

    the_store = store or open_store(settings.data_dir, settings.db_url, upgrade=migrate)
    runner = JobRunner(the_store, workers=settings.job_workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm_up()
        yield
        runner.shutdown()
        if store is None:
            the_store.dispose()

    app = FastAPI(title="igfcirrhosis", version=__version__, description=API_DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = the_store
    app.state.jobs = runner
    problems.install(app)
    for module in (api_assess, api_evidence, api_patients, api_cohorts, api_jobs, api_model,
                   pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityMiddleware, token=settings.token)
    return app


def warm_up() -> None:
    """Import and exercise the assessment path once, so that a worker's first request does
    not pay for loading the unit registry and the reference tables."""
    from igfcirrhosis.domain.assessment import assess

    assess({"bilirubin": "34 umol/L", "albumin": 3.0, "inr": 1.2, "igf1": 50, "age": 50,
            "sex": "F", "igfbp3": 2.0}).to_dict()


def app_from_env() -> FastAPI:
    """uvicorn ``--factory`` entry: settings from ``IGFC_*`` variables, no migration."""
    return create_app(WebSettings.from_env(), migrate=False)
