"""An engine from a URL, Alembic migrations run programmatically, and sessions.

No ``alembic.ini``: :func:`migrate` builds the Alembic config in code, pointing at
``igfcirrhosis/store/migrations``, and hands it the open connection. The SQLite file is
opened in WAL mode with a busy timeout so that several server workers can share it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0001"


class StoreError(RuntimeError):
    """The database URL cannot be used (bad URL, server not reachable, unsupported driver)."""


def sqlite_url(data_dir: Path) -> str:
    """The default store: ``<data_dir>/igfc.sqlite3``."""
    return f"sqlite:///{(data_dir / 'igfc.sqlite3').resolve()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise StoreError(f"--db {url!r}: not a database URL ({exc})") from None
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"--db {url!r}: only sqlite and postgresql+psycopg are supported")
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # noqa: BLE001 - any driver/URL problem becomes one clear error
        raise StoreError(f"--db {url!r}: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` with Alembic (idempotent)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except Exception as exc:
        if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
            raise StoreError(f"cannot migrate the store at {engine.url!r}: {exc}") from exc
        raise


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class Store:
    """An engine with its session factory and the data directory files live in."""

    engine: Engine
    data_dir: Path
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path, url: str | None = None, *, upgrade: bool = True) -> Store:
    """Create ``data_dir`` (and its ``uploads``/``results`` folders), open the database
    (SQLite in ``data_dir`` unless ``url``) and migrate it to the newest revision."""
    data_dir = data_dir.resolve()
    for sub in ("", "uploads", "results", "tmp"):
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    engine = make_engine(url or sqlite_url(data_dir))
    if upgrade:
        migrate(engine)
    return Store(engine, data_dir, sessionmaker(engine, expire_on_commit=False))
