"""fit_patient: recovers a simulated patient; bootstrap intervals; clear input errors."""

from __future__ import annotations

import numpy as np
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


def test_warnings_say_when_a_fit_is_not_a_measurement(model: IgfModel) -> None:
    clean = fit_patient(_measure(model, 0.6, 0.3), n_boot=0, model=model)
    assert clean.warnings == []
    # a GH the model cannot pair with these IGF values: missed by > 3 SD, and said so
    odd = fit_patient({"igf1": 150.0, "igfbp3": 4.0, "gh": 60.0}, n_boot=0, model=model)
    assert any(w.startswith("gh fitted") and "SD)" in w for w in odd.warnings)
    # IGF-I far above what liver mass alone can reach: the estimate sits at its bound
    high = fit_patient({"igf1": 900.0}, ("liver_mass",), n_boot=0, model=model)
    assert any("liver_mass at its upper bound" in w for w in high.warnings)
    assert high.to_dict()["warnings"] == high.warnings


def test_a_parameter_the_measurements_do_not_move_is_called_unidentifiable(
        model: IgfModel, monkeypatch: pytest.MonkeyPatch) -> None:
    from igfcirrhosis.model import fitting

    monkeypatch.setattr(fitting, "_predict", lambda *a, **k: np.array([80.0]))
    w = fitting._warnings(model, ["liver_mass"], ["igf1"], np.array([80.0]), np.log([0.5]),
                          np.array([80.0]), {}, np.log([0.05]), np.log([1.2]))
    assert w == ["liver_mass is not identifiable from igf1 (a 10 % change moves none of them)"]


def test_injury_is_not_fittable(model: IgfModel) -> None:
    with pytest.raises(FitError, match="injury"):
        fit_patient({"igf1": 60.0, "igfbp3": 1.3}, ("injury",), n_boot=0, model=model)
