"""Background jobs over the API: analyses of stored cohorts and simulations, with progress,
the files they wrote, and downloads (CSV tables neutralised against formula injection)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from sqlalchemy import select

from igfcirrhosis.store.engine import Store
from igfcirrhosis.store.models import Job
from igfcirrhosis.web.analysis_jobs import analysis_available, analysis_work
from igfcirrhosis.web.api_cohorts import get_cohort_row
from igfcirrhosis.web.cohort_store import cohort_path
from igfcirrhosis.web.files import list_files, result_file, safe_csv_text
from igfcirrhosis.web.i18n import choose_language
from igfcirrhosis.web.jobs import result_dir
from igfcirrhosis.web.plan_form import CHOICES, build_plan
from igfcirrhosis.web.problems import PROBLEM_RESPONSES, ProblemError
from igfcirrhosis.web.schemas import FitIn, Id, JobIn, JobOut, SimulationIn
from igfcirrhosis.web.simulation_jobs import (
    MAX_FIT_ROWS,
    MAX_PATIENTS,
    fit_work,
    scenario_from_toml,
    scenario_work,
    simulation_work,
)

router = APIRouter(prefix="/api/v1", tags=["jobs"])
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "frame-ancestors 'none'; sandbox")


def job_dict(request: Request, job: Job) -> dict[str, Any]:
    root = result_dir(request.app.state.store, job)
    return {"id": job.id, "kind": job.kind, "title": job.title, "status": job.status,
            "progress": job.progress, "message": job.message, "cohort_id": job.cohort_id,
            "created_at": job.created_at.isoformat(),
            "finished_at": None if job.finished_at is None else job.finished_at.isoformat(),
            "files": list_files(root) if root is not None and job.status == "done" else []}


def list_jobs(request: Request, kind: str) -> list[dict[str, Any]]:
    with request.app.state.store.session() as s:
        jobs = s.scalars(select(Job).where(Job.kind == kind).order_by(Job.id.desc()))
        return [job_dict(request, j) for j in jobs]


def get_job(request: Request, kind: str, job_id: Id) -> Job:
    store: Store = request.app.state.store
    with store.session() as s:
        job = s.get(Job, job_id)
        if job is None or job.kind != kind:
            raise ProblemError(404, f"no {kind} {job_id}", field="job_id", value=job_id)
        s.expunge(job)
        return job


def new_job(request: Request, kind: str, title: str, spec: dict[str, Any],
            cohort_id: int | None = None) -> Job:
    with request.app.state.store.session() as s:
        job = Job(kind=kind, title=title, spec=spec, cohort_id=cohort_id, status="queued",
                  progress=0.0)
        s.add(job)
        s.flush()
        s.expunge(job)
        return job


@router.get("/analyses", response_model=list[JobOut])
def list_analyses(request: Request) -> list[dict[str, Any]]:
    """Past and running analyses, newest first."""
    return list_jobs(request, "analysis")


@router.post("/analyses", response_model=JobOut, status_code=202, responses=PROBLEM_RESPONSES)
def post_analysis(request: Request, body: JobIn) -> dict[str, Any]:
    """Run an analysis plan (TOML text) on a stored cohort as a background job."""
    if not analysis_available():
        raise ProblemError(409, "cohort analysis is not available in this build "
                      "(igfcirrhosis.analysis has no runner yet)", field="plan", value=None)
    store = request.app.state.store
    cohort = get_cohort_row(request, body.cohort_id)
    # validates the plan (422 naming the key); the report in the user's page language
    work = analysis_work(store, cohort, body.plan, choose_language(request))
    job = new_job(request, "analysis", body.title or "analysis",
                  {"plan": body.plan}, cohort_id=cohort.id)
    request.app.state.jobs.submit(job.id, work)
    return job_dict(request, job)


@router.get("/plans/build", response_class=Response)
def get_plan(
    name: str = Query("cohort", max_length=200),
    analyses: str = Query(",".join(CHOICES[:4]), max_length=200,
                          description=f"Comma-separated, from {', '.join(CHOICES)}."),
    igf1_cut: float = Query(13.0, gt=0, le=2000),
) -> Response:
    """An analysis plan (TOML) built from the form's choices."""
    chosen = tuple(a.strip() for a in analyses.split(",") if a.strip())
    bad = [a for a in chosen if a not in CHOICES]
    if bad:
        raise ProblemError(422, f"analyses: unknown {bad[0]!r}; expected some of "
                           f"{', '.join(CHOICES)}", field="analyses", value=bad[0])
    return Response(build_plan(name, chosen, igf1_cut), media_type="text/plain")


@router.get("/analyses/{job_id}", response_model=JobOut, responses=PROBLEM_RESPONSES)
def get_analysis(request: Request, job_id: Id) -> dict[str, Any]:
    """One analysis: status, progress and, when done, its files."""
    return job_dict(request, get_job(request, "analysis", job_id))


@router.get("/simulations", response_model=list[JobOut])
def list_simulations(request: Request) -> list[dict[str, Any]]:
    """Past and running simulations, newest first."""
    return list_jobs(request, "simulation")


@router.post("/simulations", response_model=JobOut, status_code=202,
             responses=PROBLEM_RESPONSES)
def post_simulation(request: Request, body: SimulationIn) -> dict[str, Any]:
    """Simulate a patient state and regimen (``population`` > 0: a small virtual trial)."""
    work = simulation_work(body)  # a scenario the model refuses: 422 before a job exists
    job = new_job(request, "simulation",
                  ("trial" if body.population else "simulation") + f": {body.state}",
                  body.model_dump())
    request.app.state.jobs.submit(job.id, work)
    return job_dict(request, job)


@router.post("/simulations/fit", response_model=JobOut, status_code=202,
             responses=PROBLEM_RESPONSES)
def post_fit(request: Request, body: FitIn) -> dict[str, Any]:
    """Fit every row of a stored cohort to the model (liver mass and GH-receptor density from
    IGF-I, IGFBP-3 and GH): fitted.csv with estimates, flags and reasons, and fit.svg."""
    store = request.app.state.store
    cohort = get_cohort_row(request, body.cohort_id)
    if cohort.n_rows > MAX_FIT_ROWS:
        raise ProblemError(422, f"cohort {cohort.name}: {cohort.n_rows} rows; the web app fits "
                           f"at most {MAX_FIT_ROWS} (use igfc fit)", field="cohort_id",
                           value=body.cohort_id)
    job = new_job(request, "simulation", f"fit: {cohort.name}"[:180], body.model_dump(),
                  cohort_id=cohort.id)
    request.app.state.jobs.submit(job.id, fit_work(cohort_path(store, cohort), cohort.n_rows,
                                                   body.bootstrap))
    return job_dict(request, job)


SCENARIO_BODY = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": {"type": "string"}}}}}


@router.post("/simulations/scenario", response_model=JobOut, status_code=202,
             responses=PROBLEM_RESPONSES, openapi_extra=SCENARIO_BODY)
async def post_scenario(
    request: Request,
    population: int = Query(0, ge=0, le=MAX_PATIENTS,
                            description="0: one patient; N > 0: a virtual trial of the "
                            "scenario's arms."),
    seed: int = Query(1, ge=0, le=2**31 - 1),
) -> dict[str, Any]:
    """Simulate a scenario TOML file (the format of ``igfc simulate``) sent as the body."""
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(422, "scenario: not UTF-8 text", field="body", value=None) from None
    sc = await run_in_threadpool(scenario_from_toml, text)
    job = new_job(request, "simulation", ("trial" if population else "simulation")
                  + f": {sc.name}"[:180], {"scenario": text, "population": population,
                                            "seed": seed})
    request.app.state.jobs.submit(job.id, scenario_work(sc, population, seed))
    return job_dict(request, job)


@router.get("/simulations/{job_id}", response_model=JobOut, responses=PROBLEM_RESPONSES)
def get_simulation(request: Request, job_id: Id) -> dict[str, Any]:
    """One simulation: status, progress and, when done, its files."""
    return job_dict(request, get_job(request, "simulation", job_id))


def job_file(request: Request, kind: str, job_id: Id, name: str) -> Response:
    job = get_job(request, kind, job_id)
    root = result_dir(request.app.state.store, job)
    if root is None or job.status != "done":
        raise ProblemError(404, f"{kind} {job_id} has no files (status {job.status})",
                      field="job_id", value=job_id)
    path = result_file(root, name)
    if path.suffix.lower() in (".csv", ".tsv"):
        text = safe_csv_text(path.read_text("utf-8"), "," if path.suffix == ".csv" else "\t")
        return Response(text, media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{path.name}"'})
    if path.suffix.lower() == ".html":  # the self-contained report: styles inline, no scripts
        return FileResponse(path, media_type="text/html", headers={
            "Content-Security-Policy": REPORT_CSP})
    download = path.suffix.lower() not in (".png", ".svg")
    return FileResponse(path, filename=path.name if download else None,
                        content_disposition_type="attachment" if download else "inline")


@router.get("/analyses/{job_id}/files/{name:path}", responses=PROBLEM_RESPONSES,
            response_class=Response)
def analysis_file(request: Request, job_id: Id, name: str) -> Response:
    """A file of a finished analysis (report.html, results.json, figures/..., tables/...)."""
    return job_file(request, "analysis", job_id, name)


@router.get("/simulations/{job_id}/files/{name:path}", responses=PROBLEM_RESPONSES,
            response_class=Response)
def simulation_file(request: Request, job_id: Id, name: str) -> Response:
    """A file of a finished simulation (summary.json, trajectories.parquet, figures)."""
    return job_file(request, "simulation", job_id, name)
