"""Competing risks: cumulative incidence (Aalen-Johansen) and Gray's test, as ``cmprsk::cuminc``.

- :func:`cumulative_incidence`: the cumulative incidence function of one cause with the
  variance of cmprsk's ``cinc`` (Gray 1988 / Aalen's delta-method form), at each time the
  cause occurs; :func:`cuminc_steps` lays it out as cmprsk does (step corners from 0 to the
  last follow-up time).
- :func:`gray_test`: Gray's (1988) k-sample test that a cause's cumulative incidence is the
  same in all groups (``cuminc(...)$Tests``, rho = 0 by default), ported from cmprsk's
  ``crstm``; unstratified.
- :class:`CumulativeIncidence`: the estimator on a DataFrame (all causes, optional groups).

Fine-Gray regression lives in :mod:`.competing_finegray`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats as sps

from igfcirrhosis.stats.survival_data import (
    SurvivalDataError,
    as_float_array,
    survival_frame,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CIF",
    "CumulativeIncidence",
    "GrayTestResult",
    "check_competing",
    "cuminc_steps",
    "cumulative_incidence",
    "gray_test",
]

FloatArray = NDArray[np.float64]


def check_competing(
    time: ArrayLike, status: ArrayLike, censor_code: float = 0
) -> tuple[FloatArray, FloatArray]:
    """Validate times (finite, >= 0) and a status code per row (any value; ``censor_code``
    marks censoring). Raises :class:`SurvivalDataError` naming the first bad position."""
    t = as_float_array(time, "time")
    s = as_float_array(status, "status")
    if t.shape != s.shape:
        raise SurvivalDataError(f"time has {t.size} values but status has {s.size}")
    if t.size == 0:
        raise SurvivalDataError("no observations")
    for name, a in (("time", t), ("status", s)):
        bad = ~np.isfinite(a)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise SurvivalDataError(f"{name} at position {i} is {float(a[i])}; must be finite")
    if (t < 0).any():
        i = int(np.flatnonzero(t < 0)[0])
        raise SurvivalDataError(f"time at position {i} is negative ({float(t[i])})")
    return t, s


@dataclass(frozen=True)
class CIF:
    """Cumulative incidence of one cause at the distinct times that cause occurs."""

    cause: float
    time: FloatArray
    estimate: FloatArray
    variance: FloatArray
    max_time: float

    @property
    def std_err(self) -> FloatArray:
        return np.sqrt(self.variance)

    def at(self, times: ArrayLike) -> pd.DataFrame:
        """Estimate and variance at chosen times (last step at or before each; 0 before)."""
        tt = np.asarray(times, dtype=np.float64)
        idx = np.searchsorted(self.time, tt, side="right") - 1
        est_ext = np.concatenate([[0.0], self.estimate])  # position 0: before the first step
        var_ext = np.concatenate([[0.0], self.variance])
        est = est_ext[idx + 1]
        var = var_ext[idx + 1]
        est = np.where(tt > self.max_time, np.nan, est)
        var = np.where(tt > self.max_time, np.nan, var)
        return pd.DataFrame({"time": tt, "estimate": est, "variance": var})


def cumulative_incidence(
    time: ArrayLike, status: ArrayLike, cause: float, *, censor_code: float = 0
) -> CIF:
    """Cumulative incidence of ``cause`` with cmprsk's variance (``cinc`` routine)."""
    t, s = check_competing(time, status, censor_code)
    order = np.argsort(t, kind="stable")
    t, s = t[order], s[order]
    uniq, first = np.unique(t, return_index=True)
    rs = (t.size - first).astype(np.float64)  # at risk just before each distinct time
    idx = np.searchsorted(uniq, t)
    nd1 = np.bincount(idx, weights=(s == cause).astype(float), minlength=uniq.size).astype(float)
    nd_all = np.bincount(idx, weights=(s != censor_code).astype(float), minlength=uniq.size)
    nd_all = nd_all.astype(float)
    nd2 = nd_all - nd1
    keep = nd_all > 0
    if not keep.any():  # no failures of any cause: the incidence is 0 throughout
        empty = np.zeros(0)
        return CIF(float(cause), empty, empty, empty, float(t[-1]))
    rs, nd1, nd2 = rs[keep], nd1[keep], nd2[keep]
    times = uniq[keep]
    surv_after = np.cumprod((rs - nd1 - nd2) / rs)  # overall KM after each failure time
    fk = np.concatenate([[1.0], surv_after[:-1]])  # KM just before
    fkn = surv_after
    f = np.cumsum(fk * nd1 / rs)

    def t5(nd: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(nd > 1, 1 - (nd - 1) / (rs - 1), 1.0)

    with np.errstate(divide="ignore", invalid="ignore"):
        inv_fkn = np.where(fkn > 0, 1 / fkn, 0.0)
        # other-cause failures (only while the overall KM is positive)
        t6b = np.where((nd2 > 0) & (fkn > 0), fk * fk * t5(nd2) * nd2 / (rs * rs), 0.0)
        t4b = f * inv_fkn
        # failures from the cause of interest
        t6a = np.where(nd1 > 0, fk * fk * t5(nd1) * nd1 / (rs * rs), 0.0)
        t4a = 1 + inv_fkn * f
    v1 = np.cumsum(t4b * t4b * t6b + t4a * t4a * t6a)
    v2 = np.cumsum(inv_fkn * t4b * t6b + inv_fkn * t4a * t6a)
    v3 = np.cumsum(inv_fkn * inv_fkn * t6b + inv_fkn * inv_fkn * t6a)
    var = v1 + f * f * v3 - 2 * f * v2
    at = nd1 > 0
    return CIF(
        cause=float(cause),
        time=times[at],
        estimate=f[at],
        variance=var[at],
        max_time=float(t[-1]),
    )


def cuminc_steps(cif: CIF) -> tuple[FloatArray, FloatArray, FloatArray]:
    """cmprsk's layout: ``time = 0, t1, t1, t2, t2, ..., max_time`` with matching corners."""
    k = cif.time.size
    time = np.empty(2 * k + 2)
    est = np.empty_like(time)
    var = np.empty_like(time)
    time[0], est[0], var[0] = 0.0, 0.0, 0.0
    time[1 : 2 * k + 1 : 2] = cif.time
    time[2 : 2 * k + 2 : 2] = cif.time
    prev_e = np.concatenate([[0.0], cif.estimate[:-1]])
    prev_v = np.concatenate([[0.0], cif.variance[:-1]])
    est[1 : 2 * k + 1 : 2], est[2 : 2 * k + 2 : 2] = prev_e, cif.estimate
    var[1 : 2 * k + 1 : 2], var[2 : 2 * k + 2 : 2] = prev_v, cif.variance
    time[-1] = cif.max_time
    est[-1] = est[-2] if k else 0.0
    var[-1] = var[-2] if k else 0.0
    return time, est, var


@dataclass(frozen=True)
class GrayTestResult:
    """Gray's test for one cause across groups."""

    cause: float
    statistic: float
    df: int
    p_value: float
    groups: list[Hashable]
    rho: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": f"Gray's test (cmprsk cuminc, rho = {self.rho:g})",
            "cause": self.cause,
            "chisq": float(self.statistic),
            "df": self.df,
            "p_value": float(self.p_value),
        }


def gray_test(
    time: ArrayLike,
    status: ArrayLike,
    group: ArrayLike,
    cause: float,
    *,
    censor_code: float = 0,
    rho: float = 0.0,
) -> GrayTestResult:
    """Gray's test that the cumulative incidence of ``cause`` is equal across groups."""
    t, s = check_competing(time, status, censor_code)
    g_series = pd.Series(np.asarray(group, dtype=object))
    if g_series.isna().any():
        i = int(np.flatnonzero(g_series.isna().to_numpy())[0])
        raise SurvivalDataError(f"group at position {i} is missing")
    codes, labels = pd.factorize(g_series, sort=True)
    ng = len(labels)
    if ng < 2:
        raise SurvivalDataError("Gray's test needs at least two groups")
    m = np.where(s == censor_code, 0, np.where(s == cause, 1, 2))
    order = np.argsort(t, kind="stable")
    t, m, ig = t[order], m[order], codes[order]
    score, var = _crst(t, m, ig, ng, rho)
    stat = float(score @ np.linalg.solve(var, score))
    df = ng - 1
    return GrayTestResult(
        cause=float(cause),
        statistic=stat,
        df=df,
        p_value=float(sps.chi2.sf(stat, df)),
        groups=list(labels),
        rho=rho,
    )


def _crst(
    y: FloatArray, m: NDArray[np.int_], ig: NDArray[np.intp], ng: int, rho: float
) -> tuple[FloatArray, FloatArray]:
    """Port of cmprsk's Fortran ``crst``: scores and variance for the first ng-1 groups."""
    ng1 = ng - 1
    rs = np.bincount(ig, minlength=ng).astype(np.float64)
    s = np.zeros(ng1)
    v = np.zeros((ng1, ng1))
    f1m = np.zeros(ng)
    skmm = np.ones(ng)
    v3 = np.zeros(ng)
    v2 = np.zeros((ng1, ng))
    c = np.zeros((ng, ng))
    fm = 0.0
    uniq, first = np.unique(y, return_index=True)
    bounds = np.append(first, y.size)
    for u in range(uniq.size):
        lo, hi = bounds[u], bounds[u + 1]
        d = np.zeros((3, ng))
        np.add.at(d, (m[lo:hi], ig[lo:hi]), 1.0)
        nd1, nd2 = d[1].sum(), d[2].sum()
        if nd1 > 0 or nd2 > 0:
            pos = rs > 0
            skm = skmm.copy()
            f1 = f1m.copy()
            skm[pos] = skmm[pos] * (rs[pos] - d[1, pos] - d[2, pos]) / rs[pos]
            f1[pos] = f1m[pos] + skmm[pos] * d[1, pos] / rs[pos]
            h = np.where(pos, rs / np.where(pos, skmm, 1.0), 0.0)  # rs/skmm
            tr = h.sum()
            tq = np.sum(np.where(pos, rs * (1 - f1m) / np.where(pos, skmm, 1.0), 0.0))
            f = fm + nd1 / tr
            fb = (1 - fm) ** rho
            a = np.where(pos[:, None] & pos[None, :], -fb * np.outer(h, h) / tr, 0.0)
            diag = np.where(pos, fb * h * (1 - h / tr), 0.0)
            np.fill_diagonal(a, diag)
            c += np.where(a != 0, a * nd1 / (tr * (1 - fm)), 0.0)
            s += np.where(
                pos[:ng1],
                fb * (d[1, :ng1] - nd1 * h[:ng1] * (1 - f1m[:ng1]) / tq),
                0.0,
            )
            if nd1 > 0:
                for k in np.flatnonzero(pos).tolist():
                    t4 = 1 - (1 - f) / skm[k] if skm[k] > 0 else 1.0
                    t5 = 1 - (nd1 - 1) / (tr * skmm[k] - 1) if nd1 > 1 else 1.0
                    t3 = t5 * skmm[k] * nd1 / (tr * rs[k])
                    v3[k] += t4 * t4 * t3
                    t1 = a[:ng1, k] - t4 * c[:ng1, k]
                    v2[:, k] += t1 * t4 * t3
                    v += np.outer(t1, t1) * t3
            if nd2 > 0:
                for k in range(ng):
                    if skm[k] <= 0 or d[2, k] <= 0:
                        continue
                    t4 = (1 - f) / skm[k]
                    t5 = 1 - (d[2, k] - 1) / (rs[k] - 1) if d[2, k] > 1 else 1.0
                    t3 = t5 * skmm[k] ** 2 * d[2, k] / rs[k] ** 2
                    v3[k] += t4 * t4 * t3
                    t1 = t4 * c[:ng1, k]
                    v2[:, k] -= t1 * t4 * t3
                    v += np.outer(t1, t1) * t3
            fm = f
            f1m = f1
            skmm = skm
        rs -= np.bincount(ig[lo:hi], minlength=ng)
    cc = c[:ng1, :]
    v += (cc * v3) @ cc.T + cc @ v2.T + v2 @ cc.T
    return s, v


def _label(g: Hashable) -> Any:
    return g.item() if isinstance(g, np.generic) else g


class CumulativeIncidence:
    """Cumulative incidence of every cause (optionally by group) with Gray's tests.

    >>> ci = CumulativeIncidence().fit(pbc, "time", "status", group_col="high_bili")
    ... # doctest: +SKIP
    >>> ci.at([365, 1825]), ci.tests_  # doctest: +SKIP

    Fitted attributes: ``curves_`` ((group, cause) -> :class:`CIF`), ``causes_``, ``groups_``,
    ``tests_`` (DataFrame per cause: chisq, df, p; None without groups), ``n_``,
    ``n_dropped_``.
    """

    def __init__(self, censor_code: float = 0, rho: float = 0.0, time_unit: str = "days") -> None:
        self.censor_code = censor_code
        self.rho = rho
        self.time_unit = time_unit

    def fit(
        self,
        df: pd.DataFrame,
        duration_col: str,
        status_col: str,
        group_col: str | None = None,
        *,
        dropna: bool = False,
    ) -> CumulativeIncidence:
        cols = [duration_col, status_col] + ([group_col] if group_col else [])
        frame = survival_frame(df, cols, dropna=dropna)
        t, s = check_competing(frame.data[duration_col], frame.data[status_col], self.censor_code)
        causes = sorted(float(c) for c in np.unique(s[s != self.censor_code]))
        if not causes:
            raise SurvivalDataError("no failures of any cause")
        if group_col is None:
            labels: list[Hashable] = ["all"]
            codes = np.zeros(t.size, dtype=np.intp)
        else:
            codes_arr, uniques = pd.factorize(frame.data[group_col], sort=True)
            codes, labels = codes_arr.astype(np.intp), list(uniques)
        self.curves_: dict[tuple[Hashable, float], CIF] = {}
        for cause in causes:
            for j, lab in enumerate(labels):
                sel = codes == j
                self.curves_[(lab, cause)] = cumulative_incidence(
                    t[sel], s[sel], cause, censor_code=self.censor_code
                )
        self.causes_ = causes
        self.groups_ = labels
        self.n_ = int(t.size)
        self.n_dropped_ = frame.n_dropped
        if len(labels) > 1:
            rows = []
            for cause in causes:
                res = gray_test(t, s, codes, cause, censor_code=self.censor_code, rho=self.rho)
                rows.append(
                    {"cause": cause, "chisq": res.statistic, "df": res.df, "p": res.p_value}
                )
            self.tests_: pd.DataFrame | None = pd.DataFrame(rows).set_index("cause")
        else:
            self.tests_ = None
        return self

    def at(self, times: Sequence[float]) -> pd.DataFrame:
        """Estimate, variance and SE of every (group, cause) curve at ``times``."""
        parts = []
        for (lab, cause), cif in self.curves_.items():
            tab = cif.at(times)
            tab.insert(0, "cause", cause)
            tab.insert(0, "group", lab)
            parts.append(tab)
        out = pd.concat(parts, ignore_index=True)
        out["std_err"] = np.sqrt(out["variance"])
        return out.set_index(["group", "cause", "time"])

    def to_dict(self, times: Sequence[float] = ()) -> dict[str, Any]:
        curves = []
        for (lab, cause), cif in self.curves_.items():
            entry: dict[str, Any] = {"group": _label(lab), "cause": cause}
            if len(times):
                tab = cif.at(times)
                entry["at"] = [
                    {
                        "time": float(r.time),
                        "time_unit": self.time_unit,
                        "cumulative_incidence": None if np.isnan(r.estimate) else r.estimate,
                        "std_err": None if np.isnan(r.variance) else float(np.sqrt(r.variance)),
                    }
                    for r in tab.itertuples()
                ]
            curves.append(entry)
        tests = None
        if self.tests_ is not None:
            tests = [
                {"cause": c, "chisq": float(r.chisq), "df": int(r.df), "p_value": float(r.p)}
                for c, r in self.tests_.iterrows()
            ]
        return {
            "method": "cumulative incidence (Aalen-Johansen), cmprsk variance; Gray's test",
            "n": self.n_,
            "n_dropped": self.n_dropped_,
            "curves": curves,
            "gray_tests": tests,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Step curves per (group, cause); see :func:`.._survplot.plot_cuminc`."""
        from igfcirrhosis.stats._survplot import plot_cuminc

        return plot_cuminc(self, ax=ax, **kwargs)
