"""Cox model against R's coxph on the Mayo model, 312 randomised PBC patients (no NAs).

R code (tests/fixtures/r/survival.R)::

    library(survival)
    randomised <- subset(pbc, !is.na(trt))
    mayo <- Surv(time, status == 2) ~ age + log(bili) + log(albumin) + log(protime) + edema
    for (ties in c("efron", "breslow")) {
      f <- coxph(mayo, data = randomised, ties = ties)
      s <- summary(f)
      coef(f); sqrt(diag(vcov(f))); f$loglik; f$iter
      f$wald.test; s$logtest; s$sctest; s$conf.int[, 3:4]; s$coefficients[, 5]
      cox.zph(f)$table                      # transform = "km"; also "identity", "rank", "log"
      cc <- concordance(f); cc$concordance; sqrt(cc$var); cc$count
    }
    # efron: coef log(bili) = 0.880056271294127, loglik -540.296717613767, LR 199.3395422165,
    #        score 269.605470963292, zph GLOBAL 10.5508243238586 (5 df), C 0.843861263351602
    f_small <- coxph(Surv(time, status == 2) ~ age + log(bili), data = randomised)
    anova(f_small, coxph(mayo, data = randomised))   # Chisq 44.7892485392529, 3 df

Tolerance 1e-6 relative for every quantity (observed: < 1e-13; same algorithm and iterates).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.cox import CoxPH, compare_nested
from igfcirrhosis.stats.survival_data import (
    ConvergenceWarning,
    StatisticalWarning,
    SurvivalDataError,
)

from .rcompare import assert_close_to_r

MAYO = ["age", "log_bili", "log_albumin", "log_protime", "edema"]
TIES = ["efron", "breslow"]


@pytest.fixture(scope="module", params=TIES)
def fitted(request: pytest.FixtureRequest, pbc_randomised: pd.DataFrame) -> tuple[str, CoxPH]:
    ties = request.param
    return ties, CoxPH(ties=ties).fit(pbc_randomised, "time", "death", MAYO)


def test_coefficients_and_errors(fitted: tuple[str, CoxPH], r_ref: dict[str, Any]) -> None:
    ties, cph = fitted
    r = r_ref[f"cox_mayo_{ties}"]
    assert (cph.n_, cph.n_events_, cph.iterations_) == (r["n"], r["nevent"], r["iter"])
    assert_close_to_r(cph.params_, r["coef"], what="coef")
    assert_close_to_r(cph.standard_errors_, r["se"], what="se")
    assert_close_to_r(cph.variance_matrix_.to_numpy(), r["vcov"], what="vcov")
    s = cph.summary
    assert_close_to_r(s["p"], r["p"], what="p")
    assert_close_to_r(s["lower 0.95"], r["conf_lower"], what="HR lower")
    assert_close_to_r(s["upper 0.95"], r["conf_upper"], what="HR upper")


def test_loglik_and_global_tests(fitted: tuple[str, CoxPH], r_ref: dict[str, Any]) -> None:
    ties, cph = fitted
    r = r_ref[f"cox_mayo_{ties}"]
    assert_close_to_r([cph.loglik_null_, cph.loglik_], r["loglik"], what="loglik")
    for test, key in [(cph.wald_test_, "wald"), (cph.lr_test_, "lr"), (cph.score_test_, "score")]:
        assert test.df == r[key][1]
        assert_close_to_r(test.chisq, r[key][0], what=f"{key} chisq")
        assert_close_to_r(test.p_value, r[key][2], what=f"{key} p")


def test_cox_zph_table(fitted: tuple[str, CoxPH], r_ref: dict[str, Any]) -> None:
    ties, cph = fitted
    r = r_ref[f"cox_mayo_{ties}"]
    tab = cph.check_ph().table
    assert list(tab.index) == [*MAYO, "GLOBAL"]
    np.testing.assert_array_equal(tab["df"], r["zph_df"])
    assert_close_to_r(tab["chisq"], r["zph_chisq"], what="zph chisq")
    assert_close_to_r(tab["p"], r["zph_p"], what="zph p")


def test_cox_zph_scaled_residuals(fitted: tuple[str, CoxPH], r_ref: dict[str, Any]) -> None:
    """R: z <- cox.zph(f); z$time, z$x (1 - KM(t-)), z$y (scaled Schoenfeld residuals).
    Rows of tied event times are compared after sorting (R's order within ties differs)."""
    ties, cph = fitted
    r = r_ref[f"cox_mayo_{ties}"]
    z = cph.check_ph()
    np.testing.assert_array_equal(z.event_time, r["zph_time"])
    np.testing.assert_allclose(z.g_time, r["zph_x"], rtol=1e-12, atol=1e-15)
    ry = np.asarray(r["zph_y"])
    ours = z.scaled[np.lexsort((z.scaled[:, 0], z.event_time))]
    theirs = ry[np.lexsort((ry[:, 0], np.asarray(r["zph_time"])))]
    assert_close_to_r(ours, theirs.tolist(), what="scaled residuals")


@pytest.mark.parametrize("transform", ["identity", "rank", "log"])
def test_cox_zph_other_transforms(
    fitted: tuple[str, CoxPH], r_ref: dict[str, Any], transform: str
) -> None:
    """R: cox.zph(f, transform = "identity" | "rank" | "log")$table[, "chisq"]."""
    ties, cph = fitted
    tab = cph.check_ph(transform=transform).table  # type: ignore[arg-type]
    assert_close_to_r(tab["chisq"], r_ref[f"cox_mayo_{ties}"][f"zph_{transform}"], what=transform)


def test_concordance_of_the_model(fitted: tuple[str, CoxPH], r_ref: dict[str, Any]) -> None:
    ties, cph = fitted
    r = r_ref[f"cox_mayo_{ties}"]
    c = cph.concordance_
    counts = [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy]
    np.testing.assert_array_equal(counts, r["concordance_counts"])
    assert_close_to_r(c.concordance, r["concordance"], what="C")
    assert_close_to_r(c.std_err, r["concordance_se"], what="se(C)")


def test_linear_predictor_is_centred_like_r(
    fitted: tuple[str, CoxPH], r_ref: dict[str, Any]
) -> None:
    ties, cph = fitted
    lp = cph.linear_predictor_.to_numpy()
    r = np.asarray(r_ref[f"cox_mayo_{ties}"]["linear_predictor"])
    np.testing.assert_allclose(lp, r, rtol=1e-6, atol=1e-9)


def test_anova_nested(pbc_randomised: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    r = r_ref["anova_mayo"]
    small = CoxPH().fit(pbc_randomised, "time", "death", ["age", "log_bili"])
    big = CoxPH().fit(pbc_randomised, "time", "death", MAYO)
    test = compare_nested(small, big)
    assert test.df == r["df"]
    assert_close_to_r([small.loglik_, big.loglik_], r["loglik"], what="loglik")
    assert_close_to_r(test.chisq, r["chisq"], what="chisq")
    assert_close_to_r(test.p_value, r["p"], what="p")
    with pytest.raises(ValueError, match="proper subset"):
        compare_nested(big, small)


def test_trend_by_cox_score_test(pbc_data: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """Trend over stages as the score test of coxph(Surv(time, status == 2) ~ stage)."""
    d = pbc_data.dropna(subset=["stage"])
    for ties in TIES:
        cph = CoxPH(ties=ties).fit(d, "time", "death", ["stage"])
        r = r_ref[f"trend_stage_cox_score_{ties}"]
        assert_close_to_r(cph.score_test_.chisq, r["chisq"], what=f"score {ties}")
        assert_close_to_r(cph.score_test_.p_value, r["p"], what=f"p {ties}")


def test_to_dict_is_json_ready(fitted: tuple[str, CoxPH]) -> None:
    _, cph = fitted
    d = cph.to_dict()
    json.dumps(d, allow_nan=False)
    assert [c["covariate"] for c in d["coefficients"]] == MAYO
    assert d["n_events"] == 125


def test_missing_covariate_raises_or_is_counted(pbc_data: pd.DataFrame) -> None:
    with pytest.raises(SurvivalDataError, match="column 'chol' is missing"):
        CoxPH().fit(pbc_data, "time", "death", ["age", "chol"])
    cph = CoxPH().fit(pbc_data, "time", "death", ["age", "chol"], dropna=True)
    assert cph.n_dropped_ == 134 and cph.n_ == 284


def test_non_numeric_covariate_is_an_error(pbc_data: pd.DataFrame) -> None:
    with pytest.raises(SurvivalDataError, match="covariate 'sex' is not numeric"):
        CoxPH().fit(pbc_data, "time", "death", ["sex"])


def test_perfect_separation_warns() -> None:
    df = pd.DataFrame(
        {"t": np.arange(1.0, 21.0), "e": [1] * 20, "x": np.r_[np.ones(10), np.zeros(10)]}
    )
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        CoxPH(max_iter=5).fit(df, "t", "e", ["x"])


def test_no_warning_on_the_mayo_model(pbc_randomised: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert CoxPH().fit(pbc_randomised, "time", "death", MAYO).converged_


def test_few_events_per_covariate_warns(pbc_randomised: pd.DataFrame) -> None:
    small = pbc_randomised.iloc[:60]
    assert small["death"].sum() < 50
    with pytest.warns(StatisticalWarning, match="fewer than 10 events per covariate"):
        CoxPH().fit(small, "time", "death", MAYO)


def test_constant_and_collinear_covariates_are_errors(pbc_randomised: pd.DataFrame) -> None:
    d = pbc_randomised.assign(one=1.0, twice_age=2 * pbc_randomised["age"])
    with pytest.raises(SurvivalDataError, match="constant in the data: one"):
        CoxPH().fit(d, "time", "death", ["age", "one"])
    with pytest.raises(SurvivalDataError, match="linearly dependent"):
        CoxPH().fit(d, "time", "death", ["age", "twice_age"])


@pytest.mark.parametrize("ties", TIES)
def test_stratified_model(pbc_data: pd.DataFrame, r_ref: dict[str, Any], ties: str) -> None:
    """R (all 418 patients)::

    fs <- coxph(Surv(time, status == 2) ~ age + log(bili) + log(albumin) + strata(edema),
                data = pbc, ties = ties)
    coef(fs); sqrt(diag(vcov(fs))); fs$loglik; fs$score; cox.zph(fs)$table
    cs <- concordance(fs); cs$concordance; sqrt(cs$var); colSums(cs$count)
    # efron: coef 0.0409494553549978, 0.881810075061801, -2.52614109681578
    """
    r = r_ref[f"cox_strata_{ties}"]
    d = pbc_data.assign(log_bili=np.log(pbc_data["bili"]), log_albumin=np.log(pbc_data["albumin"]))
    covs = ["age", "log_bili", "log_albumin"]
    cph = CoxPH(ties=ties).fit(d, "time", "death", covs, strata="edema")  # type: ignore[arg-type]
    assert cph.iterations_ == r["iter"]
    assert_close_to_r(cph.params_, r["coef"], what="coef")
    assert_close_to_r(cph.standard_errors_, r["se"], what="se")
    assert_close_to_r([cph.loglik_null_, cph.loglik_], r["loglik"], what="loglik")
    assert_close_to_r(cph.score_test_.chisq, r["score"], what="score test")
    tab = cph.check_ph().table
    assert_close_to_r(tab["chisq"], r["zph_chisq"], what="zph chisq")
    assert_close_to_r(tab["p"], r["zph_p"], what="zph p")
    c = cph.concordance_
    counts = [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy]
    np.testing.assert_array_equal(counts, r["concordance_counts"])
    assert_close_to_r(c.concordance, r["concordance"], what="C")
    assert_close_to_r(c.std_err, r["concordance_se"], what="se(C)")
    # strata change the fit: an unstratified model with the same covariates differs
    plain = CoxPH(ties=ties).fit(d, "time", "death", covs)  # type: ignore[arg-type]
    assert abs(plain.params_["log_albumin"] / cph.params_["log_albumin"] - 1) > 0.01


def _mayo_covariates(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": df["age"],
            "log_bili": np.log(df["bili"]),
            "log_albumin": np.log(df["albumin"]),
            "log_protime": np.log(df["protime"]),
            "edema": df["edema"],
        }
    )


@pytest.mark.parametrize("ties", TIES)
def test_predicted_survival_for_new_patients(
    pbc_randomised: pd.DataFrame, r_ref: dict[str, Any], ties: str
) -> None:
    """R::

    newpat <- data.frame(age = c(40, 60), bili = c(1, 5), albumin = c(3.8, 3.0),
                         protime = c(10.5, 11.5), edema = c(0, 0.5))
    ss <- summary(survfit(coxph(mayo, data = randomised, ties = ties), newdata = newpat),
                  times = c(90, 365, 1825, 3650))
    ss$surv; ss$std.err / ss$surv; ss$lower; ss$upper; ss$cumhaz
    # efron, patient 2 at 365 days: surv 0.786266746005265
    """
    r = r_ref[f"cox_predict_{ties}"]
    cph = CoxPH(ties=ties).fit(pbc_randomised, "time", "death", MAYO)  # type: ignore[arg-type]
    new = _mayo_covariates(pd.DataFrame(r["newdata"]))
    pred = cph.predict_survival(new, r["times"])
    assert list(pred.index.get_level_values("time")[:4]) == r["times"]
    for col, key in [
        ("survival", "surv"),
        ("cumhaz", "cumhaz"),
        ("std_err_cumhaz", "std_err_cumhaz"),
        ("lower", "lower"),
        ("upper", "upper"),
    ]:
        ours = pred[col].to_numpy().reshape(2, 4).T  # R: rows = times, columns = patients
        assert_close_to_r(ours, r[key], what=col)


def test_prediction_is_not_offered_for_stratified_models(pbc_randomised: pd.DataFrame) -> None:
    cph = CoxPH().fit(pbc_randomised, "time", "death", ["age", "log_bili"], strata="edema")
    with pytest.raises(SurvivalDataError, match="not implemented for stratified"):
        cph.predict_survival(pbc_randomised.head(1), [365])
