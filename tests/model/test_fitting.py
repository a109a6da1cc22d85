"""fit_patient: recovers a simulated patient; bootstrap intervals; clear input errors."""

from __future__ import annotations

import pytest

from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.fitting import MEASURABLES, FitError, fit_patient


def _measure(model: IgfModel, liver_mass: float, ghr: float) -> dict[str, float]:
    model.equilibrate({"Hmass_base": liver_mass, "ghr": ghr}, fibrosis=False)
    return {k: float(MEASURABLES[k][2](model.rr)) for k in ("igf1", "igfbp3", "als", "igf2",
                                                             "gh")}


def test_recovers_a_simulated_patient(model: IgfModel) -> None:
    meas = _measure(model, 0.6, 0.3)
    res = fit_patient(meas, n_boot=15, seed=3, model=model)
    assert res.success
    assert res.estimates["liver_mass"] == pytest.approx(0.6, rel=1e-4)
    assert res.estimates["ghr_density"] == pytest.approx(0.3, rel=1e-4)
    for name, truth in (("liver_mass", 0.6), ("ghr_density", 0.3)):
        lo, hi = res.ci95[name]
        assert lo < truth < hi
        assert hi > lo
    assert res.n_boot == 15
    assert res.state.liver_mass == pytest.approx(0.6, rel=1e-4)
    for k, v in meas.items():
        assert res.simulated[k] == pytest.approx(v, rel=1e-4)


def test_bootstrap_is_seeded(model: IgfModel) -> None:
    meas = {"igf1": 70.0, "igfbp3": 1.5}
    a = fit_patient(meas, n_boot=5, seed=9, model=model)
    b = fit_patient(meas, n_boot=5, seed=9, model=model)
    assert a.ci95 == b.ci95


@pytest.mark.parametrize(("meas", "params", "match"), [
    ({"igf1": -3.0}, ("liver_mass",), "igf1"),
    ({"igf_1": 80.0}, ("liver_mass",), "igf_1"),
    ({"igf1": 80.0}, ("liver_mass", "ghr_density"), "cannot identify"),
    ({"igf1": 80.0}, ("kon1",), "kon1"),
])
def test_bad_input_is_named(model: IgfModel, meas: dict[str, float],
                            params: tuple[str, ...], match: str) -> None:
    with pytest.raises(FitError, match=match):
        fit_patient(meas, params, n_boot=0, model=model)
