"""Virtual trials on Dask workers: chunks of patients out, metrics back, one model per worker.

The patients are drawn on the client by :func:`igfcirrhosis.model.population.sample_patients`
(the same seed gives the same patients as :func:`~igfcirrhosis.model.population.run_trial`).
The SBML texts are scattered once; each worker process compiles the model the first time a
chunk needs it and keeps it in a module-level cache keyed by the SBML hash (a RoadRunner JIT
costs ~0.15 s; never one per task). Chunks run the population module's own chunk function, so
the metrics equal ``run_trial``'s.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from igfcirrhosis.distributed.cluster import require_workers

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from distributed import Client
    from igfcirrhosis.model.engine import IgfModel
    from igfcirrhosis.model.population import _Task
    from igfcirrhosis.model.scenario import Scenario

#: Worker-side cache: model key (SBML hash and tolerances) -> compiled model.
_MODELS: dict[str, IgfModel] = {}
#: How many models this process has compiled (tests check it stays at one per worker).
BUILDS = 0
# population._run_chunk reads the module global population._MODEL: one chunk at a time per
# process, so a worker with several threads cannot swap the model under a running chunk.
_LOCK = threading.Lock()


def model_key(sbml: str, rules_sbml: str, rtol: float, atol: float) -> str:
    """Cache key of a compiled model: SHA-256 of both SBML texts and the tolerances."""
    h = hashlib.sha256()
    for part in (sbml, "\0", rules_sbml, "\0", repr((rtol, atol))):
        h.update(part.encode("utf-8"))
    return h.hexdigest()


def cached_model(spec: tuple[str, str, str, float, float]) -> IgfModel:
    """This process's model for ``spec`` = (key, sbml, rules_sbml, rtol, atol), built once."""
    global BUILDS
    key, sbml, rules, rtol, atol = spec
    model = _MODELS.get(key)
    if model is None:
        from igfcirrhosis.model.engine import IgfModel

        model = IgfModel(sbml, rtol=rtol, atol=atol, rules_sbml=rules)
        _MODELS[key] = model
        BUILDS += 1
    return model


def builds_here() -> int:
    """Models compiled in this process (run on workers with ``client.run``)."""
    return BUILDS


def _run_chunk_on_worker(spec: tuple[str, str, str, float, float], task: _Task
                         ) -> NDArray[np.float64]:
    from igfcirrhosis.model import population

    with _LOCK:
        population._MODEL = cached_model(spec)
        return population._run_chunk(task)


def run_trial_dask(
    scenario: Scenario,
    n: int,
    seed: int,
    *,
    client: Client,
    days: float | None = None,
    chunk_size: int = 25,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    progress: Callable[[int], None] | None = None,
) -> NDArray[np.float64]:
    """Metrics (n x arms x METRICS), equal to ``run_trial(scenario, n, seed, days, ...)`` with
    the same tolerances, computed in chunks of ``chunk_size`` patients on ``client``'s workers.
    ``progress`` is called with each finished chunk's patient count (in completion order).
    Raises :class:`DistributedError` when the scheduler has no workers."""
    import distributed
    from igfcirrhosis.distributed.errors import DistributedError
    from igfcirrhosis.model.population import _clip, _Task, sample_patients
    from igfcirrhosis.model.sbml import sbml_string

    if n < 1 or chunk_size < 1:
        raise DistributedError(f"n = {n}, chunk_size = {chunk_size}: both must be at least 1")
    require_workers(client)
    ids, values = sample_patients(scenario, n, seed)
    horizon = float(days if days is not None else scenario.days)
    arms = [[_clip(p.dosing(), horizon) for p in arm.regimen] for arm in scenario.arms]
    tasks = [_Task(ids, values[k:k + chunk_size], arms, horizon)
             for k in range(0, n, chunk_size)]
    sbml, rules = sbml_string(fast=True), sbml_string()
    spec = (model_key(sbml, rules, rtol, atol), sbml, rules, rtol, atol)
    dist: Any = distributed  # untyped library
    c: Any = client
    [spec_future] = c.scatter([spec], broadcast=True, hash=False)
    futures = [c.submit(_run_chunk_on_worker, spec_future, t, pure=False) for t in tasks]
    try:
        results: dict[Any, NDArray[np.float64]] = {}
        for fut, res in dist.as_completed(futures, with_results=True):
            results[fut.key] = res
            if progress is not None:
                progress(int(res.shape[0]))
        return np.concatenate([results[f.key] for f in futures], axis=0)
    finally:
        c.cancel([*futures, spec_future])
