"""Scale out on Dask when one machine is not enough (the "scale" layer of DESIGN.md).

API for the CLI (``igfc score --dask [--scheduler ADDRESS]``, ``igfc simulate --population N
--dask``); Dask is imported only when these are called::

    with dask_client(scheduler: str | None = None, *, n_workers: int = 2) as client: ...
        # scheduler "tcp://host:8786", or None for a local cluster of n_workers processes
        # (1 thread each); closed on exit. DistributedError names the address it could not
        # reach.

    score_parquet(source, output, *, client=None, options: ScoreOptions | None = None,
                  partition_rows: int = 250_000, molecular_weights=None) -> ScoreSummary
        # source: a Parquet file, a directory of them, or a list; output: a new (or empty)
        # directory that receives part.00000.parquet, ... in input row order.
        # ScoreSummary: rows, partitions, scored {score: rows}, summary (score, reason, rows:
        # as ScoredFrame.summary), duplicate_ids (patient_id, rows), output, warnings.

    run_trial_dask(scenario, n, seed, *, client, days=None, chunk_size=25, rtol=1e-5,
                   atol=1e-8, progress=None) -> ndarray (n x arms x METRICS)
        # equal to population.run_trial(scenario, n, seed, days) for the same seed.

User mistakes raise :class:`DistributedError` (a ``ValueError``): print its message, exit 2.
Unusable headers raise ``InputError`` exactly as ``score_frame`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from igfcirrhosis.distributed.errors import DistributedError

if TYPE_CHECKING:
    from igfcirrhosis.distributed.cluster import dask_client
    from igfcirrhosis.distributed.scoring import ScoreSummary, score_parquet
    from igfcirrhosis.distributed.trials import run_trial_dask

__all__ = ["DistributedError", "ScoreSummary", "dask_client", "run_trial_dask", "score_parquet"]

_LAZY = {
    "dask_client": "igfcirrhosis.distributed.cluster",
    "ScoreSummary": "igfcirrhosis.distributed.scoring",
    "score_parquet": "igfcirrhosis.distributed.scoring",
    "run_trial_dask": "igfcirrhosis.distributed.trials",
}


def __getattr__(name: str) -> Any:
    """Lazy exports: importing the package does not import dask, pandas or roadrunner."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
