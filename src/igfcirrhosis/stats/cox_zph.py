"""Test of proportional hazards from Schoenfeld residuals, as R's ``cox.zph`` (survival >= 3.0).

With the coefficients fixed at the fitted values, the model is extended by the time-varying
covariates ``x * g(t)`` where ``g`` is the transformed event time, centred at its mean over the
events; the score test for those extra coefficients is reported per covariate (one added
column with the original p) and globally (all p added). ``transform="km"`` (R's default) uses
``g(t) = 1 - S(t-)`` with S the Kaplan-Meier curve of the fitted data; ``"identity"``,
``"rank"`` and ``"log"`` are also available. Ties are handled as in the fit (Efron / Breslow).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats as sps

from igfcirrhosis.stats.cox_core import CoxData, cox_derivatives

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ZphResult", "ZphTransform", "cox_zph"]

ZphTransform = Literal["km", "identity", "rank", "log"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ZphResult:
    """``cox.zph`` table plus the scaled Schoenfeld residuals for plotting."""

    table: pd.DataFrame  # index: covariates + "GLOBAL"; columns chisq, df, p
    transform: str
    event_time: FloatArray  # event times, ascending
    g_time: FloatArray  # transformed event times (uncentred)
    schoenfeld: FloatArray  # (events, p) Schoenfeld residuals
    scaled: FloatArray  # (events, p) scaled Schoenfeld residuals + beta (R's ``cox.zph()$y``)
    coef: FloatArray  # (p,) the fitted coefficients
    names: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": f"cox.zph score test, transform '{self.transform}'",
            "tests": [
                {
                    "term": str(name),
                    "chisq": float(row.chisq),
                    "df": int(row.df),
                    "p_value": float(row.p),
                }
                for name, row in self.table.iterrows()
            ],
        }

    def plot(self, ax: Axes | None = None, covariate: str | None = None) -> Axes:
        """Scaled Schoenfeld residuals of one covariate against transformed time, with a
        lowess smooth and the fitted coefficient (R's ``plot(cox.zph(fit))``)."""
        from igfcirrhosis.stats._survplot import plot_zph

        return plot_zph(self, ax=ax, covariate=covariate)


def _transform_times(
    t: FloatArray, event: NDArray[np.bool_], transform: ZphTransform
) -> FloatArray:
    """g(t) for every row (all strata together, as R)."""
    if transform == "identity":
        return t.copy()
    if transform == "log":
        return np.asarray(np.log(t), dtype=np.float64)
    if transform == "rank":
        return np.asarray(pd.Series(t).rank(method="average"), dtype=np.float64)
    if transform == "km":
        # left-continuous KM of the fitted data: S(t-) at each row's own time
        uniq = np.unique(t)
        n_at = t.size - np.searchsorted(np.sort(t), uniq, side="left")  # t >= u
        d = np.bincount(np.searchsorted(uniq, t[event]), minlength=uniq.size)
        surv = np.cumprod(1 - d / n_at)
        left = np.concatenate([[1.0], surv])[np.searchsorted(uniq, t, side="left")]
        return np.asarray(1.0 - left, dtype=np.float64)
    raise ValueError(f"transform must be one of km, identity, rank, log; got {transform!r}")


def cox_zph(
    data: CoxData | Sequence[CoxData],
    beta: FloatArray,
    names: list[str],
    transform: ZphTransform = "km",
) -> ZphResult:
    """Score tests of non-proportionality for a fitted Cox model (sorted data, coefficients).

    ``data`` is one :class:`CoxData` or one per stratum; g(t) is computed over all strata and
    centred at its mean over all events, the risk sets stay within strata (as R).
    """
    strata = [data] if isinstance(data, CoxData) else list(data)
    p = strata[0].x.shape[1]
    g_rows = _transform_times(
        np.concatenate([d.time for d in strata]),
        np.concatenate([d.event for d in strata]),
        transform,
    )
    bounds = np.cumsum([0] + [d.time.size for d in strata])
    g_ev_parts = [g_rows[bounds[i] : bounds[i + 1]][d.ev_rows] for i, d in enumerate(strata)]
    g_center = float(np.concatenate(g_ev_parts).mean())
    u2 = np.zeros(p)
    i11, i12, i22 = np.zeros((p, p)), np.zeros((p, p)), np.zeros((p, p))
    resid_parts = []
    for d, g_ev in zip(strata, g_ev_parts, strict=True):
        if d.n_events == 0:
            continue
        der = cox_derivatives(d, beta)
        g = g_ev - g_center  # one value per event (= per pseudo risk set)
        # Schoenfeld residuals: x minus the risk-set mean (Efron: mean of the pseudo means)
        mean = der.pseudo_means(d)
        grp_mean = np.zeros((d.d.size, p))
        np.add.at(grp_mean, d.ev_group, mean)
        resid_parts.append(d.x[d.ev_rows] - (grp_mean / d.d[:, None])[d.ev_group])
        u2 += g @ (d.x[d.ev_rows] - mean)
        i11 += _weighted_information(d, beta, der.den, mean, np.ones_like(g))
        i12 += _weighted_information(d, beta, der.den, mean, g)
        i22 += _weighted_information(d, beta, der.den, mean, g * g)
    resid = np.concatenate(resid_parts) if resid_parts else np.zeros((0, p))
    n_events = resid.shape[0]
    # scaled residuals: solve(vmean, r_i) + beta with vmean = I / (number of events)
    scaled = n_events * np.linalg.solve(i11, resid.T).T + beta if n_events else resid
    imat = np.block([[i11, i12], [i12.T, i22]])
    u = np.concatenate([np.zeros(p), u2])
    chisq = np.empty(p + 1)
    for j in range(p):
        kk = np.r_[np.arange(p), p + j]
        uk = u[kk]
        chisq[j] = float(uk @ np.linalg.solve(imat[np.ix_(kk, kk)], uk))
    chisq[p] = float(u @ np.linalg.solve(imat, u))
    df = np.r_[np.ones(p), p]
    table = pd.DataFrame(
        {"chisq": chisq, "df": df.astype(np.int64), "p": sps.chi2.sf(chisq, df)},
        index=pd.Index([*names, "GLOBAL"], name="term"),
    )
    return ZphResult(
        table=table,
        transform=transform,
        event_time=np.concatenate([d.time[d.ev_rows] for d in strata]),
        g_time=np.concatenate(g_ev_parts),
        schoenfeld=resid,
        scaled=scaled,
        coef=np.asarray(beta, dtype=np.float64),
        names=list(names),
    )


def _weighted_information(
    data: CoxData, beta: FloatArray, den: FloatArray, mean: FloatArray, c: FloatArray
) -> FloatArray:
    """``sum_k c_k V_k`` over pseudo risk sets k (V_k the weighted covariance of x)."""
    x = data.x
    eta = np.einsum("ij,j->i", x, beta)
    r = np.exp(eta - (float(eta.max()) if eta.size else 0.0))
    g, f = data.pseudo_group, data.pseudo_frac
    per_group = np.bincount(g, weights=c / den, minlength=data.d.size)
    per_group_f = np.bincount(g, weights=c * f / den, minlength=data.d.size)
    cum = np.concatenate([[0.0], np.cumsum(per_group)])
    w = r * cum[data.n_groups_le]
    w[data.ev_rows] -= r[data.ev_rows] * per_group_f[data.ev_group]
    info: FloatArray = np.einsum("ni,nj->ij", x * w[:, None], x) - (mean * c[:, None]).T @ mean
    return info
