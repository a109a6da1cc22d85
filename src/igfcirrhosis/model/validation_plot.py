"""The validation table and the checks outside it, drawn (``igfc validate-model --plot``, the
web Model page).

Rows have different units, so each validation row is drawn on its own tolerance scale: 0 is the
lower bound, 1 the upper bound, and the model's value is a dot (green inside, red outside;
values beyond -3 or 4 are clipped to the edge and drawn as a triangle). The checks have no
tolerance and are drawn as model / published on a log2 axis, with lines at x0.5, x1 and x2.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Axis limits of the tolerance scale (the band is 0-1).
CLIP = (-3.0, 4.0)
INSIDE, OUTSIDE, NEUTRAL = "#1b7837", "#c51b7d", "#4d4d4d"


def tolerance_position(value: float, lower: float, upper: float) -> float:
    """Where ``value`` falls on the tolerance scale (0 = lower bound, 1 = upper bound)."""
    return (value - lower) / (upper - lower)


def validation_figure(rows: Sequence[dict[str, Any]],
                      checks: Sequence[dict[str, Any]] | None = None) -> Figure:
    """One panel for the validation rows (``validation_table()``), and a second for the checks
    (``checks_table()``) when given."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    panels = 2 if checks else 1
    heights = [len(rows)] + ([len(checks)] if checks else [])
    fig = Figure(figsize=(8.0, 1.2 + 0.22 * sum(heights) + 0.8 * panels))
    axes = fig.subplots(panels, 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    _draw_rows(axes[0], rows)
    if checks:
        _draw_checks(axes[1], checks)
    fig.tight_layout()
    return fig


def _draw_rows(ax: Any, rows: Sequence[dict[str, Any]]) -> None:
    y = np.arange(len(rows))[::-1]
    ax.axvspan(0.0, 1.0, color="#d9f0d3", zorder=0)
    ax.axvline(0.0, color="#7fbf7b", lw=0.8)
    ax.axvline(1.0, color="#7fbf7b", lw=0.8)
    n_in = 0
    for yi, r in zip(y, rows, strict=True):
        exp = r["expected"]
        label = f"{r['id']}  [{exp['lower']:g}-{exp['upper']:g} {r['unit']}]"
        ax.text(CLIP[0] - 0.1, yi, label, ha="right", va="center", fontsize=7)
        if r["simulated"] is None:
            ax.text(0.5, yi, "not computed", ha="center", va="center", fontsize=7,
                    color=OUTSIDE)
            continue
        value = float(r["simulated"])
        pos = tolerance_position(value, exp["lower"], exp["upper"])
        colour = INSIDE if r["within"] else OUTSIDE
        n_in += bool(r["within"])
        clipped = float(np.clip(pos, *CLIP))
        marker = "o" if clipped == pos else ("<" if pos < CLIP[0] else ">")
        ax.plot([clipped], [yi], marker=marker, color=colour, ms=5, ls="none")
        ax.text(CLIP[1] + 0.1, yi, f"{value:.4g}", ha="left", va="center", fontsize=7,
                color=colour)
    ax.set_xlim(*CLIP)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_yticks([])
    ax.set_xlabel("model value on the row's tolerance scale (0 = lower bound, 1 = upper bound)",
                  fontsize=8)
    ax.set_title(f"Validation table: {n_in} of {len(rows)} within tolerance "
                 "(green band; red = outside)", fontsize=9)
    ax.tick_params(labelsize=7)


def _draw_checks(ax: Any, checks: Sequence[dict[str, Any]]) -> None:
    y = np.arange(len(checks))[::-1]
    lim = 3.0
    for x, style in ((0.0, "-"), (-1.0, ":"), (1.0, ":")):
        ax.axvline(x, color="#999999", lw=0.8, ls=style)
    for yi, c in zip(y, checks, strict=True):
        ax.text(-lim - 0.1, yi, f"{c['id']}  [{c['unit']}]", ha="right", va="center",
                fontsize=7)
        if c["ratio"] is None:
            ax.text(0.0, yi, f"model {c['simulated']:.3g} vs {c['published_text']}",
                    ha="center", va="center", fontsize=6, color=NEUTRAL)
            continue
        x = float(np.log2(c["ratio"]))
        clipped = float(np.clip(x, -lim, lim))
        marker = "o" if clipped == x else ("<" if x < -lim else ">")
        ax.plot([clipped], [yi], marker=marker, color=NEUTRAL, ms=5, ls="none")
        ax.text(lim + 0.1, yi, f"x{c['ratio']:.2f}", ha="left", va="center", fontsize=7)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-0.7, len(checks) - 0.3)
    ax.set_yticks([])
    ticks = [-3, -2, -1, 0, 1, 2, 3]
    ax.set_xticks(ticks, [f"x{2.0 ** t:g}" for t in ticks])
    ax.set_xlabel("model / published (log scale; dotted lines at x0.5 and x2)", fontsize=8)
    ax.set_title("Checks outside the table (no tolerance: for the reader to judge)",
                 fontsize=9)
    ax.tick_params(labelsize=7)


def figure_svg(fig: Figure) -> bytes:
    """``fig`` as SVG text (no timestamp), for serving without a file."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def save_validation_figure(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as PNG (150 dpi) or SVG, chosen by the extension; no timestamps, so the
    same model gives the same file."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{path}: expected a .png or .svg file")
    path.parent.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {"Software": None} if suffix == ".png" else {"Date": None}
    fig.savefig(path, dpi=150, metadata=meta, bbox_inches="tight")
    return path
