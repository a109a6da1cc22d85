"""``igfc serve``: the local web application (heavy imports inside the command)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback by default; "
                                      "any other address requires --token).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    db: Annotated[str | None, typer.Option(
        "--db", help="Database URL (default: SQLite in the data directory), e.g. "
        "postgresql+psycopg://user@localhost/igfc")] = None,
    data_dir: Annotated[Path, typer.Option("--data-dir", help="Where the database, uploads "
                                           "and results live.")] = Path("igfc-data"),
    token: Annotated[str | None, typer.Option(
        "--token", envvar="IGFC_TOKEN", help="Access token required on every request "
        "(mandatory when binding a non-loopback address).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=16,
                                         help="uvicorn worker processes.")] = 1,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", min=0.001)] = 50.0,
    demo: Annotated[bool, typer.Option("--demo/--no-demo",
                                       help="Load the synthetic demo cohort once.")] = True,
) -> None:
    """Serve the web application (pages and the REST API under /api/v1) on 127.0.0.1.

    Creates the store in DATA_DIR (SQLite unless --db), runs the Alembic migrations and
    loads the demo cohort once.

    Examples:

      igfc serve

      igfc serve --port 8080 --data-dir ~/igfc-data

      IGFC_TOKEN=secret igfc serve --host 0.0.0.0 --db postgresql+psycopg://me@localhost/igfc
    """
    from igfcirrhosis.web.settings import LOOPBACK, WebSettings

    if host not in LOOPBACK and not token:
        typer.echo(f"error: --host {host}: binding a non-loopback address requires an access "
                   "token (--token or IGFC_TOKEN)", err=True)
        raise typer.Exit(code=2)
    settings = WebSettings(data_dir=data_dir.resolve(), db_url=db, token=token,
                           max_upload_bytes=int(max_upload_mb * 1024 * 1024))
    from igfcirrhosis.store.engine import StoreError
    from igfcirrhosis.web.serve import prepare

    try:
        prepare(settings, with_demo=demo)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    import uvicorn

    from igfcirrhosis.web.tcp import HTTP

    os.environ.update(settings.to_env())
    typer.echo(f"igfc serve: http://{host}:{port}/ (data in {settings.data_dir})")
    uvicorn.run("igfcirrhosis.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", http=HTTP)


def register(app: typer.Typer) -> None:
    app.command()(serve)
