"""Descriptive and association steps: Table 1, Spearman correlation, logistic regression,
paired comparison."""

from __future__ import annotations

from typing import Any

import numpy as np

from igfcirrhosis.analysis.context import (
    OUTCOME_COL,
    StepContext,
    StepResult,
    small_cells,
)
from igfcirrhosis.analysis.figures import new_figure, plain_log_ticks


def run_table1(ctx: StepContext) -> StepResult:
    from igfcirrhosis.stats.table1 import Table1

    p = ctx.spec.params
    by, cont, cat = p["by"], p["continuous"], p["categorical"]
    df = ctx.order_groups(ctx.complete([by]), by, p["levels"])
    t1 = Table1().fit(df, by, continuous=cont, categorical=cat, ordered=p["ordered"],
                      summary=p["summary"])  # fmt: skip
    res = t1.to_dict()
    res["units"] = {c: ctx.unit(c) or "as in the data" for c in cont}
    methods = ["table1_continuous", "table1_categorical"]
    if p["ordered"]:
        methods += ["jt", "cuzick"] + (["prop_trend"] if cat else [])
    tables = {"table1": t1.table_.reset_index(), "tests": t1.summary.reset_index()}
    figs = {}
    if cont:
        show = cont[:4]
        fig = new_figure(3.0 * len(show) + 0.6, 3.8)
        for k, col in enumerate(show):
            ax = fig.add_subplot(1, len(show), k + 1)
            groups = [df.loc[df[by] == lv, col].dropna().to_numpy(dtype=np.float64)
                      for lv in t1.levels_]  # fmt: skip
            ax.boxplot(groups, tick_labels=[str(v) for v in t1.levels_])
            unit = ctx.unit(col)
            ax.set_title(f"{col}" + (f" [{unit}]" if unit and "derived" not in unit else ""))
            ax.set_xlabel(by)
        fig.tight_layout()
        figs["boxplots"] = fig
    warn = small_cells({str(k): v for k, v in t1.n_by_group_.items()}, 10, "patients")
    return ctx.result(res, len(df), tables=tables, figures=figs, warnings=warn, methods=methods)


def run_correlation(ctx: StepContext) -> StepResult:
    import pandas as pd

    from igfcirrhosis.stats.association import SpearmanCorrelation

    pairs = ctx.spec.params["pairs"]
    base = ctx.complete([])
    out, rows = [], []
    fig = new_figure(4.2 * min(len(pairs), 3), 4.0)
    n_used = 0
    for k, (x, y) in enumerate(pairs):
        before = len(ctx.excluded)
        sub = ctx.complete([x, y], frame=base)
        for row in ctx.excluded[before:]:
            row["reason"] = f"pair {x} ~ {y}: {row['reason']}"
        sp = SpearmanCorrelation().fit(sub, x, y)
        out.append(sp.to_dict())
        rows.append({"x": x, "y": y, "rho": sp.rho_, "lower": sp.ci_[0], "upper": sp.ci_[1],
                     "p": sp.p_value_, "n": sp.n_})  # fmt: skip
        n_used = max(n_used, sp.n_)
        if k < 3:
            ax = fig.add_subplot(1, min(len(pairs), 3), k + 1)
            sp.plot(ax=ax, s=8, alpha=0.6, rasterized=sp.n_ > 2000)  # small SVG
    fig.tight_layout()
    res = {"pairs": out, "units": {"rho": "1 (rank correlation)"}}
    return ctx.result(res, n_used, tables={"spearman": pd.DataFrame(rows)},
                      figures={"scatter": fig}, methods=["spearman"])  # fmt: skip


def run_logistic(ctx: StepContext) -> StepResult:
    from igfcirrhosis.stats.association import LogisticRegression

    p = ctx.spec.params
    covs = p["covariates"]
    df = ctx.complete(covs + ctx.outcome_columns(p["outcome"]))
    df = ctx.binary_outcome(df, p["outcome"])
    lr = LogisticRegression().fit(df, OUTCOME_COL, covs)
    res: dict[str, Any] = lr.to_dict()
    res["outcome"] = ctx.outcome_label(p["outcome"])
    res["units"] = {"odds_ratio": {c: f"per 1 {ctx.unit(c) or 'unit'} of {c}" for c in covs}}
    fig = new_figure(6.0, 1.2 + 0.45 * len(covs))
    ax = fig.add_axes((0.3, 0.2, 0.65, 0.7))
    lr.plot(ax=ax, color="black", capsize=3)
    plain_log_ticks(ax)
    ax.set_title(ctx.spec.title or f"odds ratios: {res['outcome']}")
    n_events = int((df[OUTCOME_COL] == 1).sum())
    warn = []
    if min(n_events, len(df) - n_events) < 10 * len(covs):
        warn.append(ctx.say("warn_logistic_epv", m=min(n_events, len(df) - n_events),
                            k=len(covs)))  # fmt: skip
    return ctx.result(res, lr.n_, tables={"coefficients": lr.summary.reset_index()},
                      figures={"odds_ratios": fig}, warnings=warn, methods=["logistic"])  # fmt: skip


def run_paired(ctx: StepContext) -> StepResult:
    from igfcirrhosis.stats.association import PairedComparison

    p = ctx.spec.params
    before, after = p["before"], p["after"]
    df = ctx.complete([before, after])
    pc = PairedComparison().fit(df, before, after)
    res: dict[str, Any] = pc.to_dict()
    unit = ctx.unit(before) or "unit of " + before
    res["units"] = {"mean_difference": unit}
    fig = new_figure(5.0, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    d = df[after].to_numpy(dtype=np.float64) - df[before].to_numpy(dtype=np.float64)
    ax.hist(d, bins=min(40, max(10, int(np.sqrt(d.size)))), color="C0", alpha=0.8)
    ax.axvline(0, color="grey", linestyle=":")
    ax.axvline(pc.mean_diff_, color="black", linestyle="--", label="mean difference")
    ax.set_xlabel(f"{after} - {before}")
    ax.set_ylabel("patients")
    ax.legend(frameon=False)
    return ctx.result(res, pc.n_, tables={"paired": pc.summary.reset_index(names="test")},
                      figures={"differences": fig}, methods=["paired_t", "wilcoxon"])  # fmt: skip
