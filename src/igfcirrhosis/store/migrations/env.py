"""Alembic environment: the connection is handed over by :func:`igfcirrhosis.store.engine.migrate`
(``config.attributes["connection"]``); run offline/online from the command line is not needed."""

from __future__ import annotations

from alembic import context

from igfcirrhosis.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
