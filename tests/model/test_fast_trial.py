"""Multi-rate virtual trials (fast_dosing) agree with the event-by-event trial.

Tolerance (fast_dosing.TOLERANCE, MODEL.md): every trial metric within 1e-3 relative of
``run_trial(..., multirate=False)``; the last-day and days 0-2 samples within 1e-3 relative.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from igfcirrhosis.model import fast_dosing
from igfcirrhosis.model.engine import Dosing, IgfModel
from igfcirrhosis.model.population import (
    METRICS,
    run_trial,
    sample_patients,
    sample_times,
    trial_summary,
)
from igfcirrhosis.model.scenario import Scenario, parse_scenario

TOL = fast_dosing.TOLERANCE


def _scenario(state: str, days: float, arms: list[list[dict[str, float | str]]]) -> Scenario:
    sc = parse_scenario({
        "name": "fast", "patient": {"state": state}, "simulation": {"days": days},
        "population": {"arms": [{"name": f"arm {i}", "regimen": r}
                                for i, r in enumerate(arms)]}})
    return replace(sc, days=days)


MECA = {"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12}
RINF = {"product": "rinfabate", "dose_ug_per_kg": 1000, "interval_hours": 24}


@pytest.mark.parametrize(("state", "days", "arms"), [
    ("child_pugh_b", 365, [[], [MECA]]),
    ("child_pugh_c", 240, [[RINF], [{**MECA, "dose_ug_per_kg": 40},
                                    {**RINF, "dose_ug_per_kg": 500}]]),
])
def test_multirate_trial_metrics_within_tolerance(state: str, days: float,
                                                  arms: list[list[dict[str, float | str]]]
                                                  ) -> None:
    sc = _scenario(state, days, arms)
    exact = run_trial(sc, 4, 17, workers=1, multirate=False)
    fast = run_trial(sc, 4, 17, workers=1)
    assert np.isfinite(exact).all() and np.isfinite(fast).all()
    np.testing.assert_allclose(fast, exact, rtol=TOL, atol=0)
    for a, arm in enumerate(arms):
        if arm:  # the multi-rate path was taken (not bit-identical) ...
            assert not np.array_equal(fast[:, a], exact[:, a])
        else:  # ... and untreated arms are resolved as before
            np.testing.assert_array_equal(fast[:, a], exact[:, a])
    peaks = np.sort(exact[:, -1, METRICS.index("free_igf1_peak")])
    thr = (float(peaks[1] + peaks[2]) / 2.0, "test")  # half the patients above it
    s_exact = trial_summary(sc, exact, 4, 17, days, thr)
    s_fast = trial_summary(sc, fast, 4, 17, days, thr)
    for ae, af in zip(s_exact["arms"], s_fast["arms"], strict=True):
        assert ae["fraction_free_igf1_above_threshold"] == af["fraction_free_igf1_above_threshold"]


def test_multirate_samples_match_event_run(model: IgfModel) -> None:
    sc = _scenario("child_pugh_b", 300, [[MECA]])
    ids, values = sample_patients(sc, 1, 3)
    params = dict(zip(ids, (float(v) for v in values[0]), strict=True))
    base = model.equilibrate(params)
    times = sample_times(300)
    dosing = [Dosing("mecasermin", 80.0, 12.0, 0.0, 300 * 24.0)]
    sel = ["IGF1_total", "I", "IB", "IBA", "ECM", "Hmass", "Ha", "Hs", "GH"]
    model.set_state(base)
    ref = model.simulate(dosing, times, sel)
    jac = fast_dosing.slow_jacobian(model, base)
    model.set_state(base)
    t, res = fast_dosing.simulate_multirate(model, dosing, times, sel, jac)
    assert t[0] == 0.0 and t[-1] == times[-1]
    assert np.all(np.isin(times[times >= times[-1] - 24.0], t))  # the whole last day
    assert np.all(np.isin(times[times <= 48.0], t))  # the half-hourly days 0-2
    assert t.size < times.size  # mid-run samples are skipped
    idx = np.searchsorted(times, t)
    np.testing.assert_array_equal(res[:, 0], t)
    np.testing.assert_allclose(res[:, 1:], ref[idx, 1:], rtol=TOL, atol=0)


def test_irregular_regimens_and_short_runs_are_resolved_event_by_event() -> None:
    end = 365 * 24.0
    ok = Dosing("mecasermin", 80.0, 12.0, 0.0, end)
    assert fast_dosing.dosing_period([ok], end) == 12.0
    assert fast_dosing.dosing_period([ok, Dosing("rinfabate", 500.0, 24.0, 0.0, end)], end) == 24
    assert fast_dosing.dosing_period([], end) is None
    assert fast_dosing.dosing_period([replace(ok, start_h=24.0)], end) is None
    assert fast_dosing.dosing_period([replace(ok, end_h=end / 2)], end) is None
    assert fast_dosing.dosing_period([replace(ok, interval_h=36.0)], end) is None
    assert fast_dosing.dosing_period([ok, replace(ok, interval_h=8.0)], end) is None
    sc = _scenario("child_pugh_a", 30, [[MECA]])  # below MIN_HORIZON_H: identical results
    np.testing.assert_array_equal(run_trial(sc, 2, 5, workers=1),
                                  run_trial(sc, 2, 5, workers=1, multirate=False))


def test_matrix_exponential_matches_scipy() -> None:
    from scipy.linalg import expm

    rng = np.random.default_rng(0)
    for scale in (0.0, 0.1, 3.0, 40.0):
        a = rng.standard_normal((12, 12)) * scale / 12
        np.testing.assert_allclose(fast_dosing._expm(a), expm(a), rtol=1e-12, atol=1e-12)


def test_vectorised_set_state_equals_item_assignment(model: IgfModel) -> None:
    assert model._model_order  # the packaged model's species are STATE_IDS in order
    base = model.equilibrate()
    x = base * np.linspace(0.9, 1.1, base.size)
    model.set_state(x)
    fast = model.state()
    model._model_order = False
    try:
        model.set_state(x)
        np.testing.assert_array_equal(model.state(), fast)
        np.testing.assert_array_equal(fast, x)
    finally:
        model._model_order = True


def test_indexed_dose_arming_equals_named_access(model: IgfModel) -> None:
    """Arming doses by parameter index (one vector call) changes nothing in the output."""
    base = model.equilibrate()
    dosing = [Dosing("mecasermin", 60.0, 12.0, 0.0, 48.0),
              Dosing("mecasermin", 120.0, 12.0, 48.0, 96.0),
              Dosing("rinfabate", 500.0, 24.0, 30.0, 96.0)]
    times = np.linspace(0.0, 96.0, 97)
    model.set_state(base)
    fast = model.simulate(dosing, times)
    index, model._index = model._index, None
    try:
        model.set_state(base)
        np.testing.assert_array_equal(model.simulate(dosing, times), fast)
    finally:
        model._index = index
    assert index is not None
