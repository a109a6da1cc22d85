"""In-silico tracer experiments: half-lives of labelled free, binary and ternary IGF-I.

A tracer is too small to perturb the system, and every reaction is first order in the
IGF-I-carrying species (I, IB, IBA, IO); the tracer therefore obeys the linear system
dx/dt = M x, where M is the block of the model Jacobian over those species at the steady
state (computed here by central finite differences of the model's own rate function -- exact
up to rounding because the block is linear). The label is placed in one fraction and the
half-life is the time for the label remaining in that fraction to halve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from igfcirrhosis.model.engine import IgfModel

TRACER_SPECIES = ("I", "IB", "IBA", "IO")


def tracer_matrix(model: IgfModel) -> NDArray[np.float64]:
    """M (1/h) over TRACER_SPECIES at the model's current state."""
    m = model.rr.model
    ids = list(m.getFloatingSpeciesIds())
    idx = [ids.index(s) for s in TRACER_SPECIES]
    x = np.array(m.getFloatingSpeciesConcentrations(), dtype=float)
    out = np.zeros((len(idx), len(idx)))
    for j, k in enumerate(idx):
        h = 1e-6 * max(abs(x[k]), 1e-3)
        xp = x.copy()
        xp[k] += h
        m.setFloatingSpeciesConcentrations(xp)
        fp = np.array(m.getFloatingSpeciesConcentrationRates())[idx]
        xm = x.copy()
        xm[k] -= h
        m.setFloatingSpeciesConcentrations(xm)
        fm = np.array(m.getFloatingSpeciesConcentrationRates())[idx]
        out[:, j] = (fp - fm) / (2 * h)
    m.setFloatingSpeciesConcentrations(x)
    return out


def label_half_life(matrix: NDArray[np.float64], species: str, horizon_h: float = 100.0) -> float:
    """Hours until the label injected into ``species`` and still in ``species`` halves."""
    k = TRACER_SPECIES.index(species)
    w, v = np.linalg.eig(matrix)
    c = np.linalg.solve(v, np.eye(len(TRACER_SPECIES))[k])
    ts = np.linspace(0.0, horizon_h, 200_001)
    y = (v[k, :] * c) @ np.exp(np.outer(w, ts))
    frac = y.real
    below = np.nonzero(frac < 0.5)[0]
    if below.size == 0:
        return float("inf")
    i = int(below[0])
    # linear interpolation between the bracketing samples
    t0, t1, f0, f1 = ts[i - 1], ts[i], frac[i - 1], frac[i]
    return float(t0 + (0.5 - f0) * (t1 - t0) / (f1 - f0))
