"""Jobs write into a temporary folder renamed into place when complete; a failing job leaves
no result folder and a failed row with its message."""

from __future__ import annotations

from pathlib import Path

from igfcirrhosis.store.engine import open_store
from igfcirrhosis.store.models import Job
from igfcirrhosis.web.jobs import JobRunner, interrupt_stale


def make_job(store, title: str) -> int:  # type: ignore[no-untyped-def]
    with store.session() as s:
        job = Job(kind="simulation", title=title, spec={}, status="queued", progress=0.0)
        s.add(job)
        s.flush()
        return int(job.id)


def test_complete_and_failed_jobs(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    runner = JobRunner(store)
    seen: list[Path] = []

    def good(out: Path, progress):  # type: ignore[no-untyped-def]
        seen.append(out)
        assert out.name.startswith("tmp-")
        progress(0.5, "half")
        (out / "summary.json").write_text("{}")
        return "fine"

    def bad(out: Path, progress):  # type: ignore[no-untyped-def]
        (out / "partial.csv").write_text("a,b\n")
        raise ValueError("scenario: days = -1: expected a positive number")

    ok_id, bad_id = make_job(store, "ok"), make_job(store, "bad")
    runner.submit(ok_id, good)
    runner.submit(bad_id, bad)
    runner.wait(ok_id, 30)
    runner.wait(bad_id, 30)
    with store.session() as s:
        ok, failed = s.get(Job, ok_id), s.get(Job, bad_id)
        assert (ok.status, ok.progress, ok.message, ok.out_name) == ("done", 1.0, "fine",
                                                                     f"job-{ok_id}")
        assert failed.status == "failed" and "days = -1" in failed.message
        assert failed.out_name is None
    results = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert results == [f"job-{ok_id}"]
    assert not seen[0].exists() and (tmp_path / "results" / f"job-{ok_id}" / "summary.json"
                                     ).is_file()
    runner.shutdown()


def test_jobs_left_running_are_marked_interrupted(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    job_id = make_job(store, "left over")
    assert interrupt_stale(store) == 1
    with store.session() as s:
        job = s.get(Job, job_id)
        assert job.status == "failed" and "interrupted" in job.message
