"""The one exception of the distributed layer: a user mistake, shown without a traceback."""

from __future__ import annotations


class DistributedError(ValueError):
    """The scheduler cannot be reached, the input dataset cannot be split, or the output
    location is taken; the message names the address or path and what to do."""
