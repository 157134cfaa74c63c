"""The latest actual value of each target's indicator for its territory, from the data hub.

Read through the hub's own read filter and aggregation (``indicators.aggregation``), so a
value the reader may not read never shows, and region and country values are combined by the
indicator's rule. Boundaries are as of each year: a target of a province that ended in 2025
reads that province's years (never its successor's, which may carry the same code), and a
target of a region reads only the years when the region had the members it had on the plan's
dates (the Red River Delta of 2024, not the regrouped one of 2025).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from regionlink.geography.models import RegionMembership
from regionlink.geography.queries import today as geo_today
from regionlink.indicators.aggregation import Boundaries, Target, aggregate
from regionlink.indicators.models import DataSet, DataValue
from regionlink.indicators.values import ILLUSTRATIVE_NOTE, readable_dataset_ids
from regionlink.plans.models import PlanTarget, PlanVersion

YEARS_BACK = 11  # how far back the latest value is looked for


@dataclass(frozen=True)
class Actual:
    value: Decimal
    year: int
    status: str
    illustrative: bool

    @property
    def note(self) -> str:
        return ILLUSTRATIVE_NOTE if self.illustrative else ""


@dataclass(frozen=True)
class _Where:
    target: Target
    valid_from: dt.date | None
    valid_to: dt.date | None
    region_id: int | None
    ref_date: dt.date


def _reference_dates(plan_ids) -> dict[int, dt.date]:
    """A plan's dates: its latest approval decision, else the start of its period."""
    found: dict[int, tuple[int, dt.date]] = {}
    rows = PlanVersion.objects.filter(plan_id__in=plan_ids, decision_date__isnull=False)
    for plan_id, number, decided in rows.values_list("plan_id", "number", "decision_date"):
        if plan_id not in found or number > found[plan_id][0]:
            found[plan_id] = (number, decided)
    return {plan_id: decided for plan_id, (_n, decided) in found.items()}


def _clamp(on: dt.date, start: dt.date | None, end: dt.date | None) -> dt.date:
    if start and on < start:
        return start
    if end and on > end:
        return end
    return on


def _where(target: PlanTarget, decided: dict[int, dt.date]) -> _Where:
    plan = target.plan
    on = decided.get(plan.pk) or dt.date(plan.period_start, 1, 1)
    province = target.province or (None if target.region_id else plan.province)
    region = target.region or (None if target.province_id else plan.region)
    if province is not None:
        return _Where(
            Target.unit(province.code),
            province.valid_from,
            province.valid_to,
            None,
            _clamp(on, province.valid_from, province.valid_to),
        )
    if region is not None:
        return _Where(
            Target.region(region.code),
            region.valid_from,
            region.valid_to,
            region.pk,
            _clamp(on, region.valid_from, region.valid_to),
        )
    return _Where(Target.country(), None, None, None, on)


def _illustrative_codes(indicators, dataset_ids) -> set[str]:
    """Indicators whose value (or a component of it) comes from a demo data set."""
    demo = list(
        DataSet.objects.filter(pk__in=dataset_ids, is_demo=True).values_list("pk", flat=True)
    )
    if not demo:
        return set()
    parts = {}
    for indicator in indicators:
        codes = {indicator.code}
        for part in (indicator.numerator, indicator.denominator, indicator.weight):
            if part is not None:
                codes.add(part.code)
        parts[indicator.code] = codes
    wanted = set().union(*parts.values())
    touched = set(
        DataValue.objects.filter(dataset_id__in=demo, indicator__code__in=wanted)
        .values_list("indicator__code", flat=True)
        .distinct()
    )
    return {code for code, codes in parts.items() if codes & touched}


def latest_actuals(user, targets) -> dict[int, Actual]:
    """For each target (by id) the latest value ``user`` may read, if the hub has one."""
    ids = [t.pk for t in targets]
    rows = list(
        PlanTarget.objects.filter(pk__in=ids).select_related(
            "plan",
            "plan__region",
            "plan__province",
            "region",
            "province",
            "indicator",
            "indicator__numerator",
            "indicator__denominator",
            "indicator__weight",
        )
    )
    if not rows:
        return {}
    decided = _reference_dates({t.plan_id for t in rows})
    where = {t.pk: _where(t, decided) for t in rows}
    this_year = geo_today().year
    years = [str(y) for y in range(this_year - YEARS_BACK, this_year + 1)]
    dataset_ids = readable_dataset_ids(user)
    indicators = {t.indicator.code: t.indicator for t in rows}
    found = aggregate(
        user=user,
        indicators=sorted(indicators),
        targets=sorted({w.target for w in where.values()}, key=lambda t: (t.kind, t.code)),
        periods=years,
        boundaries=Boundaries.ASOF,
        dataset_ids=dataset_ids,
    )
    by_key: dict[tuple[str, Target], list] = defaultdict(list)
    for row in found:
        if row.value is not None:
            by_key[(row.indicator, row.target)].append(row)
    members = _members({w.region_id for w in where.values() if w.region_id})
    demo_codes = _illustrative_codes(indicators.values(), dataset_ids)
    result: dict[int, Actual] = {}
    for target in rows:
        w = where[target.pk]
        candidates = [
            r for r in by_key[(target.indicator.code, w.target)] if _fits(w, int(r.period), members)
        ]
        if not candidates:
            continue
        latest = max(candidates, key=lambda r: int(r.period))
        result[target.pk] = Actual(
            value=latest.value,
            year=int(latest.period),
            status=latest.status or "",
            illustrative=target.indicator.code in demo_codes,
        )
    return result


def _members(region_ids) -> dict[int, list[tuple[int, dt.date | None, dt.date | None]]]:
    found = defaultdict(list)
    rows = RegionMembership.objects.filter(region_id__in=region_ids)
    for region_id, unit_id, start, end in rows.values_list(
        "region_id", "unit_id", "valid_from", "valid_to"
    ):
        found[region_id].append((unit_id, start, end))
    return found


def _on(members, region_id: int, on: dt.date) -> frozenset[int]:
    return frozenset(
        unit
        for unit, start, end in members.get(region_id, ())
        if (start is None or start <= on) and (end is None or end >= on)
    )


def _fits(w: _Where, year: int, members) -> bool:
    """Whether a year's value is about the target's territory as the plan meant it."""
    end = dt.date(year, 12, 31)
    if (w.valid_to and end > w.valid_to) or (w.valid_from and end < w.valid_from):
        return False
    if w.region_id is None:
        return True
    return _on(members, w.region_id, end) == _on(members, w.region_id, w.ref_date)
