"""Harrell's C-index with its standard error, numerically as R's ``survival::concordance``.

Pairs: an observed event at time ``t_i`` is comparable with every subject still under
observation after it (time > t_i, or censored at t_i, as R). A pair is concordant when the
subject with the earlier event has the higher risk score (``risk_score=``) or the shorter
predicted time (``predicted_time=``); ties in the score count one half. Pairs with tied event
times are not comparable (R's ``tied.y``).

``C = (concordant + tied_x / 2) / (concordant + discordant + tied_x)`` (R's timewt = "n").
The standard error is R's infinitesimal-jackknife one: each subject's influence
``((c_i - d_i) - (c_i + d_i + t_i) * somers_d) / (2 * n_pairs)`` where ``c_i, d_i, t_i`` count
the comparable pairs the subject belongs to; ``var = sum(influence^2)``. Influences of
several scores on the same subjects give their covariance, hence :func:`compare_concordance`
(as ``concordance(fit1, fit2)`` and a contrast).

Cost: O(n x events) comparisons in blocks (fine for cohorts up to ~50,000 rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats as sps

from igfcirrhosis.stats.survival_data import SurvivalDataError, as_float_array, check_time_event

__all__ = [
    "ConcordanceComparison",
    "ConcordanceResult",
    "compare_concordance",
    "concordance_index",
]

FloatArray = NDArray[np.float64]
_BLOCK = 2_000_000  # pair comparisons per block


@dataclass(frozen=True)
class ConcordanceResult:
    """Harrell's C with R's counts and infinitesimal-jackknife standard error."""

    concordance: float
    std_err: float
    concordant: float
    discordant: float
    tied_x: float
    tied_y: float
    tied_xy: float
    n: int
    influence: FloatArray  # per subject, in input order (R's dfbeta)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "Harrell's C (R survival::concordance, timewt 'n'), infinitesimal jackknife SE",
            "concordance": _num(self.concordance),
            "std_err": _num(self.std_err),
            "pairs": {
                "concordant": self.concordant,
                "discordant": self.discordant,
                "tied_score": self.tied_x,
                "tied_time": self.tied_y,
                "tied_score_and_time": self.tied_xy,
            },
            "n": self.n,
        }


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _score(risk_score: ArrayLike | None, predicted_time: ArrayLike | None) -> FloatArray:
    if (risk_score is None) == (predicted_time is None):
        raise ValueError("give exactly one of risk_score= (higher = worse) or predicted_time=")
    if risk_score is not None:
        s = as_float_array(risk_score, "risk_score")
    else:
        s = -as_float_array(predicted_time, "predicted_time")  # type: ignore[arg-type]
    if np.isnan(s).any():
        i = int(np.flatnonzero(np.isnan(s))[0])
        raise SurvivalDataError(f"score at position {i} is missing")
    return s


def concordance_index(
    time: ArrayLike,
    event: ArrayLike,
    *,
    risk_score: ArrayLike | None = None,
    predicted_time: ArrayLike | None = None,
) -> ConcordanceResult:
    """Harrell's C and its standard error as ``concordance(Surv(time, event) ~ x)``.

    Name the sign convention: ``risk_score=`` (higher means earlier events: a Cox linear
    predictor, bilirubin; R's ``reverse = TRUE``) or ``predicted_time=`` (higher means later
    events; R's default).
    """
    t, e = check_time_event(time, event)
    s = _score(risk_score, predicted_time)
    if s.size != t.size:
        raise SurvivalDataError(f"score has {s.size} values but time has {t.size}")
    ev = np.flatnonzero(e > 0)
    n = t.size
    conc = np.zeros(n)
    disc = np.zeros(n)
    tie = np.zeros(n)
    tied_y = 0.0
    tied_xy = 0.0
    block = max(1, _BLOCK // max(n, 1))
    for start in range(0, ev.size, block):
        rows = ev[start : start + block]
        ti, si = t[rows, None], s[rows, None]
        comparable = (t[None, :] > ti) | ((t[None, :] == ti) & (e[None, :] == 0))
        same_time_event = (t[None, :] == ti) & (e[None, :] > 0)
        same_time_event[np.arange(rows.size), rows] = False
        higher = si > s[None, :]
        lower = si < s[None, :]
        c_m = comparable & higher
        d_m = comparable & lower
        t_m = comparable & ~higher & ~lower
        conc[rows] += c_m.sum(axis=1)
        disc[rows] += d_m.sum(axis=1)
        tie[rows] += t_m.sum(axis=1)
        conc += c_m.sum(axis=0)
        disc += d_m.sum(axis=0)
        tie += t_m.sum(axis=0)
        tied_y += same_time_event.sum() / 2
        tied_xy += (same_time_event & ~higher & ~lower).sum() / 2
    c_tot, d_tot, t_tot = conc.sum() / 2, disc.sum() / 2, tie.sum() / 2
    npair = c_tot + d_tot + t_tot
    if npair == 0:
        raise SurvivalDataError("no comparable pairs (no events followed by longer follow-up)")
    somer = (c_tot - d_tot) / npair
    influence = ((conc - disc) - (conc + disc + tie) * somer) / (2 * npair)
    return ConcordanceResult(
        concordance=(somer + 1) / 2,
        std_err=float(np.sqrt(np.sum(influence**2))),
        concordant=c_tot,
        discordant=d_tot,
        tied_x=t_tot,
        tied_y=tied_y - tied_xy,
        tied_xy=tied_xy,
        n=n,
        influence=influence,
    )


@dataclass(frozen=True)
class ConcordanceComparison:
    """Two C-indices on the same subjects, their covariance and the test of equality."""

    concordance: tuple[float, float]
    covariance: FloatArray  # (2, 2)
    difference: float
    std_err: float
    z: float
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "difference of Harrell's C, infinitesimal-jackknife covariance (R)",
            "concordance": [_num(c) for c in self.concordance],
            "difference": _num(self.difference),
            "std_err": _num(self.std_err),
            "z": _num(self.z),
            "p_value": _num(self.p_value),
        }


def compare_concordance(
    first: ConcordanceResult, second: ConcordanceResult
) -> ConcordanceComparison:
    """C(first) - C(second) with the jackknife covariance, as ``concordance(fit1, fit2)``."""
    if first.n != second.n:
        raise ValueError("the two C-indices must come from the same subjects")
    inf = np.column_stack([first.influence, second.influence])
    cov = inf.T @ inf
    diff = first.concordance - second.concordance
    se = float(np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]))
    z = diff / se if se > 0 else float("nan")
    return ConcordanceComparison(
        concordance=(first.concordance, second.concordance),
        covariance=cov,
        difference=diff,
        std_err=se,
        z=z,
        p_value=float(2 * sps.norm.sf(abs(z))),
    )
