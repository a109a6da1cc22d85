"""Spearman, logistic regression and paired tests against R on the PBC data.

Tolerance 1e-9 relative throughout (logistic: R fitted with glm.control(epsilon = 1e-14),
statsmodels with tol = 1e-12; measured max 1e-13).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest

from igfcirrhosis.stats.association import (
    LogisticRegression,
    PairedComparison,
    SpearmanCorrelation,
    spearman_ci,
)
from igfcirrhosis.stats.roc import DiagnosticDataError, DiagnosticWarning

from .conftest import rel_diff

matplotlib.use("Agg")
TOL = 1e-9


def test_spearman_vs_cor_test(pbc: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

    ct <- cor.test(pbc$bili, pbc$albumin, method = "spearman")  # ties: t approximation
    ct$estimate  # -0.336671405417147
    ct$p.value   # 1.54827681968848e-12
    r <- ct$estimate; n <- 418; zq <- qnorm(0.975)
    tanh(atanh(r) + c(-1, 1) * zq * sqrt((1 + r^2 / 2) / (n - 3)))  # Bonett-Wright
    tanh(atanh(r) + c(-1, 1) * zq / sqrt(n - 3))                    # Fisher
    cor.test(pbc$bili, pbc$copper, method = "spearman")  # 108 missing copper
    """
    ref = r_ref["spearman_bili_albumin"]
    s = SpearmanCorrelation().fit(pbc, "bili", "albumin")
    assert rel_diff(s.rho_, ref["rho"]) < TOL
    assert rel_diff(s.p_value_, ref["p"]) < TOL
    assert rel_diff(s.ci_, ref["ci_bonett_wright"]) < TOL
    assert rel_diff(s.s_statistic_, ref["S"]) < TOL
    f = SpearmanCorrelation().fit(pbc, "bili", "albumin", ci_method="fisher")
    assert rel_diff(f.ci_, ref["ci_fisher"]) < TOL
    ref2 = r_ref["spearman_bili_copper"]
    c = SpearmanCorrelation().fit(pbc, "bili", "copper")
    assert rel_diff([c.rho_, c.p_value_], [ref2["rho"], ref2["p"]]) < TOL
    assert c.n_ == ref2["n"] == 310 and c.n_missing_ == 108
    json.dumps(c.to_dict(), allow_nan=False)


def test_spearman_without_ties_as89_vs_cor_test(r_ref: dict[str, Any]) -> None:
    """R (no ties, n <= 1290: exact for n <= 9, AS 89 Edgeworth series above)::

    for (n in c(5, 8, 9, 10, 30, 60)) {
      x <- pbc$age[1:n]; y <- pbc$time[1:n]
      cor.test(x, y, method = "spearman")$p.value    # n = 60: 0.0381843993331397
      cor.test(x, -y, method = "spearman")$p.value
    }
    cor.test(1:7, c(2, 1, 4, 3, 7, 5, 6), method = "spearman")$p.value   # 0.0341269841269841
    cor.test(1:7, c(7, 6, 5, 4, 3, 1, 2), method = "spearman")$p.value   # 0.00277777777777778
    cor.test(1:12, c(1, 3, 2, 4, 6, 5, 7, 9, 8, 10, 12, 11),
             method = "spearman")$p.value                                 # 0 (R clips)
    """
    for case in r_ref["spearman_exact"]:
        df = pd.DataFrame({"x": case["x"], "y": case["y"]}).assign(z=lambda d: -d["y"])
        a = SpearmanCorrelation().fit(df, "x", "y")
        b = SpearmanCorrelation().fit(df, "x", "z")
        assert rel_diff([a.rho_, a.p_value_], [case["rho"], case["p"]]) < TOL, case["n"]
        assert rel_diff([b.rho_, b.p_value_], [case["rho_flipped"], case["p_flipped"]]) < TOL
        assert a.p_method_ == (
            "exact (all rankings)" if case["n"] <= 9 else "AS 89 Edgeworth series"
        )
    for case in r_ref["spearman_exact_strong"]:
        df = pd.DataFrame({"x": case["x"], "y": case["y"]})
        s = SpearmanCorrelation().fit(df, "x", "y")
        assert s.p_value_ == pytest.approx(case["p"], rel=TOL, abs=0)
    # the forced t approximation differs from the exact p-value on small samples
    df = pd.DataFrame({"x": range(1, 8), "y": [2, 1, 4, 3, 7, 5, 6]})
    t = SpearmanCorrelation().fit(df, "x", "y", p_method="t")
    assert t.p_value_ != pytest.approx(0.0341269841269841, rel=1e-3)


def test_spearman_exact_small_by_hand() -> None:
    """n = 3, rho = 1: only the identity ranking of 3! = 6 has S = 0, so p = 2 * 1/6."""
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [10.0, 20.0, 30.0]})
    assert SpearmanCorrelation().fit(df, "x", "y").p_value_ == pytest.approx(1 / 3)


def test_spearman_ci_contains_rho_and_bad_method() -> None:
    lo, hi = spearman_ci(0.5, 30)
    assert lo < 0.5 < hi
    with pytest.raises(DiagnosticDataError):
        spearman_ci(0.5, 30, method="exact")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "outcome", "covariates", "n_missing"),
    [
        ("logistic_landmark", "dead5", ["log_bili", "albumin", "age"], 106),
        ("logistic_all", "dead5_all", ["log_bili", "albumin", "age"], 0),
        ("logistic_copper", "dead5", ["log_bili", "log_copper"], 176),
    ],
)
def test_logistic_vs_glm(
    pbc: pd.DataFrame,
    r_ref: dict[str, Any],
    key: str,
    outcome: str,
    covariates: list[str],
    n_missing: int,
) -> None:
    """R::

    tight <- glm.control(epsilon = 1e-14, maxit = 100)
    f <- glm(dead5 ~ log(bili) + albumin + age, family = binomial, data = lm5,
             control = tight)
    # logistic_all: glm(I(status == 2 & time <= 1825) ~ log(bili) + albumin + age,
    #                   family = binomial, data = pbc, control = tight)
    # logistic_copper: glm(dead5 ~ log(bili) + log(copper), ..., data = lm5)
    summary(f)$coefficients   # log(bili) 1.79705250519529 (SE 0.224212546537682)
    exp(confint.default(f))   # Wald CIs of the odds ratios
    f$deviance; f$aic
    """
    ref = r_ref[key]
    df = pbc.assign(
        dead5_all=((pbc["status"] == 2) & (pbc["time"] <= 1825)).astype(float),
        log_copper=np.log(pbc["copper"]),
    )
    m = LogisticRegression().fit(df, outcome, covariates)
    assert m.n_ == ref["n"] and m.n_missing_ == n_missing
    for ours, theirs in [
        (m.coef_, "coef"), (m.se_, "se"), (m.z_, "z"), (m.p_, "p"), (m.or_, "or"),
        (m.or_lower_, "or_lower"), (m.or_upper_, "or_upper"),
        (m.deviance_, "deviance"), (m.aic_, "aic"),
    ]:  # fmt: skip
        assert rel_diff(ours, ref[theirs]) < TOL, theirs
    assert list(m.summary.columns) == ["coef", "se", "z", "p", "or", "or_lower", "or_upper"]
    json.dumps(m.to_dict(), allow_nan=False)


def test_logistic_profile_ci_vs_r(landmark: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

        f5 <- glm(dead5 ~ log(bili) + albumin + age, family = binomial, data = lm5,
                  control = tight)
        X <- model.matrix(f5); q95 <- qchisq(0.95, 1)
        prof_excess <- function(j, b) glm.fit(X[, -j, drop = FALSE], f5$y, family = binomial(),
            offset = X[, j] * b, control = tight)$deviance - f5$deviance - q95
        uniroot(function(b) prof_excess(j, b), c(est[j] - 5 * se[j], est[j]), tol = 1e-13)$root
        # log(bili): 1.38340156524267 .. 2.26572332981393
        confint(f5)   # MASS (R 4.2): 1.3834264084382 .. 2.26575121179451 (spline-interpolated)

    Tolerances: 1e-8 relative against the exact roots (both sides solve to ~1e-13); 1e-4
    against MASS's confint, which interpolates the profile on a grid (measured max 2.5e-5).
    """
    ref = r_ref["logistic_profile"]
    m = LogisticRegression().fit(
        landmark, "dead5", ["log_bili", "albumin", "age"], ci_method="profile"
    )
    lo, hi = np.log(m.or_lower_), np.log(m.or_upper_)
    assert rel_diff(lo, ref["lower"]) < 1e-8 and rel_diff(hi, ref["upper"]) < 1e-8
    assert rel_diff(lo, ref["mass_lower"]) < 1e-4 and rel_diff(hi, ref["mass_upper"]) < 1e-4
    wald = LogisticRegression().fit(landmark, "dead5", ["log_bili", "albumin", "age"])
    assert not np.allclose(wald.or_lower_, m.or_lower_, rtol=1e-4)  # a different interval
    assert m.to_dict()["method"].endswith("profile-likelihood CIs")


def test_logistic_separation_warns() -> None:
    df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LogisticRegression().fit(df, "y", ["x"])
    assert any(issubclass(w.category, DiagnosticWarning) for w in caught)


def test_logistic_infinite_covariate_named(pbc: pd.DataFrame) -> None:
    df = pd.DataFrame({"y": [0, 1, 0, 1], "x": [1.0, np.inf, 2.0, 3.0]})
    with pytest.raises(DiagnosticDataError, match=r"'x': row 1 is infinite"):
        LogisticRegression().fit(df, "y", ["x"])


def _paired(pbcseq: pd.DataFrame) -> pd.DataFrame:
    base = pbcseq.loc[pbcseq["day"] == 0, ["id", "albumin"]]
    fu = pbcseq[pbcseq["day"] > 0].sort_values(["id", "day"]).drop_duplicates("id")
    return base.merge(fu[["id", "albumin"]], on="id", suffixes=("_0", "_1"))


def test_paired_vs_r_pbcseq(pbcseq: pd.DataFrame, r_ref: dict[str, Any]) -> None:
    """R::

    base <- pbcseq[pbcseq$day == 0, c("id", "albumin")]
    fu <- pbcseq[pbcseq$day > 0, ]; fu <- fu[order(fu$id, fu$day), ]
    fu <- fu[!duplicated(fu$id), c("id", "albumin")]
    pr <- merge(base, fu, by = "id", suffixes = c("_0", "_1"))
    t.test(pr$albumin_1, pr$albumin_0, paired = TRUE)       # t = -1.03423767858165
    wilcox.test(pr$albumin_1, pr$albumin_0, paired = TRUE)  # V = 16418, p = 0.0337530164680292
    """
    ref = r_ref["paired_albumin"]
    pc = PairedComparison().fit(_paired(pbcseq), "albumin_0", "albumin_1")
    assert pc.n_ == ref["n"] == 285
    assert rel_diff([pc.t_, pc.t_p_, pc.mean_diff_], [ref["t"], ref["p"], ref["mean_diff"]]) < TOL
    assert pc.df_ == ref["df"]
    assert rel_diff(pc.mean_diff_ci_, ref["ci"]) < TOL
    assert pc.wilcoxon_v_ == ref["wilcoxon_v"]
    assert not pc.wilcoxon_exact_
    assert rel_diff(pc.wilcoxon_p_, ref["wilcoxon_p"]) < TOL
    json.dumps(pc.to_dict(), allow_nan=False)


def test_paired_small_exact(r_ref: dict[str, Any]) -> None:
    """R::

    before <- c(5.1, 6.3, 4.8, 7.2, 5.9, 6.6, 5.0, 4.4, 6.1, 5.5)
    after <- c(5.9, 6.0, 5.6, 8.4, 6.3, 7.9, 5.2, 5.5, 6.0, 6.9)
    wilcox.test(after, before, paired = TRUE)  # V = 51, p = 0.013671875 (exact)
    t.test(after, before, paired = TRUE)       # t = 3.57509814988719
    """
    ref = r_ref["paired_small"]
    df = pd.DataFrame({"before": ref["before"], "after": ref["after"]})
    pc = PairedComparison().fit(df, "before", "after")
    assert pc.wilcoxon_exact_
    assert pc.wilcoxon_v_ == ref["wilcoxon_v"] == 51
    assert rel_diff(pc.wilcoxon_p_, ref["wilcoxon_p"]) < TOL
    assert rel_diff([pc.t_, pc.t_p_], [ref["t"], ref["p"]]) < TOL
    # exact p by hand: V = 51 of max 55, P(V >= 51) = 7/1024 (subsets of 1..10 with sum <= 4)
    assert pc.wilcoxon_p_ == pytest.approx(2 * 7 / 1024, rel=1e-12)


def test_plots_structural(pbc: pd.DataFrame, landmark: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt

    s = SpearmanCorrelation().fit(pbc, "bili", "albumin")
    ax = s.plot()
    assert len(ax.collections[0].get_offsets()) == s.n_
    m = LogisticRegression().fit(landmark, "dead5", ["log_bili", "albumin", "age"])
    ax2 = m.plot()
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["log_bili", "albumin", "age"]
    assert ax2.get_xscale() == "log"
    df = pd.DataFrame({"before": [1.0, 2.0, 3.0], "after": [2.0, 2.5, 2.0]})
    ax3 = PairedComparison().fit(df, "before", "after").plot()
    assert len(ax3.get_lines()) == 4  # three patients and the mean
    np.testing.assert_allclose(ax3.get_lines()[-1].get_ydata(), [2.0, 6.5 / 3])
    plt.close("all")
