"""Table 1: patient characteristics by group, with the test each row needs (as R would give).

**Rules, named in the output** (``summary_rule`` / ``test_rule``):

- Continuous variable, ``summary="auto"`` (rule ``"shapiro-wilk-per-group"``): if every group
  has 3..5000 values and Shapiro-Wilk p >= ``normality_alpha`` (0.05) in every group, the row shows
  mean (SD) and is tested by one-way ANOVA (R ``oneway.test(var.equal = TRUE)``); otherwise it
  shows median (IQR, R's default type-7 quartiles) and is tested by Kruskal-Wallis
  (R ``kruskal.test``). ``summary="mean"`` / ``"median"`` forces either.
- Categorical variable: n (%) of the non-missing values in each group. Test: Pearson's
  chi-square (R ``chisq.test``, Yates' continuity correction for 2x2 tables as in R) unless
  any expected count is < 5, then Fisher's exact test (rule ``"expected<5->fisher"``). Fisher's
  r x c p-value is computed by full enumeration of the tables with the observed margins, with
  R's relative tolerance 1e-7 for ties in probability (R ``fisher.test``).
- Trend across ordered groups (``ordered=True``): Jonckheere-Terpstra (normal approximation,
  ties-corrected variance, Hollander & Wolfe 1999; exact permutation p for small samples) and
  Cuzick's (1985) rank test for trend with group scores 1..k (ties-corrected variance).

Missing values are never dropped silently: each row reports ``n_missing`` (values missing in the
variable) and the table reports the rows with a missing group (``n_missing_group_``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from igfcirrhosis.stats.roc import DiagnosticDataError, DiagnosticWarning, numeric_column

__all__ = [
    "Table1",
    "proportion_trend_test",
    "TrendResult",
    "cuzick_test",
    "fisher_exact_rxc",
    "jonckheere_terpstra",
]

FloatArray = NDArray[np.float64]
FISHER_MAX_TABLES = 2_000_000


# --- Fisher's exact test, r x c ----------------------------------------------------------------


def _compositions(total: int, caps: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """All vectors x with sum(x) = total and 0 <= x_i <= caps_i."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest = sum(caps[1:])
    for x in range(max(0, total - rest), min(caps[0], total) + 1):
        for tail in _compositions(total - x, caps[1:]):
            yield (x, *tail)


def _partial_tables(
    col_totals: Sequence[int], rows: NDArray[np.int64], max_tables: int
) -> tuple[NDArray[np.int64], FloatArray]:
    """Every filling of the given columns compatible with the row sums: the row sums used so
    far (K x r) and sum of -log(n_ij!) over the filled cells (K)."""
    r = rows.size
    used = np.zeros((1, r), dtype=np.int64)
    lp = np.zeros(1)
    for total in col_totals:
        comp = np.array(list(_compositions(int(total), rows.tolist())), dtype=np.int64)
        if used.shape[0] * comp.shape[0] > max_tables:
            raise DiagnosticDataError(
                f"Fisher exact test: more than {max_tables} partial tables to enumerate"
            )
        g = -special.gammaln(comp + 1).sum(axis=1)
        new_used = used[:, None, :] + comp[None, :, :]
        ok = (new_used <= rows).all(axis=-1)
        used = new_used[ok]
        lp = (lp[:, None] + g[None, :])[ok]
    return used, lp


def fisher_exact_rxc(table: ArrayLike, max_tables: int = FISHER_MAX_TABLES) -> float:
    """Two-sided Fisher exact p-value of an r x c table, as R's ``fisher.test``: the total
    probability of all tables with the observed margins whose probability is <= that of the
    observed table (relative tolerance 1e-7).

    Exact by meet-in-the-middle enumeration: the columns are split in two halves, every filling
    of each half is enumerated (at most ``max_tables`` each, else :class:`DiagnosticDataError`),
    fillings are matched on the row sums they use, and the tables at most as probable as the
    observed one are summed with sorted prefix sums."""
    t = np.asarray(table)
    if t.ndim != 2 or np.any(t < 0) or np.any(t != np.round(t)):
        raise DiagnosticDataError("fisher_exact_rxc needs a 2-d table of non-negative counts")
    t = t.astype(np.int64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 1.0
    if t.shape[0] > t.shape[1]:
        t = t.T
    rows = t.sum(axis=1)
    cols = t.sum(axis=0)
    n = int(t.sum())
    const = float(special.gammaln(np.concatenate([rows, cols]) + 1).sum() - special.gammaln(n + 1))
    thr = float(-special.gammaln(t + 1).sum()) + np.log1p(1e-7)  # a + b <= thr
    half = cols.size // 2
    used_a, a = _partial_tables(cols[:half], rows, max_tables)
    used_b, b = _partial_tables(cols[half:], rows, max_tables)
    dims = tuple(int(v) + 1 for v in rows)
    key_a = np.asarray(np.ravel_multi_index(tuple(used_a.T), dims), dtype=np.float64)
    key_b = np.asarray(
        np.ravel_multi_index(tuple(rows[:, None] - used_b.T), dims), dtype=np.float64
    )
    order = np.lexsort((a, key_a))
    key_s: FloatArray = key_a[order]
    a_s: FloatArray = a[order]
    frame = pd.DataFrame({"key": key_s, "a": a_s})
    amax = frame.groupby("key", sort=False)["a"].transform("max").to_numpy()
    csum = frame.assign(w=np.exp(a_s - amax)).groupby("key", sort=False)["w"].cumsum().to_numpy()
    pairs = key_s + 1j * a_s  # complex numbers sort lexicographically: (key, a)
    idx = np.searchsorted(pairs, key_b + 1j * (thr - b), side="right")
    start = np.searchsorted(key_s, key_b, side="left")
    hit = idx > start
    last = idx[hit] - 1
    p = np.sum(np.exp(const + b[hit] + amax[last]) * csum[last])
    return float(min(1.0, p))


# --- trend tests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendResult:
    """A trend statistic with its null mean and variance, z and two-sided p."""

    name: str
    statistic: float
    mean: float
    var: float
    z: float
    p_value: float
    method: str
    n: int


def _clean(values: ArrayLike, groups: ArrayLike) -> tuple[FloatArray, NDArray[np.int64], int]:
    x = np.asarray(values, dtype=np.float64)
    g = np.asarray(groups, dtype=np.float64)
    if x.shape != g.shape:
        raise DiagnosticDataError("values and groups differ in length")
    ok = ~(np.isnan(x) | np.isnan(g))
    levels, codes = np.unique(g[ok], return_inverse=True)
    if levels.size < 2:
        raise DiagnosticDataError("a trend test needs at least two groups")
    return x[ok], codes.astype(np.int64), int((~ok).sum())


def _jt_statistic(x: FloatArray, codes: NDArray[np.int64]) -> float:
    k = int(codes.max()) + 1
    j = 0.0
    for a in range(k):
        xa = np.sort(x[codes == a])
        for b in range(a + 1, k):
            xb = x[codes == b]
            lt = np.searchsorted(xa, xb, side="left")  # number of xa < each xb
            le = np.searchsorted(xa, xb, side="right")
            j += float(lt.sum() + 0.5 * (le - lt).sum())
    return j


def _multiset_permutations(codes: NDArray[np.int64]) -> Iterator[NDArray[np.int64]]:
    """Every distinct arrangement of the group labels (N! / prod n_i! of them)."""
    n = codes.size
    counts = np.bincount(codes)

    def rec(pos: int, left: NDArray[np.int64], cur: list[int]) -> Iterator[list[int]]:
        if pos == n:
            yield cur
            return
        for g in range(left.size):
            if left[g]:
                left[g] -= 1
                cur.append(g)
                yield from rec(pos + 1, left, cur)
                cur.pop()
                left[g] += 1

    for perm in rec(0, counts.copy(), []):
        yield np.asarray(perm, dtype=np.int64)


def _n_arrangements(codes: NDArray[np.int64]) -> int:
    counts = np.bincount(codes)
    return math.factorial(codes.size) // math.prod(math.factorial(int(c)) for c in counts)


def jonckheere_terpstra(
    values: ArrayLike,
    groups: ArrayLike,
    method: Literal["auto", "normal", "exact"] = "auto",
    max_exact: int = 200_000,
) -> TrendResult:
    """Jonckheere-Terpstra test for an ordered alternative (groups sorted by their value).

    J = sum over group pairs a < b of #(x_a < x_b) + 1/2 #(x_a == x_b). Under H0,
    E(J) = (N^2 - sum n_i^2) / 4 and, with tie groups of sizes t,
    Var(J) = [N(N-1)(2N+5) - sum n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 72
             + [sum n(n-1)(n-2)][sum t(t-1)(t-2)] / [36 N(N-1)(N-2)]
             + [sum n(n-1)][sum t(t-1)] / [8 N(N-1)]          (Hollander & Wolfe 1999).
    ``method="exact"`` (or ``"auto"`` with at most ``max_exact`` arrangements) enumerates every
    arrangement of the group labels: p = P(|J - E| >= |J_obs - E|)."""
    x, codes, _ = _clean(values, groups)
    nn = float(x.size)
    ni = np.bincount(codes).astype(np.float64)
    _, ti = np.unique(x, return_counts=True)
    ti = ti.astype(np.float64)
    j = _jt_statistic(x, codes)
    mean = (nn**2 - np.sum(ni**2)) / 4
    var = (
        (nn * (nn - 1) * (2 * nn + 5) - np.sum(ni * (ni - 1) * (2 * ni + 5))
         - np.sum(ti * (ti - 1) * (2 * ti + 5))) / 72
        + np.sum(ni * (ni - 1) * (ni - 2)) * np.sum(ti * (ti - 1) * (ti - 2))
        / (36 * nn * (nn - 1) * (nn - 2))
        + np.sum(ni * (ni - 1)) * np.sum(ti * (ti - 1)) / (8 * nn * (nn - 1))
    )  # fmt: skip
    z = (j - mean) / np.sqrt(var) if var > 0 else 0.0
    exact = method == "exact" or (method == "auto" and _n_arrangements(codes) <= max_exact)
    if method not in ("auto", "normal", "exact"):
        raise DiagnosticDataError(f"method must be 'auto', 'normal' or 'exact', not {method!r}")
    if exact:
        dist = np.array([_jt_statistic(x, p) for p in _multiset_permutations(codes)])
        p = float(np.mean(np.abs(dist - mean) >= abs(j - mean) - 1e-9))
        how = "exact permutation distribution"
    else:
        p = float(2 * stats.norm.sf(abs(z)))
        how = "normal approximation, ties-corrected variance"
    return TrendResult("Jonckheere-Terpstra", j, float(mean), float(var), float(z), p, how, int(nn))


def cuzick_test(values: ArrayLike, groups: ArrayLike) -> TrendResult:
    """Cuzick's (1985) Wilcoxon-type test for trend, group scores 1..k in the groups' order.

    T = sum_i l_i R_i (R_i: sum of mid-ranks in group i); E(T) = (N + 1)/2 sum l_i n_i;
    Var(T) = (N + 1)/12 [N sum l_i^2 n_i - (sum l_i n_i)^2], multiplied by
    1 - sum(t^3 - t)/(N^3 - N) for ties (t: sizes of tied groups). Normal approximation."""
    x, codes, _ = _clean(values, groups)
    nn = float(x.size)
    ranks = stats.rankdata(x)
    li = np.arange(1, int(codes.max()) + 2, dtype=np.float64)
    ni = np.bincount(codes).astype(np.float64)
    t = float(np.sum(li[codes] * ranks))
    mean = (nn + 1) / 2 * np.sum(li * ni)
    var = (nn + 1) / 12 * (nn * np.sum(li**2 * ni) - np.sum(li * ni) ** 2)
    _, ti = np.unique(x, return_counts=True)
    var *= 1 - np.sum(ti.astype(np.float64) ** 3 - ti) / (nn**3 - nn)
    z = (t - mean) / np.sqrt(var) if var > 0 else 0.0
    return TrendResult(
        "Cuzick",
        t,
        float(mean),
        float(var),
        float(z),
        float(2 * stats.norm.sf(abs(z))),
        "normal approximation, ties-corrected variance",
        int(nn),
    )


def proportion_trend_test(
    events: ArrayLike, totals: ArrayLike, scores: ArrayLike | None = None
) -> TrendResult:
    """Chi-square test for trend in proportions (Cochran-Armitage, no continuity correction;
    R's ``prop.trend.test``). ``events[i]`` of ``totals[i]`` in ordered group i, with group
    ``scores`` (default 1..k). ``statistic`` is the 1-df chi-square; ``z`` its signed root
    (positive when the proportion rises with the score)."""
    x = np.asarray(events, dtype=np.float64)
    n = np.asarray(totals, dtype=np.float64)
    sc = (
        np.arange(1, x.size + 1, dtype=np.float64)
        if scores is None
        else np.asarray(scores, dtype=np.float64)
    )
    if not (x.shape == n.shape == sc.shape) or np.any(x < 0) or np.any(x > n):
        raise DiagnosticDataError("events, totals and scores must match and 0 <= events <= totals")
    big_n = n.sum()
    p = x.sum() / big_n
    u = float(np.sum(sc * (x - n * p)))
    var = float(p * (1 - p) * (np.sum(n * sc**2) - np.sum(n * sc) ** 2 / big_n))
    chisq = u**2 / var if var > 0 else 0.0
    z = float(np.sign(u) * np.sqrt(chisq))
    return TrendResult(
        "chi-square for trend in proportions",
        chisq,
        0.0,
        var,
        z,
        float(stats.chi2.sf(chisq, 1)),
        "Cochran-Armitage, 1 df",
        int(big_n),
    )


# --- Table 1 ----------------------------------------------------------------------------


def _label(v: Any) -> str:
    """A group or category label: 1.0 -> "1", "f" -> "f"."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _fmt(v: float, digits: int) -> str:
    return "NA" if not np.isfinite(v) else f"{v:.{digits}f}"


def _is_normal(groups: list[FloatArray], alpha: float) -> tuple[bool, list[float]]:
    ps: list[float] = []
    for g in groups:
        if not 3 <= g.size <= 5000 or np.ptp(g) == 0:
            return False, ps
        ps.append(float(stats.shapiro(g).pvalue))
    return all(p >= alpha for p in ps), ps


class Table1:
    """Characteristics by group.

    >>> t1 = Table1().fit(pbc, "stage", continuous=["age", "albumin"],
    ...                   categorical=["sex", "ascites"], ordered=True)
    >>> t1.table_   # one row per variable (and level), a column per group, p and test

    ``table_`` holds display strings; ``summary`` (alias ``tests_``) one row per variable with
    the numbers: test, statistic, df, p, trend tests, rules used and missing counts.
    """

    def fit(
        self,
        df: pd.DataFrame,
        group_col: str,
        continuous: Sequence[str] = (),
        categorical: Sequence[str] = (),
        ordered: bool = False,
        summary: Literal["auto", "mean", "median"] | dict[str, str] = "auto",
        normality_alpha: float = 0.05,
        digits: int = 2,
        group_order: Sequence[Any] | None = None,
        fisher_max_tables: int = FISHER_MAX_TABLES,
    ) -> Table1:
        """``group_order`` fixes the column order and, with ``ordered=True``, the order the
        trend tests assume (default: sorted group values). If Fisher's test would need more
        than ``fisher_max_tables`` partial tables, the chi-square test is reported instead,
        with a :class:`DiagnosticWarning` and the test named ``"chi-square (Fisher
        infeasible)"``."""
        self._fisher_max = fisher_max_tables
        if group_col not in df.columns:
            raise DiagnosticDataError(f"column {group_col!r} not found")
        for c in (*continuous, *categorical):
            if c not in df.columns:
                raise DiagnosticDataError(f"column {c!r} not found; columns are {list(df.columns)}")
        gser = df[group_col]
        keep = gser.notna().to_numpy()
        self.n_missing_group_ = int((~keep).sum())
        data = df.loc[keep]
        present = data[group_col].unique().tolist()
        if group_order is None:
            levels = sorted(present)
        else:
            levels = list(group_order)
            extra = [v for v in present if v not in levels]
            if extra:
                raise DiagnosticDataError(
                    f"column {group_col!r}: value {extra[0]!r} is not in group_order {levels}"
                )
        if len(levels) < 2:
            raise DiagnosticDataError(f"column {group_col!r}: need at least two groups")
        self.group_col, self.levels_, self.ordered = group_col, levels, ordered
        gcodes = data[group_col].map({lv: i for i, lv in enumerate(levels)}).to_numpy()
        self.n_by_group_ = {_label(lv): int(np.sum(gcodes == i)) for i, lv in enumerate(levels)}
        display: list[dict[str, Any]] = []
        tests: list[dict[str, Any]] = []
        for col in continuous:
            how = summary.get(col, "auto") if isinstance(summary, dict) else summary
            d, t = self._continuous(data, col, gcodes, how, normality_alpha, digits)
            display.append(d)
            tests.append(t)
        for col in categorical:
            d_rows, t = self._categorical(data, col, gcodes)
            display.extend(d_rows)
            tests.append(t)
        header = {"variable": f"n (missing {group_col}: {self.n_missing_group_})", "level": ""}
        header.update({_label(lv): str(self.n_by_group_[_label(lv)]) for lv in levels})
        header.update({"overall": str(int(keep.sum())), "p": "", "test": "", "missing": ""})
        self.table_ = pd.DataFrame([header, *display]).set_index(["variable", "level"])
        self.tests_ = pd.DataFrame(tests).set_index("variable")
        return self

    def _continuous(
        self,
        data: pd.DataFrame,
        col: str,
        gcodes: NDArray[Any],
        how: str,
        alpha: float,
        digits: int,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        x = numeric_column(data, col)
        ok = ~np.isnan(x)
        groups = [x[ok & (gcodes == i)] for i in range(len(self.levels_))]
        normal, shapiro_ps = _is_normal(groups, alpha)
        if how not in ("auto", "mean", "median"):
            raise DiagnosticDataError(f"summary for {col!r} must be auto/mean/median, not {how!r}")
        use_mean = normal if how == "auto" else how == "mean"
        row: dict[str, Any] = {
            "variable": col,
            "level": "mean (SD)" if use_mean else "median (IQR)",
        }

        def cell(v: FloatArray) -> str:
            if v.size == 0:
                return "NA"
            if use_mean:
                sd = float(v.std(ddof=1)) if v.size > 1 else float("nan")
                return f"{_fmt(v.mean(), digits)} ({_fmt(sd, digits)})"
            q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
            return f"{_fmt(med, digits)} ({_fmt(q1, digits)}-{_fmt(q3, digits)})"

        for lv, g in zip(self.levels_, groups, strict=True):
            row[_label(lv)] = cell(g)
        row["overall"] = cell(x[ok])
        nonempty = [g for g in groups if g.size > 0]
        testable = len(nonempty) >= 2 and np.unique(x[ok]).size > 1
        if use_mean and testable and sum(g.size for g in nonempty) > len(nonempty):
            res = stats.f_oneway(*nonempty)
            test, stat, df_ = "one-way ANOVA", float(res.statistic), len(nonempty) - 1
            p = float(res.pvalue)
        elif not use_mean and testable:
            res = stats.kruskal(*nonempty)
            test, stat, df_ = "Kruskal-Wallis", float(res.statistic), len(nonempty) - 1
            p = float(res.pvalue)
        else:  # one group with data, or a constant variable: nothing to test
            test, stat, df_, p = "none (not testable)", float("nan"), 0, float("nan")
        row.update({"p": _fmt_p(p), "test": test, "missing": str(int((~ok).sum()))})
        t: dict[str, Any] = {
            "variable": col,
            "type": "continuous",
            "test": test,
            "statistic": stat,
            "df": df_,
            "p": p,
            "summary_rule": "shapiro-wilk-per-group" if how == "auto" else f"forced {how}",
            "shapiro_p_min": min(shapiro_ps) if len(shapiro_ps) == len(groups) else None,
            "n_missing": int((~ok).sum()),
        }
        if self.ordered:
            jt = jonckheere_terpstra(x, np.where(ok, gcodes, np.nan), method="normal")
            cz = cuzick_test(x, np.where(ok, gcodes, np.nan))
            t.update(
                {
                    "jt_statistic": jt.statistic,
                    "jt_z": jt.z,
                    "jt_p": jt.p_value,
                    "cuzick_z": cz.z,
                    "cuzick_p": cz.p_value,
                }
            )
        return row, t

    def _categorical(
        self, data: pd.DataFrame, col: str, gcodes: NDArray[Any]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        s = data[col]
        ok = s.notna().to_numpy()
        cats = sorted(s[ok].unique().tolist(), key=lambda v: (str(type(v)), v))
        k = len(self.levels_)
        counts = np.array(
            [
                [int(np.sum((s.to_numpy() == c) & ok & (gcodes == i))) for i in range(k)]
                for c in cats
            ]
        )
        rows = []
        for c, cnt in zip(cats, counts, strict=True):
            row: dict[str, Any] = {"variable": col, "level": f"{_label(c)}, n (%)"}
            for i, lv in enumerate(self.levels_):
                tot = counts[:, i].sum()
                row[_label(lv)] = f"{cnt[i]} ({100 * cnt[i] / tot:.1f})" if tot else "0 (NA)"
            row["overall"] = f"{cnt.sum()} ({100 * cnt.sum() / counts.sum():.1f})"
            row.update({"p": "", "test": "", "missing": ""})
            rows.append(row)
        tab = counts[:, counts.sum(axis=0) > 0]
        t: dict[str, Any] = {
            "variable": col,
            "type": "categorical",
            "n_missing": int((~ok).sum()),
            "test_rule": "expected<5->fisher",
        }
        if tab.shape[0] < 2 or tab.shape[1] < 2:
            t.update({"test": "none (one category)", "statistic": None, "df": None, "p": None})
            p = float("nan")
        else:
            chi = stats.chi2_contingency(tab, correction=True)
            if np.any(chi.expected_freq < 5):
                try:
                    p = fisher_exact_rxc(tab, max_tables=self._fisher_max)
                except DiagnosticDataError as exc:
                    warnings.warn(
                        f"{col}: {exc}; reporting the chi-square test although an expected "
                        "count is < 5",
                        DiagnosticWarning,
                        stacklevel=3,
                    )
                    p = float(chi.pvalue)
                    t.update(
                        {
                            "test": "chi-square (Fisher infeasible)",
                            "statistic": float(chi.statistic),
                            "df": int(chi.dof),
                            "p": p,
                        }
                    )
                else:
                    t.update({"test": "Fisher exact", "statistic": None, "df": None, "p": p})
                t["min_expected"] = float(chi.expected_freq.min())
            else:
                p = float(chi.pvalue)
                test = "chi-square (Yates)" if tab.shape == (2, 2) else "chi-square"
                t.update(
                    {
                        "test": test,
                        "statistic": float(chi.statistic),
                        "df": int(chi.dof),
                        "p": p,
                        "min_expected": float(chi.expected_freq.min()),
                    }
                )
        if self.ordered and len(cats) == 2 and counts.sum() > 0:
            tr = proportion_trend_test(counts[1], counts.sum(axis=0))
            t.update(
                {
                    "trend_test": f"trend in proportions of {_label(cats[1])}",
                    "trend_chisq": tr.statistic,
                    "trend_p": tr.p_value,
                }
            )
        rows[0].update({"p": _fmt_p(p), "test": t["test"], "missing": str(t["n_missing"])})
        return rows, t

    @property
    def summary(self) -> pd.DataFrame:
        return self.tests_

    def to_dict(self) -> dict[str, Any]:
        def clean(v: Any) -> Any:
            if isinstance(v, (float, np.floating)):
                return None if not np.isfinite(v) else float(v)
            if isinstance(v, np.integer):
                return int(v)
            return v

        return {
            "group": self.group_col,
            "levels": [_label(v) for v in self.levels_],
            "n_by_group": self.n_by_group_,
            "n_missing_group": self.n_missing_group_,
            "rules": {
                "continuous": "mean (SD) + ANOVA if Shapiro-Wilk p >= alpha in every group, "
                "else median (IQR) + Kruskal-Wallis",
                "categorical": "chi-square unless an expected count < 5, then Fisher exact",
                "trend": "Jonckheere-Terpstra and Cuzick (normal approximation), trend in "
                "proportions for binary rows (ordered groups)"
                if self.ordered
                else None,
            },
            "variables": [
                {k: clean(v) for k, v in row.items()}
                for row in self.tests_.reset_index().to_dict(orient="records")
            ],
        }


def _fmt_p(p: float) -> str:
    if not np.isfinite(p):
        return ""
    return "<0.001" if p < 0.001 else f"{p:.3f}"
