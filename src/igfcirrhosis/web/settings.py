"""Settings of one server: where data lives, which database, which token, which limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """``token``: required on every request when set (``Authorization: Bearer``, cookie
    ``igfc_token`` or ``?token=``). ``db_url``: None means SQLite in ``data_dir``."""

    data_dir: Path
    db_url: str | None = None
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    job_workers: int = 1
    seed_demo: bool = True

    def to_env(self) -> dict[str, str]:
        """Environment variables that :meth:`from_env` reads (uvicorn workers)."""
        env = {"IGFC_DATA_DIR": str(self.data_dir), "IGFC_MAX_UPLOAD": str(self.max_upload_bytes)}
        if self.db_url:
            env["IGFC_DB"] = self.db_url
        if self.token:
            env["IGFC_TOKEN"] = self.token
        return env

    @classmethod
    def from_env(cls) -> WebSettings:
        return cls(
            data_dir=Path(os.environ.get("IGFC_DATA_DIR", "igfc-data")),
            db_url=os.environ.get("IGFC_DB") or None,
            token=os.environ.get("IGFC_TOKEN") or None,
            max_upload_bytes=int(os.environ.get("IGFC_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)),
        )
