"""Fine-Gray subdistribution hazards regression, numerically as ``cmprsk::crr``.

Subjects who failed from another cause stay in the risk set after their failure with weight
``G(t-) / G(t_j-)`` (G the Kaplan-Meier curve of the censoring distribution, one censoring
group). Coefficients maximise the weighted partial likelihood (Breslow ties) by cmprsk's
Newton iteration with backtracking (``gtol = 1e-6``, ``maxiter = 10``); the variance is
cmprsk's sandwich ``H^-1 (sum_i (eta_i + psi_i)(eta_i + psi_i)') H^-1`` whose ``psi`` term
accounts for the estimated censoring distribution (Fine & Gray 1999, section 3).

Not supported (documented limits): time-varying covariates (``cov2``/``tf``) and several
censoring groups (``cengroup``).
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

from igfcirrhosis.stats.competing import check_competing
from igfcirrhosis.stats.survival_data import ConvergenceWarning, SurvivalDataError, survival_frame

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["FineGray", "fine_gray_fit"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class _FGData:
    x: FloatArray  # (n, p) sorted by time
    time: FloatArray
    ici: NDArray[np.int_]  # 1 cause of interest, 2 other cause, 0 censored
    g_left: FloatArray  # G(t_i-) per row
    fail_first: NDArray[np.intp]  # first row of each distinct failure time
    d: FloatArray  # failures of interest at each distinct failure time
    n_le: NDArray[np.intp]  # per row: distinct failure times <= its time


def _censoring_km_left(time: FloatArray, ici: NDArray[np.int_]) -> FloatArray:
    """G(t-) for each row: KM of the censoring distribution just before the row's time."""
    uniq, first = np.unique(time, return_index=True)
    at_risk = time.size - first
    cens = np.bincount(np.searchsorted(uniq, time[ici == 0]), minlength=uniq.size)
    g = np.cumprod(1 - cens / at_risk)
    return np.concatenate([[1.0], g])[np.searchsorted(uniq, time, side="left")]


def _prepare(x: FloatArray, time: FloatArray, ici: NDArray[np.int_]) -> _FGData:
    order = np.argsort(time, kind="stable")
    t, c, xs = time[order], ici[order], x[order]
    fail_t = t[c == 1]
    uniq = np.unique(fail_t)
    return _FGData(
        x=xs,
        time=t,
        ici=c,
        g_left=_censoring_km_left(t, c),
        fail_first=np.searchsorted(t, uniq, side="left"),
        d=np.bincount(np.searchsorted(uniq, fail_t), minlength=uniq.size).astype(np.float64),
        n_le=np.searchsorted(uniq, t, side="right"),
    )


@dataclass(frozen=True)
class _Sums:
    lik: float  # negative log pseudo-likelihood (cmprsk minimises it)
    score: FloatArray  # gradient of lik
    hess: FloatArray
    s0: FloatArray  # (K,)
    xbar: FloatArray  # (K, p)
    r: FloatArray  # (n,) exp(eta - shift)
    gk: FloatArray  # (K,) G(t_k-)


def _sums(data: _FGData, beta: FloatArray, *, second: bool = True) -> _Sums:
    x = data.x
    eta = x @ beta
    shift = float(eta.max())
    r = np.exp(eta - shift)
    both = np.concatenate([r[:, None], x * r[:, None]], axis=1)
    rev = np.cumsum(both[::-1], axis=0)[::-1]
    other = (data.ici == 2)[:, None] * both / data.g_left[:, None]
    fwd = np.concatenate([np.zeros((1, both.shape[1])), np.cumsum(other, axis=0)])
    fk = data.fail_first
    gk = data.g_left[fk]
    s = rev[fk] + gk[:, None] * fwd[fk]  # rows before fk (time < t_k) of the other cause
    s0, s1 = s[:, 0], s[:, 1:]
    xbar = s1 / s0[:, None]
    ev = data.ici == 1
    lik = float(-(eta[ev] - shift).sum() + (data.d * np.log(s0)).sum())
    score = -x[ev].sum(axis=0) + (data.d[:, None] * xbar).sum(axis=0)
    hess = np.zeros((x.shape[1], x.shape[1]))
    if second:
        a = data.d / s0
        cum = np.concatenate([[0.0], np.cumsum(a)])
        later = (a * gk)[::-1].cumsum()[::-1]
        later = np.concatenate([later, [0.0]])
        omega = cum[data.n_le] + np.where(data.ici == 2, later[data.n_le] / data.g_left, 0.0)
        w = r * omega
        hess = (x * w[:, None]).T @ x - (xbar * data.d[:, None]).T @ xbar
    return _Sums(lik, score, hess, s0, xbar, r, gk)


def _sandwich_meat(data: _FGData, sm: _Sums) -> FloatArray:
    """sum_i (eta_i + psi_i)(eta_i + psi_i)' as cmprsk's ``crrvv``."""
    x, t, ici, g = data.x, data.time, data.ici, data.g_left
    d, s0, xbar, gk, r = data.d, sm.s0, sm.xbar, sm.gk, sm.r
    p = x.shape[1]
    # eta_i: dN part, minus the d Lambda part over failures at or before t_i (risk set by time)
    inv = d / s0
    c0 = np.concatenate([[0.0], np.cumsum(inv)])
    c1 = np.concatenate([np.zeros((1, p)), np.cumsum(inv[:, None] * xbar, axis=0)])
    k_le = data.n_le
    eta = -r[:, None] * (x * c0[k_le][:, None] - c1[k_le])
    # other-cause failures stay at risk later, weighted G(t_j-)/G(t_i-)
    ginv = inv * gk
    d0 = np.concatenate([ginv[::-1].cumsum()[::-1], [0.0]])
    d1 = np.concatenate([(ginv[:, None] * xbar)[::-1].cumsum(axis=0)[::-1], np.zeros((1, p))])
    oth = ici == 2
    eta[oth] -= (r[oth] / g[oth])[:, None] * (x[oth] * d0[k_le[oth]][:, None] - d1[k_le[oth]])
    ev = ici == 1
    kk = k_le[ev] - 1  # own failure time index
    eta[ev] += x[ev] - xbar[kk]
    # psi_i: correction for the estimated censoring distribution
    uniq, first = np.unique(t, return_index=True)
    y_risk = (t.size - first).astype(np.float64)
    n_cens = np.bincount(np.searchsorted(uniq, t[ici == 0]), minlength=uniq.size)
    # q(u) for every distinct time u (used where n_cens > 0)
    oth_w = oth[:, None] * np.concatenate([r[:, None], x * r[:, None]], axis=1) / g[:, None]
    cum_oth = np.concatenate([np.zeros((1, p + 1)), np.cumsum(oth_w, axis=0)])[first]  # t < u
    b_u, a_u = cum_oth[:, 0], cum_oth[:, 1:]
    fail_t = t[data.fail_first]
    k_ge = np.searchsorted(fail_t, uniq, side="left")  # failures with t_k >= u start here
    e0 = np.concatenate([ginv[::-1].cumsum()[::-1], [0.0]])  # sum_k d_k G_k / S0_k
    e1 = np.concatenate([(ginv[:, None] * xbar)[::-1].cumsum(axis=0)[::-1], np.zeros((1, p))])
    q = a_u * e0[k_ge][:, None] - b_u[:, None] * e1[k_ge]
    step = np.where(n_cens > 0, n_cens / y_risk**2, 0.0)
    ss2 = -np.cumsum(step[:, None] * q, axis=0)  # cumulative over censoring times <= u
    row_u = np.searchsorted(uniq, t)
    psi = ss2[row_u]
    cens = ici == 0
    psi[cens] += q[row_u[cens]] / y_risk[row_u[cens]][:, None]
    tot = eta + psi
    meat: FloatArray = tot.T @ tot
    return meat


@dataclass(frozen=True)
class FineGrayResult:
    coef: FloatArray
    variance: FloatArray
    information: FloatArray
    loglik: float
    loglik_null: float
    converged: bool
    iterations: int


def fine_gray_fit(
    x: FloatArray,
    time: FloatArray,
    ici: NDArray[np.int_],
    *,
    gtol: float = 1e-6,
    max_iter: int = 10,
) -> FineGrayResult:
    """Fine-Gray fit on arrays (``ici``: 1 cause of interest, 2 other cause, 0 censored)."""
    data = _prepare(x, time, ici)
    if data.d.size == 0:
        raise SurvivalDataError("no failures from the cause of interest")
    p = x.shape[1]
    b = np.zeros(p)
    converged = False
    iterations = 0
    for ll in range(max_iter + 1):
        sm = _sums(data, b)
        if np.max(np.abs(sm.score) * np.maximum(np.abs(b), 1)) < max(abs(sm.lik), 1) * gtol:
            converged = True
            break
        if ll == max_iter:
            break
        iterations += 1
        sc = -np.linalg.solve(sm.hess, sm.score)
        bn = b + sc
        fbn = _sums(data, bn, second=False).lik
        i = 0
        while not np.isfinite(fbn) or fbn > sm.lik + 1e-4 * float(sc @ sm.score):
            i += 1
            sc = sc * 0.5
            bn = b + sc
            fbn = _sums(data, bn, second=False).lik
            if i > 20:
                break
        if i > 20:
            break
        b = bn
    if not converged:
        warnings.warn("Fine-Gray model did not converge", ConvergenceWarning, stacklevel=3)
    sm = _sums(data, b)
    h_inv = np.linalg.inv(sm.hess)
    meat = _sandwich_meat(data, sm)
    return FineGrayResult(
        coef=b,
        variance=h_inv @ meat @ h_inv,
        information=sm.hess,
        loglik=-sm.lik,
        loglik_null=-_sums(data, np.zeros(p), second=False).lik,
        converged=converged,
        iterations=iterations,
    )


class FineGray:
    """Fine-Gray model for the cause ``failure_code``, lifelines-style.

    >>> fg = FineGray(failure_code=2).fit(pbc, "time", "status", ["age", "log_bili"])
    ... # doctest: +SKIP
    >>> fg.summary  # doctest: +SKIP

    Fitted attributes: ``params_`` (log subdistribution hazard ratios), ``standard_errors_``,
    ``variance_matrix_``, ``loglik_``, ``loglik_null_``, ``converged_``, ``n_``, ``n_dropped_``.
    """

    def __init__(
        self, failure_code: float = 1, censor_code: float = 0, conf_level: float = 0.95
    ) -> None:
        if failure_code == censor_code:
            raise ValueError("failure_code and censor_code must differ")
        self.failure_code = failure_code
        self.censor_code = censor_code
        self.conf_level = conf_level

    def fit(
        self,
        df: pd.DataFrame,
        duration_col: str,
        status_col: str,
        covariates: Sequence[str],
        *,
        dropna: bool = False,
    ) -> FineGray:
        covariates = list(covariates)
        frame = survival_frame(df, [duration_col, status_col, *covariates], dropna=dropna)
        data = frame.data
        t, s = check_competing(data[duration_col], data[status_col], self.censor_code)
        ici = np.where(s == self.censor_code, 0, np.where(s == self.failure_code, 1, 2))
        x = np.empty((t.size, len(covariates)))
        for j, c in enumerate(covariates):
            if not pd.api.types.is_numeric_dtype(data[c]) and data[c].dtype != bool:
                raise SurvivalDataError(f"covariate {c!r} is not numeric ({data[c].dtype})")
            x[:, j] = data[c].to_numpy(dtype=np.float64)
        res = fine_gray_fit(x, t, ici)
        self.covariates_ = covariates
        self.params_ = pd.Series(res.coef, index=covariates, name="coef")
        self.variance_matrix_ = pd.DataFrame(res.variance, index=covariates, columns=covariates)
        self.standard_errors_ = pd.Series(
            np.sqrt(np.diag(res.variance)), index=covariates, name="se(coef)"
        )
        self.loglik_ = res.loglik
        self.loglik_null_ = res.loglik_null
        self.converged_ = res.converged
        self.n_ = int(t.size)
        self.n_events_ = int((ici == 1).sum())
        self.n_dropped_ = frame.n_dropped
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """As ``summary(crr)``: coef, exp(coef), se, z, p and the CI of exp(coef)."""
        z = self.params_ / self.standard_errors_
        q = float(sps.norm.ppf(1 - (1 - self.conf_level) / 2))
        lvl = f"{self.conf_level:g}"
        return pd.DataFrame(
            {
                "coef": self.params_,
                "exp(coef)": np.exp(self.params_),
                "se(coef)": self.standard_errors_,
                "z": z,
                "p": 2 * sps.norm.sf(np.abs(z)),
                f"lower {lvl}": np.exp(self.params_ - q * self.standard_errors_),
                f"upper {lvl}": np.exp(self.params_ + q * self.standard_errors_),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        s = self.summary
        lo, hi = s.columns[-2], s.columns[-1]
        return {
            "method": "Fine-Gray subdistribution hazards (cmprsk crr)",
            "failure_code": self.failure_code,
            "n": self.n_,
            "n_events": self.n_events_,
            "n_dropped": self.n_dropped_,
            "coefficients": [
                {
                    "covariate": name,
                    "log_subdistribution_hazard_ratio": float(row["coef"]),
                    "subdistribution_hazard_ratio": float(row["exp(coef)"]),
                    "unit": f"per 1 unit of {name}",
                    "lower": float(row[lo]),
                    "upper": float(row[hi]),
                    "std_err": float(row["se(coef)"]),
                    "z": float(row["z"]),
                    "p_value": float(row["p"]),
                }
                for name, row in s.iterrows()
            ],
            "loglik": {"null": self.loglik_null_, "model": self.loglik_},
            "converged": self.converged_,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Forest plot of subdistribution hazard ratios."""
        from igfcirrhosis.stats._survplot import plot_forest

        kwargs.setdefault("xlabel", "Subdistribution hazard ratio")
        return plot_forest(self.summary, ax=ax, **kwargs)
