"""Cox proportional hazards regression, numerically as R's ``coxph`` / ``summary.coxph``.

:class:`CoxPH` fits on a DataFrame (numeric covariate columns; transform them, e.g. ``log``,
before fitting) by Newton-Raphson on vectorised risk sets (:mod:`.cox_core`), Efron ties by
default, Breslow available, optionally stratified (``strata=``). It reports hazard ratios
with Wald CIs, SE, z and p; the Wald, likelihood-ratio and score tests; Harrell's C with its
SE (:mod:`.concordance`); the proportional-hazards test of ``cox.zph``
(:meth:`CoxPH.check_ph`); survival of new patients (:meth:`CoxPH.predict_survival`, as
``survfit.coxph``). Nested models are compared by :func:`compare_nested` (R's
``anova(fit_small, fit_big)``). ``plot()`` draws a forest plot.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats as sps

from igfcirrhosis.stats.concordance import ConcordanceResult, concordance_index
from igfcirrhosis.stats.cox_core import CoxData, Ties, baseline_hazard, cox_newton
from igfcirrhosis.stats.cox_zph import ZphResult, ZphTransform, cox_zph
from igfcirrhosis.stats.survival_data import (
    StatisticalWarning,
    SurvivalDataError,
    check_time_event,
    survival_frame,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ChiSquareTest", "CoxPH", "StatisticalWarning", "compare_nested"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ChiSquareTest:
    name: str
    chisq: float
    df: int
    p_value: float

    @classmethod
    def of(cls, name: str, chisq: float, df: int) -> ChiSquareTest:
        return cls(name, float(chisq), int(df), float(sps.chi2.sf(chisq, df)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.name,
            "chisq": _num(self.chisq),
            "df": self.df,
            "p_value": _num(self.p_value),
        }


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


class CoxPH:
    """Cox proportional hazards model, lifelines-style.

    >>> cph = CoxPH().fit(df, "time", "death", ["age", "log_bili"])  # doctest: +SKIP
    >>> cph.summary, cph.lr_test_.p_value, cph.concordance_.concordance  # doctest: +SKIP

    Fitted attributes: ``params_`` (log hazard ratios per unit of each covariate),
    ``standard_errors_``, ``variance_matrix_``, ``hazard_ratios_``, ``loglik_``,
    ``loglik_null_``, ``wald_test_``, ``lr_test_``, ``score_test_``, ``concordance_``,
    ``n_``, ``n_events_``, ``n_dropped_``, ``iterations_``, ``converged_``.
    """

    def __init__(
        self, ties: Ties = "efron", conf_level: float = 0.95, max_iter: int = 20, eps: float = 1e-9
    ) -> None:
        if ties not in ("efron", "breslow"):
            raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}")
        if not 0 < conf_level < 1:
            raise ValueError(f"conf_level must be in (0, 1), got {conf_level!r}")
        self.ties: Ties = ties
        self.conf_level = conf_level
        self.max_iter = max_iter
        self.eps = eps

    def fit(
        self,
        df: pd.DataFrame,
        duration_col: str,
        event_col: str,
        covariates: Sequence[str] | None = None,
        *,
        strata: str | Sequence[str] | None = None,
        dropna: bool = False,
    ) -> CoxPH:
        """Fit; ``strata`` names column(s) whose combinations get their own baseline hazard
        (R's ``+ strata(...)``): risk sets, ``cox.zph`` and the C-index stay within strata."""
        strata_cols = [strata] if isinstance(strata, str) else list(strata or [])
        self.strata_: list[str] = strata_cols
        if covariates is None:
            skip = {duration_col, event_col, *strata_cols}
            covariates = [c for c in df.columns if c not in skip]
        covariates = list(covariates)
        if not covariates:
            raise SurvivalDataError("no covariates given")
        frame = survival_frame(
            df, [duration_col, event_col, *covariates, *strata_cols], dropna=dropna
        )
        data = frame.data
        t, e = check_time_event(data[duration_col], data[event_col])
        x = np.empty((t.size, len(covariates)))
        for j, c in enumerate(covariates):
            col = data[c]
            if col.dtype == bool:
                col = col.astype(np.float64)
            if not pd.api.types.is_numeric_dtype(col):
                raise SurvivalDataError(
                    f"covariate {c!r} is not numeric ({col.dtype}); code it as 0/1 columns"
                )
            x[:, j] = col.to_numpy(dtype=np.float64)
            if not np.isfinite(x[:, j]).all():
                i = int(np.flatnonzero(~np.isfinite(x[:, j]))[0])
                raise SurvivalDataError(f"row {data.index[i]!r}: covariate {c!r} is not finite")
        if e.sum() == 0:
            raise SurvivalDataError("no events: the Cox model cannot be fitted")
        constant = [c for j, c in enumerate(covariates) if np.ptp(x[:, j]) == 0]
        if constant:
            raise SurvivalDataError(f"covariate(s) constant in the data: {', '.join(constant)}")
        if np.linalg.matrix_rank(x - x.mean(axis=0)) < len(covariates):
            raise SurvivalDataError(
                "covariates are linearly dependent (collinear); drop one of them"
            )
        if e.sum() < 10 * len(covariates):
            warnings.warn(
                f"{int(e.sum())} events for {len(covariates)} covariate(s): fewer than 10 "
                "events per covariate (Peduzzi et al. 1996); estimates may be unstable",
                StatisticalWarning,
                stacklevel=2,
            )
        if strata_cols:
            keys = data[strata_cols].astype(str).agg("\x1f".join, axis=1)
            s_codes = pd.factorize(keys)[0]
            cd: CoxData | list[CoxData] = [
                CoxData.build(x[s_codes == j], t[s_codes == j], e[s_codes == j], self.ties)
                for j in range(int(s_codes.max()) + 1)
            ]
            strata_values: np.ndarray | None = s_codes
        else:
            cd = CoxData.build(x, t, e, self.ties)
            strata_values = None
        res = cox_newton(cd, max_iter=self.max_iter, eps=self.eps)
        vcov = np.linalg.inv(res.information)
        p = len(covariates)
        self.duration_col, self.event_col = duration_col, event_col
        self.covariates_ = covariates
        self._data = cd
        self.params_ = pd.Series(res.beta, index=covariates, name="coef")
        self.variance_matrix_ = pd.DataFrame(vcov, index=covariates, columns=covariates)
        self.standard_errors_ = pd.Series(np.sqrt(np.diag(vcov)), index=covariates, name="se(coef)")
        self.hazard_ratios_ = np.exp(self.params_).rename("exp(coef)")
        self.loglik_null_ = res.loglik_null
        self.loglik_ = res.loglik
        self.iterations_ = res.iterations
        self.converged_ = res.converged
        self.n_ = int(t.size)
        self.n_events_ = int(e.sum())
        self.n_dropped_ = frame.n_dropped
        self.wald_test_ = ChiSquareTest.of("Wald", float(res.beta @ res.information @ res.beta), p)
        self.lr_test_ = ChiSquareTest.of("likelihood ratio", 2 * (res.loglik - res.loglik_null), p)
        self.score_test_ = ChiSquareTest.of("score (log-rank)", res.score_test, p)
        lp = x @ res.beta
        self.linear_predictor_ = pd.Series(lp - lp.mean(), index=data.index, name="lp")
        self.concordance_: ConcordanceResult = concordance_index(
            t, e, risk_score=lp, strata=strata_values
        )
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError("call fit() first")

    @property
    def summary(self) -> pd.DataFrame:
        """As ``summary(coxph)``: coef, exp(coef), se, z, p and the CI of exp(coef)."""
        self._check_fitted()
        z = self.params_ / self.standard_errors_
        q = float(sps.norm.ppf(1 - (1 - self.conf_level) / 2))
        lvl = f"{self.conf_level:g}"
        return pd.DataFrame(
            {
                "coef": self.params_,
                "exp(coef)": self.hazard_ratios_,
                "se(coef)": self.standard_errors_,
                "z": z,
                "p": 2 * sps.norm.sf(np.abs(z)),
                f"lower {lvl}": np.exp(self.params_ - q * self.standard_errors_),
                f"upper {lvl}": np.exp(self.params_ + q * self.standard_errors_),
            }
        )

    def predict_survival(
        self, df: pd.DataFrame, times: Sequence[float], conf_level: float | None = None
    ) -> pd.DataFrame:
        """Survival of new patients at ``times``, as ``summary(survfit(fit, newdata), times)``.

        Breslow-type estimate ``exp(-H0(t) exp((x - mean) beta))`` with the baseline hazard
        increments of the fit's ties method, the standard error of the cumulative hazard
        (both variance terms of R's ``agsurv``) and a log-type CI. One row per (patient,
        time); patients are identified by the index of ``df``. Not for stratified models.
        """
        self._check_fitted()
        data = self._data
        if not isinstance(data, CoxData):
            raise SurvivalDataError("predict_survival is not implemented for stratified models")
        frame = survival_frame(df, self.covariates_)
        x_new = frame.data.to_numpy(dtype=np.float64) - data.x_mean
        beta = self.params_.to_numpy()
        base = baseline_hazard(data, beta)
        tt = np.asarray(times, dtype=np.float64)
        idx = np.searchsorted(base.time, tt, side="right") - 1  # last event time <= t
        cum_h = np.concatenate([[0.0], np.cumsum(base.hazard)])[idx + 1]
        cum_v = np.concatenate([[0.0], np.cumsum(base.varhaz)])[idx + 1]
        vcov = self.variance_matrix_.to_numpy()
        level = self.conf_level if conf_level is None else conf_level
        z = float(sps.norm.ppf(1 - (1 - level) / 2))
        rows = []
        for label, xi in zip(frame.data.index, x_new, strict=True):
            risk = float(np.exp(xi @ beta))
            dt = np.cumsum(base.hazard[:, None] * xi[None, :] - base.xbar, axis=0)
            dt_at = np.concatenate([np.zeros((1, xi.size)), dt])[idx + 1]
            var_h = (cum_v + np.einsum("ti,ij,tj->t", dt_at, vcov, dt_at)) * risk * risk
            surv = np.exp(-cum_h * risk)
            se = np.sqrt(var_h)
            for k, t_k in enumerate(tt):
                rows.append(
                    {
                        "patient": label,
                        "time": t_k,
                        "survival": surv[k],
                        "cumhaz": cum_h[k] * risk,
                        "std_err_cumhaz": se[k],
                        "lower": surv[k] * np.exp(-z * se[k]),
                        "upper": min(surv[k] * np.exp(z * se[k]), 1.0),
                    }
                )
        return pd.DataFrame(rows).set_index(["patient", "time"])

    def check_ph(self, transform: ZphTransform = "km") -> ZphResult:
        """Schoenfeld-residual test of proportional hazards, as ``cox.zph(fit, transform)``."""
        self._check_fitted()
        return cox_zph(self._data, self.params_.to_numpy(), self.covariates_, transform)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: per covariate log-HR, HR with CI, SE, z, p; tests; C-index."""
        self._check_fitted()
        s = self.summary
        lo, hi = s.columns[-2], s.columns[-1]
        return {
            "method": f"Cox proportional hazards, {self.ties} ties (R coxph)",
            "n": self.n_,
            "n_events": self.n_events_,
            "n_dropped": self.n_dropped_,
            "strata": self.strata_,
            "coefficients": [
                {
                    "covariate": name,
                    "log_hazard_ratio": _num(row["coef"]),
                    "hazard_ratio": _num(row["exp(coef)"]),
                    "hazard_ratio_unit": f"per 1 unit of {name}",
                    "hazard_ratio_lower": _num(row[lo]),
                    "hazard_ratio_upper": _num(row[hi]),
                    "conf_level": self.conf_level,
                    "std_err": _num(row["se(coef)"]),
                    "z": _num(row["z"]),
                    "p_value": _num(row["p"]),
                }
                for name, row in s.iterrows()
            ],
            "loglik": {"null": _num(self.loglik_null_), "model": _num(self.loglik_)},
            "tests": [t.to_dict() for t in (self.wald_test_, self.lr_test_, self.score_test_)],
            "concordance": self.concordance_.to_dict(),
            "iterations": self.iterations_,
            "converged": self.converged_,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Forest plot of hazard ratios; see :func:`igfcirrhosis.stats._survplot.plot_forest`."""
        self._check_fitted()
        from igfcirrhosis.stats._survplot import plot_forest

        return plot_forest(self.summary, ax=ax, **kwargs)


def compare_nested(small: CoxPH, big: CoxPH) -> ChiSquareTest:
    """Likelihood-ratio test of nested Cox models, as R's ``anova(small, big)``.

    Both must be fitted on the same rows; ``small``'s covariates must be a subset of ``big``'s.
    """
    small._check_fitted()
    big._check_fitted()
    if not set(small.covariates_) < set(big.covariates_):
        raise ValueError("the smaller model's covariates must be a proper subset of the bigger's")
    if small.n_ != big.n_ or small.n_events_ != big.n_events_:
        raise ValueError(
            f"models fitted on different data (n {small.n_} vs {big.n_}, events "
            f"{small.n_events_} vs {big.n_events_})"
        )
    df = len(big.covariates_) - len(small.covariates_)
    return ChiSquareTest.of(
        "likelihood ratio (nested models)", 2 * (big.loglik_ - small.loglik_), df
    )
