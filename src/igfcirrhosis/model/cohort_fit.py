"""Fit every patient of a cohort table to the model (``igfc fit``): one row in, one row out.

Each row's untreated IGF-I, IGF-II, IGFBP-3, ALS and GH (whatever the row has; units from the
header or the data dictionary's defaults, converted by
:func:`igfcirrhosis.domain.input_frames.normalize_frame`) are fitted with
:func:`igfcirrhosis.model.fitting.fit_patient`. Every input row comes out with its estimates
(and 95 % bootstrap intervals when ``n_boot`` > 0), the model's values at the estimates, the
measurements used, and ``fit_notes``: why a row was not fitted (a value that is not a number
or is implausible, too few measurements) -- never a silent gap. Rows run in ``workers``
processes, one compiled model each; row ``i`` is bootstrapped with seed ``seed + i``, so
results do not depend on the number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.model.fitting import FITTABLE, MEASURABLES, FitError, fit_patient
from igfcirrhosis.model.units import ALS_KDA

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from igfcirrhosis.model.engine import IgfModel

#: catalog column -> (fitting key, factor from the catalog's default unit to the fit's unit)
COLUMNS: dict[str, tuple[str, float]] = {
    "igf1": ("igf1", 1.0),  # ng/mL
    "igf2": ("igf2", 1.0),  # ng/mL
    "igfbp3": ("igfbp3", 1.0),  # mg/L
    "als": ("als", ALS_KDA / 1000.0),  # catalog nmol/L -> mg/L at the model's 85 kDa
    "gh": ("gh", 1.0),  # ng/mL
}
#: Measurements fitted by default: the ones the issue names (IGF-I, IGFBP-3, GH).
DEFAULT_USE = ("igf1", "igfbp3", "gh")


@dataclass
class CohortFit:
    """``data``: the input rows with the ``fit_*`` columns appended; ``reasons``: rows not
    fitted, counted by reason; ``assumed_units``: columns read in their default unit."""

    data: pd.DataFrame
    reasons: dict[str, int]
    assumed_units: list[str]
    parameters: tuple[str, ...]
    n_boot: int

    @property
    def n_fitted(self) -> int:
        """Rows with estimates."""
        return int(self.data["fit_notes"].isna().sum())


def prepare(frame: pd.DataFrame, parameters: Sequence[str], use: Sequence[str] = DEFAULT_USE
            ) -> tuple[list[dict[str, float] | None], list[str | None], list[str | None], Any]:
    """Per row: the measurements to fit (fit units) or None, the reason when None and the
    category the summary counts it under."""
    from igfcirrhosis.domain.input_frames import normalize_frame

    for p in parameters:
        if p not in FITTABLE:
            raise FitError(f"parameter {p!r}: expected one of {sorted(FITTABLE)}")
    for c in use:
        if c not in COLUMNS:
            raise FitError(f"measurement {c!r}: expected some of {list(COLUMNS)}")
    norm = normalize_frame(frame, unique_ids=False)
    present = [c for c in use if c in norm.data.columns]
    if len(present) < len(parameters):
        raise FitError(f"the table has {len(present)} of the columns {list(use)} "
                       f"({', '.join(present) or 'none'}); fitting {len(parameters)} "
                       f"parameters needs at least {len(parameters)}")
    issues = norm.issues.assign(column=norm.issues["column"].map(
        lambda c: norm.columns.get(c, c)))  # input header ('igf1 [nmol/L]') -> canonical
    bad = issues[issues["column"].isin(present)
                 & issues["severity"].isin(("error", "implausible"))]
    bad_by_row: dict[int, tuple[str, str]] = {}
    for row, group in bad.groupby("row"):
        bad_by_row[int(row)] = (
            "; ".join(str(m).replace("(not scored)", "(not fitted)") for m in group["message"]),
            "value not a number or implausible: " + ", ".join(dict.fromkeys(group["column"])))
    values = {c: norm.data[c].to_numpy(dtype=float) for c in present}
    measurements: list[dict[str, float] | None] = []
    reasons: list[str | None] = []
    categories: list[str | None] = []
    for i in range(len(frame)):
        if i in bad_by_row:
            measurements.append(None)
            reasons.append(bad_by_row[i][0])
            categories.append(bad_by_row[i][1])
            continue
        m = {COLUMNS[c][0]: float(values[c][i]) * COLUMNS[c][1] for c in present
             if math.isfinite(values[c][i]) and values[c][i] > 0}
        if len(m) < len(parameters):
            measurements.append(None)
            reasons.append(f"{len(m)} measurement(s) ({', '.join(m) or 'none'}) cannot "
                           f"identify {len(parameters)} parameters ({', '.join(parameters)})")
            categories.append("too few measurements")
            continue
        measurements.append(m)
        reasons.append(None)
        categories.append(None)
    return measurements, reasons, categories, norm


_MODEL: IgfModel | None = None


def _init() -> None:
    global _MODEL
    from igfcirrhosis.model.engine import IgfModel

    _MODEL = IgfModel()


def _fit_row(job: tuple[int, dict[str, float], tuple[str, ...], int, int]
             ) -> tuple[int, dict[str, Any] | str]:
    i, meas, params, n_boot, seed = job
    if _MODEL is None:
        _init()
    try:
        res = fit_patient(meas, params, n_boot=n_boot, seed=seed + i, model=_MODEL)
    except (FitError, RuntimeError) as exc:
        return i, f"fit failed: {exc}"
    if not res.success:
        return i, "fit did not converge"
    return i, {"estimates": res.estimates, "ci95": res.ci95, "simulated": res.simulated,
               "warnings": res.warnings}


def fit_cohort(frame: pd.DataFrame, parameters: Sequence[str] = ("liver_mass", "ghr_density"),
               use: Sequence[str] = DEFAULT_USE, n_boot: int = 0, seed: int = 0,
               workers: int = 2, progress: Callable[[int], None] | None = None) -> CohortFit:
    """Fit every row of ``frame`` (see the module docstring) to the ``use`` columns it has;
    ``progress(k)`` after k rows."""
    params = tuple(parameters)
    measurements, reasons, categories, norm = prepare(frame, params, use)
    jobs = [(i, m, params, n_boot, seed) for i, m in enumerate(measurements) if m is not None]
    results: dict[int, dict[str, Any] | str] = {}
    if workers <= 1 or len(jobs) < 8:
        for job in jobs:
            i, r = _fit_row(job)
            results[i] = r
            if progress:
                progress(1)
    else:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(workers, initializer=_init) as pool:
            for i, r in pool.imap_unordered(_fit_row, jobs, chunksize=4):
                results[i] = r
                if progress:
                    progress(1)
    return _assemble(frame, params, n_boot, measurements, reasons, categories, results,
                     [c for c in norm.assumed_units if c in use])


def _assemble(frame: pd.DataFrame, params: tuple[str, ...], n_boot: int,
              measurements: list[dict[str, float] | None], reasons: list[str | None],
              categories: list[str | None], results: dict[int, dict[str, Any] | str],
              assumed: list[str]) -> CohortFit:
    n = len(frame)
    out = frame.copy()
    notes = list(reasons)
    cats = list(categories)
    flags: list[str | None] = [None] * n
    est = {p: np.full(n, np.nan) for p in params}
    lo = {p: np.full(n, np.nan) for p in params}
    hi = {p: np.full(n, np.nan) for p in params}
    sim = {k: np.full(n, np.nan) for k in MEASURABLES}
    used: list[str | None] = [None] * n
    for i, r in results.items():
        if isinstance(r, str):
            notes[i] = r
            cats[i] = r.split(":")[0]
            continue
        for p in params:
            est[p][i] = r["estimates"][p]
            lo[p][i], hi[p][i] = r["ci95"].get(p, (np.nan, np.nan))
        for k, v in r["simulated"].items():
            sim[k][i] = v
        m = measurements[i] or {}
        used[i] = ", ".join(m)
        flags[i] = "; ".join(r["warnings"]) or None
    for p in params:
        out[f"fit_{p}"] = est[p]
        if n_boot > 0:
            out[f"fit_{p}_ci95_low"] = lo[p]
            out[f"fit_{p}_ci95_high"] = hi[p]
    for k, v in sim.items():
        if np.isfinite(v).any():
            out[f"fit_model_{k} [{MEASURABLES[k][0]}]"] = v
    out["fit_used"] = used
    out["fit_flags"] = flags
    out["fit_notes"] = notes
    counts: dict[str, int] = {}
    for cat in cats:
        if cat is not None:
            counts[cat] = counts.get(cat, 0) + 1
    return CohortFit(out, counts, assumed, params, n_boot)


def plot_fits(fit: CohortFit, path: Path, group: str | None = None) -> Path:
    """Scatter of the first two fitted parameters (95 % intervals as bars when bootstrapped),
    flagged rows hollow, coloured by ``group`` (a column of the table, e.g. a Child-Pugh class)
    when given; healthy (1, 1) marked. PNG or SVG by extension."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = fit.data
    px = fit.parameters[0]
    py = fit.parameters[1] if len(fit.parameters) > 1 else None
    fig, ax = plt.subplots(figsize=(6.5, 5))
    groups = [(None, d)] if group is None else [
        (g, d[d[group] == g]) for g in sorted(d[group].dropna().unique(), key=str)]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (label, rows) in enumerate(groups):
        colour = colours[k % len(colours)]
        x = rows[f"fit_{px}"]
        y = rows[f"fit_{py}"] if py else np.zeros(len(rows))
        flagged = rows["fit_flags"].notna().to_numpy()
        if fit.n_boot > 0:
            xerr = np.abs(np.vstack([x - rows[f"fit_{px}_ci95_low"],
                                     rows[f"fit_{px}_ci95_high"] - x]))
            yerr = (np.abs(np.vstack([y - rows[f"fit_{py}_ci95_low"],
                                      rows[f"fit_{py}_ci95_high"] - y])) if py else None)
            ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt="none", lw=0.5, alpha=0.35,
                        color="grey")
        ax.scatter(x[~flagged], y[~flagged], s=18, color=colour,
                   label=f"{group} {label}" if label is not None else "fitted")
        ax.scatter(x[flagged], y[flagged], s=18, facecolors="none", edgecolors=colour)
    ax.scatter([1.0], [1.0 if py else 0.0], marker="*", s=120, color="black", label="healthy")
    ax.set_xlabel(f"{px} (healthy 1)")
    ax.set_ylabel(f"{py} (healthy 1)" if py else "")
    ax.set_title(f"{fit.n_fitted} of {len(d)} rows fitted; hollow = flagged (fit_flags)",
                 fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120, metadata={"Software": None} if path.suffix == ".png"
                else {"Date": None})
    plt.close(fig)
    return path
