"""Diagnostic steps: cut-points (maxstat, Youden), ROC with DeLong, accuracy at cut-offs,
combined markers."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from igfcirrhosis.analysis.context import (
    GROUP_COL,
    OUTCOME_COL,
    StepContext,
    StepResult,
    small_cells,
)
from igfcirrhosis.analysis.figures import accuracy_plot, km_figure, new_figure


def _youden(yc: Any, unit: str | None) -> dict[str, Any]:
    """The Youden cut-point in a stable shape (threshold with its unit)."""
    return {
        "method": "Youden index on the empirical ROC curve (pROC coords 'best')",
        "direction": yc.direction_,
        "positive_rule": "marker >= threshold" if yc.direction_ == "<" else "marker <= threshold",
        "threshold": {"value": yc.threshold_, "unit": unit},
        "sensitivity": yc.sensitivity_,
        "specificity": yc.specificity_,
        "youden_j": yc.youden_,
        "n_ties": len(yc.table_),
    }


def run_cutpoint(ctx: StepContext) -> StepResult:
    from igfcirrhosis.stats.cutpoint import MaxStat, YoudenCutpoint
    from igfcirrhosis.stats.roc import outcome_within

    p = ctx.spec.params
    marker, time, event = p["marker"], p["time"], p["event"]
    df = ctx.complete([marker, time, event])
    ms = MaxStat().fit(df, marker, time, event, pmethod=p["pmethod"], minprop=p["minprop"],
                       maxprop=p["maxprop"], unit=ctx.unit(marker))  # fmt: skip
    optimism = ctx.say("warn_optimism")
    res: dict[str, Any] = {"maxstat": ms.to_dict(), "optimism_warning": optimism}
    res["units"] = {"cutpoint": ctx.unit(marker) or "unit of " + marker}
    tables = {"maxstat": ms.summary.reset_index(names="marker")}
    methods = ["maxstat"]
    if p["youden_within"] is not None:
        h = p["youden_within"]
        y = outcome_within(df[time].to_numpy(dtype=np.float64),
                           df[event].to_numpy(dtype=np.float64), h, 1)  # fmt: skip
        sub = df.assign(**{OUTCOME_COL: y})
        yc = YoudenCutpoint().fit(sub, marker, OUTCOME_COL, p["direction"], unit=ctx.unit(marker))
        res["youden"] = {
            **_youden(yc, ctx.unit(marker)),
            "outcome": f"{event} within {h:g} {ctx.time_unit}",
            "n_undetermined": int(np.isnan(y).sum()),
        }
        tables["youden"] = yc.summary
        methods.append("youden")
    fig = new_figure()
    ax = fig.add_subplot(1, 1, 1)
    ms.plot(ax=ax)
    ax.set_title(f"cut-point {ms.estimate_:g} (maximally selected log-rank statistic)")
    # survival on each side of the cut-point; no log-rank p-value: it would ignore the selection
    from igfcirrhosis.stats.survival import KaplanMeier

    cut = ms.estimate_
    split = df.assign(**{GROUP_COL: np.where(df[marker] <= cut, f"{marker} <= {cut:g}",
                                             f"{marker} > {cut:g}")})  # fmt: skip
    km = KaplanMeier(time_unit=ctx.time_unit).fit(split, time, event, GROUP_COL)
    km_fig = km_figure(km, ctx.say("cut_km_title", marker=marker, cut=cut), show_p=False)
    figures = {"maxstat": fig, "km_at_cutpoint": km_fig}
    return ctx.result(res, ms.n_, tables=tables, figures=figures, warnings=[optimism],
                      methods=methods)  # fmt: skip


def run_roc(ctx: StepContext) -> StepResult:
    import pandas as pd

    from igfcirrhosis.stats.cutpoint import YoudenCutpoint
    from igfcirrhosis.stats.roc import ROC, PairedDeLongTest

    p = ctx.spec.params
    markers = p["markers"]
    df = ctx.complete([m["column"] for m in markers] + ctx.outcome_columns(p["outcome"]))
    df = ctx.binary_outcome(df, p["outcome"])
    fits = []
    rows = []
    for m in markers:
        r = ROC().fit(df, m["column"], OUTCOME_COL, direction=m["direction"])
        yc = YoudenCutpoint().fit(
            df, m["column"], OUTCOME_COL, m["direction"], unit=ctx.unit(m["column"])
        )
        d = r.to_dict()
        d["outcome"] = ctx.outcome_label(p["outcome"])
        d["youden"] = _youden(yc, ctx.unit(m["column"]))
        fits.append((m, r, d))
        rows.append({"marker": m["column"], "direction": r.direction_, "n_cases": r.n_cases_,
                     "n_controls": r.n_controls_, "AUC": r.auc_, "lower": r.auc_ci_[0],
                     "upper": r.auc_ci_[1], "youden_threshold": yc.threshold_})  # fmt: skip
    res: dict[str, Any] = {
        "outcome": ctx.outcome_label(p["outcome"]),
        "n": len(df),
        "n_cases": int((df[OUTCOME_COL] == 1).sum()),
        "n_controls": int((df[OUTCOME_COL] == 0).sum()),
        "markers": [d for _, _, d in fits],
        "units": {"auc": "1 (probability)", "youden_threshold": {
            m["column"]: ctx.unit(m["column"]) or "unit of " + m["column"] for m in markers}},
    }  # fmt: skip
    tables = {"auc": pd.DataFrame(rows)}
    methods = ["roc", "delong_ci", "youden"]
    if p["paired"] and len(markers) > 1:
        paired = []
        for a, b in combinations(markers, 2):
            t = PairedDeLongTest().fit(df, (a["column"], b["column"]), OUTCOME_COL,
                                       (a["direction"], b["direction"]))  # fmt: skip
            paired.append(t.to_dict())
        res["paired_delong"] = paired
        tables["paired_delong"] = pd.DataFrame([
            {"markers": " vs ".join(d["markers"]), "auc1": d["auc1"], "auc2": d["auc2"],
             "difference": d["difference"]["value"], "lower": d["difference"]["lower"],
             "upper": d["difference"]["upper"], "z": d["z"], "p": d["p_value"]} for d in paired
        ])  # fmt: skip
        methods.append("delong_paired")
    fig = new_figure(5.5, 5.2)
    ax = fig.add_subplot(1, 1, 1)
    for _, r, _ in fits:
        r.plot(ax=ax)
    ax.set_title(ctx.spec.title or f"ROC: {res['outcome']}")
    warn = small_cells({"cases": res["n_cases"], "controls": res["n_controls"]}, 10, "patients")
    warn.append(ctx.say("warn_youden"))
    return ctx.result(res, len(df), tables=tables, figures={"roc": fig}, warnings=warn,
                      methods=methods)  # fmt: skip


def _rule(r: dict[str, Any], ctx: StepContext) -> Any:
    from igfcirrhosis.stats.diagnostic import MarkerRule

    return MarkerRule(
        r["column"], r["cutoff"], r["positive_if"], r["unit"] or ctx.unit(r["column"])
    )


def _acc_rows(name: str, acc: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"rule": name, "TP": acc.tp, "FP": acc.fp, "FN": acc.fn, "TN": acc.tn}
    for k in ("sensitivity", "specificity", "ppv", "npv"):
        pr = getattr(acc, k)
        row[k] = pr.estimate
        row[f"{k}_lower"] = pr.lower
        row[f"{k}_upper"] = pr.upper
    return row


def run_diagnostic(ctx: StepContext) -> StepResult:
    import pandas as pd

    from igfcirrhosis.stats.diagnostic import DiagnosticTest

    p = ctx.spec.params
    df = ctx.complete([r["column"] for r in p["rules"]] + ctx.outcome_columns(p["outcome"]))
    df = ctx.binary_outcome(df, p["outcome"])
    out, rows, accs = [], [], []
    for r in p["rules"]:
        t = DiagnosticTest().fit(df, _rule(r, ctx), OUTCOME_COL)
        out.append(t.to_dict())
        rows.append(_acc_rows(str(t.rule), t.accuracy_))
        accs.append((str(t.rule), t.accuracy_))
    res: dict[str, Any] = {"outcome": ctx.outcome_label(p["outcome"]), "n": len(df), "rules": out,
           "units": {"sensitivity": "1 (proportion)", "specificity": "1 (proportion)",
                     "ppv": "1 (proportion)", "npv": "1 (proportion)"}}  # fmt: skip
    fig = accuracy_plot(accs, ctx.spec.title or res["outcome"])
    n_cases = int((df[OUTCOME_COL] == 1).sum())
    warn = small_cells({"cases": n_cases, "controls": len(df) - n_cases}, 10, "patients")
    warn.append(ctx.say("warn_ppv", cases=n_cases, n=len(df)))
    return ctx.result(res, len(df), tables={"accuracy": pd.DataFrame(rows)},
                      figures={"accuracy": fig}, warnings=warn, methods=["clopper_pearson"])  # fmt: skip


def run_combined(ctx: StepContext) -> StepResult:
    import pandas as pd

    from igfcirrhosis.stats.diagnostic import CombinedRule, LogisticCombination

    p = ctx.spec.params
    rules = [_rule(r, ctx) for r in p["rules"]]
    df = ctx.complete([r.column for r in rules] + ctx.outcome_columns(p["outcome"]))
    df = ctx.binary_outcome(df, p["outcome"])
    res: dict[str, Any] = {"outcome": ctx.outcome_label(p["outcome"]), "n": len(df),
                           "combinations": []}  # fmt: skip
    rows, accs = [], []
    first = None
    for mode in p["combine"]:
        c = CombinedRule().fit(df, rules, OUTCOME_COL, combine=mode)
        res["combinations"].append(c.to_dict())
        first = first or c
        name = f"{mode}: " + " / ".join(map(str, rules))
        rows.append(_acc_rows(name, c.accuracy_))
        accs.append((mode, c.accuracy_))
    assert first is not None
    for name, acc in first.components_.items():
        rows.append(_acc_rows(name, acc))
        accs.append((name, acc))
    methods = ["either_both", "clopper_pearson"]
    warn = []
    if p["logistic"]:
        lc = LogisticCombination().fit(df, [r.column for r in rules], OUTCOME_COL)
        res["logistic"] = lc.to_dict()
        rows.append(_acc_rows("logistic (p >= 0.5)", lc.accuracy_))
        accs.append(("logistic", lc.accuracy_))
        methods += ["logistic_combination", "delong_ci"]
        warn.append(ctx.say("warn_apparent"))
    res["units"] = {"sensitivity": "1 (proportion)", "specificity": "1 (proportion)"}
    fig = accuracy_plot(accs, ctx.spec.title or res["outcome"])
    n_cases = int((df[OUTCOME_COL] == 1).sum())
    warn += small_cells({"cases": n_cases, "controls": len(df) - n_cases}, 10, "patients")
    return ctx.result(res, len(df), tables={"accuracy": pd.DataFrame(rows)},
                      figures={"accuracy": fig}, warnings=warn, methods=methods)  # fmt: skip
