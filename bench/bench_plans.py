"""The conformity review over 34 provincial plans, 6 regional plans and the national master
plan with 50 targets each (the issue's acceptance: within 5 s).

The generator registers the plans with the real service (create_plan, add_link) on today's
map and writes the targets in bulk (bench data, not a domain write): for 25 indicators × 2
years, provinces near their region's figure, with a few deliberate conflicts. Then it times
review.compute_findings and review.run_review (p50/p95 over BENCH_PLANS_RUNS runs, default 5).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from decimal import Decimal

ON = dt.date(2026, 1, 1)
YEARS = (2035, 2040)
ACTOR = "bench"


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _indicators():
    from regionlink.indicators.models import Indicator

    usable = Indicator.objects.exclude(spatial_rule="derived").order_by("code")
    chosen = [i for i in usable if i.code not in ("POP_AVG", "GRDP_GROWTH")][:23]
    return [*Indicator.objects.filter(code__in=["POP_AVG", "GRDP_GROWTH"]), *chosen]


def _target(plan, indicator, year, value, comparator="eq", value_max=None):
    from regionlink.plans.models import PlanTarget

    growth = indicator.code == "GRDP_GROWTH"
    return PlanTarget(
        plan=plan,
        indicator=indicator,
        target_year=year,
        comparator=comparator,
        value=Decimal(str(round(value, 3))),
        value_max=None if value_max is None else Decimal(str(round(value_max, 3))),
        base_year=year - 5 if growth else None,
    )


def generate() -> dict:
    """Create the plans and 50 targets each; returns counts."""
    from regionlink.geography.queries import regions_on
    from regionlink.organisations.models import Organisation
    from regionlink.plans import conformity, services
    from regionlink.plans.models import Plan, PlanTarget, Stage

    if Plan.objects.filter(code="bench-qg").exists():
        return {"plans": Plan.objects.count(), "targets": PlanTarget.objects.count()}
    rng = random.Random(57)
    planning = Organisation.objects.get(code="btc-vu-quan-ly-quy-hoach")
    common = {
        "actor": ACTOR,
        "period_start": 2031,
        "period_end": 2040,
        "on": ON,
        "stage": Stage.IMPLEMENTATION,
    }
    nation = services.create_plan(
        code="bench-qg",
        name="Quy hoạch tổng thể quốc gia (bench)",
        level="national_master",
        organising_body=planning,
        **common,
    )
    indicators = _indicators()
    rows = []
    for i in indicators:
        for year in YEARS:
            rows.append(_target(nation, i, year, 9 if i.code == "GRDP_GROWTH" else 1e6, "le"))
    for region in regions_on(ON):
        plan = services.create_plan(
            code=f"bench-vung-{region.code.lower()}",
            name=f"Quy hoạch vùng {region.name} (bench)",
            level="regional",
            region=region,
            organising_body=planning,
            **common,
        )
        conformity.add_link(actor=ACTOR, lower=plan, higher=nation)
        base = {i.code: rng.uniform(20, 80) for i in indicators}
        for i in indicators:
            for year in YEARS:
                if i.code == "GRDP_GROWTH":
                    rows.append(_target(plan, i, year, 7, "range", 8))
                elif i.spatial_rule == "sum":
                    rows.append(_target(plan, i, year, base[i.code] * 100, "le"))
                else:
                    rows.append(_target(plan, i, year, base[i.code], "ge"))
        for index, membership in enumerate(region.members_on):
            unit = membership.unit
            organisation = Organisation.objects.filter(code=f"ubnd-{unit.code}").first() or planning
            lower = services.create_plan(
                code=f"bench-tinh-{unit.code}",
                name=f"Quy hoạch {unit.name} (bench)",
                level="provincial",
                province=unit,
                organising_body=organisation,
                **common,
            )
            if index % 4:  # every fourth province lacks its regional link
                conformity.add_link(actor=ACTOR, lower=lower, higher=plan)
            conformity.add_link(actor=ACTOR, lower=lower, higher=nation)
            share = 1 / max(len(region.members_on), 1)
            for i in indicators:
                for year in YEARS:
                    conflict = index == 0 and year == 2040
                    if i.code == "POP_AVG":
                        rows.append(_target(lower, i, year, rng.uniform(800, 9000)))
                    elif i.code == "GRDP_GROWTH":
                        rows.append(_target(lower, i, year, 9.5 if conflict else 7.5))
                    elif i.spatial_rule == "sum":
                        factor = 1.5 if conflict else 0.9
                        rows.append(
                            _target(lower, i, year, base[i.code] * 100 * share * factor, "le")
                        )
                    else:
                        low = 0.5 if conflict else 1.05
                        rows.append(_target(lower, i, year, base[i.code] * low, "ge"))
    PlanTarget.objects.bulk_create(rows, batch_size=2000)
    return {"plans": Plan.objects.count(), "targets": PlanTarget.objects.count()}


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return samples, result


def run() -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regionlink.plans.review import compute_findings, run_review

    repeat = int(os.environ.get("BENCH_PLANS_RUNS", "5"))
    start = time.perf_counter()
    counts = generate()
    lines = [
        f"generated {counts['plans']} plans, {counts['targets']} targets in "
        f"{time.perf_counter() - start:.1f} s"
    ]
    as_of = dt.date(2036, 6, 30)
    with CaptureQueriesContext(connection) as queries:
        found = compute_findings(as_of=as_of)
    samples, _ = _timed(lambda: compute_findings(as_of=as_of), repeat)
    kinds = {}
    for finding in found:
        kinds[str(finding.kind)] = kinds.get(str(finding.kind), 0) + 1
    lines.append(
        f"compute_findings: {len(found)} findings {kinds}, {len(queries)} queries, "
        f"p50 {statistics.median(samples):.3f} s, p95 {_percentile(samples, 0.95):.3f} s"
    )
    samples, run = _timed(lambda: run_review(as_of=as_of, actor=ACTOR), repeat)
    lines.append(
        f"run_review (first run creates, later runs update): "
        f"first {samples[0]:.3f} s, p50 {statistics.median(samples):.3f} s, "
        f"p95 {_percentile(samples, 0.95):.3f} s; {run.findings_count} findings"
    )
    return lines
