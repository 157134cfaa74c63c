"""The territory an aggregation walks: units, regions, memberships and successions.

Units, regions and memberships change a few times a decade, so each process keeps them in a
``TerritorySnapshot``, rebuilt when their version (``data_versions``) changes; a call copies
only the rows it touches into its own ``Territory``. Successions are read per call (one query
for provinces): their shares are what a correction most often changes.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from regionlink.geography.models import (
    AdministrativeUnit,
    Level,
    Region,
    RegionMembership,
    Succession,
    SuccessionKind,
)
from regionlink.indicators.aggregation_rules import ONE
from regionlink.indicators.periods import Period


@dataclass(frozen=True)
class UnitEntry:
    id: int
    code: str
    name: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )

    def overlaps(self, period: Period) -> bool:
        return (self.valid_from is None or self.valid_from <= period.end) and (
            self.valid_to is None or self.valid_to >= period.start
        )


@dataclass(frozen=True)
class RegionEntry:
    id: int
    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    def is_valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )


@dataclass(frozen=True)
class SuccessionStep:
    id: int
    predecessor: int
    successor: int
    date: dt.date
    whole: bool
    share: Decimal | None


UNIT_FIELDS = ("id", "code", "name", "level", "valid_from", "valid_to")
Weight = tuple[
    Decimal | None, frozenset[int]
]  # share (None: unknown) and the successions lacking one


@dataclass(frozen=True)
class TerritorySnapshot:
    """Every unit, region and membership, as of one territory version (shared, read-only)."""

    version: tuple
    units: dict[int, UnitEntry]
    by_code: dict[str, tuple[UnitEntry, ...]]
    provinces: tuple[UnitEntry, ...]
    region_codes: frozenset[str]  # every region, with or without members
    memberships: tuple[tuple[RegionEntry, int, dt.date | None, dt.date | None], ...]


def _load_snapshot(version: tuple) -> TerritorySnapshot:
    units = {
        row["id"]: UnitEntry(**row)
        for row in AdministrativeUnit.objects.order_by().values(*UNIT_FIELDS)
    }
    by_code: dict[str, list[UnitEntry]] = defaultdict(list)
    for unit in units.values():
        by_code[unit.code].append(unit)
    region_fields = ("id", "code", "name", "valid_from", "valid_to")
    rows = RegionMembership.objects.order_by().values(
        "valid_from", "valid_to", "unit_id", *(f"region__{f}" for f in region_fields)
    )
    regions: dict[int, RegionEntry] = {}
    memberships = []
    for row in rows:
        region = regions.setdefault(
            row["region__id"], RegionEntry(*(row[f"region__{f}"] for f in region_fields))
        )
        memberships.append((region, row["unit_id"], row["valid_from"], row["valid_to"]))
    return TerritorySnapshot(
        version=version,
        units=units,
        by_code={code: tuple(found) for code, found in by_code.items()},
        provinces=tuple(u for u in units.values() if u.level == Level.PROVINCE),
        region_codes=frozenset(c.upper() for c in Region.objects.values_list("code", flat=True)),
        memberships=tuple(memberships),
    )


_lock = threading.Lock()
_current: TerritorySnapshot | None = None


def snapshot(version: tuple | None = None) -> TerritorySnapshot:
    """The territory as of ``version`` (read now when not given): loaded once per process and
    version, in three queries (≈14,000 units)."""
    global _current
    if version is None:
        from regionlink.indicators import data_versions

        version = data_versions.read(()).territory
    current = _current
    if current is not None and current.version == version:
        return current
    with _lock:  # one thread loads; the others wait for it rather than load it again
        if _current is None or _current.version != version:
            _current = _load_snapshot(version)
        return _current


class Territory:
    """The units, regions, memberships and successions one call touches, from a snapshot (and
    one query for successions)."""

    def __init__(self, today: dt.date, snapshot: TerritorySnapshot):
        self.today = today
        self.snapshot = snapshot
        self.units: dict[int, UnitEntry] = {}
        self.successions: dict[int, SuccessionStep] = {}
        self._outs: dict[int, list[SuccessionStep]] = defaultdict(list)
        self._explored: set[int] = set()
        self._forward: dict[tuple[int, int], dict[int, Weight]] = {}
        self._sources: dict[int, dict[int, dict[int, Weight]]] = {}
        self._breaks: list[dt.date] = []
        self._provinces: list[UnitEntry] | None = None
        self._regions: dict[str, RegionEntry] | None = None

    def _add(self, row: dict) -> UnitEntry:
        unit = self.units.get(row["id"]) or UnitEntry(**{f: row[f] for f in UNIT_FIELDS})
        self.units[unit.id] = unit
        return unit

    def _touch(self, unit: UnitEntry) -> UnitEntry:
        # Only the units a call touches decide its epochs (see _freeze).
        return self.units.setdefault(unit.id, unit)

    def provinces(self) -> list[UnitEntry]:
        if self._provinces is None:
            self._provinces = [self._touch(u) for u in self.snapshot.provinces]
        return self._provinces

    def units_with_codes(self, codes: Iterable[str]) -> dict[str, list[UnitEntry]]:
        return {
            code: [self._touch(u) for u in self.snapshot.by_code[code]]
            for code in set(codes)
            if code in self.snapshot.by_code
        }

    def regions(self) -> dict[str, RegionEntry]:
        """Regions that have memberships, by code."""
        self._load_memberships()
        return self._regions

    def members(self, region: RegionEntry, date: dt.date) -> list[int]:
        self._load_memberships()
        return sorted(
            unit_id
            for member_of, unit_id, start, end in self.snapshot.memberships
            if member_of.id == region.id
            and (start is None or start <= date)
            and (end is None or end >= date)
            and self.units[unit_id].valid_on(date)
        )

    def _load_memberships(self) -> None:
        if self._regions is not None:
            return
        self._regions = {}
        for region, unit_id, _start, _end in self.snapshot.memberships:
            self._touch(self.snapshot.units[unit_id])
            self._regions.setdefault(region.code.upper(), region)

    # --- Successions -----------------------------------------------------------------------

    def explore(self, targets: Iterable[int], after: dt.date) -> None:
        """Load the successions since ``after`` that lead into ``targets``.

        Provinces: every province-level succession in one query (a few dozen rows). Other
        units: backwards from the targets, one query a step.
        """
        frontier = set(targets) - self._explored
        prefixes = ("predecessor__", "successor__")
        columns = ("id", "effective_date", "kind", "share")
        columns += tuple(f"{p}{f}" for p in prefixes for f in UNIT_FIELDS)
        since = Succession.objects.filter(
            effective_date__gt=after, effective_date__lte=self.today
        ).order_by()
        if frontier and all(self.units[t].level == Level.PROVINCE for t in frontier):
            self._explored |= frontier
            # Driven from the ~90 provinces through the successor index, not by joining every
            # one of the ten thousand commune successions to its unit.
            provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE).values("pk")
            self._load_steps(since.filter(successor_id__in=provinces).values(*columns))
            frontier = set()
        while frontier:
            # Two indexed lookups in one statement (an OR of the two would scan the table).
            rows = (
                since.filter(successor_id__in=frontier)
                .values(*columns)
                .union(since.filter(predecessor_id__in=frontier).values(*columns))
            )
            self._explored |= frontier
            frontier = {
                before for before, after_unit in self._load_steps(rows) if after_unit in frontier
            } - self._explored
        self._freeze()

    def _load_steps(self, rows) -> list[tuple[int, int]]:
        pairs = []
        for row in rows:
            before, after = (
                self._add({f: row[f"{p}{f}"] for f in UNIT_FIELDS})
                for p in ("predecessor__", "successor__")
            )
            pairs.append((before.id, after.id))
            if row["id"] not in self.successions:
                step = SuccessionStep(
                    row["id"],
                    before.id,
                    after.id,
                    row["effective_date"],
                    row["kind"] == SuccessionKind.WHOLE,
                    row["share"],
                )
                self.successions[step.id] = step
                self._outs[before.id].append(step)
        return pairs

    def _freeze(self) -> None:
        """The days the loaded territory changes: between two of them every answer is the same,
        so 20 years on today's territory cost two or three walks instead of twenty."""
        days = {s.date for s in self.successions.values()}
        for unit in self.units.values():
            if unit.valid_from:
                days.add(unit.valid_from)
            if unit.valid_to:
                days.add(unit.valid_to + dt.timedelta(days=1))
        self._breaks = sorted(days)

    def epoch(self, date: dt.date) -> int:
        return bisect_right(self._breaks, date)

    def forward(self, unit_id: int, after: dt.date) -> dict[int, Weight]:
        """Today's units that took the territory ``unit_id`` had on ``after``, with shares."""
        key = (unit_id, self.epoch(after))
        memo = self._forward.get(key)
        if memo is not None:
            return memo
        unit = self.units[unit_id]
        outs = [s for s in self._outs.get(unit_id, ()) if after < s.date <= self.today]
        result: dict[int, Weight] = {}
        if not outs:
            if unit.valid_on(self.today):
                result[unit_id] = (ONE, frozenset())
        else:
            first = min(s.date for s in outs)
            remainder: Weight = (ONE, frozenset())
            ceased = not unit.valid_on(first)
            for step in (s for s in outs if s.date == first):
                ceased = ceased or step.whole
                share: Weight = (
                    (ONE, frozenset())
                    if step.whole
                    else (step.share, frozenset({step.id}) if step.share is None else frozenset())
                )
                if not step.whole:
                    remainder = _minus(remainder, share)
                _merge_into(result, self.forward(step.successor, first), share)
            if not ceased:
                _merge_into(result, self.forward(unit_id, first), remainder)
        self._forward[key] = result
        return result

    def current_sources(
        self, targets: Sequence[int], date: dt.date
    ) -> dict[int, dict[int, Weight]]:
        """For each of today's ``targets``: the units of ``date`` that feed it, with shares."""
        epoch = self.epoch(date)
        if epoch in self._sources:
            return self._sources[epoch]
        found: dict[int, dict[int, Weight]] = {t: {} for t in targets}
        candidates = {s.predecessor for s in self.successions.values()} | set(targets)
        for unit_id in sorted(candidates):
            if not self.units[unit_id].valid_on(date):
                continue
            for destination, weight in self.forward(unit_id, date).items():
                if destination in found:
                    found[destination][unit_id] = weight
        self._sources[epoch] = found
        return found

    def describe(self, succession_ids: Iterable[int]) -> str:
        parts = []
        for step in sorted((self.successions[i] for i in succession_ids), key=lambda s: s.id)[:3]:
            parts.append(
                _("%(from)s → %(to)s (%(date)s)")
                % {
                    "from": self.units[step.predecessor].name,
                    "to": self.units[step.successor].name,
                    "date": step.date.strftime("%d/%m/%Y"),
                }
            )
        return "; ".join(parts)


def _minus(left: Weight, right: Weight) -> Weight:
    if left[0] is None or right[0] is None:
        return (None, left[1] | right[1])
    return (left[0] - right[0], left[1] | right[1])


def _times(left: Weight, right: Weight) -> Weight:
    if left[0] is None or right[0] is None:
        return (None, left[1] | right[1])
    return (left[0] * right[0], left[1] | right[1])


def plus(left: Weight, right: Weight) -> Weight:
    if left[0] is None or right[0] is None:
        return (None, left[1] | right[1])
    return (left[0] + right[0], left[1] | right[1])


def _merge_into(result: dict[int, Weight], part: dict[int, Weight], share: Weight) -> None:
    for destination, weight in part.items():
        scaled = _times(share, weight)
        result[destination] = plus(result[destination], scaled) if destination in result else scaled
