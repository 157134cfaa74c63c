"""Reads of published data values, for the API, the command line, pages and aggregation.

Every function here filters on the data sets the reader may read
(``sharing.readable_datasets``), so restricted or embargoed values never reach a caller;
unpublished values (``StagedValue``) are never read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from regionlink.indicators.models import DataValue, ImportBatch, Indicator, SpatialRule
from regionlink.indicators.periods import Period
from regionlink.indicators.sharing import readable_datasets

# (disaggregation, unit id, period label) → (value, status)
ValueMap = dict[tuple[str, int, str], tuple[Decimal, str]]


def readable_dataset_ids(user) -> list[int]:
    """Ids of the data sets ``user`` may read now, sorted (one query)."""
    return sorted(readable_datasets(user).values_list("pk", flat=True))


def readable_dataset_flags(user) -> tuple[list[int], list[int]]:
    """Ids of the data sets ``user`` may read now and of the demo ones among them, sorted
    (one query)."""
    rows = sorted(readable_datasets(user).order_by().values_list("pk", "is_demo"))
    return [pk for pk, _demo in rows], [pk for pk, demo in rows if demo]


def readable_values(user, dataset_ids: Sequence[int] | None = None) -> QuerySet[DataValue]:
    """Published values ``user`` may read; pass ``dataset_ids`` when already known."""
    ids = readable_dataset_ids(user) if dataset_ids is None else list(dataset_ids)
    return DataValue.objects.filter(dataset_id__in=ids)


def fetch(
    *,
    dataset_ids: Sequence[int] | QuerySet,
    indicator_id: int,
    disaggregations: Iterable[str],
    unit_ids: Iterable[int],
    periods: Sequence[Period],
) -> ValueMap:
    """One indicator's readable values for all ``unit_ids`` × ``periods``, in one query.

    Equality lists on period_start and unit let the (indicator, period_start, unit) index
    probe each (period, unit) pair instead of scanning every unit of the period range; the
    exact labels then separate a year from the quarter and the month that start on its day.
    """
    units, keys = sorted(set(unit_ids)), sorted(set(disaggregations))
    if not units or not periods or not keys:
        return {}
    if isinstance(dataset_ids, list | tuple) and not dataset_ids:
        return {}
    rows = DataValue.objects.filter(
        indicator_id=indicator_id,
        period_start__in=sorted({p.start for p in periods}),
        unit_id__in=units,
        period__in=sorted({p.label for p in periods}),
        dataset_id__in=dataset_ids,  # a list, or readable_datasets(...).values("pk")
    )
    if len(keys) == 1:
        rows = rows.filter(disaggregation=keys[0])
    else:
        rows = rows.filter(disaggregation__in=keys)
    return {
        (key, unit_id, period): (value, status)
        for key, unit_id, period, value, status in rows.values_list(
            "disaggregation", "unit_id", "period", "value", "status"
        )
    }  # one round trip: .iterator() would open a server-side cursor (three on PostgreSQL)


def series(user, *, indicator: Indicator, unit, disaggregation: str = "") -> list[DataValue]:
    """One unit's readable values of one indicator over time, oldest first (for unit pages)."""
    return list(
        readable_values(user)
        .filter(indicator=indicator, unit=unit, disaggregation=disaggregation)
        .order_by("period_start", "period")
    )


def latest_by_indicator(user, *, unit, indicators: Iterable[Indicator]) -> dict[int, DataValue]:
    """The most recent readable total value of each indicator for ``unit`` (two queries)."""
    ids = [i.pk for i in indicators]
    found: dict[int, DataValue] = {}
    rows = (
        readable_values(user)
        .filter(unit=unit, indicator_id__in=ids, disaggregation="")
        .order_by("indicator_id", "-period_start", "-period_end")
    )
    for row in rows:
        found.setdefault(row.indicator_id, row)
    return found


def data_version(dataset_ids: Sequence[int]) -> tuple:
    """A cheap fingerprint of the readable data: it changes whenever a batch is added or
    decided (every change to a value comes with a batch: DataValue.batch, revisions' new_batch).
    """
    if not dataset_ids:
        return (0, 0, None, None)
    stats = ImportBatch.objects.filter(dataset_id__in=list(dataset_ids)).aggregate(
        last=Max("id"), count=Count("id"), decided=Max("decided_at"), finished=Max("finished_at")
    )
    return (
        stats["last"] or 0,
        stats["count"],
        stats["decided"].isoformat() if stats["decided"] else None,
        stats["finished"].isoformat() if stats["finished"] else None,
    )


# --- Data queries (GET /api/v1/data and `regionlink data get`) -----------------------------

MAX_ROWS = 50_000
MAX_PERIODS = 300
TARGET_RANK = {"unit": 0, "region": 1, "country": 2}


class QueryError(ValueError):
    """A data query the caller can fix: a stable code, a Vietnamese message, the parameter."""

    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code, self.message, self.field = code, str(message), field


@dataclass(frozen=True)
class DataQuery:
    indicators: tuple[str, ...]
    targets: tuple  # aggregation.Target
    periods: tuple[Period, ...]
    boundaries: str
    disaggregation: str
    min_coverage: Decimal | None

    def keys(self) -> list[tuple]:
        """Every row's sort key, in the order rows are listed and paged."""
        return sorted(
            (code, TARGET_RANK[t.kind], t.code, p.start.isoformat(), p.label)
            for code in self.indicators
            for t in self.targets
            for p in self.periods
        )


def _codes(text: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for part in (text or "").replace(";", ",").split(","):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def _parse_periods(text: str | None) -> list[Period]:
    from regionlink.indicators.periods import PeriodError, year_range

    items = _codes(text)
    if not items:
        raise QueryError(
            "missing_period", _("Cần tham số period, ví dụ 2016 hoặc 2010:2020."), "period"
        )
    found: dict[str, Period] = {}
    try:
        for item in items:
            for period in year_range(item):
                found.setdefault(period.label, period)
    except PeriodError as exc:
        raise QueryError("invalid_period", str(exc), "period") from None
    if len(found) > MAX_PERIODS:
        raise QueryError(
            "too_many_periods",
            _("Tối đa %(limit)s kỳ trong một truy vấn.") % {"limit": MAX_PERIODS},
            "period",
        )
    return sorted(found.values(), key=lambda p: (p.start, p.label))


def _parse_indicators(text: str | None, key: str, catalogue) -> tuple[list[str], str]:
    from regionlink.indicators import disaggregation as dis

    codes = [c.upper() for c in _codes(text)]
    if not codes:
        raise QueryError(
            "missing_indicator", _("Cần tham số indicator, ví dụ POP_AVG."), "indicator"
        )
    unknown = [c for c in codes if c not in catalogue.by_code]
    if unknown:
        raise QueryError(
            "unknown_indicator",
            _("Không có chỉ tiêu mã %(codes)s; xem danh mục tại /api/v1/indicators.")
            % {"codes": ", ".join(unknown)},
            "indicator",
        )
    try:
        key = dis.normalise(key)
        for code in codes:
            indicator = catalogue.by_code[code]
            # A ratio names the component that lacks the dimension, and the fix.
            if indicator.spatial_rule == SpatialRule.RATIO and (
                refusal := catalogue.rules.ratio_refusal(indicator, key)
            ):
                raise dis.DisaggregationError(refusal)
            dis.validate(key, catalogue.allowed[code])
    except dis.DisaggregationError as exc:
        raise QueryError("invalid_disaggregation", str(exc), "disaggregation") from None
    return codes, key


def _parse_targets(unit: str | None, region: str | None, country: bool, territory) -> list:
    from regionlink.indicators.aggregation import Target

    targets = []
    unit_codes, region_codes = _codes(unit), [c.upper() for c in _codes(region)]
    if unit_codes:
        unknown = [c for c in unit_codes if c not in territory.by_code]
        if unknown:
            raise QueryError(
                "unknown_unit",
                _("Không có đơn vị hành chính mã %(codes)s (tham số unit).")
                % {"codes": ", ".join(unknown)},
                "unit",
            )
        targets += [Target.unit(c) for c in unit_codes]
    if region_codes:
        known = territory.region_codes
        unknown = [c for c in region_codes if c not in known]
        if unknown:
            raise QueryError(
                "unknown_region",
                _("Không có vùng mã %(codes)s; dùng một trong: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(sorted(known))},
                "region",
            )
        targets += [Target.region(c) for c in region_codes]
    if country:
        targets.append(Target.country())
    if not targets:
        raise QueryError(
            "missing_target",
            _("Cần ít nhất một trong các tham số unit, region hoặc country=1."),
            "unit",
        )
    return targets


def snapshots(catalogue=None, territory=None) -> tuple:
    """The catalogue and territory snapshots: those given, the others current (one query)."""
    from regionlink.indicators import catalogue as catalogue_module
    from regionlink.indicators import data_versions
    from regionlink.indicators.aggregation_territory import snapshot as territory_snapshot

    if catalogue is None or territory is None:
        versions = data_versions.read(())
        catalogue = catalogue or catalogue_module.snapshot(versions.catalogue)
        territory = territory or territory_snapshot(versions.territory)
    return catalogue, territory


def parse_query(
    *,
    indicator: str | None,
    period: str | None,
    unit: str | None = None,
    region: str | None = None,
    country: bool = False,
    boundaries: str | None = "asof",
    disaggregation: str | None = "",
    min_coverage: float | str | None = None,
    catalogue=None,
    territory=None,
) -> DataQuery:
    """Check a data query's parameters; raise QueryError naming the parameter to fix.

    ``catalogue`` and ``territory`` are the snapshots the caller has read already (see
    ``aggregation.aggregate``).
    """
    catalogue, territory = snapshots(catalogue, territory)
    view = (boundaries or "asof").lower()
    if view not in ("asof", "current"):
        raise QueryError(
            "invalid_boundaries",
            _("boundaries phải là asof (địa giới khi đó) hoặc current (địa giới hiện nay)."),
            "boundaries",
        )
    threshold = None
    if min_coverage not in (None, ""):
        try:
            threshold = Decimal(str(min_coverage))
        except ArithmeticError:
            threshold = Decimal(-1)
        if not Decimal(0) <= threshold <= Decimal(1):
            raise QueryError(
                "invalid_min_coverage",
                _("min_coverage là tỷ lệ từ 0 đến 1, ví dụ 0.9; nhận “%(value)s”.")
                % {"value": min_coverage},
                "min_coverage",
            )
    codes, key = _parse_indicators(indicator, disaggregation or "", catalogue)
    query = DataQuery(
        indicators=tuple(codes),
        targets=tuple(_parse_targets(unit, region, country, territory)),
        periods=tuple(_parse_periods(period)),
        boundaries=view,
        disaggregation=key,
        min_coverage=threshold,
    )
    if len(query.indicators) * len(query.targets) * len(query.periods) > MAX_ROWS:
        raise QueryError(
            "too_many_rows",
            _("Truy vấn quá lớn (quá %(limit)s dòng); chia nhỏ theo chỉ tiêu, đơn vị hoặc kỳ.")
            % {"limit": MAX_ROWS},
            "period",
        )
    return query


def data_rows(
    user,
    query: DataQuery,
    keys: Sequence[tuple] | None = None,
    dataset_ids=None,
    catalogue=None,
    territory=None,
):
    """The aggregate rows of ``query`` (only those with ``keys`` when given), in key order."""
    from regionlink.indicators.aggregation import aggregate

    wanted = query.keys() if keys is None else list(keys)
    if not wanted:
        return []
    codes = {k[0] for k in wanted}
    targets = {(k[1], k[2]) for k in wanted}
    labels = {k[4] for k in wanted}
    rows = aggregate(
        user=user,
        indicators=[c for c in query.indicators if c in codes],
        targets=[t for t in query.targets if (TARGET_RANK[t.kind], t.code) in targets],
        periods=[p for p in query.periods if p.label in labels],
        boundaries=query.boundaries,
        disaggregation=query.disaggregation,
        coverage_threshold=query.min_coverage,
        dataset_ids=dataset_ids,
        catalogue=catalogue,
        territory=territory,
    )
    by_key = {(r.indicator, TARGET_RANK[r.target.kind], r.target.code, r.period): r for r in rows}
    return [by_key[(k[0], k[1], k[2], k[4])] for k in wanted]


def data_page(
    user,
    query: DataQuery,
    *,
    after: list | None,
    limit: int,
    dataset_ids=None,
    catalogue=None,
    territory=None,
):
    """One keyset page of ``query``'s rows and the key of its last row when more follow.

    Only the rows of the page are computed: every row's key is known before any value is.
    """
    keys = query.keys()
    start = 0
    if after is not None:
        marker = tuple(after)
        start = next((i for i, k in enumerate(keys) if k > marker), len(keys))
    page = keys[start : start + limit + 1]
    more = len(page) > limit
    page = page[:limit]
    rows = data_rows(
        user, query, page, dataset_ids=dataset_ids, catalogue=catalogue, territory=territory
    )
    return rows, (list(page[-1]) if more and page else None)


def output_number(value: Decimal | None) -> Decimal | None:
    """A value as served: at most six decimals (the store's precision), no trailing zeros."""
    if value is None:
        return None
    rounded = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
    return rounded.normalize() if rounded != 0 else Decimal(0)


def row_dict(row) -> dict:
    """A row as the API's JSON item (value as a float)."""
    value = output_number(row.value)
    return {
        "indicator": row.indicator,
        "target": {
            "type": row.target.kind,
            "code": row.target.code,
            "name": row.target_name,
            "level": row.target_level,
        },
        "period": row.period,
        "disaggregation": row.disaggregation,
        "value": float(value) if value is not None else None,
        "status": row.status,
        "coverage": {
            "expected": row.coverage.expected,
            "contributed": list(row.coverage.contributed),
            "missing": list(row.coverage.missing),
            "share": float(row.coverage.share) if row.coverage.share is not None else None,
        },
        "computable": row.computable,
        "reason": row.reason,
        "boundaries": row.boundaries,
    }


FLAT_COLUMNS = (
    "indicator",
    "target_type",
    "target_code",
    "target_name",
    "period",
    "disaggregation",
    "value",
    "status",
    "computable",
    "reason",
    "coverage_expected",
    "coverage_contributed",
    "coverage_missing",
    "coverage_share",
    "boundaries",
)


def flat_row(row) -> dict:
    """A row for CSV and XLSX: one column per field, unit lists space-separated."""
    value = output_number(row.value)
    return {
        "indicator": row.indicator,
        "target_type": row.target.kind,
        "target_code": row.target.code,
        "target_name": row.target_name,
        "period": row.period,
        "disaggregation": row.disaggregation,
        "value": format(value, "f") if value is not None else "",
        "status": row.status or "",
        "computable": "1" if row.computable else "0",
        "reason": row.reason,
        "coverage_expected": row.coverage.expected,
        "coverage_contributed": " ".join(row.coverage.contributed),
        "coverage_missing": " ".join(row.coverage.missing),
        "coverage_share": format(row.coverage.share, "f") if row.coverage.share is not None else "",
        "boundaries": row.boundaries,
    }


ILLUSTRATIVE_NOTE = "Dữ liệu minh họa — không phải số liệu thống kê chính thức"


def touches_illustrative_data(
    indicator_codes, dataset_ids, *, demo_ids=None, catalogue=None
) -> bool:
    """Whether a query's values (or their components) come from a demo ("minh họa") data set.

    Demo data must be labelled wherever it is shown; this answers for a whole query, which is
    how every page and download presents it. No query when ``demo_ids`` (the demo data sets
    among ``dataset_ids``) is given empty.
    """
    from regionlink.indicators.formula import parse as parse_formula
    from regionlink.indicators.models import DataSet, DataValue

    if demo_ids is not None:
        if not demo_ids:
            return False
        demo = list(demo_ids)
    else:
        demo = DataSet.objects.filter(pk__in=list(dataset_ids), is_demo=True)
        if not demo.exists():
            return False
    if catalogue is None:
        from regionlink.indicators.catalogue import snapshot

        catalogue = snapshot()
    by_id = {i.pk: i for i in catalogue.by_code.values()}
    codes = {c for c in indicator_codes if c in catalogue.by_code}
    for code in list(codes):
        indicator = catalogue.by_code[code]
        for part in (indicator.numerator_id, indicator.denominator_id, indicator.weight_id):
            if part is not None:
                codes.add(by_id[part].code)
        if indicator.formula:
            codes.update(ref.code for ref in parse_formula(indicator.formula).references)
    return DataValue.objects.filter(dataset__in=demo, indicator__code__in=codes).exists()
