"""Everything the conformity review reads, loaded in a fixed number of queries.

The rules (review_rules_*.py) are pure functions of :class:`Inputs`: no query runs while
findings are computed, so 40 plans or 400 cost the same dozen queries, and the same inputs
give the same findings. :func:`Inputs.digest` hashes what was read, so a run records which
inputs produced its findings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from regionlink.plans.law import NATIONAL_LEVELS, PlanLevel

PROVINCE_LEVELS = frozenset({PlanLevel.PROVINCIAL, PlanLevel.URBAN_RURAL, PlanLevel.SPECIAL_UNIT})


@dataclass(frozen=True)
class PlanRow:
    id: int
    code: str
    name: str
    level: str
    region_id: int | None
    province_id: int | None
    period_start: int
    period_end: int
    stage: str
    organising_body_id: int
    approved_on: dt.date | None
    # The date the plan's territory is read on: its approval, else the start of its period,
    # moved inside the validity of its province or region.
    ref_date: dt.date


@dataclass(frozen=True)
class TargetRow:
    id: int
    plan_id: int
    indicator: str
    region_id: int | None
    province_id: int | None
    target_year: int
    base_year: int | None
    comparator: str
    value: float
    value_max: float | None
    version: int


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    spatial_rule: str
    weight: str | None
    denominator: str | None
    denominator_disaggregation: str
    min_value: float | None
    decimals: int


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )


@dataclass
class Inputs:
    as_of: dt.date
    plans: dict[int, PlanRow]
    links: set[tuple[int, int]]
    targets: dict[int, list[TargetRow]]
    indicators: dict[str, IndicatorRow]
    regions: dict[int, UnitRow]
    provinces: dict[int, UnitRow]
    memberships: list[tuple[int, int, dt.date | None, dt.date | None]]
    successions: dict[int, list[tuple[int, dt.date]]]
    # (indicator, province id) → [(year, value)] of published data-hub totals, ascending.
    hub: dict[tuple[str, int], list[tuple[int, float]]] = field(default_factory=dict)

    # --- territory -----------------------------------------------------------------------
    def members(self, region_id: int, on: dt.date) -> list[int]:
        """Provinces of ``region_id`` on ``on``, by code."""
        ids = {
            unit
            for region, unit, start, end in self.memberships
            if region == region_id and (start is None or start <= on) and (end is None or end >= on)
        }
        return sorted(ids, key=lambda pk: self.provinces[pk].code if pk in self.provinces else "")

    def regions_of(self, province_id: int, on: dt.date) -> list[int]:
        return sorted(
            region
            for region, unit, start, end in self.memberships
            if unit == province_id and (start is None or start <= on) and (end is None or end >= on)
        )

    def regions_on(self, on: dt.date) -> list[int]:
        return sorted(
            (pk for pk, row in self.regions.items() if row.valid_on(on)),
            key=lambda pk: self.regions[pk].code,
        )

    def provinces_on(self, on: dt.date) -> list[int]:
        return sorted(
            (pk for pk, row in self.provinces.items() if row.valid_on(on)),
            key=lambda pk: self.provinces[pk].code,
        )

    def successors_on(self, unit_id: int, on: dt.date) -> list[int]:
        """Units valid on ``on`` that took the territory of ``unit_id`` (following chains)."""
        found: set[int] = set()
        stack, seen = [unit_id], {unit_id}
        while stack:
            node = stack.pop()
            row = self.provinces.get(node)
            if node != unit_id and row is not None and row.valid_on(on):
                found.add(node)
                continue
            for successor, effective in self.successions.get(node, ()):
                # A partial succession while the unit lived on (Mê Linh to Hà Nội, 2008) is
                # not where the unit went when it ended.
                if row is not None and (row.valid_to is None or effective <= row.valid_to):
                    continue
                if effective <= on and successor not in seen:
                    seen.add(successor)
                    stack.append(successor)
        return sorted(found, key=lambda pk: self.provinces[pk].code)

    def ceased(self, plan: PlanRow) -> bool:
        """The plan's province or region no longer exists on the review date."""
        if plan.province_id is not None:
            row = self.provinces.get(plan.province_id)
        elif plan.region_id is not None:
            row = self.regions.get(plan.region_id)
        else:
            return False
        return row is not None and row.valid_to is not None and row.valid_to < self.as_of

    def plan_regions(self, plan: PlanRow) -> list[int]:
        """Regions a plan belongs to: its own, or its province's on its dates and today."""
        if plan.region_id is not None:
            return [plan.region_id]
        if plan.province_id is None:
            return []
        found = set(self.regions_of(plan.province_id, plan.ref_date))
        for successor in self.successors_on(plan.province_id, self.as_of) or [plan.province_id]:
            found.update(self.regions_of(successor, self.as_of))
        return sorted(found)

    def hub_latest(self, indicator: str, province_id: int, year: int):
        """The latest published value of ``indicator`` for the province up to ``year``."""
        best = None
        for value_year, value in self.hub.get((indicator, province_id), ()):
            if value_year <= year:
                best = (value_year, value)
        return best

    # --- plans ---------------------------------------------------------------------------
    def own_targets(self, plan_id: int) -> list[TargetRow]:
        """Targets for the plan's own territory; the latest version wins on duplicates."""
        plan = self.plans[plan_id]
        chosen: dict[tuple, TargetRow] = {}
        for target in self.targets.get(plan_id, ()):
            if target.province_id not in (None, plan.province_id):
                continue
            if target.region_id not in (None, plan.region_id):
                continue
            key = (target.indicator, target.target_year, target.base_year)
            if key not in chosen or (target.version, target.id) > (
                chosen[key].version,
                chosen[key].id,
            ):
                chosen[key] = target
        return sorted(chosen.values(), key=lambda t: (t.indicator, t.target_year, t.id))

    def digest(self, region_code: str | None) -> str:
        """sha256 of every input the rules read, in a canonical order."""
        payload = {
            "as_of": self.as_of.isoformat(),
            "region": region_code,
            "plans": [
                [
                    p.code,
                    p.level,
                    p.region_id,
                    p.province_id,
                    p.period_start,
                    p.period_end,
                    p.stage,
                    str(p.ref_date),
                ]
                for p in sorted(self.plans.values(), key=lambda p: p.code)
            ],
            "links": sorted(
                [self.plans[lo].code, self.plans[hi].code]
                for lo, hi in self.links
                if lo in self.plans and hi in self.plans
            ),
            "targets": sorted(
                [
                    self.plans[t.plan_id].code,
                    t.indicator,
                    t.region_id,
                    t.province_id,
                    t.target_year,
                    t.base_year,
                    t.comparator,
                    repr(t.value),
                    repr(t.value_max),
                    t.version,
                ]
                for rows in self.targets.values()
                for t in rows
            ),
            "hub": sorted([k[0], k[1], v] for k, v in self.hub.items()),
        }
        encoded = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def load(*, as_of: dt.date, with_targets: bool = True) -> Inputs:
    """Read plans, links, targets, catalogue, territory and fallback weights (≈10 queries)."""
    from regionlink.plans.review_load import load_inputs

    return load_inputs(as_of=as_of, with_targets=with_targets)


def national(plan: PlanRow) -> bool:
    return plan.level in NATIONAL_LEVELS
