"""Plots for the survival modules (matplotlib; imported only when a plot is asked for).

- :func:`plot_km`: survminer-style Kaplan-Meier plot: step curves, CI bands, censoring ticks,
  log-rank p-value, median survival lines, and a risk table (numbers at risk) under the plot.
- :func:`plot_forest`: forest plot of hazard ratios with CIs on a log axis.
- :func:`plot_cuminc`: cumulative incidence step curves per group and cause.

Every function takes ``ax=None`` and returns the main ``Axes``; the risk table is a second
Axes in the same figure labelled ``"risk table"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from igfcirrhosis.stats.competing import CumulativeIncidence
    from igfcirrhosis.stats.cox_zph import ZphResult
    from igfcirrhosis.stats.survival import KaplanMeier

__all__ = ["format_p", "plot_cuminc", "plot_forest", "plot_km", "plot_zph"]


def format_p(p: float) -> str:
    """p-value as printed on survminer plots: ``p < 0.0001`` or 2 significant digits."""
    if not np.isfinite(p):
        return "p = NA"
    return "p < 0.0001" if p < 1e-4 else f"p = {p:.2g}"


def _nice_times(t_max: float, n: int = 6) -> np.ndarray:
    from matplotlib.ticker import MaxNLocator

    ticks = np.asarray(MaxNLocator(nbins=n, steps=[1, 2, 2.5, 5, 10]).tick_values(0, t_max))
    return ticks[(ticks >= 0) & (ticks <= t_max)]


def plot_km(
    km: KaplanMeier,
    ax: Axes | None = None,
    *,
    conf_int: bool = True,
    censor_ticks: bool = True,
    show_p: bool = True,
    median_line: bool = True,
    risk_table: bool = True,
    risk_table_times: Sequence[float] | None = None,
    xlabel: str | None = None,
    ylabel: str = "Survival probability",
    title: str | None = None,
) -> Axes:
    import matplotlib.pyplot as plt

    if ax is None:
        ax = plt.figure(figsize=(7, 5.5)).add_axes((0.2, 0.38, 0.76, 0.56))
    fig: Any = ax.figure
    t_max = max(float(c.time[-1]) for c in km.curves_.values() if c.time.size)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = []
    for i, (lab, c) in enumerate(km.curves_.items()):
        color = colors[i % len(colors)]
        name = "all" if km.group_col is None else f"{km.group_col}={lab}"
        labels.append((name, color))
        x = np.concatenate([[0.0], c.time])
        y = np.concatenate([[1.0], c.surv])
        ax.step(x, y, where="post", color=color, label=name)
        if conf_int:
            lo = np.concatenate([[1.0], c.lower])
            hi = np.concatenate([[1.0], c.upper])
            ax.fill_between(x, lo, hi, step="post", color=color, alpha=0.2, linewidth=0)
        if censor_ticks:
            cens = c.n_censor > 0
            ax.plot(
                c.time[cens],
                c.surv[cens],
                linestyle="none",
                marker="+",
                color=color,
                markersize=6,
                label="_censored",
            )
        if median_line:
            from igfcirrhosis.stats.survival import km_quantile

            med = km_quantile(c, 0.5)[0]
            if np.isfinite(med):
                ax.plot(
                    [0, med, med],
                    [0.5, 0.5, 0.0],
                    linestyle="--",
                    color="grey",
                    linewidth=0.8,
                    label="_median",
                )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, t_max * 1.02)
    unit = getattr(km, "time_unit", "")
    ax.set_xlabel(xlabel if xlabel is not None else f"Time ({unit})" if unit else "Time")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if km.group_col is not None:
        ax.legend(loc="upper right", frameon=False, title=km.group_col)
    if show_p and km.logrank_ is not None:
        ax.text(
            0.04,
            0.06,
            f"Log-rank {format_p(km.logrank_.p_value)}",
            transform=ax.transAxes,
            gid="p-value",
        )
    if risk_table:
        times = np.asarray(
            risk_table_times if risk_table_times is not None else _nice_times(t_max), dtype=float
        )
        pos = ax.get_position()
        height = 0.06 + 0.045 * len(labels)
        tab_ax = fig.add_axes(
            (pos.x0, max(pos.y0 - 0.12 - height, 0.01), pos.width, height),
            sharex=ax,
            label="risk table",
        )
        tab = km.risk_table(times)
        for row, ((_name, color), lab) in enumerate(zip(labels, km.curves_, strict=True)):
            yv = len(labels) - 1 - row
            for tt, n in zip(times, tab.loc[lab]["n_risk"], strict=True):
                tab_ax.text(tt, yv, str(int(n)), ha="center", va="center", color=color, fontsize=9)
        tab_ax.set_ylim(-0.5, len(labels) - 0.5)
        short = ["all" if km.group_col is None else str(lab) for lab in km.curves_]
        tab_ax.set_yticks(range(len(labels)), short[::-1])
        tab_ax.tick_params(axis="y", length=0, pad=12)
        for tick, (_, color) in zip(tab_ax.get_yticklabels(), labels[::-1], strict=True):
            tick.set_color(color)
        tab_ax.set_xticks(times)
        tab_ax.tick_params(axis="x", labelbottom=True)
        tab_ax.set_title("Number at risk", fontsize=9, loc="left")
        for side in ("top", "right", "left"):
            tab_ax.spines[side].set_visible(False)
        ax.set_xticks(times)
    return ax


def plot_forest(
    summary: pd.DataFrame,
    ax: Axes | None = None,
    *,
    xlabel: str = "Hazard ratio",
    title: str | None = None,
) -> Axes:
    """Forest plot of ``exp(coef)`` with its CI (columns as ``CoxPH.summary``)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(summary)))
    lo_col = next(c for c in summary.columns if c.startswith("lower"))
    hi_col = next(c for c in summary.columns if c.startswith("upper"))
    y = np.arange(len(summary))[::-1]
    hr = summary["exp(coef)"].to_numpy()
    lo = summary[lo_col].to_numpy()
    hi = summary[hi_col].to_numpy()
    ax.errorbar(
        hr,
        y,
        xerr=[hr - lo, hi - hr],
        fmt="s",
        color="black",
        ecolor="black",
        capsize=3,
        label="hazard ratio",
    )
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(y, [str(i) for i in summary.index])
    for yi, h, a, b, p in zip(y, hr, lo, hi, summary["p"], strict=True):
        ax.annotate(
            f"{h:.2f} ({a:.2f}-{b:.2f}) {format_p(p)}",
            xy=(1.02, yi),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8,
        )
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def plot_cuminc(
    ci: CumulativeIncidence,
    ax: Axes | None = None,
    *,
    xlabel: str | None = None,
    ylabel: str = "Cumulative incidence",
) -> Axes:
    import matplotlib.pyplot as plt

    from igfcirrhosis.stats.competing import cuminc_steps

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    styles = ["-", "--", ":", "-."]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for (lab, cause), cif in ci.curves_.items():
        t, est, _ = cuminc_steps(cif)
        gi = ci.groups_.index(lab)
        ci_idx = ci.causes_.index(cause)
        ax.plot(
            t,
            est,
            color=colors[gi % len(colors)],
            linestyle=styles[ci_idx % len(styles)],
            label=f"{lab}, cause {cause:g}",
        )
    ax.set_ylim(0, 1)
    ax.set_xlabel(xlabel if xlabel is not None else f"Time ({ci.time_unit})")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)
    return ax


def plot_zph(zph: ZphResult, ax: Axes | None = None, *, covariate: str | None = None) -> Axes:
    """Scaled Schoenfeld residuals (points), a lowess smooth (line) and beta (dashed)."""
    import matplotlib.pyplot as plt
    from statsmodels.nonparametric.smoothers_lowess import lowess

    name = covariate if covariate is not None else zph.names[0]
    if name not in zph.names:
        raise ValueError(f"{name!r} is not a covariate of the model ({', '.join(zph.names)})")
    j = zph.names.index(name)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    x, y = zph.g_time, zph.scaled[:, j]
    ax.plot(
        x,
        y,
        linestyle="none",
        marker="o",
        markersize=3,
        alpha=0.5,
        color="grey",
        label="scaled Schoenfeld residual",
    )
    if x.size > 3:
        smooth = lowess(y, x, frac=2 / 3, return_sorted=True)
        ax.plot(smooth[:, 0], smooth[:, 1], color="C0", label="lowess")
    ax.axhline(zph.coef[j], linestyle="--", color="C3", linewidth=1, label="coefficient")
    p = float(zph.table.loc[name, "p"])
    ax.set_title(f"{name}: Schoenfeld test {format_p(p)}")
    ax.set_xlabel(f"Time ({zph.transform} scale)")
    ax.set_ylabel(f"Beta(t) for {name}")
    return ax
