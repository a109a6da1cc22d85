"""Background jobs (analyses, simulations, virtual trials) on a small thread pool.

A job's row in the store carries its status and progress, so any server worker can report
it. Outputs are written into ``results/tmp-<id>-<random>`` and renamed to ``results/job-<id>``
only when complete; the row is marked ``done`` in the same step. A failure leaves no result
directory and a ``failed`` row with the message.
"""

from __future__ import annotations

import secrets
import shutil
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from igfcirrhosis.store.engine import Store
from igfcirrhosis.store.models import Job, utcnow

Progress = Callable[[float, str | None], None]
Work = Callable[[Path, Progress], str | None]

#: Exceptions that are user errors (their message is shown as is).
USER_ERRORS: tuple[type[BaseException], ...] = (ValueError, KeyError, OSError)


def result_dir(store: Store, job: Job) -> Path | None:
    return None if not job.out_name else store.data_dir / "results" / job.out_name


def interrupt_stale(store: Store) -> int:
    """Mark jobs left queued/running by a previous server as failed (call once at start)."""
    with store.session() as s:
        stale = s.query(Job).filter(Job.status.in_(("queued", "running"))).all()
        for job in stale:
            job.status, job.message, job.finished_at = "failed", "interrupted: server restarted", \
                utcnow()
        return len(stale)


class JobRunner:
    def __init__(self, store: Store, workers: int = 1) -> None:
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="igfc-job")
        self.futures: dict[int, Future[None]] = {}

    def submit(self, job_id: int, work: Work) -> None:
        self.futures[job_id] = self.pool.submit(self._run, job_id, work)

    def _update(self, job_id: int, **values: Any) -> None:
        with self.store.session() as s:
            job = s.get(Job, job_id)
            if job is not None:
                for k, v in values.items():
                    setattr(job, k, v)

    def _run(self, job_id: int, work: Work) -> None:
        tmp = self.store.data_dir / "results" / f"tmp-{job_id}-{secrets.token_hex(4)}"
        final = self.store.data_dir / "results" / f"job-{job_id}"
        self._update(job_id, status="running", progress=0.0)

        def progress(fraction: float, message: str | None = None) -> None:
            self._update(job_id, progress=max(0.0, min(1.0, float(fraction))), message=message)

        try:
            tmp.mkdir(parents=True)
            message = work(tmp, progress)
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
            self._update(job_id, status="done", progress=1.0, message=message,
                         out_name=final.name, finished_at=utcnow())
        except Exception as exc:  # noqa: BLE001 - a job must end as "failed", never vanish
            shutil.rmtree(tmp, ignore_errors=True)
            text = str(exc) if isinstance(exc, USER_ERRORS) else (
                f"internal error ({type(exc).__name__}: {exc}); "
                + traceback.format_exc(limit=3).splitlines()[-1])
            self._update(job_id, status="failed", message=text[:2000], finished_at=utcnow())

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        fut = self.futures.get(job_id)
        if fut is not None:
            fut.result(timeout=timeout)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
