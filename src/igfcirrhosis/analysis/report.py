"""report.html: one self-contained file (inline CSS and SVG; no script, font or CDN).

Sentences come from :mod:`.messages` in the plan's ``language`` (or the one passed in); the
Jinja2 template lives in ``igfcirrhosis/report/templates/report.html.j2``. Warnings and
exclusion reasons arrive in English (as in results.json) and are said again in the report's
language; table headers show the translated name above the CSV column name. Run metadata (time,
Python, platform) is written here and never into results.json.
"""

from __future__ import annotations

import datetime as _dt
import math
import platform
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from igfcirrhosis.analysis import messages
from igfcirrhosis.analysis.summaries import summarize

if TYPE_CHECKING:
    import pandas as pd

    from igfcirrhosis.analysis.plan import Plan
    from igfcirrhosis.analysis.runner import RunOutcome

MAX_EXCLUDED_SHOWN = 5000  # per analysis; all rows are always in tables/excluded_rows.csv


def template_dir() -> Path:
    import igfcirrhosis

    return Path(igfcirrhosis.__file__).resolve().parent / "report" / "templates"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return "NA"
        if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e6):
            return f"{v:.3g}"
        return f"{v:.4g}"
    try:
        import pandas as pd

        if v is pd.NA:
            return "NA"
    except ImportError:  # pragma: no cover
        pass
    if hasattr(v, "item"):
        return _cell(v.item())
    return str(v)


def _table(frame: pd.DataFrame, lang: str = "en") -> dict[str, Any]:
    return {
        "columns": [(messages.column(str(c), lang), str(c)) for c in frame.columns],
        "rows": [[messages.cell(_cell(v), lang) if isinstance(v, str) else _cell(v) for v in row]
                 for row in frame.itertuples(index=False, name=None)],  # fmt: skip
    }


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "pandas", "statsmodels", "matplotlib"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:  # pragma: no cover
            out[name] = "not installed"
    return out


def render_report(
    plan: Plan,
    outcome: RunOutcome,
    now: _dt.datetime | None = None,
    language: str | None = None,
) -> str:
    """The report HTML for a finished run, in ``language`` (default: the plan's, "en")."""
    import jinja2
    from markupsafe import Markup

    import igfcirrhosis
    from igfcirrhosis.analysis.figures import cjk_font

    lang = messages.normalize_language(language or plan.language)

    def t(key: str, **kw: Any) -> str:
        return messages.text(key, lang, **kw)

    def say(sentence: str) -> str:
        return messages.localize(sentence, lang)

    def why(reason: str) -> str:
        return messages.reason(reason, lang)

    def rows(excluded: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "reason": why(r["reason"])} for r in excluded[:MAX_EXCLUDED_SHOWN]]

    def counts(by_reason: dict[str, int]) -> dict[str, int]:
        out: dict[str, int] = {}
        for reason, n in by_reason.items():
            out[why(reason)] = out.get(why(reason), 0) + n
        return out

    doc = outcome.results
    data = outcome.data
    method_keys: list[str] = []
    analyses = []
    warnings_all = []
    for rec, entry in zip(outcome.records, doc["analyses"], strict=True):
        res = rec.result
        for k in entry["methods"]:
            if k not in method_keys:
                method_keys.append(k)
        for w in entry["warnings"]:
            warnings_all.append({"analysis": rec.spec.id, "text": say(w)})
        excluded = res.excluded if res else []
        analyses.append({
            "id": rec.spec.id,
            "type": messages.type_name(rec.spec.type, lang),
            "title": rec.spec.title,
            "status": rec.status,
            "error": rec.error,
            "filter": entry["filter"],
            "n_sentence": t("analysis_n", n_used=entry["n_used"], n_excluded=entry["n_excluded"])
            if res else "",
            "warnings": [say(w) for w in entry["warnings"]],
            "summary": summarize(rec.spec.type, entry["results"], lang),
            "methods": [messages.method(k, lang)[0] for k in entry["methods"]],
            "tables": [{"name": messages.table_name(tb["name"], lang), "csv": tb["csv"],
                        **_table(tb["frame"], lang)} for tb in rec.tables],
            "figures": [{"name": messages.table_name(f["name"], lang), "svg": f["svg"],
                         "png": f["png"],
                         "inline": Markup(f["svg_text"])} for f in rec.figures],
            "excluded_counts": counts(entry["excluded_by_reason"]),
            "excluded": rows(excluded),
            "excluded_more": max(0, len(excluded) - MAX_EXCLUDED_SHOWN),
            "seconds": rec.seconds,
        })  # fmt: skip
    no_font = lang != "en" and cjk_font() is None and any(a["figures"] for a in analyses)
    if no_font:  # figures were kept in English rather than drawn as empty boxes
        warnings_all.append({"analysis": "figures", "text": t("no_cjk_font")})
    versions = _versions()
    now = now or _dt.datetime.now(_dt.UTC)
    d = doc["data"]
    provenance = [
        (t("prov_plan"), t("plan_hash", file=doc["plan"]["file"], sha=doc["plan"]["sha256"][:16])),
        (t("prov_file"), d["source"]),
        (t("prov_resolved"), data.resolved),
        (t("prov_format"), d["format"]),
        (t("prov_hash"), d["sha256"]),
        (t("prov_rows_read"), str(d["rows_read"])),
        (t("prov_rows_excluded"), str(d["rows_excluded_before_analysis"])),
        (t("prov_rows_analysed"), str(d["rows_available"])),
        (t("prov_filter"), d["filter"] or "—"),
        (t("prov_derived"), "; ".join(f"{k} = {v}" for k, v in d["derived"].items()) or "—"),
        (t("prov_units"), "; ".join(f"{k}: {v}" for k, v in d["units"].items()) or "—"),
        (t("prov_units_assumed"), ", ".join(d["units_assumed"]) or "—"),
        (t("prov_notes"), " ".join(why(n) for n in d["notes"]) or "—"),
        (t("prov_software"), t("software_on", version=igfcirrhosis.__version__,
                               python=versions["python"], system=platform.system(),
                               machine=platform.machine())),
        (t("prov_run"), now.strftime("%Y-%m-%d %H:%M:%S UTC")),
    ]  # fmt: skip
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    tpl = env.get_template("report.html.j2")
    title = doc["title"]
    if title.startswith("SYNTHETIC - "):
        title = f"{t('synthetic_title')} - {title.removeprefix('SYNTHETIC - ')}"
    return tpl.render(
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else lang,
        t=t,
        no_font=no_font,
        title=title,
        synthetic=doc["synthetic"],
        provenance=provenance,
        methods_intro=t("methods_intro", version=igfcirrhosis.__version__, **versions),
        methods=[messages.method(k, lang) for k in method_keys],
        analyses=analyses,
        warnings=warnings_all,
        data_excluded=rows(data.excluded),
        data_excluded_more=max(0, len(data.excluded) - MAX_EXCLUDED_SHOWN),
        data_excluded_counts=counts(d["excluded_before_analysis_by_reason"]),
        id_column=data.id_column or "—",
        timings=outcome.timings,
        plan_text=plan.text,
        argv=" ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv)),
    )
