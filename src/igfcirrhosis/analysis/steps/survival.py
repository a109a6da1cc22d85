"""Survival steps: Kaplan-Meier (+ log-rank, trend), Cox, model comparison, competing risks."""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.analysis.context import (
    GROUP_COL,
    StepContext,
    StepResult,
    small_cells,
    tidy_groups,
)
from igfcirrhosis.analysis.figures import km_figure, new_figure, nice_times, plain_log_ticks

if TYPE_CHECKING:
    import pandas as pd

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
_NEG = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
PROB = "1 (proportion)"


def _event01(ctx: StepContext, frame: pd.DataFrame, col: str) -> None:
    from igfcirrhosis.analysis.errors import PlanError

    e = frame[col].to_numpy(dtype=np.float64)
    bad = ~np.isin(e, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise PlanError(
            f"{ctx.spec.key}.event", f"column {col!r} must be 0/1 (derive it, e.g. dead = "
            f"\"status == 2\"); row {int(frame.index[i]) + 1} has {e[i]:g}"
        )  # fmt: skip


def run_km(ctx: StepContext) -> StepResult:
    from igfcirrhosis.stats.survival import KaplanMeier, logrank_trend_test

    p = ctx.spec.params
    time, event, by, cut = p["time"], p["event"], p["by"], p["cut"]
    cols = [time, event] + ([by] if by else []) + ([cut["column"]] if cut else [])
    df = ctx.complete(cols)
    _event01(ctx, df, event)
    group = None
    if cut is not None:
        x = df[cut["column"]].to_numpy(dtype=np.float64)
        rule, at, col = cut["positive_if"], cut["at"], cut["column"]
        hit = _OPS[rule](x, at)
        df = df.assign(**{GROUP_COL: np.where(hit, f"{col} {rule} {at:g}",
                                              f"{col} {_NEG[rule]} {at:g}")})  # fmt: skip
        group = GROUP_COL
    elif by is not None:
        group = by
        df = ctx.order_groups(df, by, p["levels"])
    km = KaplanMeier(conf_type=p["conf_type"], time_unit=ctx.time_unit).fit(df, time, event, group)
    res = km.to_dict(times=p["horizons"])
    res["group_column"] = group
    res["cut"] = cut
    res["units"] = {"time": ctx.time_unit, "survival": PROB, "median_survival": ctx.time_unit}
    methods = ["km", "greenwood"] + (["logrank"] if km.logrank_ is not None else [])
    if p["trend"]:
        res["trend"] = logrank_trend_test(df[time], df[event], df[group]).to_dict()
        methods.append("logrank_trend")
    tables = {"median": km.summary.reset_index()}
    if p["horizons"]:
        tables["survival_at"] = km.survival_at(p["horizons"]).reset_index()
    fig = km_figure(km, ctx.spec.title or None)
    t_max = max(float(c.time[-1]) for c in km.curves_.values() if c.time.size)
    tables["risk_table"] = km.risk_table(nice_times(t_max)).reset_index()
    counts = {str(g): c.n for g, c in km.curves_.items()}
    events = {str(g): c.events for g, c in km.curves_.items()}
    warn = small_cells(counts, 10, "patients") + small_cells(events, 5, "events")
    return ctx.result(res, km.n_, tables=tables, figures={"km": fig}, warnings=warn,
                      methods=methods)  # fmt: skip


def _fit_cox(ctx: StepContext, df: pd.DataFrame, covs: list[str], ties: str) -> Any:
    from igfcirrhosis.stats.cox import CoxPH

    return CoxPH(ties=ties).fit(df, ctx.spec.params["time"], ctx.spec.params["event"], covs)  # type: ignore[arg-type]


def _cov_units(ctx: StepContext, covs: list[str]) -> dict[str, str]:
    return {c: f"hazard ratio per 1 {ctx.unit(c) or 'unit'} of {c}" for c in covs}


def run_cox(ctx: StepContext) -> StepResult:
    p = ctx.spec.params
    covs = p["covariates"]
    df = ctx.complete([p["time"], p["event"], *covs])
    _event01(ctx, df, p["event"])
    cph = _fit_cox(ctx, df, covs, p["ties"])
    res = cph.to_dict()
    res["units"] = {"hazard_ratio": _cov_units(ctx, covs), "time": ctx.time_unit,
                    "concordance": PROB}  # fmt: skip
    tables = {"coefficients": cph.summary.reset_index(names="covariate")}
    methods = ["cox", "wald_lr_score", "harrell_c"]
    warn = []
    if p["ph_test"]:
        zph = cph.check_ph()
        res["ph_test"] = zph.to_dict()
        tables["ph_test"] = zph.table.reset_index(names="term")
        methods.append("cox_zph")
        for name, row in zph.table.iterrows():
            if row["p"] < 0.05:
                warn.append(ctx.say("warn_ph", p=row["p"], term=name))
    if cph.n_events_ < 10 * len(covs):
        warn.append(ctx.say("warn_epv", events=cph.n_events_, k=len(covs)))
    if not cph.converged_:
        warn.append(ctx.say("warn_not_converged", model="Cox model"))
    fig = new_figure(6.4, 1.2 + 0.45 * len(covs))
    ax = fig.add_axes((0.25, 0.2, 0.45, 0.7))
    cph.plot(ax=ax, title=ctx.spec.title or None)
    plain_log_ticks(ax)
    return ctx.result(res, cph.n_, tables=tables, figures={"forest": fig}, warnings=warn,
                      methods=methods)  # fmt: skip


def _c_dict(c: Any) -> dict[str, Any]:
    out: dict[str, Any] = c.to_dict()
    return out


def run_compare_models(ctx: StepContext) -> StepResult:
    import pandas as pd

    from igfcirrhosis.stats.concordance import compare_concordance, concordance_index
    from igfcirrhosis.stats.cox import compare_nested

    p = ctx.spec.params
    time, event, scores, nested = p["time"], p["event"], p["scores"], p["nested"]
    extra = (nested["base"] + nested["added"]) if nested else []
    df = ctx.complete([time, event, *scores, *extra])
    _event01(ctx, df, event)
    t, e = df[time].to_numpy(dtype=np.float64), df[event].to_numpy(dtype=np.float64)
    res: dict[str, Any] = {"n": len(df), "n_events": int(e.sum()),
                           "units": {"concordance": PROB, "time": ctx.time_unit}}  # fmt: skip
    tables: dict[str, pd.DataFrame] = {}
    methods = []
    rows = []
    figures = {}
    if scores:
        methods += ["harrell_c", "c_compare"]
        cs = {s: concordance_index(t, e, risk_score=df[s].to_numpy(dtype=np.float64))
              for s in scores}  # fmt: skip
        res["concordance"] = [
            {"score": s, "sign": "higher score = higher risk", **_c_dict(c)} for s, c in cs.items()
        ]
        ref = scores[0]
        res["comparisons"] = [
            {"first": s, "second": ref, **compare_concordance(cs[s], cs[ref]).to_dict()}
            for s in scores[1:]
        ]
        for s, c in cs.items():
            rows.append({"model": s, "C": c.concordance, "SE": c.std_err,
                         "lower": c.concordance - 1.96 * c.std_err,
                         "upper": c.concordance + 1.96 * c.std_err})  # fmt: skip
        tables["concordance"] = pd.DataFrame(rows)
        comp = [{"comparison": f"{r['first']} - {r['second']}", "difference": r["difference"],
                 "SE": r["std_err"], "z": r["z"], "p": r["p_value"]}
                for r in res["comparisons"]]  # fmt: skip
        if comp:
            tables["concordance_comparisons"] = pd.DataFrame(comp)
    if nested:
        methods += ["cox", "nested_lr"]
        small = _fit_cox(ctx, df, nested["base"], p["ties"])
        big = _fit_cox(ctx, df, nested["base"] + nested["added"], p["ties"])
        lr = compare_nested(small, big)
        cmp_c = compare_concordance(big.concordance_, small.concordance_)
        res["nested"] = {
            "base": nested["base"],
            "added": nested["added"],
            "question": f"does {' + '.join(nested['added'])} add to {' + '.join(nested['base'])}?",
            "base_model": small.to_dict(),
            "full_model": big.to_dict(),
            "likelihood_ratio": lr.to_dict(),
            "concordance_difference": cmp_c.to_dict(),
        }
        tables["nested"] = pd.DataFrame([{
            "base": " + ".join(nested["base"]), "full": " + ".join(nested["base"] + nested["added"]),
            "loglik_base": small.loglik_, "loglik_full": big.loglik_, "LR_chisq": lr.chisq,
            "df": lr.df, "p": lr.p_value, "C_base": small.concordance_.concordance,
            "C_full": big.concordance_.concordance, "C_difference_p": cmp_c.p_value,
        }])  # fmt: skip
        for name, m in (("base model", small), ("full model", big)):
            c = m.concordance_
            rows.append({"model": name, "C": c.concordance, "SE": c.std_err,
                         "lower": c.concordance - 1.96 * c.std_err,
                         "upper": c.concordance + 1.96 * c.std_err})  # fmt: skip
    fig = new_figure(6.4, 1.0 + 0.45 * len(rows))
    ax = fig.add_axes((0.3, 0.2, 0.65, 0.7))
    y = np.arange(len(rows))[::-1]
    cvals = np.array([r["C"] for r in rows])
    lo = np.array([r["lower"] for r in rows])
    hi = np.array([r["upper"] for r in rows])
    ax.errorbar(cvals, y, xerr=[cvals - lo, hi - cvals], fmt="s", color="black", capsize=3)
    ax.axvline(0.5, color="grey", linestyle=":", linewidth=0.8)
    ax.set_yticks(y, [r["model"] for r in rows])
    ax.set_xlabel("Harrell's C (95% CI)")
    figures["concordance"] = fig
    return ctx.result(res, len(df), tables=tables, figures=figures, methods=methods)


def _cif_at(cif: Any, times: list[float]) -> pd.DataFrame:
    import pandas as pd

    tt = np.asarray(times, dtype=np.float64)
    idx = np.searchsorted(cif.time, tt, side="right") - 1
    est = np.zeros(tt.size)
    var = np.zeros(tt.size)
    ok = idx >= 0
    est[ok] = cif.estimate[idx[ok]]
    var[ok] = cif.variance[idx[ok]]
    late = tt > cif.max_time
    est[late] = np.nan
    var[late] = np.nan
    return pd.DataFrame({"time": tt, "estimate": est, "std_err": np.sqrt(var)})


def run_competing(ctx: StepContext) -> StepResult:
    import pandas as pd

    from igfcirrhosis.stats.competing import CumulativeIncidence
    from igfcirrhosis.stats.competing_finegray import FineGray

    p = ctx.spec.params
    time, status, by, covs = p["time"], p["status"], p["by"], p["covariates"]
    df = ctx.complete([time, status] + ([by] if by else []) + covs)
    if by:
        df = tidy_groups(df, by)
    codes = sorted(set(df[status].to_numpy(dtype=np.float64).tolist()))
    if p["event_code"] not in codes:
        from igfcirrhosis.analysis.errors import PlanError

        raise PlanError(f"{ctx.spec.key}.event_code",
                        f"{p['event_code']:g} does not occur in {status!r} (codes: {codes})")  # fmt: skip
    ci = CumulativeIncidence(censor_code=p["censor_code"], time_unit=ctx.time_unit)
    ci.fit(df, time, status, group_col=by)
    # CIF.at fails for a (group, cause) without any event (stats.competing IndexError);
    # evaluate the curves here instead, with the same rule (last step at or before t, 0 before,
    # missing after the last follow-up).
    res: dict[str, Any] = ci.to_dict()
    at_rows = []
    for entry, ((lab, cause), cif) in zip(res["curves"], ci.curves_.items(), strict=True):
        tab = _cif_at(cif, p["horizons"])
        entry["at"] = [
            {"time": r.time, "time_unit": ctx.time_unit, "cumulative_incidence": r.estimate,
             "std_err": r.std_err}
            for r in tab.itertuples()
        ]  # fmt: skip
        at_rows += [{"group": lab, "cause": cause, **r} for r in tab.to_dict(orient="records")]
    res["event_code"] = p["event_code"]
    res["censor_code"] = p["censor_code"]
    res["competing_codes"] = [c for c in codes if c not in (p["event_code"], p["censor_code"])]
    res["units"] = {"time": ctx.time_unit, "cumulative_incidence": PROB}
    methods = ["aalen_johansen"] + (["gray"] if by else [])
    tables: dict[str, pd.DataFrame] = {}
    if p["horizons"]:
        tables["cumulative_incidence"] = pd.DataFrame(at_rows)
    if ci.tests_ is not None:
        tables["gray_tests"] = ci.tests_.reset_index()
    warn = []
    if covs:
        fg = FineGray(failure_code=p["event_code"], censor_code=p["censor_code"])
        fg.fit(df, time, status, covs)
        res["fine_gray"] = fg.to_dict()
        res["units"]["subdistribution_hazard_ratio"] = {
            c: f"per 1 {ctx.unit(c) or 'unit'} of {c}" for c in covs
        }
        tables["fine_gray"] = fg.summary.reset_index(names="covariate")
        methods.append("fine_gray")
        if not fg.converged_:
            warn.append(ctx.say("warn_not_converged", model="Fine-Gray model"))
    fig = new_figure(7, 4.5)
    ax = fig.add_subplot(1, 1, 1)
    ci.plot(ax=ax)
    names = p["cause_labels"]
    legend = ax.get_legend()
    if names and legend is not None:
        for txt in legend.get_texts():
            group, _, code = txt.get_text().rpartition(", cause ")
            if code in names:
                txt.set_text(f"{group}, {names[code]}" if group != "all" else names[code])
    res["cause_labels"] = names
    if ctx.spec.title:
        ax.set_title(ctx.spec.title)
    n_by = {f"cause {c:g}": int((df[status] == c).sum()) for c in res["competing_codes"]}
    n_by[f"cause {p['event_code']:g}"] = int((df[status] == p["event_code"]).sum())
    warn += small_cells(n_by, 5, "events")
    return ctx.result(res, ci.n_, tables=tables, figures={"cif": fig}, warnings=warn,
                      methods=methods)  # fmt: skip
