"""Staged values against the published ones: one pass to count, then the report's examples.

The counts (new, changed, unchanged, and values published by other data sets) come from a
single join of the batch's staged rows to ``DataValue`` grouped by the published value's
data set: each staged row is looked up once through ``value_unique``. The examples then
read the batch in row order (index ``staged_batch_row``), so ``LIMIT`` stops early, and are
not asked for when the counts say there are none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from regionlink.indicators.errors import DataErrorCode, Issue, issue
from regionlink.indicators.models import (
    DataSet,
    DataValue,
    DataValueRevision,
    ImportBatch,
    Indicator,
    StagedValue,
)
from regionlink.organisations.permissions import Action, can

EXAMPLES = 10

SAME_KEY = (
    "dv.indicator_id = s.indicator_id AND dv.unit_id = s.unit_id AND dv.period = s.period "
    "AND dv.disaggregation = s.disaggregation"
)
DIFFERS = "(dv.value <> s.value OR dv.status <> s.status OR dv.dataset_id <> %s)"


def tables() -> dict[str, str]:
    from regionlink.geography.models import AdministrativeUnit

    q = connection.ops.quote_name
    return {
        "st": q(StagedValue._meta.db_table),
        "dv": q(DataValue._meta.db_table),
        "rv": q(DataValueRevision._meta.db_table),
        "ind": q(Indicator._meta.db_table),
        "unit": q(AdministrativeUnit._meta.db_table),
        "ds": q(DataSet._meta.db_table),
    }


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class Counts:
    """What one pass over the batch found."""

    total: int = 0
    new: int = 0
    changed: int = 0
    last_row: int = 0
    other_datasets: dict[int, int] = field(default_factory=dict)  # data set id → values


def count(batch: ImportBatch, *, periods: list[str] | None = None) -> Counts:
    """New, changed and other data sets' values of ``batch``, in one join.

    ``periods`` (every period of the batch, when known) narrows the published values
    PostgreSQL reads for a hash join to those periods: a third of a 30-year store for a
    10-year batch. It cannot drop a match, since a match has one of the batch's periods.
    """
    t = tables()
    narrow, params = "", [batch.dataset_id]
    if periods and connection.vendor == "postgresql":
        narrow, params = " AND dv.period = ANY(%s)", [*params, list(periods)]
    rows = fetch(
        f"SELECT dv.dataset_id, COUNT(*), "
        f"SUM(CASE WHEN dv.id IS NOT NULL AND {DIFFERS} THEN 1 ELSE 0 END), MAX(s.row_number) "
        f"FROM {t['st']} s LEFT JOIN {t['dv']} dv ON {SAME_KEY}{narrow} WHERE s.batch_id = %s "
        f"GROUP BY dv.dataset_id",
        [*params, batch.pk],
    )
    found = Counts()
    for dataset_id, values, changed, last_row in rows:
        found.last_row = max(found.last_row, int(last_row or 0))
        found.total += int(values)
        found.changed += int(changed or 0)
        if dataset_id is None:
            found.new = int(values)
        elif dataset_id != batch.dataset_id:
            found.other_datasets[dataset_id] = int(values)
    return found


def first_rows(sql: str, params: list, *, wanted: int, matching: int, counts: Counts) -> list:
    """The first ``wanted`` rows of ``sql`` in row order, read window by window of row numbers.

    ``sql`` has a ``{window}`` in its WHERE (``s`` being the staged rows), followed by the
    ``params`` after the batch's id. A planner cannot tell how many staged rows have no
    published value, and guessing few it sorts them all for LIMIT 10 (2.6 s for a million
    rows); a window sized from the counts (``matching`` of ``counts.total``) reads a few
    thousand rows instead, and widens fourfold while too few are found.
    """
    if not matching or wanted <= 0:
        return []
    found: list = []
    low = 0
    span = max(1000, 4 * wanted * counts.total // matching)
    window = "AND s.row_number >= %s AND s.row_number < %s"
    while len(found) < wanted and low <= counts.last_row:
        found += fetch(sql.format(window=window), [params[0], low, low + span, *params[1:]])
        low += span
        span *= 4
    return found[:wanted]


def _number_text(value) -> str:
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(number.normalize(), "f") if number else "0"


def _example(row) -> dict:
    item = {
        "row": row[0],
        "indicator": row[1],
        "unit": f"{row[2]} {row[3]}",
        "period": row[4],
        "disaggregation": row[5],
        "value": _number_text(row[6]),
        "status": row[7],
    }
    if row[8] is not None:
        item["old_value"] = _number_text(row[8])
        item["old_status"] = row[9]
    return item


def diff(batch: ImportBatch, counts: Counts, examples: int = EXAMPLES) -> dict:
    """The dry run's figures: new, changed, unchanged, and the first rows of each kind."""
    t = tables()
    # The first rows are found from the staged and published values alone, then named: a
    # planner that misjudges how many rows match then still joins the names to ten rows.
    described = (
        f"SELECT x.row_number, i.code, u.code, u.name, x.period, x.disaggregation, x.value, "
        f"x.status, x.old_value, x.old_status FROM (SELECT s.row_number, s.indicator_id, "
        f"s.unit_id, s.period, s.disaggregation, s.value, s.status, {{old}} "
        f"FROM {t['st']} s {{join}} WHERE s.batch_id = %s {{{{window}}}} {{where}} "
        f"ORDER BY s.row_number LIMIT {int(examples)}) x "
        f"JOIN {t['ind']} i ON i.id = x.indicator_id JOIN {t['unit']} u ON u.id = x.unit_id "
        f"ORDER BY x.row_number"
    )
    new_rows = first_rows(
        described.format(
            old="NULL AS old_value, NULL AS old_status",
            join="",
            where=f"AND NOT EXISTS (SELECT 1 FROM {t['dv']} dv WHERE {SAME_KEY})",
        ),
        [batch.pk],
        wanted=examples,
        matching=counts.new,
        counts=counts,
    )
    changed_rows = first_rows(
        described.format(
            old="dv.value AS old_value, dv.status AS old_status",
            join=f"JOIN {t['dv']} dv ON {SAME_KEY}",
            where=f"AND {DIFFERS}",
        ),
        [batch.pk, batch.dataset_id],
        wanted=examples,
        matching=counts.changed,
        counts=counts,
    )
    return {
        "new": counts.new,
        "changed": counts.changed,
        "unchanged": counts.total - counts.new - counts.changed,
        "examples": {
            "new": [_example(r) for r in new_rows],
            "changed": [_example(r) for r in changed_rows],
        },
    }


def other_datasets(
    batch: ImportBatch, actor, counts: Counts, listed: int
) -> tuple[list[Issue], list[Issue]]:
    """Staged values already published by another data set: errors unless the actor may edit
    that data set (or it is illustrative demo data), in which case a warning."""
    t = tables()
    errors: list[Issue] = []
    warnings: list[Issue] = []
    for dataset_id, values in sorted(counts.other_datasets.items()):
        other = DataSet.objects.select_related("owner").get(pk=dataset_id)
        if isinstance(actor, str) or other.is_demo or can(actor, Action.EDIT, other):
            warnings.append(
                issue(DataErrorCode.REPLACES_OTHER_DATASET, count=values, dataset=other.name)
            )
            continue
        rows = first_rows(
            f"SELECT x.row_number, i.code, u.code, u.name, x.period FROM (SELECT s.row_number, "
            f"s.indicator_id, s.unit_id, s.period FROM {t['st']} s JOIN {t['dv']} dv ON "
            f"{SAME_KEY} WHERE s.batch_id = %s {{window}} AND dv.dataset_id = %s "
            f"ORDER BY s.row_number LIMIT {int(listed)}) x JOIN {t['ind']} i ON "
            f"i.id = x.indicator_id JOIN {t['unit']} u ON u.id = x.unit_id ORDER BY x.row_number",
            [batch.pk, dataset_id],
            wanted=listed,
            matching=values,
            counts=counts,
        )
        for row_number, code, unit_code, unit_name, period in rows:
            errors.append(
                issue(
                    DataErrorCode.OTHER_DATASET_VALUE,
                    row=row_number,
                    indicator=code,
                    unit=f"{unit_code} {unit_name}",
                    period=period,
                    dataset=other.name,
                    owner=other.owner.name,
                )
            )
    return errors, warnings


def apply(batch: ImportBatch, actor) -> dict:
    """Publish the staged values: revisions of the changed ones, updates, inserts."""
    t = tables()
    user_id = None if isinstance(actor, str) else getattr(actor, "pk", None)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {t['rv']} (data_value_id, old_value, old_status, old_batch_id, "
            f"new_batch_id, changed_by_id, changed_at) "
            f"SELECT dv.id, dv.value, dv.status, dv.batch_id, %s, %s, %s "
            f"FROM {t['st']} s JOIN {t['dv']} dv ON {SAME_KEY} "
            f"WHERE s.batch_id = %s AND {DIFFERS}",
            [batch.pk, user_id, now, batch.pk, batch.dataset_id],
        )
        changed = cursor.rowcount
        dv = t["dv"]
        cursor.execute(
            f"UPDATE {dv} SET value = s.value, status = s.status, source = s.source, "
            f"batch_id = %s, dataset_id = %s, updated_at = %s FROM {t['st']} s "
            f"WHERE s.batch_id = %s AND {dv}.indicator_id = s.indicator_id "
            f"AND {dv}.unit_id = s.unit_id AND {dv}.period = s.period "
            f"AND {dv}.disaggregation = s.disaggregation AND ({dv}.value <> s.value "
            f"OR {dv}.status <> s.status OR {dv}.dataset_id <> %s)",
            [batch.pk, batch.dataset_id, now, batch.pk, batch.dataset_id],
        )
        updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {dv} (indicator_id, unit_id, period, period_start, period_end, "
            f"disaggregation, value, status, dataset_id, batch_id, source, updated_at) "
            f"SELECT s.indicator_id, s.unit_id, s.period, s.period_start, s.period_end, "
            f"s.disaggregation, s.value, s.status, %s, %s, s.source, %s FROM {t['st']} s "
            f"WHERE s.batch_id = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {dv} dv WHERE {SAME_KEY})",
            [batch.dataset_id, batch.pk, now, batch.pk],
        )
        new = cursor.rowcount
    if updated != changed:  # both count the same rows; a difference means a race
        raise RuntimeError(f"Batch {batch.pk}: {changed} revisions for {updated} updates.")
    total = StagedValue.objects.filter(batch=batch).count()
    return {"new": new, "changed": changed, "unchanged": total - new - changed}
