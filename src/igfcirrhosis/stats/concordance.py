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

Cost: O(n log n) (wavelet matrix over score ranks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
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
            "method": (
                "Harrell's C (R survival::concordance, timewt 'n'), infinitesimal jackknife SE"
            ),
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
    strata: ArrayLike | None = None,
) -> ConcordanceResult:
    """Harrell's C and its standard error as ``concordance(Surv(time, event) ~ x)``.

    Name the sign convention: ``risk_score=`` (higher means earlier events: a Cox linear
    predictor, bilirubin; R's ``reverse = TRUE``) or ``predicted_time=`` (higher means later
    events; R's default). With ``strata``, only pairs within a stratum are compared (as R for
    a stratified Cox model); counts and influences are pooled over strata.
    """
    t, e = check_time_event(time, event)
    s = _score(risk_score, predicted_time)
    if s.size != t.size:
        raise SurvivalDataError(f"score has {s.size} values but time has {t.size}")
    if strata is None:
        conc, disc, tie, tied_y, tied_xy = _pair_counts(t, e > 0, s)
    else:
        st = np.asarray(strata, dtype=object)
        if st.shape != t.shape:
            raise SurvivalDataError(f"strata has {st.size} values but time has {t.size}")
        codes = pd.factorize(pd.Series(st))[0]
        if (codes < 0).any():
            raise SurvivalDataError("strata has missing values")
        conc, disc, tie = np.zeros(t.size), np.zeros(t.size), np.zeros(t.size)
        tied_y = tied_xy = 0.0
        for j in range(int(codes.max()) + 1):
            sel = np.flatnonzero(codes == j)
            if not (e[sel] > 0).any():
                continue
            c_j, d_j, t_j, ty, txy = _pair_counts(t[sel], e[sel] > 0, s[sel])
            conc[sel], disc[sel], tie[sel] = c_j, d_j, t_j
            tied_y += ty
            tied_xy += txy
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
        n=int(t.size),
        influence=influence,
    )


def _pair_counts(
    t: FloatArray, dead: NDArray[np.bool_], s: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, float, float]:
    """Per subject: comparable pairs it belongs to that are concordant, discordant, tied on
    the score; and the numbers of event pairs tied on time, and on time and score.

    A pair (i, j) is comparable when i has an event and ``key_j > key_i`` with
    ``key = 2 * rank(time) + censored`` (later time, or censored at the same time). Counting
    is offline 2-d dominance counting with a wavelet matrix (O(n log n)).
    """
    n = t.size
    _, time_rank = np.unique(t, return_inverse=True)
    key = 2 * time_rank.astype(np.int64) + (~dead).astype(np.int64)
    _, r = np.unique(s, return_inverse=True)
    r = r.astype(np.int64)
    conc = np.zeros(n)
    disc = np.zeros(n)
    tie = np.zeros(n)
    deaths = np.flatnonzero(dead)
    # the event's side: partners j with key_j > key_i, by their score rank
    k_span = int(key.max()) + 1
    desc = np.argsort(-key)  # order within equal keys is irrelevant
    n_key_gt = np.concatenate([np.cumsum(np.bincount(key, minlength=k_span)[::-1])[::-1][1:], [0]])
    q = n_key_gt[key[deaths]]
    lt = _prefix_rank_counts(r[desc], q, r[deaths])
    # the partner's side: events i with key_i < key_j
    asc = deaths[np.argsort(key[deaths])]
    n_dead_lt = np.concatenate([[0], np.cumsum(np.bincount(key[deaths], minlength=k_span))[:-1]])
    q2 = n_dead_lt[key]
    lt2 = _prefix_rank_counts(r[asc], q2, r)
    if int(r.max()) + 1 < n:  # some scores are tied: count the tied comparable pairs
        comb_all = np.sort(r * k_span + key)
        rd, kd = r[deaths], key[deaths]
        tie_d = np.searchsorted(comb_all, rd * k_span + k_span - 1, side="right") - np.searchsorted(
            comb_all, rd * k_span + kd, side="right"
        )
        comb_d = np.sort(rd * k_span + kd)
        tie_p = np.searchsorted(comb_d, r * k_span + key, side="left") - np.searchsorted(
            comb_d, r * k_span, side="left"
        )
    else:
        tie_d = np.zeros(deaths.size, dtype=np.int64)
        tie_p = np.zeros(n, dtype=np.int64)
    conc[deaths] += lt
    tie[deaths] += tie_d
    disc[deaths] += q - lt - tie_d
    disc += lt2
    tie += tie_p
    conc += q2 - lt2 - tie_p
    # event pairs tied on time (not comparable), and those also tied on the score
    _, d_t = np.unique(t[deaths], return_counts=True)
    tied_y = float(np.sum(d_t * (d_t - 1)) / 2)
    pair_key = time_rank[deaths].astype(np.int64) * (int(r.max()) + 1) + r[deaths]
    both = np.unique(pair_key, return_counts=True)[1]
    tied_xy = float(np.sum(both * (both - 1)) / 2)
    return conc, disc, tie, tied_y, tied_xy


def _prefix_rank_counts(
    ranks: NDArray[np.int64], q: NDArray[np.int64], r: NDArray[np.int64]
) -> NDArray[np.int64]:
    """For each query k: how many of ``ranks[:q[k]]`` are ``< r[k]``.

    A wavelet matrix over the ranks: one stable partition by bit per level (most significant
    first) and prefix counts of zeros; every query walks the levels with array lookups only.
    """
    m = ranks.size
    if m == 0 or q.size == 0:
        return np.zeros(q.size, dtype=np.int64)
    n_bits = max(max(int(ranks.max()), int(r.max())).bit_length(), 1)
    int_t: np.dtype[Any] = np.dtype(np.int32 if m < 2**31 - 1 else np.int64)
    cur = ranks.astype(int_t)
    x = r.astype(int_t)
    start = np.zeros(q.size, dtype=int_t)
    end = q.astype(int_t)
    res = np.zeros(q.size, dtype=int_t)
    zp = np.zeros(m + 1, dtype=int_t)
    for level in range(n_bits - 1, -1, -1):
        bit = ((cur >> level) & 1).astype(bool)
        np.cumsum(~bit, out=zp[1:])
        z = zp[-1]
        cur = np.concatenate([cur[~bit], cur[bit]])
        s0 = zp[start]
        e0 = zp[end]
        one = (x >> level) & 1
        res += one * (e0 - s0)
        start = s0 + one * (z + start - 2 * s0)
        end = e0 + one * (z + end - 2 * e0)
    return res.astype(np.int64)


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
