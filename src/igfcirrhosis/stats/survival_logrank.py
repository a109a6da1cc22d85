"""Log-rank, Fleming-Harrington and trend tests, numerically as R's ``survdiff``.

- :func:`logrank_test`: k groups, ``rho`` weights ``S(t-)^rho`` (0: log-rank; 1: Peto-Peto),
  optional ``strata`` (as ``+ strata(s)``).
- :func:`logrank_trend_test`: the log-rank test for trend over ordered groups with scores.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats as sps

from igfcirrhosis.stats.survival_data import SurvivalDataError, check_time_event
from igfcirrhosis.stats.survival_tables import (
    at_risk,
    group_codes,
    json_label,
    json_number,
    tabulate,
)

__all__ = ["LogRankResult", "TrendResult", "logrank_test", "logrank_trend_test"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class LogRankResult:
    """k-sample log-rank (rho = 0) or Fleming-Harrington G-rho test (R's ``survdiff``).

    ``observed`` and ``expected`` are weighted by S(t-)^rho as in ``survdiff``.
    """

    chisq: float
    df: int
    p_value: float
    groups: list[Hashable]
    n: FloatArray
    observed: FloatArray
    expected: FloatArray
    variance: FloatArray
    rho: float = 0.0
    stratified: bool = False

    def to_dict(self) -> dict[str, Any]:
        name = "log-rank" if self.rho == 0 else f"Fleming-Harrington G-rho, rho = {self.rho:g}"
        return {
            "test": f"{name} (survdiff){', stratified' if self.stratified else ''}",
            "chisq": json_number(self.chisq),
            "df": self.df,
            "p_value": json_number(self.p_value),
            "groups": [
                {
                    "group": json_label(g),
                    "n": int(n),
                    "observed_events": json_number(o),
                    "expected_events": json_number(e),
                }
                for g, n, o, e in zip(
                    self.groups, self.n, self.observed, self.expected, strict=True
                )
            ],
        }


@dataclass(frozen=True)
class TrendResult:
    """Log-rank test for trend across ordered groups with numeric scores."""

    chisq: float
    df: int
    p_value: float
    scores: FloatArray
    groups: list[Hashable]
    method: str = "log-rank test for trend: (sum w(O-E))^2 / w'Vw, V from survdiff"

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.method,
            "chisq": json_number(self.chisq),
            "df": self.df,
            "p_value": json_number(self.p_value),
            "scores": {
                str(json_label(g)): float(s) for g, s in zip(self.groups, self.scores, strict=True)
            },
        }


def _logrank_from_table(
    events: FloatArray, exits: FloatArray, rho: float = 0.0
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Observed, expected, variance matrix (as survdiff) and n from per-group counts.

    Each time is weighted by ``S(t-)^rho``, S the pooled Kaplan-Meier curve (left-continuous).
    """
    risk = at_risk(exits)
    n = risk.sum(axis=1)
    d = events.sum(axis=1)
    if rho != 0:
        km_left = np.concatenate([[1.0], np.cumprod(1 - d / n)[:-1]])
        wt = km_left**rho
    else:
        wt = np.ones(d.size)
    has = d > 0
    risk, n, d, ev, wt = risk[has], n[has], d[has], events[has], wt[has]
    frac = risk / n[:, None]
    expected = (frac * (wt * d)[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n > 1, wt * wt * d * (n - d) / (n - 1), 0.0)
    var = np.diag((c[:, None] * frac).sum(axis=0)) - (frac * c[:, None]).T @ frac
    return (wt[:, None] * ev).sum(axis=0), expected, var, exits.sum(axis=0)


def _stratified_table(
    t: FloatArray,
    e: FloatArray,
    codes: NDArray[np.intp],
    k: int,
    strata: ArrayLike | None,
    rho: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """O, E, V, n summed over strata (one stratum when ``strata`` is None)."""
    if strata is None:
        _, ev, ex = tabulate(t, e, codes, k)
        return _logrank_from_table(ev, ex, rho)
    s_codes, _ = group_codes(strata)
    if s_codes.size != t.size:
        raise SurvivalDataError(f"strata has {s_codes.size} values but time has {t.size}")
    obs, exp, var, n = np.zeros(k), np.zeros(k), np.zeros((k, k)), np.zeros(k)
    for j in range(int(s_codes.max()) + 1):
        sel = s_codes == j
        _, ev, ex = tabulate(t[sel], e[sel], codes[sel], k)
        o, x, v, m = _logrank_from_table(ev, ex, rho)
        obs, exp, var, n = obs + o, exp + x, var + v, n + m
    return obs, exp, var, n


def logrank_test(
    time: ArrayLike,
    event: ArrayLike,
    group: ArrayLike,
    *,
    rho: float = 0.0,
    strata: ArrayLike | None = None,
) -> LogRankResult:
    """Log-rank test of equal survival in k groups, as ``survdiff(Surv(time, event) ~ group)``.

    ``rho`` gives the Fleming-Harrington G-rho family (``rho = 1``: Peto-Peto modification of
    the Gehan-Wilcoxon test); ``strata`` sums the test over strata, as ``+ strata(s)``.
    """
    t, e = check_time_event(time, event)
    codes, labels = group_codes(group)
    if codes.size != t.size:
        raise SurvivalDataError(f"group has {codes.size} values but time has {t.size}")
    k = len(labels)
    if k < 2:
        raise SurvivalDataError("the log-rank test needs at least two groups")
    table = _stratified_table(t, e, codes, k, strata, rho)
    return _logrank_result(table, labels, rho=rho, stratified=strata is not None)


def _logrank_result(
    table: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    labels: list[Hashable],
    *,
    rho: float = 0.0,
    stratified: bool = False,
) -> LogRankResult:
    obs, exp, var, n = table
    diff = (obs - exp)[:-1]
    sub = var[:-1, :-1]
    chisq = float(diff @ np.linalg.pinv(sub) @ diff)
    df = int(np.linalg.matrix_rank(sub))
    return LogRankResult(
        chisq=chisq,
        df=df,
        p_value=float(sps.chi2.sf(chisq, df)),
        groups=labels,
        n=n,
        observed=obs,
        expected=exp,
        variance=var,
        rho=rho,
        stratified=stratified,
    )


def logrank_trend_test(
    time: ArrayLike,
    event: ArrayLike,
    group: ArrayLike,
    scores: Sequence[float] | None = None,
    *,
    strata: ArrayLike | None = None,
) -> TrendResult:
    """Log-rank test for trend over ordered groups (Collett 2015, section 2.6; survMisc).

    Statistic ``U = sum_k w_k (O_k - E_k)`` with variance ``w' V w`` (V the log-rank variance
    matrix of ``survdiff``); ``U^2 / w'Vw`` is chi-square on 1 df. Groups are sorted; the default
    scores are the group values themselves when numeric, else 1, 2, ..., k.
    """
    t, e = check_time_event(time, event)
    codes, labels = group_codes(group)
    k = len(labels)
    if k < 2:
        raise SurvivalDataError("the trend test needs at least two groups")
    if scores is None:
        try:
            w = np.asarray(labels, dtype=np.float64)
        except (TypeError, ValueError):
            w = np.arange(1, k + 1, dtype=np.float64)
    else:
        w = np.asarray(scores, dtype=np.float64)
        if w.shape != (k,):
            raise ValueError(f"scores must have one value per group ({k}), got {w.size}")
    obs, exp, var, _ = _stratified_table(t, e, codes, k, strata, 0.0)
    u = float(w @ (obs - exp))
    v = float(w @ var @ w)
    chisq = u * u / v
    return TrendResult(
        chisq=chisq, df=1, p_value=float(sps.chi2.sf(chisq, 1)), scores=w, groups=labels
    )
