"""Load benchmark of ``POST /api/v1/assess`` on loopback (a script, not a test).

1. ``igfc serve`` (uvicorn, ``--workers`` processes, default 2 for 2 cores) on a free port with a
   fresh data directory.
2. Open loop: ``--users`` users (default 200), each with its own connection, each post one
   assessment per second for ``--seconds`` (default 30): 200 requests/s, evenly spread.
   Latency is measured from the SCHEDULED send time (so a stalled client or server cannot hide
   queueing: coordinated omission is avoided). Reports p50/p90/p99/max and errors.
3. Highest sustainable rate: short runs with more users (one request per user per second),
   then bisection, for the highest rate whose p99 stays under ``--p99-limit-ms`` (default 100)
   with no errors.

The client (asyncio + httpx) runs on the same machine and shares its cores with the server.

    .venv/bin/python benchmarks/bench_web_load.py            # full run (~2-3 minutes)
    .venv/bin/python benchmarks/bench_web_load.py --seconds 10 --search-seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PATIENTS = [
    {"bilirubin": "34 umol/L", "albumin": "28 g/L", "inr": 1.8, "creatinine": "97 umol/L",
     "sodium": 131, "ascites": "mild", "encephalopathy": "none", "sex": "F", "age": 54,
     "igf1": "2.9 nmol/L", "igfbp3": 1.1},
    {"bilirubin": 1.1, "albumin": 3.9, "inr": 1.1, "creatinine": 0.8, "sodium": 139,
     "ascites": "none", "encephalopathy": "none", "sex": "M", "age": 61, "igf1": 95},
    {"bilirubin": "120 umol/L", "albumin": "24 g/L", "inr": 2.6, "creatinine": 2.1,
     "sodium": 126, "ascites": "moderate_severe", "encephalopathy": "grade_1_2", "sex": "M",
     "age": 48, "igf1": 11, "igf2": 180, "igfbp3": 0.6, "prothrombin_time_prolongation": 7},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workers: int, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    igfc = Path(sys.executable).with_name("igfc")
    cmd = [str(igfc), "serve", "--port", str(port), "--data-dir", str(data_dir),
           "--workers", str(workers), "--no-demo"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"igfc serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.post(url + "/api/v1/assess", json=PATIENTS[0], timeout=5).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("igfc serve did not answer within 120 s")


async def open_loop(url: str, rate: float, seconds: float) -> dict[str, float]:
    """``rate`` users, each with its own connection, each posting once a second for
    ``seconds`` (user u at u/rate + k seconds). Latency is measured from the scheduled time; a
    user whose previous answer is late sends late, and that lateness is counted."""
    users = int(rate)
    rounds = int(seconds)
    latencies: list[float] = []
    errors = 0
    loop = asyncio.get_running_loop()
    clients = [httpx.AsyncClient(base_url=url, timeout=30,
                                 limits=httpx.Limits(max_connections=1))
               for _ in range(users)]
    try:
        await asyncio.gather(*(c.post("/api/v1/assess", json=PATIENTS[0]) for c in clients))
        start = loop.time() + 0.5

        async def user(u: int, client: httpx.AsyncClient) -> None:
            nonlocal errors
            for k in range(rounds):
                scheduled = start + k + u / users
                delay = scheduled - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                try:
                    r = await client.post("/api/v1/assess", json=PATIENTS[(u + k) % 3])
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(loop.time() - scheduled)

        t0 = loop.time()
        await asyncio.gather(*(user(u, c) for u, c in enumerate(clients)))
        wall = loop.time() - t0 - 0.5
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    latencies.sort()
    n = len(latencies)

    def q(p: float) -> float:
        return 1000 * latencies[min(n - 1, int(p * n))]

    return {"rate": rate, "requests": n, "errors": errors, "p50_ms": q(0.50),
            "p90_ms": q(0.90), "p99_ms": q(0.99), "max_ms": 1000 * latencies[-1],
            "mean_ms": 1000 * statistics.fmean(latencies), "achieved_rps": n / wall}


def show(label: str, r: dict[str, float]) -> None:
    print(f"{label:>14}: {r['requests']:6.0f} req at {r['rate']:5.0f}/s (achieved "
          f"{r['achieved_rps']:5.0f}/s)  p50 {r['p50_ms']:6.1f} ms  p90 {r['p90_ms']:6.1f} ms  "
          f"p99 {r['p99_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms  errors {r['errors']:.0f}",
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--search-seconds", type=float, default=10)
    ap.add_argument("--p99-limit-ms", type=float, default=100)
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    args = ap.parse_args()
    out: dict[str, object] = {"workers": args.workers, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="igfc-bench-") as tmp:
        proc, url = start_server(args.workers, Path(tmp))
        try:
            print(f"igfc serve --workers {args.workers} at {url}; {os.cpu_count()} CPUs; "
                  f"load average before: {os.getloadavg()[0]:.2f}")
            # Every worker must be up before the users connect: keep-alive connections stay
            # with the worker that accepted them, and a worker still starting accepts none.
            time.sleep(5)
            asyncio.run(open_loop(url, 50, 3))  # warm-up, discarded
            main_run = asyncio.run(open_loop(url, args.users, args.seconds))
            show(f"{args.users} users", main_run)
            out["main"] = main_run
            ok_rate, bad_rate, runs = 0.0, None, []
            rate = float(args.users)
            while bad_rate is None and rate <= 5000:  # grow until p99 breaks the limit
                r = asyncio.run(open_loop(url, rate, args.search_seconds))
                show("search", r)
                runs.append(r)
                if r["p99_ms"] < args.p99_limit_ms and r["errors"] == 0:
                    ok_rate, rate = rate, rate * 1.5
                else:
                    bad_rate = rate
            if bad_rate is not None:
                lo, hi = ok_rate, bad_rate
                while hi - lo > max(10.0, 0.05 * hi):
                    mid = round((lo + hi) / 2)
                    r = asyncio.run(open_loop(url, mid, args.search_seconds))
                    show("bisect", r)
                    runs.append(r)
                    if r["p99_ms"] < args.p99_limit_ms and r["errors"] == 0:
                        lo = mid
                    else:
                        hi = mid
                ok_rate = lo
            out["search"] = runs
            out["max_rate_p99_under_limit"] = ok_rate
            out["load_average_after"] = os.getloadavg()[0]
            print(f"load average after: {os.getloadavg()[0]:.2f} (other processes share the "
                  "cores)")
            print(f"highest rate with p99 < {args.p99_limit_ms:g} ms and no errors: "
                  f"{ok_rate:.0f} requests/s")
            goal = main_run["p99_ms"] < 50 and main_run["errors"] == 0
            print(f"goal p99 < 50 ms at {args.users} rps: {'met' if goal else 'NOT met'} "
                  f"(p99 {main_run['p99_ms']:.1f} ms)")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
