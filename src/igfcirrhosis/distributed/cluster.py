"""Getting a Dask client: connect to a scheduler by address, or start a small local cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from igfcirrhosis.distributed.errors import DistributedError

if TYPE_CHECKING:
    from distributed import Client

#: Seconds to wait for a scheduler to answer before giving up.
CONNECT_TIMEOUT_S = 10.0


@contextmanager
def dask_client(
    scheduler: str | None = None, *, n_workers: int = 2, timeout_s: float = CONNECT_TIMEOUT_S
) -> Iterator[Client]:
    """A client for the scheduler at ``scheduler`` (``tcp://host:8786``), or, without an
    address, for a local cluster of ``n_workers`` single-threaded processes; both are closed
    on exit. Raises :class:`DistributedError` naming the address when it cannot connect."""
    import distributed

    dist: Any = distributed  # untyped library
    if scheduler is None:
        with (
            dist.LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # the scheduler's small HTTP server (health, metrics) runs even without a
                # dashboard and would try port 8787, warning when another cluster holds it
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            ) as cluster,
            dist.Client(cluster) as local,
        ):
            yield local
        return
    try:
        client: Any = dist.Client(scheduler, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise DistributedError(
            f"cannot connect to the Dask scheduler at {scheduler!r} within {timeout_s:g} s "
            f"({exc}); check the address (tcp://HOST:PORT) and that `dask scheduler` is running"
        ) from None
    try:
        yield client
    finally:
        client.close()


def require_workers(client: Client, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Raise :class:`DistributedError` when no worker joins ``client``'s scheduler in time."""
    c: Any = client  # untyped library
    try:
        c.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError:
        address = c.scheduler.address
        raise DistributedError(
            f"the Dask scheduler at {address!r} has no workers after {timeout_s:g} s; start "
            f"some with `dask worker {address}`"
        ) from None
