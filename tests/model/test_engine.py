"""Mass conservation, steady state, dosing events."""

from __future__ import annotations

import numpy as np
import pytest

from igfcirrhosis.model.engine import STATE_IDS, Dosing, IgfModel
from igfcirrhosis.model.patient import preset

NO_TURNOVER = {"k_free": 0.0, "kcl_b": 0.0, "kcl_t": 0.0, "kcl_io": 0.0, "kcl_B": 0.0,
               "f_extra_I": 0.0, "f_extra_J": 0.0, "f_basal_B": 0.0, "k_H": 0.0}


@pytest.fixture()
def tight(model: IgfModel):  # type: ignore[no-untyped-def]
    """The shared model with tight CVODE tolerances (restored afterwards)."""
    model.set_tolerances(1e-11, 1e-13)
    yield model
    model.set_tolerances(1e-6, 1e-9)


def _off_equilibrium(model: IgfModel) -> None:
    model.reset(NO_TURNOVER)
    model.rr["Hmass"] = 0.0  # no hepatic synthesis
    for sid, v in {"I": 30.0, "IB": 0.0, "IBA": 0.0, "IO": 0.0, "J": 50.0, "JB": 0.0,
                   "JBA": 0.0, "B": 120.0, "A": 150.0, "O": 10.0}.items():
        model.rr[sid] = v


def test_total_igf1_conserved_when_synthesis_and_clearance_are_off(tight: IgfModel) -> None:
    model = tight
    _off_equilibrium(model)
    res = model.simulate([], np.linspace(0, 200, 201), ["IGF1_total", "IBA", "I"])
    total = res[:, 1]
    assert res[-1, 2] > 1.0  # binding really happened: ternary formed from free IGF-I
    assert res[-1, 3] < 1.0
    np.testing.assert_allclose(total, 30.0, rtol=1e-8)


def test_total_igfbp3_conserved_when_synthesis_and_clearance_are_off(tight: IgfModel) -> None:
    model = tight
    _off_equilibrium(model)
    res = model.simulate([], np.linspace(0, 200, 51), ["IGFBP3_total"])
    np.testing.assert_allclose(res[:, 1], 120.0, rtol=1e-8)


@pytest.mark.parametrize("state", ["healthy", "child_pugh_c"])
def test_steady_state_independent_of_initial_conditions(model: IgfModel, state: str) -> None:
    params = preset(state).parameters()
    ref = model.equilibrate(params)
    rng = np.random.default_rng(3)
    start = ref * np.exp(rng.normal(0.0, 0.7, ref.size))
    start[STATE_IDS.index("Dep")] = 5.0
    start[STATE_IDS.index("DepR")] = 0.0
    start[STATE_IDS.index("Ha")] = 0.1
    start[STATE_IDS.index("Hs")] = 0.1
    other = model.equilibrate(params, initial_state=start)
    np.testing.assert_allclose(other, ref, rtol=1e-5, atol=1e-8)
    assert np.max(np.abs(model.rates())) < 1e-7


def test_healthy_steady_state_is_the_published_reference(model: IgfModel) -> None:
    model.equilibrate(preset("healthy").parameters())
    rr = model.rr
    assert rr["IGF1_total"] == pytest.approx(rr["Itot0"], rel=1e-6)
    assert rr["I"] / rr["IGF1_total"] == pytest.approx(rr["f_free0"], rel=1e-5)
    assert rr["IBA"] / rr["IGF1_total"] == pytest.approx(rr["f_tern0"], rel=1e-5)
    assert rr["GH"] == pytest.approx(rr["GH0"], rel=1e-6)


def test_twice_daily_events_give_one_dose_each(model: IgfModel) -> None:
    model.equilibrate(preset("healthy").parameters())
    model.rr["ka"] = 0.0  # doses accumulate in the depot
    dosing = [Dosing("mecasermin", 40.0, 12.0, 0.0, 72.0)]
    res = model.simulate(dosing, np.linspace(0, 96, 97), ["Dep"])
    per_dose = 40.0 / (7.649 * model.rr["V_kg"])
    n_doses = np.round(res[:, 1] / per_dose)
    expected = np.minimum(np.floor(res[:, 0] / 12.0) + 1, 6)
    np.testing.assert_array_equal(n_doses, expected)


@pytest.mark.parametrize(("sign", "direction"), [(1.0, -1.0), (-1.0, 1.0)])
def test_igf_hsc_sign_sets_the_direction_of_fibrosis_change(model: IgfModel, sign: float,
                                                            direction: float) -> None:
    """+1: IGF-I promotes HSC senescence (Nishizawa 2016) -> scar falls on rhIGF-I;
    -1: IGF-I promotes activation (LX-2 counterpoint) -> scar rises."""
    params = {**preset("child_pugh_b").parameters(), "igf_hsc_sign": sign}
    model.equilibrate(params)
    ecm0 = model.rr["ECM"]
    res = model.simulate([Dosing("mecasermin", 80.0, 12.0, 0.0, 60 * 24.0)],
                         np.linspace(0, 60 * 24.0, 61), ["ECM", "Hmass"])
    change = res[-1, 1] / ecm0 - 1.0
    assert np.sign(change) == direction
    assert abs(change) > 0.01
    assert np.sign(res[-1, 2] - params["Hmass_base"]) == -direction  # mass follows the scar
