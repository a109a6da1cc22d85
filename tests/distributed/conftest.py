"""One small local Dask cluster (2 single-threaded worker processes) for the module's tests,
always closed: the client first, then the cluster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from distributed import Client


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Client]:
    from igfcirrhosis.distributed.cluster import dask_client as start

    with start(None, n_workers=2) as client:
        yield client
