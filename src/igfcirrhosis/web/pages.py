"""HTML pages (Jinja2, English and Simplified Chinese). The pages call the REST API from
their scripts; server-side they only render forms, tables and the evidence diagram."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from igfcirrhosis import RESEARCH_USE, __version__
from igfcirrhosis.web import assess_i18n
from igfcirrhosis.web.i18n import COOKIE, LANGUAGES, N_, choose_language, translations
from igfcirrhosis.web.page_data import (
    FORM_GROUPS,
    JS_STRINGS,
    PLAN_LABELS,
    UNITS_ASSUMED,
    form_fields,
    model_species,
)
from igfcirrhosis.web.schemas import Id

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).with_name("templates")
NAV = (("/assess", "Assess"), ("/cohorts", "Cohorts"), ("/simulate", "Simulate"),
       ("/model", "Model"), ("/evidence", "Evidence"), ("/about", "About"))
#: Validation-row kinds on the Model page: in the summary line, and on each row.
KIND_TOTALS = {"prediction": N_("independent predictions"),
               "calibration": N_("calibration targets"),
               "by construction": N_("true by construction")}
KIND_ROWS = {"prediction": N_("prediction"), "calibration": N_("calibration"),
             "by construction": N_("by construction")}


@cache
def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=True, extensions=["jinja2.ext.i18n"],
                             undefined=jinja2.StrictUndefined)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = choose_language(request)
    t = translations(lang)
    js = {k: t.gettext(v) for k, v in JS_STRINGS.items()}
    html = environment(lang).get_template(name).render(
        lang=lang, html_lang="zh-CN" if lang == "zh" else "en", languages=LANGUAGES,
        path=request.url.path, nav=NAV, version=__version__, research_use=RESEARCH_USE,
        units_assumed=UNITS_ASSUMED, js_strings=json.dumps(js, ensure_ascii=False),
        status=status, **context)
    return HTMLResponse(html, status_code=status)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/assess", status_code=303)


@router.get("/lang")
def set_language(to: str = Query("en"), next: str = Query("/assess")) -> Response:
    """Choose the language (remembered in a cookie for a year) and go back."""
    target = next if re.match(r"^/[A-Za-z0-9/_.-]*$", next) and not next.startswith("//") \
        else "/assess"
    resp = RedirectResponse(target, status_code=303)
    if to in LANGUAGES:
        resp.set_cookie(COOKIE, to, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return resp


router.include_router(assess_i18n.router)  # POST /assess/card: the result card's texts


@router.get("/assess", response_class=HTMLResponse)
def assess_page(request: Request) -> HTMLResponse:
    lang = choose_language(request)
    return render(request, "assess.html", groups=FORM_GROUPS,
                  fields=form_fields(si_default=lang == "zh"), unit_system="si"
                  if lang == "zh" else "conventional")


@router.get("/patients", response_class=HTMLResponse)
def patients_page(request: Request) -> HTMLResponse:
    from igfcirrhosis.web.api_patients import list_patients

    return render(request, "patients.html", patients=list_patients(request))


@router.get("/patients/{label}", response_class=HTMLResponse)
def patient_page(request: Request, label: str) -> HTMLResponse:
    from igfcirrhosis.web.api_patients import check_label, patient_history
    from igfcirrhosis.web.problems import ProblemError

    try:
        history = patient_history(request, check_label(label))
    except ProblemError as p:
        return render(request, "message.html", title=label, message=p.detail, status=p.status)
    return render(request, "patient.html", label=label, history=history)


@router.get("/evidence", response_class=HTMLResponse)
def evidence_page(request: Request, q: str = Query("", max_length=200)) -> HTMLResponse:
    from igfcirrhosis.web.api_evidence import evidence_entries

    return render(request, "evidence.html", q=q, entries=evidence_entries(q or None),
                  species=model_species())


@router.get("/about", response_class=HTMLResponse)
def about_page(request: Request) -> HTMLResponse:
    return render(request, "about.html")


@router.get("/cohorts", response_class=HTMLResponse)
def cohorts_page(request: Request) -> HTMLResponse:
    from igfcirrhosis.web.api_cohorts import list_cohorts
    from igfcirrhosis.web.api_jobs import list_jobs

    return render(request, "cohorts.html", cohorts=list_cohorts(request),
                  analyses=list_jobs(request, "analysis"),
                  max_upload=request.app.state.settings.max_upload_bytes)


@router.get("/cohorts/{cohort_id}", response_class=HTMLResponse)
def cohort_page(request: Request, cohort_id: Id) -> HTMLResponse:
    from igfcirrhosis.web.analysis_jobs import analysis_available
    from igfcirrhosis.web.api_cohorts import get_cohort
    from igfcirrhosis.web.api_jobs import list_jobs
    from igfcirrhosis.web.plan_form import default_plan
    from igfcirrhosis.web.problems import ProblemError

    try:
        cohort = get_cohort(request, cohort_id)
    except ProblemError as p:
        return render(request, "message.html", title=str(cohort_id), message=p.detail,
                      status=p.status)
    analyses = [a for a in list_jobs(request, "analysis") if a["cohort_id"] == cohort_id]
    return render(request, "cohort.html", cohort=cohort, analyses=analyses,
                  analysis_available=analysis_available(), default_plan=default_plan(cohort),
                  plan_labels=PLAN_LABELS)


@router.get("/analyses/{job_id}", response_class=HTMLResponse)
def analysis_page(request: Request, job_id: Id) -> HTMLResponse:
    return _job_page(request, "analysis", job_id)


@router.get("/simulations/{job_id}", response_class=HTMLResponse)
def simulation_page(request: Request, job_id: Id) -> HTMLResponse:
    return _job_page(request, "simulation", job_id)


def _job_page(request: Request, kind: str, job_id: Id) -> HTMLResponse:
    from igfcirrhosis.web.api_jobs import get_job, job_dict
    from igfcirrhosis.web.problems import ProblemError

    try:
        job = job_dict(request, get_job(request, kind, job_id))
    except ProblemError as p:
        return render(request, "message.html", title=str(job_id), message=p.detail,
                      status=p.status)
    base = "analyses" if kind == "analysis" else "simulations"
    return render(request, "job.html", job=job, base=base, **simulation_results(request, job))


def simulation_results(request: Request, job: dict[str, Any]) -> dict[str, Any]:
    """A finished simulation's summary.json as the page shows it: key numbers of one patient or
    one row per arm of a virtual trial, and the caveats (nothing for other jobs)."""
    if job["kind"] != "simulation" or "summary.json" not in job["files"]:
        return {"summary": None}
    from igfcirrhosis.model.summary import trial_rows
    from igfcirrhosis.web.api_jobs import get_job
    from igfcirrhosis.web.files import result_file
    from igfcirrhosis.web.jobs import result_dir

    root = result_dir(request.app.state.store, get_job(request, "simulation", job["id"]))
    if root is None:
        return {"summary": None}
    summary = json.loads(result_file(root, "summary.json").read_text("utf-8"))
    summary.setdefault("caveats", [])  # runs stored before summaries carried caveats
    try:
        if summary.get("kind") == "virtual_trial":
            return {"summary": summary, "trial_rows": trial_rows(summary)}
        for key in ("baseline", "last_day_mean", "peaks", "hypoglycaemia_proxy", "target_range"):
            summary[key]
    except (KeyError, TypeError):  # an older or foreign summary: the files are still listed
        return {"summary": None}
    return {"summary": summary, "trial_rows": []}


@router.get("/model", response_class=HTMLResponse)
def model_page(request: Request) -> HTMLResponse:
    from igfcirrhosis.web.api_model import checks_rows, parameter_rows, validation_document

    t = translations(choose_language(request))
    return render(request, "model.html", report=validation_document(),
                  checks=checks_rows(), parameters=parameter_rows(),
                  kind_totals={k: t.gettext(v) for k, v in KIND_TOTALS.items()},
                  kind_rows={k: t.gettext(v) for k, v in KIND_ROWS.items()})


@router.get("/model/notes", response_class=HTMLResponse)
def model_notes_page(request: Request) -> HTMLResponse:
    """MODEL.md (English only): why rows fail, structures tried, known limits."""
    return render(request, "model_notes.html", notes=model_notes_html())


@cache
def model_notes_html() -> Markup:
    """MODEL.md as HTML (CommonMark with tables; raw HTML in the file is escaped)."""
    from markdown_it import MarkdownIt

    from igfcirrhosis.model.parameters import data_dir

    text = (data_dir() / "MODEL.md").read_text(encoding="utf-8")
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))


@router.get("/simulate", response_class=HTMLResponse)
def simulate_page(request: Request) -> HTMLResponse:
    from igfcirrhosis.web.api_cohorts import list_cohorts
    from igfcirrhosis.web.api_jobs import list_jobs

    return render(request, "simulate.html", simulations=list_jobs(request, "simulation"),
                  cohorts=list_cohorts(request))
