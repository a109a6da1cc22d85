"""Virtual patients matched to an observed IGF-I range by acceptance-rejection."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from igfcirrhosis.cli.main import app
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.population import (
    METRICS,
    PopulationError,
    baseline_igf1,
    run_trial,
    sample_patients,
    sample_population,
    trial_summary,
)
from igfcirrhosis.model.scenario import ScenarioError, parse_scenario


def _scenario(**population: Any) -> Any:
    return parse_scenario({"name": "acc", "patient": {"state": "child_pugh_b"},
                           "simulation": {"days": 2},
                           "regimen": [{"product": "mecasermin", "dose_ug_per_kg": 40}],
                           "population": population})


@pytest.mark.parametrize("value", [[50], [75, 50], ["a", 60], [0, 60], 60, [50, 5000]])
def test_bad_range_names_the_key(value: Any) -> None:
    with pytest.raises(ScenarioError, match="population.baseline_igf1_ng_per_ml"):
        _scenario(baseline_igf1_ng_per_ml=value)


def test_every_virtual_patient_starts_inside_the_range(model: IgfModel) -> None:
    sc = _scenario(baseline_igf1_ng_per_ml=[55, 70])
    ids, values, acc = sample_population(sc, 30, 4, model)
    assert values.shape[0] == 30 and acc is not None
    assert acc.drawn > acc.accepted >= 30  # some candidates were rejected
    base = baseline_igf1(model, ids, values)
    assert np.all((base >= 55) & (base <= 70))
    free = sample_patients(_scenario(), 30, 4)[1]
    assert not np.all((baseline_igf1(model, ids, free) >= 55)
                      & (baseline_igf1(model, ids, free) <= 70))  # the criterion did work
    metrics = run_trial(sc, 30, 4, workers=1)
    igf0 = metrics[:, 0, METRICS.index("igf1_baseline")]
    assert np.all((igf0 >= 55 * (1 - 1e-6)) & (igf0 <= 70 * (1 + 1e-6)))
    doc = trial_summary(sc, metrics, 30, 4, 2.0, threshold=(40.0, "test"))
    assert doc["acceptance"]["drawn"] == acc.drawn
    assert doc["acceptance"]["rate"]["value"] == pytest.approx(acc.accepted / acc.drawn,
                                                               rel=1e-5)
    schema = json.loads((resources.files("igfcirrhosis") / "schemas" /
                         "simulation-summary.schema.json").read_text())
    jsonschema.validate(doc, schema)


def test_same_seed_same_patients(model: IgfModel) -> None:
    sc = _scenario(baseline_igf1_ng_per_ml=[55, 70])
    a = sample_population(sc, 12, 9, model)[1].copy()
    sample_population(_scenario(baseline_igf1_ng_per_ml=[40, 90]), 12, 9, model)  # evicts
    np.testing.assert_array_equal(sample_population(sc, 12, 9, model)[1], a)


def test_a_range_nobody_reaches_is_a_clear_error(tmp_path: Path, model: IgfModel) -> None:
    with pytest.raises(PopulationError, match=r"only 0 of \d+ virtual patients"):
        sample_population(_scenario(baseline_igf1_ng_per_ml=[400, 500]), 3, 1, model)
    path = tmp_path / "s.toml"
    path.write_text('[patient]\nstate = "child_pugh_c"\n[population]\nn = 2\n'
                    "baseline_igf1_ng_per_ml = [400, 500]\n[simulation]\ndays = 1\n")
    res = CliRunner().invoke(app, ["simulate", str(path), "-o", str(tmp_path / "o"),
                                   "--population", "2", "--workers", "1"])
    assert res.exit_code == 2
    assert "population.baseline_igf1_ng_per_ml" in res.output and "Traceback" not in res.output
