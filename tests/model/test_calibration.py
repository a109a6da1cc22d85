"""The stored Child-Pugh presets are what the documented calibration produces."""

from __future__ import annotations

import pytest

from igfcirrhosis.model.calibration import calibrate_presets, steady_igf
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.parameters import default_parameters
from igfcirrhosis.model.patient import PRESET_NAMES, preset, presets


def test_presets_equal_a_fresh_calibration(model: IgfModel) -> None:
    fresh = calibrate_presets(model)
    assert set(fresh) == {"child_pugh_a", "child_pugh_b", "child_pugh_c"}
    for name, cal in fresh.items():
        stored = preset(name)
        assert stored.liver_mass == pytest.approx(cal["liver_mass"], abs=1e-3), name
        assert stored.ghr_density == pytest.approx(cal["ghr_density"], abs=1e-3), name
        target = presets()[name]["calibration_target"]["igf1_ng_per_ml"]
        igf1, _ = steady_igf(model, stored.liver_mass, stored.ghr_density)
        assert igf1 == pytest.approx(target, rel=5e-3)


def test_severity_orders_the_classes(model: IgfModel) -> None:
    values = [steady_igf(model, preset(n).liver_mass, preset(n).ghr_density)
              for n in PRESET_NAMES]
    igf1 = [v[0] for v in values]
    bp3 = [v[1] for v in values]
    assert igf1 == sorted(igf1, reverse=True)
    assert bp3 == sorted(bp3, reverse=True)


def test_every_parameter_has_unit_source_status_and_range() -> None:
    for p in default_parameters().values():
        assert p.unit and p.source and p.description
        assert p.lower <= p.value <= p.upper
        if p.status == "calibrated":
            assert "calibrat" in p.source or "patient state" in p.source, p.id
