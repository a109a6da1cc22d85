"""The local store: SQLAlchemy models, an engine from a URL and Alembic migrations.

SQLite file by default (``<data-dir>/igfc.sqlite3``), PostgreSQL by URL
(``postgresql+psycopg://user@host/db``). :func:`igfcirrhosis.store.engine.open_store` migrates
to the newest revision and returns a :class:`~igfcirrhosis.store.engine.Store`.
"""
