"""Virtual trials on Dask workers equal run_trial; one compiled model per worker process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from igfcirrhosis.distributed import DistributedError, dask_client, run_trial_dask
from igfcirrhosis.distributed.trials import builds_here
from igfcirrhosis.model.population import METRICS, run_trial
from igfcirrhosis.model.scenario import parse_scenario

if TYPE_CHECKING:
    from distributed import Client

SCEN = {
    "name": "pop", "patient": {"state": "child_pugh_c"}, "simulation": {"days": 14},
    "population": {"arms": [
        {"name": "untreated"},
        {"name": "meca 80 BID", "regimen": [
            {"product": "mecasermin", "dose_ug_per_kg": 80, "interval_hours": 12}]}]},
}


def test_dask_trial_equals_run_trial(dask_client: Client) -> None:
    sc = parse_scenario(SCEN)
    expected = run_trial(sc, 20, 7, days=14, workers=1, chunk_size=25)
    seen: list[int] = []
    got = run_trial_dask(sc, 20, 7, client=dask_client, days=14, chunk_size=3,
                         progress=seen.append)
    assert got.shape == (20, 2, len(METRICS))
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(got, expected)
    assert sorted(seen) == [2, 3, 3, 3, 3, 3, 3]
    other = run_trial_dask(sc, 20, 8, client=dask_client, days=14, chunk_size=3)
    assert not np.array_equal(other, got)  # the seed matters
    builds = dask_client.run(builds_here)
    assert len(builds) == 2 and all(b <= 1 for b in builds.values())  # 14 chunks, <= 2 models
    assert sum(builds.values()) >= 1


def test_unreachable_scheduler_is_named() -> None:
    with pytest.raises(DistributedError, match=r"tcp://127\.0\.0\.1:9.*dask scheduler"), \
            dask_client("tcp://127.0.0.1:9", timeout_s=1):
        pass


def test_too_small_a_trial_is_refused(dask_client: Client) -> None:
    with pytest.raises(DistributedError, match="chunk_size = 0"):
        run_trial_dask(parse_scenario(SCEN), 4, 1, client=dask_client, chunk_size=0)


def test_scheduler_without_workers_is_named() -> None:
    from igfcirrhosis.distributed.cluster import require_workers

    with dask_client(None, n_workers=0) as client, \
            pytest.raises(DistributedError, match=r"tcp://127\.0\.0\.1:\d+' has no workers"):
        require_workers(client, timeout_s=0.5)
