"""examples/pbc/plan.toml on the real PBC data: the runner wires the right columns.

Each number is compared with the R fixtures in tests/fixtures/r/ (survival.R, diagnostic.R);
the R call is quoted per test. results.json rounds floats to 12 significant digits, so the
tolerance is 1e-9 relative.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

REL = 1e-9


def close(a: Any, b: Any, rel: float = REL) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rel)


def test_every_analysis_ran(pbc_run: Any) -> None:
    assert [r.status for r in pbc_run.records] == ["ok"] * len(pbc_run.records)
    assert pbc_run.results["synthetic"] is False
    assert not pbc_run.results["title"].startswith("SYNTHETIC")


def test_km_by_bilirubin(pbc_run: Any, analysis: Any, r_survival: dict[str, Any]) -> None:
    """survdiff(Surv(time, status == 2) ~ I(bili > 2), data = pbc);
    summary(survfit(...), times = c(365, 1825, 3650))."""
    res = analysis(pbc_run, "km_bili")["results"]
    close(res["logrank"]["chisq"], r_survival["logrank_bili"]["chisq"])
    groups = {g["group"]: g for g in res["groups"]}
    for label, ref in (("bili <= 2", "km_bili_false"), ("bili > 2", "km_bili_true")):
        surv = [s["survival"] for s in groups[label]["survival_at"]]
        close(surv, r_survival[ref]["horizons"]["surv"][1:])
    med = groups["bili > 2"]["median_survival"]
    assert med["unit"] == "days"
    close(
        [med["value"], med["lower"], med["upper"]],
        [r_survival["km_bili_true"]["median_log"][k] for k in ("median", "lower", "upper")],
    )
    assert groups["bili <= 2"]["median_survival"]["value"] is None  # not reached (R: NA)


def test_km_overall_and_stage_trend(
    pbc_run: Any, analysis: Any, r_survival: dict[str, Any]
) -> None:
    """survfit(Surv(time, status == 2) ~ 1); survdiff(... ~ stage) and its trend (scores 1..4)."""
    overall = analysis(pbc_run, "km_overall")["results"]["groups"][0]
    close(overall["median_survival"]["value"], r_survival["km_overall"]["median_log"]["median"])
    stage = analysis(pbc_run, "km_stage")
    close(stage["results"]["logrank"]["chisq"], r_survival["logrank_stage"]["chisq"])
    close(stage["results"]["trend"]["chisq"], r_survival["trend_stage"]["chisq"])
    assert stage["n_used"] == 412
    assert stage["excluded_by_reason"] == {"missing stage": 6}


def test_mayo_cox_model(pbc_run: Any, analysis: Any, r_survival: dict[str, Any]) -> None:
    """coxph(Surv(time, status == 2) ~ age + log(bili) + log(albumin) + log(protime) + edema,
    data = subset(pbc, !is.na(trt))); cox.zph(f); concordance(f)."""
    entry = analysis(pbc_run, "cox_mayo")
    ref = r_survival["cox_mayo_efron"]
    res = entry["results"]
    close([c["log_hazard_ratio"] for c in res["coefficients"]], ref["coef"])
    close([c["std_err"] for c in res["coefficients"]], ref["se"], 1e-7)
    close(res["concordance"]["concordance"], ref["concordance"])
    close([t["p_value"] for t in res["ph_test"]["tests"]], ref["zph_p"], 1e-6)
    assert res["n"] == ref["n"] == entry["n_used"] == 312
    assert entry["excluded_by_reason"] == {"analysis filter trt notna is false": 106}
    assert any("proportional hazards" in w and "log_protime" in w for w in entry["warnings"])


def test_nested_models_and_c_index(pbc_run: Any, analysis: Any, r_survival: dict[str, Any]) -> None:
    """anova(coxph(~ age + log(bili)), coxph(mayo)); concordance(~ bili, reverse = TRUE)."""
    res = analysis(pbc_run, "compare_mayo")["results"]
    close(res["nested"]["likelihood_ratio"]["chisq"], r_survival["anova_mayo"]["chisq"], 1e-7)
    assert res["nested"]["likelihood_ratio"]["df"] == r_survival["anova_mayo"]["df"]
    close(res["concordance"][0]["concordance"], r_survival["concordance_bili"]["concordance"])
    close(res["concordance"][0]["std_err"], r_survival["concordance_bili"]["se"], 1e-7)


def test_maxstat_cutpoint_with_optimism_warning(
    pbc_run: Any, analysis: Any, r_diagnostic: dict[str, Any]
) -> None:
    """maxstat.test(Surv(time, status == 2) ~ bili, data = pbc, smethod = "LogRank",
    pmethod = "Lau94")."""
    entry = analysis(pbc_run, "cut_bili")
    ms = entry["results"]["maxstat"]
    ref = r_diagnostic["maxstat_lau94"]
    close(ms["statistic"], ref["statistic"])
    assert ms["cutpoint"]["value"] == ref["estimate"] == 1.9
    assert ms["cutpoint"]["unit"] == "mg/dL"
    close(ms["p_value"], ref["p"], 1e-6)
    assert any(w.startswith("optimism") for w in entry["warnings"])
    assert entry["results"]["optimism_warning"].startswith("optimism")


def test_roc_and_paired_delong(pbc_run: Any, analysis: Any, r_diagnostic: dict[str, Any]) -> None:
    """roc(dead5, log(bili), direction = "<"), roc(dead5, albumin, direction = ">") on the 312
    with a determined 5-year outcome; roc.test(..., method = "delong", paired = TRUE)."""
    entry = analysis(pbc_run, "roc_5y")
    res = entry["results"]
    assert (res["n_cases"], res["n_controls"]) == (115, 197)
    assert sum(entry["excluded_by_reason"].values()) == r_diagnostic["landmark"]["n_excluded"]
    for marker, ref in zip(res["markers"], ("roc_logbili", "roc_albumin"), strict=True):
        r = r_diagnostic[ref]
        close(
            [marker["auc"]["value"], marker["auc"]["lower"], marker["auc"]["upper"]],
            [r["auc"], r["ci_lower"], r["ci_upper"]],
        )
        close(marker["youden"]["threshold"]["value"], r["best_threshold"])
        assert marker["youden"]["threshold"]["unit"] == (
            "log(mg/dL)" if ref == "roc_logbili" else "g/dL"
        )
    close(res["paired_delong"][0]["z"], r_diagnostic["roc_test"]["z"])
    close(res["paired_delong"][0]["p_value"], r_diagnostic["roc_test"]["p"])


def test_accuracy_at_cutoffs(pbc_run: Any, analysis: Any, r_diagnostic: dict[str, Any]) -> None:
    """binom.test on the 2x2 table of bili >= 2 against death within 5 years."""
    rule = analysis(pbc_run, "accuracy_5y")["results"]["rules"][0]
    ref = r_diagnostic["accuracy_bili_ge_2"]
    assert rule["table"] == {k: ref[k] for k in ("tp", "fp", "fn", "tn")}
    for k in ("sensitivity", "specificity", "ppv", "npv"):
        close([rule[k]["estimate"], rule[k]["lower"], rule[k]["upper"]], ref[k])


def test_logistic_model(pbc_run: Any, analysis: Any, r_diagnostic: dict[str, Any]) -> None:
    """glm(dead5 ~ log(bili) + albumin + age, family = binomial, data = lm5)."""
    res = analysis(pbc_run, "logistic_5y")["results"]
    ref = r_diagnostic["logistic_landmark"]
    close([t["coef"] for t in res["terms"]], ref["coef"], 1e-7)
    close([t["odds_ratio"] for t in res["terms"]], ref["or"], 1e-7)
    assert res["n"] == ref["n"] == 312


def test_table1_kruskal_and_trend(
    pbc_run: Any, analysis: Any, r_diagnostic: dict[str, Any]
) -> None:
    """kruskal.test(albumin ~ stage, data = pbc); Jonckheere-Terpstra and Cuzick (R code in
    diagnostic.R)."""
    variables = {
        v["variable"]: v for v in analysis(pbc_run, "table1_stage")["results"]["variables"]
    }
    alb = variables["albumin"]
    assert alb["test"] == "Kruskal-Wallis"
    close(alb["statistic"], r_diagnostic["kruskal_albumin_stage"]["statistic"])
    close(alb["p"], r_diagnostic["kruskal_albumin_stage"]["p"])
    close(alb["jt_z"], r_diagnostic["jt_albumin_stage"]["z"])
    close(alb["cuzick_z"], r_diagnostic["cuzick_albumin_stage"]["z"])


def test_spearman(pbc_run: Any, analysis: Any, r_diagnostic: dict[str, Any]) -> None:
    """cor.test(pbc$bili, pbc$albumin, method = "spearman")."""
    pair = analysis(pbc_run, "spearman")["results"]["pairs"][0]
    ref = r_diagnostic["spearman_bili_albumin"]
    close(pair["rho"], ref["rho"])
    close([pair["lower"], pair["upper"]], ref["ci_bonett_wright"])
    assert pair["n"] == ref["n"]


def test_competing_risks(pbc_run: Any, analysis: Any, r_survival: dict[str, Any]) -> None:
    """cuminc(time, status, group = bili > 2, cencode = 0)$Tests;
    crr(time, status, cov1 = cbind(age, log(bili)), failcode = 2, cencode = 0)."""
    res = analysis(pbc_run, "cif")["results"]
    close([t["chisq"] for t in res["gray_tests"]], r_survival["cuminc_bili"]["tests"]["stat"])
    fg = res["fine_gray"]
    close(
        [c["log_subdistribution_hazard_ratio"] for c in fg["coefficients"]],
        r_survival["crr_death"]["coef"],
        1e-6,
    )
    assert fg["n"] == r_survival["crr_death"]["n"] == 418


@pytest.mark.parametrize("name", ["results.json", "report.html", "tables/excluded_rows.csv"])
def test_outputs_exist(pbc_run: Any, name: str) -> None:
    assert (pbc_run.out_dir / name).stat().st_size > 0
