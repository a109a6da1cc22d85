"""Table edges compared through precomputed thresholds give what snapping gives.

``points_banded`` compares ``x >= t`` where ``t = _threshold(edge, strict)`` is the smallest
double whose snapped value (``np.round(x, 9)``) passes the edge; since rounding is monotone,
it is enough to check ``t`` and the double just below it for every edge the scores use, and
to compare against the snapped comparison on values crowded around the edges.
"""

from __future__ import annotations

import numpy as np
import pytest

from igfcirrhosis.domain import scores as sc
from igfcirrhosis.domain.scores_common import _threshold, snap

EDGES = sorted({*sc._BILI_EDGES, *sc._BILI_EDGES_CHOLESTATIC, *sc._ALBUMIN_EDGES,
                *sc._INR_EDGES, *sc._PT_EDGES, *sc._IGF1_EDGES, *sc._ALBI_EDGES})


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("edge", EDGES)
def test_threshold_is_the_first_double_that_passes(edge: float, strict: bool) -> None:
    t = _threshold(edge, strict)
    below = np.nextafter(t, -np.inf)

    def passes(x: float) -> bool:
        s = float(snap(np.array([x]))[0])
        return s > edge if strict else s >= edge

    assert passes(t)
    assert not passes(below)


@pytest.mark.parametrize("edges", [(2.0, 3.0), (4.0, 10.0), (1.7, 2.3), (4.0, 6.0)])
def test_higher_worse_points_equal_snapped_comparison(edges: tuple[float, float]) -> None:
    rng = np.random.default_rng(20261125)
    near = np.array([e + d for e in edges for d in (-1e-9, -5e-10, -4e-10, 0.0, 4e-10, 5e-10,
                                                    1e-9)])
    x = np.concatenate([near, rng.choice(near, 1000) + rng.normal(0, 1e-9, 1000),
                        rng.uniform(0, 12, 1000), [np.nan]])
    s = snap(x)
    expected = np.add(s >= edges[0], s > edges[1], dtype=np.float64) + 1.0 + s * 0.0
    pts = sc._banded(x, edges, lower_worse=False)
    np.testing.assert_array_equal(pts.as_float(x.shape), expected)


@pytest.mark.parametrize("edges", [(3.5, 2.8), (50.0, 26.0)])
def test_lower_worse_points_equal_snapped_comparison(edges: tuple[float, float]) -> None:
    rng = np.random.default_rng(20261126)
    near = np.array([e + d for e in edges for d in (-1e-9, -5e-10, -4e-10, 0.0, 4e-10, 5e-10,
                                                    1e-9)])
    x = np.concatenate([near, rng.choice(near, 1000) + rng.normal(0, 1e-9, 1000),
                        rng.uniform(0, 60, 1000), [np.nan]])
    s = snap(x)
    expected = np.add(s <= edges[0], s < edges[1], dtype=np.float64) + 1.0 + s * 0.0
    pts = sc._banded(x, edges, lower_worse=True)
    np.testing.assert_array_equal(pts.as_float(x.shape), expected)
