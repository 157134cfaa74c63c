"""The best hand-written SQL for one SUM indicator × regions × periods on today's regions.

The reference the aggregation benchmark compares ``aggregation.aggregate`` against: no ORM,
the database does the grouping. Two statements:

1. the unit → region mapping: today's members of the regions and, recursively, the units that
   went *whole* into them (province-level successions only: a few dozen rows, materialised
   first so the recursion never touches the ten thousand commune successions);
2. one GROUP BY over the values of exactly those units, joined to the mapping as a VALUES
   list, so the (indicator, period_start, unit) index is probed per unit and period instead
   of hashing every value of the indicator.

Partial successions are left out: for the years after 2008 every province went whole into
its 2025 successor, so the numbers agree with ``aggregate`` (which also handles partial ones
and flags those without a share). Works on PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection

from regionlink.geography.queries import today as local_today
from regionlink.indicators.models import DataValue, Indicator
from regionlink.indicators.periods import Period

MAPPING_SQL = """
    WITH RECURSIVE steps(predecessor_id, successor_id) AS MATERIALIZED (
        SELECT s.predecessor_id, s.successor_id
        FROM geography_succession s
        JOIN geography_administrativeunit u ON u.id = s.successor_id
        WHERE u.level = 'province' AND s.kind = 'whole' AND s.effective_date <= %s
    ),
    feeds(unit_id, region_code) AS (
        SELECT m.unit_id, r.code
        FROM geography_regionmembership m
        JOIN geography_region r ON r.id = m.region_id
        WHERE r.code IN ({regions})
          AND (m.valid_from IS NULL OR m.valid_from <= %s)
          AND (m.valid_to IS NULL OR m.valid_to >= %s)
        UNION
        SELECT st.predecessor_id, f.region_code
        FROM steps st
        JOIN feeds f ON st.successor_id = f.unit_id
    )
    SELECT unit_id, region_code FROM feeds
"""

SUM_SQL = """
    SELECT m.region_code, v.period, SUM(v.value), COUNT(*)
    FROM {values_table} v
    JOIN (SELECT column1 AS unit_id, column2 AS region_code FROM (VALUES {pairs}) AS x) m
      ON m.unit_id = v.unit_id
    WHERE v.indicator_id = %s
      AND v.period_start IN ({starts})
      AND v.unit_id IN ({units})
      AND v.period IN ({labels})
      AND v.disaggregation = %s
      AND v.dataset_id IN ({datasets})
    GROUP BY m.region_code, v.period
"""


def _placeholders(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def hand_written_sql_sum(
    *,
    indicator_code: str,
    region_codes: Sequence[str],
    periods: Sequence[Period],
    dataset_ids: Sequence[int],
    disaggregation: str = "",
    today: dt.date | None = None,
) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """{(region code, period label): (sum, number of values)} for a SUM indicator."""
    if not region_codes or not periods or not dataset_ids:
        return {}
    date = today or local_today()
    indicator_id = Indicator.objects.values_list("pk", flat=True).get(code=indicator_code)
    with connection.cursor() as cursor:
        cursor.execute(
            MAPPING_SQL.format(regions=_placeholders(region_codes)),
            [date, *region_codes, date, date],
        )
        mapping = cursor.fetchall()
        if not mapping:
            return {}
        units = sorted({unit_id for unit_id, _region in mapping})
        starts = sorted({p.start for p in periods})
        labels = sorted({p.label for p in periods})
        sql = SUM_SQL.format(
            values_table=DataValue._meta.db_table,
            pairs=", ".join(["(%s, %s)"] * len(mapping)),
            starts=_placeholders(starts),
            units=_placeholders(units),
            labels=_placeholders(labels),
            datasets=_placeholders(dataset_ids),
        )
        params = [
            *(value for pair in mapping for value in pair),
            indicator_id,
            *starts,
            *units,
            *labels,
            disaggregation,
            *dataset_ids,
        ]
        cursor.execute(sql, params)
        return {
            (region, period): (Decimal(str(total)), count)
            for region, period, total, count in cursor.fetchall()
        }
