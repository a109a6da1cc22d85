"""Key-result sentences for the report, written from an analysis' results.json entry.

Only the report shows them (results.json holds the numbers). Sentences come from
:mod:`.messages`, so they follow the plan's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from igfcirrhosis.analysis.messages import fmt_p, reason, term, text

Summary = Callable[[dict[str, Any], str], list[str]]


def _km(r: dict[str, Any], lang: str) -> list[str]:
    out: list[str] = []
    for g in r["groups"]:
        m = g["median_survival"]
        med = (
            text("not_reached", lang)
            if m["value"] is None
            else f"{m['value']:g} {term(m['unit'], lang)}"
            + (
                f" ({text('ci95', lang)} {_g(m['lower'])}-{_g(m['upper'])})"
                if m["lower"] is not None or m["upper"] is not None
                else ""
            )
        )
        out.append(text("sum_median", lang, group=g["group"], median=med))
    lr = r.get("logrank")
    if lr:
        out.append(
            text("sum_logrank", lang, chisq=lr["chisq"], df=lr["df"], p=fmt_p(lr["p_value"]))
        )
    tr = r.get("trend")
    if tr:
        out.append(text("sum_trend", lang, chisq=tr["chisq"], p=fmt_p(tr["p_value"])))
    return out


def _per(unit: str) -> str:
    """'mg/dL' -> 'mg/dL'; a dimensionless or derived column -> 'unit'; 'years' -> 'year'."""
    if not unit or unit.startswith("1") or unit in ("derived", "unit"):
        return "unit"
    return unit[:-1] if unit in ("years", "days", "months", "weeks") else unit


def _g(v: float | None) -> str:
    return "NA" if v is None else f"{v:g}"


def _cox(r: dict[str, Any], lang: str) -> list[str]:
    lr = next(t for t in r["tests"] if t["test"].startswith("likelihood"))
    c = r["concordance"]
    out: list[str] = [text("sum_cox", lang, c=c["concordance"], se=c["std_err"], lr=lr["chisq"], df=lr["df"],
                p=fmt_p(lr["p_value"]))]  # fmt: skip
    units = r.get("units", {}).get("hazard_ratio", {})
    for co in r["coefficients"]:
        unit = units.get(co["covariate"], "").removeprefix("hazard ratio per 1 ")
        unit = _per(unit.rsplit(" of ", 1)[0] if unit else "")
        out.append(text("sum_hr", lang, covariate=co["covariate"], hr=co["hazard_ratio"],
                        lo=co["hazard_ratio_lower"], hi=co["hazard_ratio_upper"], unit=unit,
                        p=fmt_p(co["p_value"])))  # fmt: skip
    zph = r.get("ph_test")
    if zph:
        glob = next(t for t in zph["tests"] if t["term"] == "GLOBAL")
        out.append(text("sum_zph", lang, p=fmt_p(glob["p_value"])))
    return out


def _compare(r: dict[str, Any], lang: str) -> list[str]:
    out: list[str] = []
    for c in r.get("concordance", []):
        half = 1.959963984540054 * (c["std_err"] or 0.0)
        out.append(text("sum_c", lang, score=c["score"], c=c["concordance"],
                        lo=c["concordance"] - half, hi=c["concordance"] + half))  # fmt: skip
    for d in r.get("comparisons", []):
        out.append(text("sum_c_diff", lang, first=d["first"], second=d["second"],
                        diff=d["difference"], se=d["std_err"], p=fmt_p(d["p_value"])))  # fmt: skip
    n = r.get("nested")
    if n:
        lr = n["likelihood_ratio"]
        out.append(text("sum_nested", lang, added=" + ".join(n["added"]),
                        base=" + ".join(n["base"]), chisq=lr["chisq"], df=lr["df"],
                        p=fmt_p(lr["p_value"]),
                        c_base=n["base_model"]["concordance"]["concordance"],
                        c_full=n["full_model"]["concordance"]["concordance"]))  # fmt: skip
    return out


def _cutpoint(r: dict[str, Any], lang: str) -> list[str]:
    ms = r["maxstat"]
    unit = ms["cutpoint"].get("unit") or ""
    out: list[str] = [text("sum_cut", lang, cut=ms["cutpoint"]["value"], unit=unit, stat=ms["statistic"],
                pmethod=ms["p_method"], p=fmt_p(ms["p_value"]))]  # fmt: skip
    y = r.get("youden")
    if y:
        out.append(text("sum_youden", lang, outcome=reason(y["outcome"], lang),
                        thr=y["threshold"]["value"],
                        unit=y["threshold"]["unit"] or "", se=y["sensitivity"],
                        sp=y["specificity"]))  # fmt: skip
    return out


def _roc(r: dict[str, Any], lang: str) -> list[str]:
    out: list[str] = []
    for m in r["markers"]:
        a = m["auc"]
        out.append(text("sum_auc", lang, marker=m["marker"], auc=a["value"], lo=a["lower"],
                        hi=a["upper"], cases=m["n_cases"], controls=m["n_controls"]))  # fmt: skip
    for d in r.get("paired_delong", []):
        diff = d["difference"]
        out.append(text("sum_delong", lang, a=d["markers"][0], b=d["markers"][1],
                        diff=diff["value"], lo=diff["lower"], hi=diff["upper"],
                        p=fmt_p(d["p_value"])))  # fmt: skip
    return out


def _acc(rule: str, d: dict[str, Any], lang: str) -> str:
    se, sp = d["sensitivity"], d["specificity"]
    return text("sum_accuracy", lang, rule=rule, se=_f(se["estimate"]), se_lo=_f(se["lower"]),
                se_hi=_f(se["upper"]), sp=_f(sp["estimate"]), sp_lo=_f(sp["lower"]),
                sp_hi=_f(sp["upper"]))  # fmt: skip


def _f(v: float | None) -> float:
    return float("nan") if v is None else v


def _diagnostic(r: dict[str, Any], lang: str) -> list[str]:
    return [_acc(d["rule"], d, lang) for d in r["rules"]]


def _combined(r: dict[str, Any], lang: str) -> list[str]:
    out: list[str] = []
    for c in r["combinations"]:
        rule = text("rule_combined", lang, combine=term(c["combine"], lang),
                    rules=" / ".join(c["rules"]))  # fmt: skip
        out.append(_acc(rule, c, lang))
    if r.get("logistic"):
        out.append(_acc("logistic", r["logistic"], lang))
    return out


def _competing(r: dict[str, Any], lang: str) -> list[str]:
    names = r.get("cause_labels") or {}
    out: list[str] = []
    for t in r.get("gray_tests") or []:
        cause = names.get(f"{t['cause']:g}", text("cause_n", lang, code=f"{t['cause']:g}"))
        out.append(text("sum_gray", lang, cause=cause, chisq=t["chisq"], df=t["df"],
                        p=fmt_p(t["p_value"])))  # fmt: skip
    fg = r.get("fine_gray")
    for co in fg["coefficients"] if fg else []:
        out.append(text("sum_shr", lang, covariate=co["covariate"],
                        hr=co["subdistribution_hazard_ratio"], lo=co["lower"], hi=co["upper"],
                        p=fmt_p(co["p_value"])))  # fmt: skip
    return out


def _logistic(r: dict[str, Any], lang: str) -> list[str]:
    return [
        text(
            "sum_or",
            lang,
            term=t["term"],
            or_=_f(t["odds_ratio"]),
            lo=_f(t["lower"]),
            hi=_f(t["upper"]),
            p=fmt_p(t["p"]),
        )  # fmt: skip
        for t in r["terms"]
        if t["term"] != "(Intercept)"
    ]


def _correlation(r: dict[str, Any], lang: str) -> list[str]:
    return [
        text(
            "sum_rho",
            lang,
            x=d["x"],
            y=d["y"],
            rho=_f(d["rho"]),
            lo=_f(d["lower"]),
            hi=_f(d["upper"]),
            p=fmt_p(d["p_value"]),
            n=d["n"],
        )  # fmt: skip
        for d in r["pairs"]
    ]


def _paired(r: dict[str, Any], lang: str) -> list[str]:
    m = r["mean_difference"]
    return [text("sum_paired", lang, after=r["after"], before=r["before"], d=m["value"],
                 unit=r["units"]["mean_difference"], lo=m["lower"], hi=m["upper"],
                 p_t=fmt_p(r["paired_t"]["p_value"]),
                 p_w=fmt_p(r["wilcoxon_signed_rank"]["p_value"]))]  # fmt: skip


def _table1(r: dict[str, Any], lang: str) -> list[str]:
    out: list[str] = []
    for v in r["variables"]:
        trend = ""
        if v.get("jt_p") is not None:
            trend = text("sum_table1_trend", lang, p=fmt_p(v["jt_p"]))
        out.append(text("sum_table1", lang, variable=v["variable"], test=v["test"],
                        p=fmt_p(v.get("p")), trend=trend))  # fmt: skip
    return out


SUMMARIES: dict[str, Summary] = {
    "km": _km,
    "cox": _cox,
    "compare_models": _compare,
    "cutpoint": _cutpoint,
    "roc": _roc,
    "diagnostic": _diagnostic,
    "combined": _combined,
    "competing": _competing,
    "logistic": _logistic,
    "correlation": _correlation,
    "paired": _paired,
    "table1": _table1,
}


def summarize(kind: str, results: dict[str, Any] | None, language: str = "en") -> list[str]:
    """Key-result sentences for one analysis (empty for a failed one)."""
    from igfcirrhosis.analysis.results import clean

    if not results:
        return []
    try:
        return SUMMARIES[kind](clean(results), language)
    except (KeyError, TypeError, ValueError, StopIteration):  # a missing value: table still shows
        return []
