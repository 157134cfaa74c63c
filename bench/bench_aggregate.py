"""Aggregation on a large store: one indicator, all six regions, 20 years, today's boundaries.

The store (``BENCH_STORE_VALUES`` values; 10,000,000 on PostgreSQL, 2,000,000 on SQLite where
a 10-million-row file database would take most of the bench's time budget to build) is written
straight into the values table: COPY on PostgreSQL, executemany on SQLite, with the table's
secondary indexes and constraints dropped during the load and rebuilt afterwards (then
ANALYZE), as a bulk migration would. Its shape:

- every stored catalogue indicator (SUM, WEIGHTED_MEAN, NONE) × its disaggregations (total,
  each member, sex × urban/rural) × 30 years (1996–2025) × the provinces of each year;
- the rest at commune level: each year's communes (≈ 10,000 old ones to 2024, 3,321 from 2025)
  × the first K (indicator, disaggregation) pairs, population first: the benchmarked indicator
  also has millions of commune values the query must not read.

Then ``aggregation.aggregate`` for POP_AVG × the six current regions × 2006–2025 on current
boundaries, p50/p95 over 30 runs after 2 warm-up runs, beside the hand-written SQL reference
(``aggregation_sql.hand_written_sql_sum``), whose numbers must be equal. For 2006–2007 the
aggregate refuses two regions (Hà Nội took Mê Linh and four communes of Lương Sơn in 2008 by
partial successions without a known share) while the SQL reference, which ignores partial
successions, sums them anyway: those cells are reported and left out of the comparison.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import statistics
import time
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

STORE_CODE = "bench-store"
STORE_SOURCE = "bench: synthetic store (not data)"
YEARS = range(1996, 2026)
QUERY_YEARS = [str(y) for y in range(2006, 2026)]
RUNS, WARM_UP = 30, 2
CHUNK = 50_000


def store_target() -> int:
    default = 10_000_000 if connection.vendor == "postgresql" else 2_000_000
    return int(os.environ.get("BENCH_STORE_VALUES", default))


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, runs: int = RUNS, warm_up: int = WARM_UP) -> list[float]:
    for _ in range(warm_up):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


# --- The store -------------------------------------------------------------------------------


def _keys() -> list[tuple[int, str]]:
    """(indicator id, disaggregation) of every stored indicator, population first."""
    from regionlink.indicators.models import Indicator, SpatialRule

    stored = (SpatialRule.SUM, SpatialRule.WEIGHTED_MEAN, SpatialRule.NONE)
    indicators = Indicator.objects.filter(spatial_rule__in=stored).prefetch_related(
        "dimensions__members"
    )
    ordered = sorted(indicators, key=lambda i: (i.code != "POP_AVG", i.code))
    keys = []
    for indicator in ordered:
        dims = sorted(indicator.dimensions.all(), key=lambda d: d.code)
        keys.append((indicator.pk, ""))
        for dim in dims:
            keys += [(indicator.pk, f"{dim.code}={m.code}") for m in dim.members.all()]
        if len(dims) == 2:
            first, second = dims
            keys += [
                (indicator.pk, f"{first.code}={a.code};{second.code}={b.code}")
                for a in first.members.all()
                for b in second.members.all()
            ]
    return keys


def _units_by_year(level: str) -> dict[int, list[int]]:
    from regionlink.geography.models import AdministrativeUnit

    rows = list(
        AdministrativeUnit.objects.filter(level=level).values_list("pk", "valid_from", "valid_to")
    )
    found = {}
    for year in YEARS:
        end = dt.date(year, 12, 31)
        found[year] = sorted(
            pk
            for pk, start, stop in rows
            if (start is None or start <= end) and (not stop or stop >= end)
        )
    return found


def _rows(total: int, dataset_id: int, batch_id: int) -> Iterator[tuple]:
    """The store's rows: (indicator, unit, period, start, end, key, value, status, dataset,
    batch), provinces first, then communes year by year; exactly ``total`` of them."""
    # Everything the rows need is read now: the generator runs inside COPY, when the
    # connection can serve no other query.
    keys = _keys()
    provinces, communes = _units_by_year("province"), _units_by_year("commune")
    return _generate(total, dataset_id, batch_id, keys, provinces, communes)


def _generate(total, dataset_id, batch_id, keys, provinces, communes) -> Iterator[tuple]:
    made = 0

    def row(indicator_id, unit_id, year, key, n):
        value = f"{50 + (unit_id * 7919 + year * 31 + n * 17) % 500 / 10:.1f}"
        return (
            indicator_id, unit_id, str(year), f"{year}-01-01", f"{year}-12-31", key, value,
            "official", dataset_id, batch_id,
        )  # fmt: skip

    for year in YEARS:
        for unit_id in provinces[year]:
            for n, (indicator_id, key) in enumerate(keys):
                if made == total:
                    return
                made += 1
                yield row(indicator_id, unit_id, year, key, n)
    commune_years = sum(len(communes[y]) for y in YEARS)
    per_commune = min(len(keys), math.ceil((total - made) / commune_years)) if commune_years else 0
    for year in YEARS:
        for unit_id in communes[year]:
            for n, (indicator_id, key) in enumerate(keys[:per_commune]):
                if made == total:
                    return
                made += 1
                yield row(indicator_id, unit_id, year, key, n)


_COLUMNS = (
    "indicator_id", "unit_id", "period", "period_start", "period_end", "disaggregation",
    "value", "status", "dataset_id", "batch_id",
)  # fmt: skip


def _extra_columns(now: dt.datetime) -> tuple[list[str], list]:
    """Columns of the values table beyond ours (source, updated_at, any added later): a constant
    each, the field's default."""
    from regionlink.indicators.models import DataValue

    names, values = [], []
    for field in DataValue._meta.concrete_fields:
        if field.primary_key or field.attname in _COLUMNS:
            continue
        if field.attname == "source":
            value = STORE_SOURCE
        elif field.attname == "updated_at":
            value = now
        else:
            value = field.get_default()
        names.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return names, values


def _secondary_schema(table: str) -> list[tuple[str, str, str]]:
    """(kind, name, definition) of the table's constraints and indexes other than its key."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            )
            constraints = [("constraint", name, sql) for name, sql in cursor.fetchall()]
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint "
                "WHERE conrelid = %s::regclass)",
                [table, table],
            )
            return constraints + [("index", name, sql) for name, sql in cursor.fetchall()]
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
        return [("index", name, sql) for name, sql in cursor.fetchall()]


def _drop(table: str, schema) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for kind, name, _sql in schema:
            if kind == "constraint":
                cursor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
            else:
                cursor.execute(f"DROP INDEX {q(name)}")


def _rebuild(table: str, schema) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for kind, name, sql in schema:  # unique constraints and indexes before foreign keys
            if kind == "index" or "UNIQUE" in sql:
                statement = (
                    sql
                    if kind == "index"
                    else f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {sql}"
                )
                cursor.execute(statement)
        for kind, name, sql in schema:
            if kind == "constraint" and "UNIQUE" not in sql:
                cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {sql}")
        cursor.execute(f"ANALYZE {q(table)}")


def _copy_postgresql(table, columns, rows, extra) -> None:
    q = connection.ops.quote_name
    tail = "\t" + "\t".join(str(v) for v in extra) if extra else ""
    with connection.cursor() as wrapper, transaction.atomic():
        sql = f"COPY {q(table)} ({', '.join(q(c) for c in columns)}) FROM STDIN"
        with wrapper.cursor.copy(sql) as copy:
            buffer = io.StringIO()
            for n, row in enumerate(rows, start=1):
                buffer.write("\t".join(map(str, row)))
                buffer.write(tail)
                buffer.write("\n")
                if n % CHUNK == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())


def _insert_sqlite(table, columns, rows, extra) -> None:
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) VALUES ({marks})"
    extra = tuple(extra)
    with connection.cursor() as cursor, transaction.atomic():
        chunk = []
        for row in rows:
            chunk.append(row + extra)
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def ensure_store() -> tuple[int, int, float | None]:
    """The store's data set (created and filled if absent): (dataset id, values, seconds)."""
    from regionlink.indicators.models import (
        BatchStatus,
        DataSet,
        DataValue,
        ImportBatch,
        Visibility,
    )
    from regionlink.organisations.models import Organisation

    total = store_target()
    dataset = DataSet.objects.filter(code=STORE_CODE).first()
    count = DataValue.objects.filter(dataset=dataset).count() if dataset else 0
    if count == total:
        return dataset.pk, count, None
    if count:
        raise RuntimeError(
            f"The database holds a bench store of {count:,} values, not {total:,}: "
            "use a fresh bench database or the same BENCH_STORE_VALUES."
        )
    start = time.perf_counter()
    owner = Organisation.objects.get(code="btc-cuc-thong-ke")
    dataset = dataset or DataSet.objects.create(
        code=STORE_CODE,
        name="Kho số liệu tổng hợp để đo hiệu năng (không phải số liệu)",
        owner=owner,
        visibility=Visibility.PUBLIC,
    )
    now = dt.datetime.now(dt.UTC)
    batch = ImportBatch.objects.create(
        dataset=dataset,
        source=STORE_SOURCE,
        status=BatchStatus.PUBLISHED,
        rows_total=total,
        rows_done=total,
        finished_at=now,
        decided_at=now,
    )
    table = DataValue._meta.db_table
    names, extra = _extra_columns(now)
    columns = [*_COLUMNS, *names]
    rows = _rows(total, dataset.pk, batch.pk)
    schema = _secondary_schema(table)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
    _drop(table, schema)
    try:
        if connection.vendor == "postgresql":
            _copy_postgresql(table, columns, rows, extra)
        else:
            _insert_sqlite(table, columns, rows, extra)
    finally:
        _rebuild(table, schema)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys = ON")
    return dataset.pk, total, time.perf_counter() - start


# --- The benchmark ---------------------------------------------------------------------------


def _same(service: Decimal, sql: Decimal) -> bool:
    """Equal to the stored precision (6 decimals); SQLite's SUM adds in binary floating point,
    so there the reference may be off by a rounding error of 1e-9 relative."""
    exact = service.quantize(Decimal("0.000001")) == sql.quantize(Decimal("0.000001"))
    return exact or (connection.vendor == "sqlite" and abs(service - sql) <= abs(service) / 10**9)


def _figures(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms"


def run() -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    from regionlink.geography.models import Region
    from regionlink.geography.queries import today
    from regionlink.indicators import periods as period_module
    from regionlink.indicators.aggregation import Target, aggregate
    from regionlink.indicators.aggregation_sql import hand_written_sql_sum
    from regionlink.indicators.values import readable_dataset_ids

    lines = []
    _dataset_id, count, seconds = ensure_store()
    built = f"built in {seconds:.0f} s" if seconds is not None else "already present"
    default = "" if "BENCH_STORE_VALUES" in os.environ else " (default for this database)"
    lines.append(f"store: {count:,} values{default}, {built}")

    regions = list(
        Region.objects.valid_on(today()).order_by("sort_order").values_list("code", flat=True)
    )
    targets = [Target.region(code) for code in regions]
    user = AnonymousUser()
    periods = [period_module.parse(p) for p in QUERY_YEARS]
    what = f"{len(regions)} regions × {len(periods)} years ({QUERY_YEARS[0]}–{QUERY_YEARS[-1]})"

    def through_service(indicator="POP_AVG", boundaries="current"):
        return aggregate(
            user=user, indicators=[indicator], targets=targets, periods=periods,
            boundaries=boundaries,
        )  # fmt: skip

    def by_hand():
        ids = readable_dataset_ids(user)
        return hand_written_sql_sum(
            indicator_code="POP_AVG", region_codes=regions, periods=periods, dataset_ids=ids
        )

    with CaptureQueriesContext(connection) as queries:
        rows = through_service()
    reference = by_hand()
    refused = [r for r in rows if not r.computable]
    for r in rows:
        if r.computable:
            total, _n = reference[(r.target.code, r.period)]
            assert _same(r.value, total), (r.target.code, r.period, r.value, total)
    expected_refusals = {(r, p) for r in ("DBSH", "TDMNPB") for p in ("2006", "2007")}
    assert {(r.target.code, r.period) for r in refused} <= expected_refusals, [
        (r.target.code, r.period, r.reason) for r in refused
    ]
    service = timed(through_service)
    hand = timed(by_hand)
    ratio50 = statistics.median(service) / statistics.median(hand)
    ratio95 = percentile(service, 0.95) / percentile(hand, 0.95)
    lines.append(
        f"aggregate POP_AVG, {what}, current: {_figures(service)}, {len(queries)} queries a call "
        "(target p95 < 200 ms on PostgreSQL)"
    )
    lines.append(
        f"hand-written SQL reference, same numbers: {_figures(hand)}; service ÷ SQL "
        f"p50 {ratio50:.1f}×, p95 {ratio95:.1f}× (target ≤ 2×)"
    )
    cells = ", ".join(sorted(f"{r.target.code} {r.period}" for r in refused)) or "none"
    lines.append(
        f"numbers equal on {len(rows) - len(refused)} of {len(rows)} cells; refused by the "
        "service (partial successions of 2008 without a share, which the SQL reference "
        f"ignores): {cells}"
    )
    for indicator, boundaries in (("GRDP_PER_CAPITA", "current"), ("POP_AVG", "asof")):
        samples = timed(lambda i=indicator, b=boundaries: through_service(i, b))
        lines.append(f"aggregate {indicator}, {what}, {boundaries}: {_figures(samples)}")
    return lines
