"""Figures: matplotlib (Agg, no pyplot state), saved as SVG and 300-dpi PNG.

SVG output is made reproducible (fixed hash salt, no date metadata) so a figure drawn twice is
byte-identical; the report embeds the SVG inline.

Figures are drawn in English; :func:`save_figure` with ``language="zh"`` translates every label
it knows (:data:`FIGURE_LABELS_EN`, patterns keyed like ``messages_zh.FIGURE_LABELS_ZH``) and sets
a CJK font (:func:`cjk_font`) as fallback after DejaVu Sans. Without a CJK font the labels stay
English (never tofu boxes) and the report says so.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_DPI = 300

#: CJK fonts in order of preference (the Debian packages fonts-noto-cjk, fonts-wqy-microhei,
#: fonts-wqy-zenhei, fonts-arphic-uming and fonts-droid-fallback provide them)
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Sans CJK JP",
)

#: every English label the figures draw, as patterns ({name} matches any text); the Chinese
#: catalogue is messages_zh.FIGURE_LABELS_ZH with the same keys and placeholders
FIGURE_LABELS_EN: dict[str, str] = {
    "schoenfeld_x": "Time ({scale} scale)",
    "time_unit": "Time ({unit})",
    "time": "Time",
    "survival_probability": "Survival probability",
    "number_at_risk": "Number at risk",
    "cum_events": "Cumulative number of events",
    "cum_censored": "Cumulative number censored",
    "logrank_p": "Log-rank {p}",
    "hazard_ratio": "Hazard ratio",
    "harrell_c": "Harrell's C (95% CI)",
    "base_model": "base model",
    "full_model": "full model",
    "maxstat_y": "standardised log-rank statistic",
    "maxstat_title": "cut-point {cut} (maximally selected log-rank statistic)",
    "cut_km_title": "{marker} split at the data-derived cut-point {cut} (no p-value: optimistic)",
    "one_minus_spec": "1 - specificity",
    "sensitivity": "sensitivity",
    "specificity": "specificity",
    "proportion_exact": "proportion (95% exact CI)",
    "proportion_cp": "proportion ({level}% Clopper-Pearson CI)",
    "auc_label": "{marker} (AUC {auc})",
    "roc_title": "ROC: {outcome}",
    "youden_label": "Youden cut-point {cut}",
    "cumulative_incidence": "Cumulative incidence",
    "odds_ratio": "odds ratio",
    "odds_ratios_title": "odds ratios: {outcome}",
    "patients": "patients",
    "mean_difference": "mean difference",
    "mean": "mean",
    "logistic": "logistic",
    "either": "either",
    "both": "both",
    "all": "all",
    "risk_table": "risk table",
    "cause_transplant": "{group}, transplant",
    "cause_death": "{group}, death",
    "cause_code": "{group}, cause {code}",
    "schoenfeld_title": "{name}: Schoenfeld test {p}",
    "schoenfeld_y": "Beta(t) for {name}",
    "schoenfeld_resid": "scaled Schoenfeld residual",
    "coefficient": "coefficient",
}


@functools.cache
def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS` (matplotlib's font list), or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None:
        # matplotlib caches its font list (~/.cache/matplotlib): a font installed after the
        # cache was written is missing from it, so look at the system's font files once.
        found = _add_uncached_cjk_fonts(font_manager)
    return found


def _add_uncached_cjk_fonts(font_manager: Any) -> str | None:
    """Register system CJK font files missing from matplotlib's cached list; the best name."""
    added: set[str] = set()
    for path in font_manager.findSystemFonts():
        try:
            name = font_manager.get_font(path).family_name
        except (OSError, RuntimeError, ValueError):
            continue
        if name in CJK_FONTS:
            font_manager.fontManager.addfont(path)
            added.add(name)
    return next((name for name in CJK_FONTS if name in added), None)


def figure_label(label: str, language: str = "en") -> str:
    """One figure label in ``language`` (unchanged when no pattern matches)."""
    from igfcirrhosis.analysis import messages

    lang = messages.normalize_language(language)
    if lang == "en" or not label.strip():
        return label
    target = messages.FIGURE_LABELS[lang]
    found = messages.translate_pattern(label, FIGURE_LABELS_EN, target, lang)
    return label if found is None else found


def localize_figure(fig: Figure, language: str = "en") -> bool:
    """Translate the labels of ``fig`` into ``language`` in place, with a CJK font for Chinese.

    Returns False (and leaves the figure English) when Chinese is asked for and no CJK font is
    installed, so that no label is drawn as empty boxes."""
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    from igfcirrhosis.analysis import messages

    lang = messages.normalize_language(language)
    if lang == "en":
        return True
    font = cjk_font()
    if font is None:
        return False
    for ax in fig.axes:  # tick labels given as text are redrawn from their formatter
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, FixedFormatter):
                fmt.seq = [figure_label(str(v), lang) for v in fmt.seq]
            elif isinstance(fmt, FuncFormatter):  # set_ticks(ticks, labels) in matplotlib 3.10+
                axis.set_major_formatter(_translated(fmt, lang))
    for txt in fig.findobj(Text):
        label = txt.get_text()
        new = figure_label(label, lang)
        if new != label:
            txt.set_text(new)
        txt.set_fontfamily(["DejaVu Sans", font])
    return True


def new_figure(width: float = 6.4, height: float = 4.6) -> Figure:
    """A figure not registered with pyplot (nothing to close, no global state)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _translated(fmt: Any, language: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    inner = fmt.func
    return FuncFormatter(lambda v, pos: figure_label(str(inner(v, pos)), language))


def save_figure(
    fig: Figure, directory: Path, stem: str, language: str = "en"
) -> tuple[Path, Path, str]:
    """Write ``stem.svg`` and ``stem.png`` (300 dpi) with labels in ``language`` (see
    :func:`localize_figure`); return both paths and the SVG text."""
    import matplotlib

    localize_figure(fig, language)
    directory.mkdir(parents=True, exist_ok=True)
    svg_path, png_path = directory / f"{stem}.svg", directory / f"{stem}.png"
    with matplotlib.rc_context({"svg.hashsalt": "igfcirrhosis", "svg.fonttype": "path"}):
        fig.savefig(svg_path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    fig.savefig(png_path, format="png", dpi=PNG_DPI, bbox_inches="tight",
                metadata={"Software": None})  # fmt: skip
    text = svg_path.read_text(encoding="utf-8")
    start = text.find("<svg")
    return svg_path, png_path, text[start:] if start >= 0 else text


def accuracy_plot(rows: list[tuple[str, Any]], title: str) -> Figure:
    """Dot plot of sensitivity and specificity (exact CIs) for each named Accuracy."""
    fig = new_figure(6.4, 0.9 + 0.55 * len(rows))
    ax = fig.add_subplot(1, 1, 1)
    for k, (_name, acc) in enumerate(rows):
        y = len(rows) - 1 - k
        for off, what, color in ((0.12, "sensitivity", "C0"), (-0.12, "specificity", "C1")):
            p = getattr(acc, what)
            ax.errorbar([p.estimate], [y + off], xerr=[[p.estimate - p.lower],
                        [p.upper - p.estimate]], fmt="o", color=color,
                        label=what if k == 0 else "_nolegend_", capsize=3)  # fmt: skip
    ax.set_yticks(range(len(rows)), [n for n, _ in rows][::-1])
    ax.set_xlim(0, 1)
    ax.set_xlabel("proportion (95% exact CI)")
    ax.set_title(title)
    ax.legend(loc="lower left", frameon=False)
    return fig


def nice_times(t_max: float, n: int = 6) -> list[float]:
    """Round tick times from 0 to ``t_max`` (the risk-table columns)."""
    from matplotlib.ticker import MaxNLocator

    ticks = MaxNLocator(nbins=n, steps=[1, 2, 2.5, 5, 10]).tick_values(0, t_max)
    return [float(t) for t in ticks if 0 <= t <= t_max]


def km_figure(km: Any, title: str | None, *, show_p: bool = True) -> Figure:
    """survminer-style Kaplan-Meier figure: curves, CI bands, censor ticks, log-rank p and median
    lines (drawn by ``stats._survplot.plot_km``), and under it three tables at the same times:
    number at risk, cumulative number of events, cumulative number censored."""
    k = len(km.curves_)
    tab_in = 0.3 * k + 0.25  # height of one table, inches
    gap_in = 0.55
    main_in, top_in, below_main_in = 3.8, 0.45, 0.75
    h = top_in + main_in + below_main_in + 3 * (tab_in + gap_in)
    fig = new_figure(7.5, h)
    ax = fig.add_axes((0.2, 1 - (top_in + main_in) / h, 0.76, main_in / h))
    t_max = max(float(c.time[-1]) for c in km.curves_.values() if c.time.size)
    times = nice_times(t_max)
    km.plot(ax=ax, title=title, risk_table=False, show_p=show_p)
    if km.group_col is not None:  # legend entries "1", "bili > 2" rather than "stage=1"
        handles, labels = ax.get_legend_handles_labels()
        prefix = f"{km.group_col}="
        title = None if km.group_col == "group" else km.group_col
        ax.legend(handles, [lab.removeprefix(prefix) for lab in labels], frameon=False,
                  loc="upper right", title=title)  # fmt: skip
    ax.set_xticks(times)
    tab = km.risk_table(times)
    names = ["all" if km.group_col is None else str(lab) for lab in km.curves_]
    y_top = 1 - (top_in + main_in + below_main_in) / h
    headings = (("n_risk", "Number at risk"), ("cum_events", "Cumulative number of events"),
                ("cum_censored", "Cumulative number censored"))  # fmt: skip
    for j, (column, heading) in enumerate(headings):
        top = y_top - j * (tab_in + gap_in) / h
        tax = fig.add_axes((0.2, top - tab_in / h, 0.76, tab_in / h), sharex=ax,
                           label=heading.lower())  # fmt: skip
        for row, lab in enumerate(km.curves_):
            for tt, v in zip(times, tab.loc[lab][column], strict=True):
                tax.text(tt, k - 1 - row, str(int(v)), ha="center", va="center", fontsize=9,
                         color=f"C{row}")  # fmt: skip
        tax.set_ylim(-0.5, k - 0.5)
        tax.set_yticks(range(k), names[::-1])
        for tick, row in zip(tax.get_yticklabels(), range(k - 1, -1, -1), strict=True):
            tick.set_color(f"C{row}")
        tax.tick_params(axis="y", length=0, pad=16)
        tax.tick_params(axis="x", labelbottom=j == len(headings) - 1)
        tax.set_title(heading, fontsize=9, loc="left")
        for side in ("top", "right", "left"):
            tax.spines[side].set_visible(False)
    return fig


def plain_log_ticks(ax: Any) -> None:
    """Tick labels on a log axis as plain numbers (0.5, 1, 2) instead of 6 x 10^-1."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: f"{v:g}")
    ax.xaxis.set_major_formatter(fmt)
    ax.xaxis.set_minor_formatter(fmt)
    ax.tick_params(axis="x", which="minor", labelsize=7)
