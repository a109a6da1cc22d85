"""What ``igfc serve`` does once before the workers start: migrate, mark interrupted jobs,
load the demo cohort."""

from __future__ import annotations

from igfcirrhosis.store.engine import open_store
from igfcirrhosis.web.cohort_store import load_demo
from igfcirrhosis.web.jobs import interrupt_stale
from igfcirrhosis.web.settings import WebSettings


def prepare(settings: WebSettings, *, with_demo: bool = True) -> None:
    store = open_store(settings.data_dir, settings.db_url)
    try:
        interrupt_stale(store)
        if with_demo:
            load_demo(store)
    finally:
        store.dispose()
