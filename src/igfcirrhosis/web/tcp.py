"""uvicorn's HTTP protocol with TCP_NODELAY on every connection.

With ``--workers`` > 1 uvicorn binds the listening socket itself with ``proto=0``, and
asyncio only sets TCP_NODELAY on sockets whose ``proto`` is IPPROTO_TCP; responses written in
two pieces then wait for the client's delayed ACK (~40 ms per request on Linux). Measured with
benchmarks/bench_web_load.py: p50 47 ms -> a few ms at 200 requests/s.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol


class NoDelayHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    def connection_made(self, transport: asyncio.BaseTransport) -> Any:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return super().connection_made(transport)


HTTP = "igfcirrhosis.web.tcp:NoDelayHTTPProtocol"
