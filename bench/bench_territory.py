"""Territory load, name resolution and the units API, measured on the real territory."""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc

from django.test import Client


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run() -> list[str]:
    from regionlink.geography.loader import load_territory
    from regionlink.geography.models import AdministrativeUnit
    from regionlink.geography.names import resolve

    lines = []
    tracemalloc.start()
    start = time.perf_counter()
    report = load_territory()
    first = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    units = sum(c["created"] + c["unchanged"] for k, c in report.counts.items() if k == "units")
    lines.append(
        f"territory load (first): {first:.2f} s for {units} units, "
        f"peak Python memory {peak / 2**20:.0f} MiB"
    )
    start = time.perf_counter()
    load_territory()
    lines.append(f"territory load (again, no change): {time.perf_counter() - start:.2f} s")

    names = list(
        AdministrativeUnit.objects.filter(level__in=["province", "commune"]).values_list(
            "short_name", flat=True
        )
    )
    random.seed(57)
    sample = [*random.sample(names, 300), "tp hcm", "Thanh Hoa", "Binh Duong", "Ha Tay", "xyzabc"]
    resolve("warm up")
    samples = []
    for text in sample:
        start = time.perf_counter()
        resolve(text)
        samples.append((time.perf_counter() - start) * 1000)
    lines.append(
        f"name resolution: {len(samples)} names, p50 {statistics.median(samples):.2f} ms, "
        f"p95 {_percentile(samples, 0.95):.2f} ms"
    )

    client = Client(HTTP_HOST="localhost")
    for label, url in (
        ("GET /api/v1/units?level=province", "/api/v1/units?level=province&date=2026-01-01"),
        ("GET /api/v1/regions", "/api/v1/regions?date=2026-01-01"),
        ("GET /api/v1/units?level=commune&limit=1000", "/api/v1/units?level=commune&limit=1000"),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        samples = _timed(lambda url=url: client.get(url), 30)
        lines.append(
            f"{label}: p50 {statistics.median(samples):.1f} ms, "
            f"p95 {_percentile(samples, 0.95):.1f} ms"
        )
    return lines
