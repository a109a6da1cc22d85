"""Cox partial likelihood on sorted risk sets, vectorised in numpy (the array layer of ``cox``).

Rows are sorted once by time. For each distinct event time ``t`` with ``d`` events the Efron
approximation uses ``d`` "pseudo risk sets" with the tied events down-weighted by ``l/d``,
``l = 0..d-1`` (Breslow: ``l/d`` replaced by 0). Every pseudo risk set is one row of a
vectorised computation, so one Newton step costs a few passes over the data:

- risk-set sums ``S0, S1`` are reverse cumulative sums taken at the first row of each time;
- the information ``sum_k (S2_k - f_k D2_k) / den_k - a_k a_k'`` is computed without the
  ``n x p x p`` array, as ``X' diag(w) X - A'A`` with per-row weights ``w`` (each row's
  ``exp(eta)`` times the sum of ``1/den`` over the pseudo risk sets that contain it).

The O(n) products use ``np.einsum`` rather than BLAS: with p ~ 5 the multithreaded BLAS
gains nothing and its thread wake-ups cost more than the arithmetic on a busy machine.

Newton-Raphson with step halving follows R's ``coxfit6`` (start at 0, stop when
``|1 - loglik_old / loglik_new| <= eps``), so iterates and the reported iteration count agree.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from igfcirrhosis.stats.survival_data import ConvergenceWarning

__all__ = ["CoxData", "CoxDerivatives", "CoxNewtonResult", "Ties", "cox_derivatives", "cox_newton"]

Ties = Literal["efron", "breslow"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CoxData:
    """Sorted design and the index structure of the (pseudo) risk sets; build once per fit."""

    x: FloatArray  # (n, p), sorted by time, centred by column means
    x_mean: FloatArray  # (p,)
    time: FloatArray  # (n,), ascending
    event: NDArray[np.bool_]  # (n,)
    order: NDArray[np.intp]  # sorted position -> original row
    first_at: NDArray[np.intp]  # (G,) first sorted row with time == event time g
    ev_rows: NDArray[np.intp]  # (D,) sorted rows of the events, grouped by time
    ev_group: NDArray[np.intp]  # (D,) event time group of each event
    d: FloatArray  # (G,) number of events at each event time
    pseudo_group: NDArray[np.intp]  # (D,) group of each pseudo risk set
    pseudo_frac: FloatArray  # (D,) Efron fraction l/d (0 for Breslow)
    n_groups_le: NDArray[np.intp]  # (n,) number of event times <= the row's time
    ev_starts: NDArray[np.intp]  # (G,) start of each event time's block in ev_rows
    x_event_sum: FloatArray  # (p,) sum of centred x over the events
    seg_index: NDArray[np.intp]  # reduceat bounds: first_at[g], first_at[g] + d[g], ...
    seg_empty: NDArray[np.bool_]  # (G,) no rows between the events of g and the next time
    event_f: FloatArray  # (n,) 1.0 for events

    @classmethod
    def build(
        cls, x: FloatArray, time: FloatArray, event: FloatArray, ties: Ties = "efron"
    ) -> CoxData:
        if ties not in ("efron", "breslow"):
            raise ValueError(f"ties must be 'efron' or 'breslow', got {ties!r}")
        # by time, events before censorings at the same time: each event time's events are
        # then one contiguous block [first_at, first_at + d)
        order = np.lexsort((event <= 0, time))
        ts = time[order]
        ev = event[order] > 0
        xs = x[order]
        x_mean = xs.mean(axis=0)
        xs = xs - x_mean
        ev_rows = np.flatnonzero(ev)
        ev_times = ts[ev_rows]
        new = np.empty(ev_rows.size, dtype=bool)
        if ev_rows.size:
            new[0] = True
            np.not_equal(ev_times[1:], ev_times[:-1], out=new[1:])
        uniq = ev_times[new]
        ev_group = np.cumsum(new) - 1
        d = np.bincount(ev_group, minlength=uniq.size).astype(np.float64)
        first_at = np.searchsorted(ts, uniq, side="left")
        starts = np.flatnonzero(new)
        l_index = np.arange(ev_rows.size) - np.repeat(starts, d.astype(np.intp))
        frac = l_index / d[ev_group] if ties == "efron" else np.zeros(ev_rows.size)
        ends = first_at + d.astype(np.intp)
        next_first = np.append(first_at[1:], ts.size)
        seg_empty = ends >= next_first
        seg_index = np.column_stack([first_at, ends]).ravel()
        if seg_index.size and seg_index[-1] >= ts.size:
            seg_index = seg_index[:-1]
        return cls(
            x=xs,
            x_mean=x_mean,
            time=ts,
            event=ev,
            order=order,
            first_at=first_at,
            ev_rows=ev_rows,
            ev_group=ev_group,
            d=d,
            pseudo_group=ev_group,
            pseudo_frac=frac,
            n_groups_le=np.searchsorted(uniq, ts, side="right"),
            ev_starts=starts,
            x_event_sum=xs[ev_rows].sum(axis=0),
            seg_index=seg_index,
            seg_empty=seg_empty,
            event_f=ev.astype(np.float64),
        )

    @property
    def n_events(self) -> int:
        return int(self.ev_rows.size)


@dataclass(frozen=True)
class CoxDerivatives:
    loglik: float
    score: FloatArray  # (p,)
    information: FloatArray  # (p, p)
    den: FloatArray  # (D,) pseudo risk-set denominators (relative to exp(max eta))
    s1: FloatArray  # (G, p) risk-set sums of r x at each event time
    d1: FloatArray  # (G, p) sums of r x over the tied events

    def pseudo_means(self, data: CoxData) -> FloatArray:
        """(D, p) weighted mean of x in each pseudo risk set (Efron) or risk set (Breslow)."""
        g, f = data.pseudo_group, data.pseudo_frac
        return (self.s1[g] - f[:, None] * self.d1[g]) / self.den[:, None]


def cox_derivatives(data: CoxData, beta: FloatArray) -> CoxDerivatives:
    """Log partial likelihood, score and information at ``beta`` (Efron or Breslow).

    Only O(n p) passes over the rows plus one ``X' diag(w) X``; everything else is per event
    time (G) or per pseudo risk set (D, scalars only).
    """
    x = data.x
    eta = np.einsum("ij,j->i", x, beta)  # einsum, not BLAS: no thread wake-ups per call
    shift = float(eta.max())
    r = np.exp(eta - shift)
    rx = x * r[:, None]
    # one pass: sums over the events of each time (D) and over the rest up to the next (C)
    d0, c0 = _split_segments(np.add.reduceat(r, data.seg_index), data)
    d1, c1 = _split_segments(np.add.reduceat(rx, data.seg_index, axis=0), data)
    s0 = (d0 + c0)[::-1].cumsum()[::-1]  # risk-set sums at each event time
    s1 = (d1 + c1)[::-1].cumsum(axis=0)[::-1]
    g, f = data.pseudo_group, data.pseudo_frac
    den = s0[g] - f * d0[g]
    inv = 1.0 / den
    n_g = data.d.size

    def per_group(v: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(g, weights=v, minlength=n_g), dtype=np.float64)

    a = per_group(inv)
    b = per_group(f * inv)
    inv2 = inv * inv
    c = per_group(inv2)
    e = per_group(f * inv2)
    h = per_group(f * f * inv2)
    loglik = float(data.x_event_sum @ beta - data.n_events * shift - np.log(den).sum())
    score = data.x_event_sum - (s1.T @ a - d1.T @ b)
    # information = sum_k (S2_k - f_k D2_k)/den_k - m_k m_k', m_k = (S1 - f_k D1)/den_k
    cum = np.concatenate([[0.0], np.cumsum(a)])
    nle = data.n_groups_le
    w = r * (cum[nle] - data.event_f * b[nle - 1])  # events: own time's b (b[-1] unused)
    s1e = s1.T * e
    mm = (s1.T * c) @ s1 - s1e @ d1 - (s1e @ d1).T + (d1.T * h) @ d1
    information = np.einsum("ni,nj->ij", x * w[:, None], x) - mm
    return CoxDerivatives(loglik, score, information, den, s1, d1)


def _split_segments(seg: FloatArray, data: CoxData) -> tuple[FloatArray, FloatArray]:
    """Even reduceat segments are the events of each time, odd ones the rows after them."""
    d = seg[0::2]
    c = np.zeros_like(d)
    odd = seg[1::2]
    c[: odd.shape[0]] = odd
    c[data.seg_empty] = 0.0  # reduceat returns a row, not 0, for an empty segment
    return d, c


@dataclass(frozen=True)
class CoxNewtonResult:
    beta: FloatArray
    loglik_null: float
    loglik: float
    score_test: float
    information: FloatArray
    iterations: int
    converged: bool


@dataclass(frozen=True)
class _Totals:
    loglik: float
    score: FloatArray
    information: FloatArray


def _total(strata: Sequence[CoxData], beta: FloatArray) -> _Totals:
    """Derivatives summed over strata (each stratum has its own risk sets)."""
    parts = [cox_derivatives(d, beta) for d in strata]
    return _Totals(
        loglik=float(sum(p.loglik for p in parts)),
        score=np.sum([p.score for p in parts], axis=0),
        information=np.sum([p.information for p in parts], axis=0),
    )


def cox_newton(
    data: CoxData | Sequence[CoxData],
    *,
    init: FloatArray | None = None,
    max_iter: int = 20,
    eps: float = 1e-9,
) -> CoxNewtonResult:
    """Newton-Raphson with step halving as R's ``coxfit6`` (``coxph.control`` defaults).

    ``data`` is one :class:`CoxData`, or one per stratum (a stratified model)."""
    strata = [data] if isinstance(data, CoxData) else list(data)
    p = strata[0].x.shape[1]
    beta = np.zeros(p) if init is None else np.asarray(init, dtype=np.float64).copy()
    der = _total(strata, beta)
    loglik0 = der.loglik
    step = _solve(der.information, der.score)
    score_test = float(der.score @ step)
    best, best_der = beta, der
    new_beta = beta + step
    halving = 0
    converged = False
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        new_der = _total(strata, new_beta)
        finite = np.isfinite(new_der.loglik) and np.isfinite(new_der.information).all()
        if finite and abs(1 - best_der.loglik / new_der.loglik) <= eps:
            best, best_der = new_beta, new_der
            converged = True
            break
        if not finite or new_der.loglik < best_der.loglik:
            halving += 1
            new_beta = (new_beta + halving * best) / (halving + 1.0)
        else:
            halving = 0
            best, best_der = new_beta, new_der
            new_beta = new_beta + _solve(new_der.information, new_der.score)
    if not converged:
        warnings.warn(
            f"Cox model did not converge in {max_iter} iterations (a coefficient may be "
            "infinite, e.g. a covariate that perfectly predicts the events)",
            ConvergenceWarning,
            stacklevel=3,
        )
    return CoxNewtonResult(
        beta=best,
        loglik_null=loglik0,
        loglik=best_der.loglik,
        score_test=score_test,
        information=best_der.information,
        iterations=iterations,
        converged=converged,
    )


def _solve(a: FloatArray, b: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(a, b), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.lstsq(a, b, rcond=None)[0], dtype=np.float64)


@dataclass(frozen=True)
class BaselineHazard:
    """Pieces of R's ``agsurv`` at each event time, for centred covariates (``x - x_mean``)."""

    time: FloatArray  # (G,) event times
    hazard: FloatArray  # (G,) baseline hazard increments
    varhaz: FloatArray  # (G,) first variance term (beta fixed)
    xbar: FloatArray  # (G, p) second-term weights (risk-set mean x hazard)


def baseline_hazard(data: CoxData, beta: FloatArray) -> BaselineHazard:
    """Baseline hazard as ``survfit.coxph`` (Efron increments for Efron fits, else Breslow)."""
    der = cox_derivatives(data, beta)
    eta = np.einsum("ij,j->i", data.x, beta)
    scale = np.exp(-float(eta.max()))  # den, s1, d1 are relative to exp(max eta)
    g, f = data.pseudo_group, data.pseudo_frac
    inv = 1.0 / der.den
    n_g = data.d.size
    hazard = np.bincount(g, weights=inv, minlength=n_g) * scale
    varhaz = np.bincount(g, weights=inv * inv, minlength=n_g) * scale * scale
    num = (der.s1[g] - f[:, None] * der.d1[g]) * (inv * inv)[:, None]
    xbar = np.zeros((n_g, data.x.shape[1]))
    np.add.at(xbar, g, num)
    return BaselineHazard(
        time=data.time[data.first_at],
        hazard=np.asarray(hazard, dtype=np.float64),
        varhaz=np.asarray(varhaz, dtype=np.float64),
        xbar=xbar * scale,
    )
