"""The data API under load: `regionlink serve` on loopback, 20 concurrent clients for 60 s.

The server is the production one (gunicorn through `regionlink serve`, its default workers
and threads, DEBUG=0) on a free 127.0.0.1 port, against the bench database and its store of
values (built by the aggregation suite if absent). Each client is a thread with its own
keep-alive ``http.client`` connection, sending ``GET /api/v1/data?…`` requests drawn from a
fixed mix (units, regions, the country; SUM, RATIO and WEIGHTED_MEAN indicators; as-of and
current boundaries; JSON and CSV) without If-None-Match, so the server does the work of each
request. The server keeps computed answers (``DATA_CACHE_SECONDS``, as deployed), so repeated
queries are mostly served from its cache; ``DATA_CACHE_SECONDS=0`` measures every request
computed (cold). Bounded: ``BENCH_API_SECONDS`` (60) and ``BENCH_API_MAX_REQUESTS``
(200,000); the server is stopped at the end, whatever happens. Clients and server share the
machine's cores.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
MIX = [
    # (weight, path) — all on /api/v1/data
    (3, "indicator=POP_AVG&region=DBSH,DNB&period=2010:2025&boundaries=current"),
    (2, "indicator=POP_AVG&unit=08,68,79&period=2015:2024&boundaries=current"),
    (2, "indicator=GRDP_PER_CAPITA&region=DBSCL,BTB&period=2015:2025&boundaries=current"),
    (2, "indicator=POVERTY_RATE&unit=68,08&period=2016:2024&boundaries=current"),
    (2, "indicator=POP_AVG&region=DBSH&period=2016&boundaries=asof"),
    (1, "indicator=POP_AVG,GRDP&country=1&period=2015:2024&boundaries=current"),
    (1, "indicator=URBANISATION_RATE&unit=01,79,48,31,92&period=2020:2024&boundaries=asof"),
    (1, "indicator=POP_AVG&region=TDMNPB&period=2010:2025&boundaries=current&format=csv"),
    (1, "indicator=HOSPITAL_BEDS_PER_10K&country=1&period=2024&boundaries=asof"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _start_server(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable, "-m", "regionlink", "serve", "--host", HOST, "--port", str(port),
        "--no-collectstatic",
    ]  # fmt: skip
    with log.open("wb") as out:
        # Its own process group: stopping it stops its workers, and nothing else.
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Host": HOST, "Accept": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def _wait_until_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server stopped at start:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            status, _body = _get(connection, "/api/v1/regions")
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"The server did not answer within 90 s:\n{log.read_text()[-3000:]}")


def _check_mix(port: int, paths: list[str]) -> None:
    """Every query of the mix answers 200 with computed rows, before anything is timed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    for path in paths:
        status, body = _get(connection, path)
        if status != 200:
            raise RuntimeError(f"{path} → {status}: {body[:500]!r}")
        if "format=csv" not in path:
            items = json.loads(body)["items"]
            if not items or not any(item["computable"] for item in items):
                raise RuntimeError(f"{path} → no computable rows: {body[:500]!r}")
    connection.close()


class _Client(threading.Thread):
    def __init__(self, number: int, port: int, paths, weights, deadline: float, budget):
        super().__init__(daemon=True)
        self.rng = random.Random(number)
        self.port, self.paths, self.weights = port, paths, weights
        self.deadline, self.budget = deadline, budget
        self.requests = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        while time.monotonic() < self.deadline and self.budget.acquire(blocking=False):
            path = self.rng.choices(self.paths, self.weights)[0]
            self.requests += 1
            start = time.perf_counter()
            try:
                status, _body = _get(connection, path)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
                continue
            self.latencies.append((time.perf_counter() - start) * 1000)
            if status != 200:
                self.errors.append(f"HTTP {status} {path}")
        connection.close()


def run():
    from bench.bench_aggregate import ensure_store

    seconds = float(os.environ.get("BENCH_API_SECONDS", "60"))
    clients = int(os.environ.get("BENCH_API_CLIENTS", "20"))
    cap = int(os.environ.get("BENCH_API_MAX_REQUESTS", "200000"))
    _dataset, count, _built = ensure_store()
    paths = [f"/api/v1/data?{query}" for _w, query in MIX]
    weights = [w for w, _query in MIX]
    port = _free_port()
    log = Path(os.environ.get("BENCH_WORK_DIR", "/tmp")) / "bench-api-server.log"
    server = _start_server(port, log)
    try:
        _wait_until_ready(port, server, log)
        _check_mix(port, paths)
        budget = threading.BoundedSemaphore(cap)
        deadline = time.monotonic() + seconds
        threads = [_Client(n, port, paths, weights, deadline, budget) for n in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 60)
        elapsed = time.perf_counter() - start
    finally:
        _stop_server(server)
    from django.conf import settings

    cache = settings.DATA_CACHE_SECONDS  # the server reads the same environment
    latencies = [ms for t in threads for ms in t.latencies]
    errors = [e for t in threads for e in t.errors]
    yield (
        f"server: regionlink serve (gunicorn, {os.environ.get('WEB_WORKERS', '3')} workers × 4 "
        f"threads, DEBUG=0) on {HOST}:{port}, store of {count:,} values, response cache "
        + (f"{cache} s" if cache else "off (every request computed)")
    )
    requests = sum(t.requests for t in threads)
    yield (
        f"{clients} clients for {elapsed:.0f} s, mix of {len(MIX)} /api/v1/data queries: "
        f"{requests:,} requests ({requests / elapsed:.0f}/s), {len(errors)} errors (target 0)"
    )
    if latencies:
        yield (
            f"latency: p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {_percentile(latencies, 0.95):.0f} ms, p99 {_percentile(latencies, 0.99):.0f} ms "
            "(target p95 < 300 ms)"
        )
    for error in sorted(set(errors))[:5]:
        yield f"  error: {error}"
