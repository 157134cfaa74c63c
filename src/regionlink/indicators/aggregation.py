"""Values of any indicator for units, regions or the whole country, on two territories.

``asof``: each period on the territory that existed at its end. A region is its members on
that day (for 2016, the old six regions of 63 provinces); a unit is the unit that bore the code
then (falling back to one that existed during the period, such as Hà Tây in 2008).

``current``: re-expressed on today's units and regions. The values of the units that existed
at the end of the period flow forward through the successions that took effect since: a whole
succession passes the whole value, a partial one with a known share passes value × share, and
a unit that survives a partial transfer keeps the remainder. When a partial succession has no
share, the targets it feeds are *not computable* and say which succession lacks its share.
We chose no approximation (such as "the small piece stays with its old province"): officials
compare these series across years, and a silent approximation would be read as a statistic.
The ``asof`` view always gives the numbers as published.

Coverage: every row names the units expected, those that contributed and those missing; by
default (``DEFAULT_COVERAGE``) every expected unit is required, for every rule. A lower
threshold computes from the contributing units only (a SUM is then an undercount, which the
coverage shows). Values the reader may not read are simply missing: they never enter a result.

Time: each period is computed on its own; nothing here adds periods together, so cumulative
series are never summed over years and a range of years returns one row per year.

The work is set-based: one query per component indicator fetches the values of every needed
unit and period; the unit → target shares are computed once per call from memberships and
successions. The catalogue and the units, regions and memberships come from per-process
snapshots (``catalogue.snapshot``, ``aggregation_territory``), checked against one cheap
version query; successions are read per call. See ``aggregation_rules`` for how values
combine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from regionlink.geography import queries
from regionlink.indicators import catalogue as catalogue_module
from regionlink.indicators import data_versions
from regionlink.indicators import disaggregation as dis
from regionlink.indicators import periods as periods_module
from regionlink.indicators import values as value_reads
from regionlink.indicators.aggregation_rules import (
    ONE,
    Catalogue,
    Combiner,
    Outcome,
    Sources,
    Store,
    combined_status,
)
from regionlink.indicators.aggregation_territory import (
    RegionEntry,
    Territory,
    TerritorySnapshot,
    UnitEntry,
    Weight,
    plus,
)
from regionlink.indicators.aggregation_territory import snapshot as territory_snapshot
from regionlink.indicators.catalogue import CatalogueSnapshot
from regionlink.indicators.formula import FormulaError
from regionlink.indicators.models import Indicator, SpatialRule
from regionlink.indicators.periods import Period
from regionlink.indicators.sharing import readable_datasets

COUNTRY_CODE = "VN"
DEFAULT_COVERAGE = Decimal(1)


class Boundaries(StrEnum):
    ASOF = "asof"
    CURRENT = "current"


@dataclass(frozen=True)
class Target:
    kind: str  # "unit" | "region" | "country"
    code: str

    @classmethod
    def unit(cls, code: str) -> Target:
        return cls("unit", code)

    @classmethod
    def region(cls, code: str) -> Target:
        return cls("region", code.upper())

    @classmethod
    def country(cls) -> Target:
        return cls("country", COUNTRY_CODE)


@dataclass(frozen=True)
class Coverage:
    expected: int
    contributed: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def share(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(len(self.contributed)) / self.expected).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class AggregateRow:
    indicator: str
    target: Target
    target_name: str
    target_level: str  # province | district | commune | region | country
    period: str
    disaggregation: str
    value: Decimal | None
    status: str | None
    coverage: Coverage
    reason: str
    boundaries: str

    @property
    def computable(self) -> bool:
        return self.value is not None


# --- Targets → sources ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    sources: Sources
    name: str
    level: str


class _Planner:
    """Works out, for each (target, period), the units whose values make it up."""

    def __init__(self, territory: Territory, boundaries: Boundaries, targets, periods):
        self.territory = territory
        self.boundaries = boundaries
        self.targets = list(targets)
        self.periods = list(periods)
        codes = [t.code for t in self.targets if t.kind == "unit"]
        self.by_code = territory.units_with_codes(codes) if codes else {}
        if boundaries == Boundaries.CURRENT:
            self._prepare_current()

    def _today_unit(self, code: str) -> UnitEntry | None:
        return next(
            (u for u in self.by_code.get(code, []) if u.valid_on(self.territory.today)), None
        )

    def _today_members(self, target: Target) -> list[int]:
        today = self.territory.today
        if target.kind == "unit":
            unit = self._today_unit(target.code)
            return [unit.id] if unit else []
        if target.kind == "country":
            return [u.id for u in self.territory.provinces() if u.valid_on(today)]
        region = self.territory.regions().get(target.code)
        if region is None or not region.is_valid_on(today):
            return []
        return self.territory.members(region, today)

    def _prepare_current(self) -> None:
        self.today_members = {t: self._today_members(t) for t in self.targets}
        everything = {u for members in self.today_members.values() for u in members}
        if everything and self.periods:
            self.territory.explore(everything, min(p.end for p in self.periods))
        self._sources: dict[tuple[Target, int], Sources] = {}

    def resolve(self, target: Target, period: Period) -> _Resolved:
        if target.kind == "country":
            name, level = _("Cả nước"), "country"
        elif target.kind == "region":
            region = self.territory.regions().get(target.code)
            if region is None:
                return _absent(
                    target.code, "region", _("Không có vùng mã %(code)s.") % {"code": target.code}
                )
            name, level = region.name, "region"
        else:
            unit = self._unit_for(target.code, period)
            if unit is None:
                message = _("Không có đơn vị hành chính mã %(code)s trong kỳ %(period)s.")
                return _absent(target.code, "", message % {"code": target.code, "period": period})
            name, level = unit.name, unit.level
        if self.boundaries == Boundaries.ASOF:
            sources = self._asof(target, period)
        else:
            sources = self._current(target, period)
        return _Resolved(sources, name, level)

    def _unit_for(self, code: str, period: Period) -> UnitEntry | None:
        versions = self.by_code.get(code, [])
        if self.boundaries == Boundaries.CURRENT:
            return self._today_unit(code) or max(versions, key=_latest, default=None)
        on_end = [u for u in versions if u.valid_on(period.end)]
        during = [u for u in versions if u.overlaps(period)]
        return (on_end or during or [None])[0] if len(on_end) <= 1 else max(on_end, key=_latest)

    def _asof(self, target: Target, period: Period) -> Sources:
        if target.kind == "unit":
            unit = self._unit_for(target.code, period)
            return Sources({unit.id: ONE}, identity=unit.id)
        if target.kind == "country":
            ids = [u.id for u in self.territory.provinces() if u.valid_on(period.end)]
            return Sources(dict.fromkeys(ids, ONE))
        region = self.territory.regions()[target.code]
        if not region.is_valid_on(period.end):
            return Sources({}, absent_reason=_region_absent(region, period))
        members = self.territory.members(region, period.end)
        identity = members[0] if len(members) == 1 else None
        return Sources(dict.fromkeys(members, ONE), identity=identity)

    def _current(self, target: Target, period: Period) -> Sources:
        members = self.today_members[target]
        if not members:
            if target.kind == "region":
                region = self.territory.regions()[target.code]
                return Sources({}, absent_reason=_region_ended(region))
            unit = self._unit_for(target.code, period)
            return Sources({}, absent_reason=_unit_ended(unit))
        key = (target, self.territory.epoch(period.end))
        if key in self._sources:
            return self._sources[key]
        everything = sorted({u for m in self.today_members.values() for u in m})
        by_unit = self.territory.current_sources(everything, period.end)
        combined: dict[int, Weight] = {}
        for member in members:
            for unit_id, weight in by_unit[member].items():
                combined[unit_id] = (
                    plus(combined[unit_id], weight) if unit_id in combined else weight
                )
        unknown = frozenset().union(*(w[1] for w in combined.values()))
        sources = Sources({u: w[0] for u, w in combined.items()})
        if unknown:
            sources.unknown_reason = _(
                "Không quy đổi được sang địa giới hiện nay: chưa có tỷ lệ phân chia của %(steps)s."
            ) % {"steps": self.territory.describe(unknown)}
        elif len(combined) == 1 and next(iter(combined.values()))[0] == ONE:
            sources.identity = next(iter(combined))
        self._sources[key] = sources
        return sources


def _latest(unit: UnitEntry) -> dt.date:
    return unit.valid_from or dt.date.min


def _absent(code: str, level: str, reason: str) -> _Resolved:
    return _Resolved(Sources({}, absent_reason=reason), code, level)


def _region_absent(region: RegionEntry, period: Period) -> str:
    return _("Vùng %(name)s không tồn tại vào cuối kỳ %(period)s; dùng boundaries=current.") % {
        "name": region.name,
        "period": period,
    }


def _region_ended(region: RegionEntry) -> str:
    return _("Vùng %(name)s đã kết thúc sau ngày %(date)s; dùng boundaries=asof.") % {
        "name": region.name,
        "date": region.valid_to.strftime("%d/%m/%Y") if region.valid_to else "",
    }


def _unit_ended(unit: UnitEntry | None) -> str:
    if unit is None:
        return _("Không có đơn vị hành chính này.")
    return _(
        "%(name)s (%(code)s) không còn tồn tại sau ngày %(date)s; dùng boundaries=asof hoặc hỏi "
        "đơn vị kế thừa."
    ) % {
        "name": unit.name,
        "code": unit.code,
        "date": unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "",
    }


# --- The service ---------------------------------------------------------------------------


def aggregate(
    *,
    user,
    indicators: Sequence[Indicator | str],
    targets: Sequence[Target],
    periods: Sequence[Period | str],
    boundaries: str = Boundaries.ASOF,
    disaggregation: str = "",
    coverage_threshold: Decimal | float | str | None = None,
    dataset_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
    catalogue: CatalogueSnapshot | None = None,
    territory: TerritorySnapshot | None = None,
) -> list[AggregateRow]:
    """One row per indicator × target × period, in that order; see the module docstring.

    ``catalogue`` and ``territory`` are the snapshots the caller has read already; without
    them one cheap query finds the current ones.
    """
    view = Boundaries(boundaries)
    threshold = DEFAULT_COVERAGE if coverage_threshold is None else Decimal(str(coverage_threshold))
    wanted_periods = [p if isinstance(p, Period) else periods_module.parse(p) for p in periods]
    key = dis.normalise(disaggregation)
    if catalogue is None or territory is None:
        versions = data_versions.read(())
        catalogue = catalogue or catalogue_module.snapshot(versions.catalogue)
        territory = territory or territory_snapshot(versions.territory)
    rules: Catalogue = catalogue.rules
    wanted = [rules.by_code[i if isinstance(i, str) else i.code] for i in indicators]
    # A subquery, not a list, when the caller has not read the ids already: one round trip less.
    ids = readable_datasets(user).values("pk") if dataset_ids is None else list(dataset_ids)
    walk = Territory(today or queries.today(), territory)
    planner = _Planner(walk, view, targets, wanted_periods)
    plan = {(t, p.label): planner.resolve(t, p) for t in targets for p in wanted_periods}

    needs: set[tuple[int, str]] = set()
    broken: dict[int, str] = {}
    for indicator in wanted:
        try:
            needs |= rules.needs(indicator, key)
        except FormulaError as exc:
            broken[indicator.pk] = exc.message
    unit_ids = {u for resolved in plan.values() for u in resolved.sources.weights}
    tables: dict[str, Store] = {p.label: {} for p in wanted_periods}
    for indicator_id in sorted({i for i, _k in needs}):
        keys = [k for i, k in needs if i == indicator_id]
        found = value_reads.fetch(
            dataset_ids=ids,
            indicator_id=indicator_id,
            disaggregations=keys,
            unit_ids=unit_ids,
            periods=wanted_periods,
        )
        for (k, unit_id, period), value in found.items():
            tables[period].setdefault((indicator_id, k), {})[unit_id] = value

    codes = {u.id: u.code for u in walk.units.values()}
    combiners = {label: Combiner(rules, table, threshold) for label, table in tables.items()}
    rows = []
    for indicator in wanted:
        problem = broken.get(indicator.pk) or _unknown_dimensions(rules, indicator, key)
        for target in targets:
            for period in wanted_periods:
                resolved = plan[(target, period.label)]
                if problem:
                    outcome = Outcome(None, reason=problem)
                else:
                    outcome = combiners[period.label].outcome(indicator, key, resolved.sources)
                rows.append(
                    _row(indicator.code, target, period, key, view, resolved, outcome, codes)
                )
    return rows


def _unknown_dimensions(catalogue: Catalogue, indicator: Indicator, key: str) -> str:
    if indicator.spatial_rule == SpatialRule.RATIO:
        return catalogue.ratio_refusal(indicator, key)
    extra = sorted(set(dis.parse(key)) - catalogue.dimensions[indicator.pk])
    if not extra:
        return ""
    return _("Chỉ tiêu %(code)s không phân tổ theo %(dimensions)s.") % {
        "code": indicator.code,
        "dimensions": ", ".join(extra),
    }


def _coverage(sources: Sources, contributed: set[int], codes: dict[int, str]) -> Coverage:
    expected = sources.weights
    if len(contributed) == len(expected) and all(u in contributed for u in expected):
        if sources.codes is None:  # shared by every period of an epoch: sort once
            sources.codes = tuple(sorted(codes[u] for u in expected))
        return Coverage(len(expected), sources.codes, ())
    return Coverage(
        expected=len(expected),
        contributed=tuple(sorted(codes[u] for u in expected if u in contributed)),
        missing=tuple(sorted(codes[u] for u in expected if u not in contributed)),
    )


def _row(code, target, period, key, view, resolved, outcome, codes) -> AggregateRow:
    computable = outcome.value is not None
    return AggregateRow(
        indicator=code,
        target=target,
        target_name=resolved.name,
        target_level=resolved.level,
        period=period.label,
        disaggregation=key,
        value=outcome.value,
        status=combined_status(outcome.statuses) if computable else None,
        coverage=_coverage(resolved.sources, outcome.contributed, codes),
        reason="" if computable else outcome.reason,
        boundaries=str(view),
    )
