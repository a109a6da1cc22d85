"""Association: Spearman correlation with a CI, logistic regression (ORs), paired tests.

- :class:`SpearmanCorrelation`: rho (scipy) and its two-sided p-value by R's rule
  (``cor.test(method = "spearman")``): with ties or n > 1290, the t approximation with n - 2
  degrees of freedom; otherwise AS 89 (Best & Roberts 1975): exact enumeration of all n!
  rankings for n <= 9, its Edgeworth series above (which R clips to [0, 1], so a very strong
  correlation can get p = 0). ``p_method="t"`` forces the t approximation. CI: Fisher's z transform ``tanh(atanh(rho) -/+ z * SE)`` with
  ``SE = sqrt((1 + rho^2 / 2) / (n - 3))`` (Bonett & Wright 2000, ``ci_method="bonett-wright"``,
  default; suited to Spearman's rho) or ``SE = 1 / sqrt(n - 3)`` (``ci_method="fisher"``, the
  Pearson formula).
- :class:`LogisticRegression`: statsmodels GLM (binomial, logit link; R's ``glm``):
  coefficients, SE, Wald z and p, odds ratios with Wald CIs (R's ``confint.default``).
- :class:`PairedComparison`: before/after on the same patients: paired t test (scipy
  ``ttest_rel``, R ``t.test(paired = TRUE)``) and the Wilcoxon signed-rank test with R's rule
  (zero differences dropped; exact if n < 50 with no ties and no zeros, otherwise normal
  approximation with tie-corrected variance and continuity correction).

Rows with a missing value in a used column are excluded and counted (``n_missing_``).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from igfcirrhosis.stats.roc import (
    DiagnosticDataError,
    DiagnosticWarning,
    binary_column,
    numeric_column,
)

__all__ = [
    "LogisticRegression",
    "PairedComparison",
    "SpearmanCorrelation",
    "spearman_ci",
    "spearman_p_as89",
]

FloatArray = NDArray[np.float64]


def _none(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def _as89_upper_or_lower(n: int, s_int: float, lower: bool) -> float:
    """AS 89: P(S >= s_int), or P(S < s_int) if ``lower``, S = sum of squared rank
    differences of a random ranking of n items."""
    p0 = 0.0 if lower else 1.0
    if s_int <= 0:
        return p0
    s_max = n * (n * n - 1) / 3
    if s_int > s_max:
        return 1 - p0
    if n <= 9:  # exact: every permutation of 1..n
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
        d2 = ((perms - np.arange(n)) ** 2).sum(axis=1)
        upper = float(np.mean(d2 >= s_int))
        return 1 - upper if lower else upper
    # Edgeworth series of AS 89 (coefficients from Best & Roberts 1975)
    c = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831,
         0.0131, 4.6e-4)  # fmt: skip
    b = 1 / n
    x = (6 * (s_int - 1) * b / (n * n - 1) - 1) * np.sqrt(n - 1)
    y = x * x
    u = x * b * (
        c[0] + b * (c[1] + c[2] * b)
        + y * (-c[3] + b * (c[4] + c[5] * b)
               - y * b * (c[6] + c[7] * b - y * (c[8] - c[9] * b + y * b * (c[10] - c[11] * y))))
    )  # fmt: skip
    corr = u / np.exp(y / 2)
    p = (-corr if lower else corr) + (stats.norm.cdf(x) if lower else stats.norm.sf(x))
    return float(min(max(p, 0.0), 1.0))


def spearman_p_as89(rho: float, n: int) -> float:
    """Two-sided p-value of Spearman's rho without ties, as R's ``cor.test`` (n <= 1290)."""
    q = (n**3 - n) * (1 - rho) / 6
    if q > (n**3 - n) / 6:  # negative rho: upper tail of S
        p = _as89_upper_or_lower(n, round(q), lower=False)
    else:
        p = _as89_upper_or_lower(n, round(q) + 2, lower=True)
    return float(min(2 * p, 1.0))


def spearman_ci(
    rho: float,
    n: int,
    conf_level: float = 0.95,
    method: Literal["bonett-wright", "fisher"] = "bonett-wright",
) -> tuple[float, float]:
    """Fisher-z confidence interval for a correlation; see the module docstring for the SE."""
    if n <= 3:
        return float("nan"), float("nan")
    if method == "bonett-wright":
        se = np.sqrt((1 + rho**2 / 2) / (n - 3))
    elif method == "fisher":
        se = 1 / np.sqrt(n - 3)
    else:
        raise DiagnosticDataError(f"ci_method must be 'bonett-wright' or 'fisher', not {method!r}")
    q = stats.norm.ppf(1 - (1 - conf_level) / 2)
    z = np.arctanh(rho)
    return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))


class SpearmanCorrelation:
    """Spearman's rank correlation of two columns with a Fisher-z CI."""

    def fit(
        self,
        df: pd.DataFrame,
        x_col: str,
        y_col: str,
        conf_level: float = 0.95,
        ci_method: Literal["bonett-wright", "fisher"] = "bonett-wright",
        p_method: Literal["auto", "t"] = "auto",
    ) -> SpearmanCorrelation:
        x, y = numeric_column(df, x_col), numeric_column(df, y_col)
        ok = ~(np.isnan(x) | np.isnan(y))
        self.x_col, self.y_col, self.ci_method, self.conf_level = (
            x_col,
            y_col,
            ci_method,
            conf_level,
        )
        self.n_ = int(ok.sum())
        self.n_missing_ = int((~ok).sum())
        if self.n_ < 3:
            raise DiagnosticDataError(f"need at least 3 complete pairs, have {self.n_}")
        self.x_, self.y_ = x[ok], y[ok]
        res = stats.spearmanr(self.x_, self.y_)
        self.rho_, self.p_value_ = float(res.statistic), float(res.pvalue)
        n = self.n_
        self.s_statistic_ = float((n**3 - n) * (1 - self.rho_) / 6)  # R's S
        ties = np.unique(self.x_).size < self.n_ or np.unique(self.y_).size < self.n_
        if p_method not in ("auto", "t"):
            raise DiagnosticDataError(f"p_method must be 'auto' or 't', not {p_method!r}")
        self.p_method_ = "t approximation, n - 2 df"
        if p_method == "auto" and not ties and self.n_ <= 1290 and np.isfinite(self.rho_):
            self.p_value_ = spearman_p_as89(self.rho_, self.n_)
            self.p_method_ = "exact (all rankings)" if self.n_ <= 9 else "AS 89 Edgeworth series"
        self.ci_ = spearman_ci(self.rho_, self.n_, conf_level, ci_method)
        return self

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "rho": [self.rho_],
                "lower": [self.ci_[0]],
                "upper": [self.ci_[1]],
                "p": [self.p_value_],
                "n": [self.n_],
                "n_missing": [self.n_missing_],
            },
            index=[f"{self.x_col} ~ {self.y_col}"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "x": self.x_col,
            "y": self.y_col,
            "rho": _none(self.rho_),
            "S": _none(self.s_statistic_),
            "lower": _none(self.ci_[0]),
            "upper": _none(self.ci_[1]),
            "conf_level": self.conf_level,
            "ci_method": {
                "bonett-wright": "Fisher z, SE sqrt((1 + rho^2/2)/(n - 3)) (Bonett & Wright 2000)",
                "fisher": "Fisher z, SE 1/sqrt(n - 3)",
            }[self.ci_method],
            "p_value": _none(self.p_value_),
            "p_method": self.p_method_,
            "n": self.n_,
            "n_missing": self.n_missing_,
        }

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        ax.scatter(self.x_, self.y_, **kwargs)
        ax.set_xlabel(self.x_col)
        ax.set_ylabel(self.y_col)
        ax.set_title(f"Spearman rho = {self.rho_:.3f}")
        return ax


def _binomial_deviance(y: FloatArray, eta: FloatArray) -> float:
    """-2 log-likelihood of 0/1 data with linear predictor ``eta`` (logit link)."""
    return float(2 * np.sum(np.logaddexp(0, eta) - y * eta))


def _logistic_newton(
    x: FloatArray, y: FloatArray, offset: FloatArray, beta0: FloatArray
) -> FloatArray:
    """Maximum-likelihood logistic coefficients with an offset (Newton-Raphson, step-halving)."""
    beta = beta0.copy()
    if x.shape[1] == 0:
        return beta
    dev = _binomial_deviance(y, x @ beta + offset)
    for _ in range(100):
        eta = x @ beta + offset
        mu = 1 / (1 + np.exp(-eta))
        w = mu * (1 - mu)
        step = np.linalg.solve(x.T @ (x * w[:, None]), x.T @ (y - mu))
        t = 1.0
        while True:
            new = beta + t * step
            new_dev = _binomial_deviance(y, x @ new + offset)
            if new_dev <= dev + 1e-12 or t < 1e-8:
                break
            t /= 2
        beta, converged = new, abs(dev - new_dev) < 1e-13 * (abs(new_dev) + 0.1)
        dev = new_dev
        if converged:
            break
    return beta


def _profile_bounds(
    exog: FloatArray, y: FloatArray, j: int, est: float, se: float, dev0: float, crit: float
) -> tuple[float, float]:
    """Profile-likelihood interval of coefficient j: the roots of
    dev_j(b) - dev0 - crit, where dev_j(b) is the deviance with coefficient j fixed at b."""
    from scipy.optimize import brentq

    rest = np.delete(exog, j, axis=1)
    start = np.delete(np.zeros(exog.shape[1]), j)

    def excess(b: float) -> float:
        offset = exog[:, j] * b
        beta = _logistic_newton(rest, y, offset, start)
        return _binomial_deviance(y, rest @ beta + offset) - dev0 - crit

    out = []
    for sign in (-1.0, 1.0):
        k = 2.0
        while excess(est + sign * k * se) < 0:
            k *= 2
            if k > 256:
                raise DiagnosticDataError(
                    f"profile likelihood of coefficient {j} does not cross the limit (separation?)"
                )
        a, b = sorted((est, est + sign * k * se))
        out.append(float(brentq(excess, a, b, xtol=1e-13, rtol=1e-13)))
    return out[0], out[1]


class LogisticRegression:
    """Logistic regression of a 0/1 outcome on numeric covariates (statsmodels GLM).

    >>> lr = LogisticRegression().fit(df, "dead5", ["log_bili", "albumin", "age"])
    >>> lr.summary  # coef, se, z, p, OR, OR lower, OR upper (Wald)

    ``ci_method="profile"`` gives profile-likelihood CIs instead of Wald: the values of each
    coefficient at which the deviance, maximised over the other coefficients, exceeds its minimum
    by the chi-square(1) quantile (found by root finding, to ~1e-10). R's ``confint(glm)``
    (MASS in R < 4.4) approximates the same roots by spline interpolation over a grid and agrees
    to ~1e-4 relative.
    """

    def fit(
        self,
        df: pd.DataFrame,
        outcome_col: str,
        covariate_cols: Sequence[str],
        conf_level: float = 0.95,
        ci_method: Literal["wald", "profile"] = "wald",
    ) -> LogisticRegression:
        import statsmodels.api as sm

        if len(covariate_cols) == 0:
            raise DiagnosticDataError("logistic regression needs at least one covariate")
        if ci_method not in ("wald", "profile"):
            raise DiagnosticDataError(f"ci_method must be 'wald' or 'profile', not {ci_method!r}")
        y = binary_column(df, outcome_col)
        xs = np.column_stack([numeric_column(df, c) for c in covariate_cols])
        if np.isinf(xs).any():
            r, c = (int(v[0]) for v in np.nonzero(np.isinf(xs)))
            raise DiagnosticDataError(
                f"column {covariate_cols[c]!r}: row {r} is infinite (log of 0?)"
            )
        ok = ~(np.isnan(y) | np.isnan(xs).any(axis=1))
        self.outcome_col, self.covariate_cols = outcome_col, list(covariate_cols)
        self.conf_level = conf_level
        self.n_ = int(ok.sum())
        self.n_missing_ = int((~ok).sum())
        exog = np.column_stack([np.ones(self.n_), xs[ok]])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = sm.GLM(y[ok], exog, family=sm.families.Binomial()).fit(tol=1e-12, maxiter=100)
        for w in caught:
            warnings.warn(f"logistic regression: {w.message}", DiagnosticWarning, stacklevel=2)
        if not res.converged:
            warnings.warn("logistic regression did not converge", DiagnosticWarning, stacklevel=2)
        self.terms_ = ["(Intercept)", *self.covariate_cols]
        self.coef_ = np.asarray(res.params, dtype=np.float64)
        self.se_ = np.asarray(res.bse, dtype=np.float64)
        self.z_ = self.coef_ / self.se_
        self.p_ = 2 * stats.norm.sf(np.abs(self.z_))
        q = stats.norm.ppf(1 - (1 - conf_level) / 2)
        self.or_ = np.exp(self.coef_)
        self.ci_method_ = ci_method
        if ci_method == "wald":
            self.or_lower_ = np.exp(self.coef_ - q * self.se_)
            self.or_upper_ = np.exp(self.coef_ + q * self.se_)
        else:
            bounds = [
                _profile_bounds(exog, y[ok], j, self.coef_[j], self.se_[j], float(res.deviance),
                                float(stats.chi2.ppf(conf_level, 1)))
                for j in range(exog.shape[1])
            ]  # fmt: skip
            self.or_lower_ = np.exp(np.array([b[0] for b in bounds]))
            self.or_upper_ = np.exp(np.array([b[1] for b in bounds]))
        self.deviance_ = float(res.deviance)
        self.null_deviance_ = float(res.null_deviance)
        self.aic_ = float(res.aic)
        return self

    def predict(self, df: pd.DataFrame) -> FloatArray:
        """Fitted probability for each row of ``df`` (NaN where a covariate is missing)."""
        xs = np.column_stack([numeric_column(df, c) for c in self.covariate_cols])
        eta = self.coef_[0] + xs @ self.coef_[1:]
        return np.asarray(1 / (1 + np.exp(-eta)), dtype=np.float64)

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "coef": self.coef_,
                "se": self.se_,
                "z": self.z_,
                "p": self.p_,
                "or": self.or_,
                "or_lower": self.or_lower_,
                "or_upper": self.or_upper_,
            },
            index=pd.Index(self.terms_, name="term"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome_col,
            "method": "logistic regression (binomial GLM, logit link), "
            + ("Wald CIs" if self.ci_method_ == "wald" else "profile-likelihood CIs"),
            "n": self.n_,
            "n_missing": self.n_missing_,
            "conf_level": self.conf_level,
            "deviance": self.deviance_,
            "null_deviance": self.null_deviance_,
            "aic": self.aic_,
            "terms": [
                {
                    "term": t,
                    "coef": _none(c),
                    "se": _none(s),
                    "z": _none(z),
                    "p": _none(p),
                    "odds_ratio": _none(o),
                    "lower": _none(lo),
                    "upper": _none(hi),
                }
                for t, c, s, z, p, o, lo, hi in zip(
                    self.terms_,
                    self.coef_,
                    self.se_,
                    self.z_,
                    self.p_,
                    self.or_,
                    self.or_lower_,
                    self.or_upper_,
                    strict=True,
                )
            ],
        }

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Forest plot of the odds ratios (log scale), intercept left out."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        k = len(self.terms_) - 1
        ypos = np.arange(k)[::-1]
        ax.errorbar(
            self.or_[1:],
            ypos,
            xerr=[self.or_[1:] - self.or_lower_[1:], self.or_upper_[1:] - self.or_[1:]],
            fmt="o",
            **kwargs,
        )
        ax.axvline(1, linestyle=":", color="grey")
        ax.set_xscale("log")
        ax.set_yticks(ypos, self.terms_[1:])
        ax.set_xlabel("odds ratio")
        return ax


class PairedComparison:
    """Before/after on the same patients: paired t test and Wilcoxon signed-rank test.

    Differences are ``after - before``. ``wilcoxon_v_`` is R's V: the sum of the ranks of the
    positive differences (zero differences dropped).
    """

    def fit(
        self, df: pd.DataFrame, before_col: str, after_col: str, conf_level: float = 0.95
    ) -> PairedComparison:
        b, a = numeric_column(df, before_col), numeric_column(df, after_col)
        ok = ~(np.isnan(a) | np.isnan(b))
        self.before_col, self.after_col, self.conf_level = before_col, after_col, conf_level
        self.n_ = int(ok.sum())
        self.n_missing_ = int((~ok).sum())
        if self.n_ < 2:
            raise DiagnosticDataError(f"need at least 2 complete pairs, have {self.n_}")
        a, b = a[ok], b[ok]
        self.before_, self.after_ = b, a
        tt = stats.ttest_rel(a, b)
        ci = tt.confidence_interval(conf_level)
        self.mean_diff_ = float(np.mean(a - b))
        self.t_, self.df_, self.t_p_ = float(tt.statistic), int(tt.df), float(tt.pvalue)
        self.mean_diff_ci_ = (float(ci.low), float(ci.high))
        d = a - b
        nz = d[d != 0]
        self.n_zero_ = int(d.size - nz.size)
        ranks = stats.rankdata(np.abs(nz))
        self.wilcoxon_v_ = float(ranks[nz > 0].sum())
        ties = np.unique(np.abs(nz)).size < nz.size
        self.wilcoxon_exact_ = bool(nz.size < 50 and not ties and self.n_zero_ == 0)
        if nz.size == 0:
            self.wilcoxon_p_ = float("nan")
        elif self.wilcoxon_exact_:
            self.wilcoxon_p_ = float(stats.wilcoxon(nz, method="exact").pvalue)
        else:
            self.wilcoxon_p_ = float(
                stats.wilcoxon(nz, method="asymptotic", correction=True).pvalue
            )
        return self

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """One grey line per patient from before to after, and the means in black."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        xs = np.array([0.0, 1.0])
        for b0, a1 in zip(self.before_, self.after_, strict=True):
            ax.plot(xs, [b0, a1], color="grey", alpha=0.3, linewidth=0.8, **kwargs)
        ax.plot(xs, [self.before_.mean(), self.after_.mean()], color="black", marker="o",
                linewidth=2, label="mean")  # fmt: skip
        ax.set_xticks(xs, [self.before_col, self.after_col])
        ax.legend(loc="best")
        return ax

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"statistic": [self.t_, self.wilcoxon_v_], "p": [self.t_p_, self.wilcoxon_p_]},
            index=["paired t", "Wilcoxon signed-rank (V)"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before_col,
            "after": self.after_col,
            "n": self.n_,
            "n_missing": self.n_missing_,
            "mean_difference": {
                "value": self.mean_diff_,
                "lower": self.mean_diff_ci_[0],
                "upper": self.mean_diff_ci_[1],
                "conf_level": self.conf_level,
                "definition": "after - before",
            },
            "paired_t": {"t": self.t_, "df": self.df_, "p_value": _none(self.t_p_)},
            "wilcoxon_signed_rank": {
                "v": self.wilcoxon_v_,
                "p_value": _none(self.wilcoxon_p_),
                "n_zero_dropped": self.n_zero_,
                "method": "exact"
                if self.wilcoxon_exact_
                else "normal approximation, tie-corrected, continuity correction",
            },
        }
