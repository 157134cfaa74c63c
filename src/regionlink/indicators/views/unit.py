"""Key indicators of a province or commune, shown on the geography unit page."""

from __future__ import annotations

from regionlink.indicators import periods, values
from regionlink.indicators.models import ValueStatus
from regionlink.indicators.views.common import page_indicators, source_indicator_ids, status_label

KEY_INDICATORS = (
    "POP_AVG",
    "AREA",
    "GRDP",
    "GRDP_PER_CAPITA",
    "URBANISATION_RATE",
    "POVERTY_RATE",
    "TRAINED_WORKERS_PCT",
    "FOREST_COVER",
)
KEY_YEARS = 12  # how far back the unit page looks for a latest value


def unit_key_indicators(user, unit, date) -> list[dict]:
    """The latest value (in a year up to ``date``) of each key indicator for ``unit``.

    Ratios such as GRDP per capita are not stored but computed, so values come from the
    aggregation service: a unit that exists today on current boundaries (its own values, or its
    predecessors' re-expressed), an ended unit on the boundaries of its time. Only data sets
    ``user`` may read count. Each row: indicator, value (None when there is none), period,
    status label, preliminary, demo. A fixed number of queries whatever the indicators.
    """
    from regionlink.indicators.aggregation import Target, aggregate

    indicators = {i.code: i for i in page_indicators().filter(code__in=KEY_INDICATORS)}
    wanted = [indicators[c] for c in KEY_INDICATORS if c in indicators]
    last = date.year
    if unit.valid_to is not None:
        # A year belongs to an ended unit only if the unit lasted to its end.
        last = min(
            last, unit.valid_to.year if unit.valid_to.month == 12 else unit.valid_to.year - 1
        )
    years = [periods.year(y) for y in range(last - KEY_YEARS + 1, last + 1)]
    boundaries = "current" if unit.valid_to is None else "asof"
    dataset_ids = values.readable_dataset_ids(user)
    rows = []
    if wanted and years:
        rows = aggregate(
            user=user,
            indicators=wanted,
            targets=[Target.unit(unit.code)],
            periods=years,
            boundaries=boundaries,
            dataset_ids=dataset_ids,
        )
    latest = {}
    for row in rows:  # ordered indicator × period, oldest period first
        if row.value is not None:
            latest[row.indicator] = row
    sources = {i.code: source_indicator_ids(i) for i in wanted}
    demo = (
        set(
            values.readable_values(user, dataset_ids)
            .filter(
                indicator_id__in={pk for ids in sources.values() for pk in ids},
                period__in={row.period for row in latest.values()},
                dataset__is_demo=True,
            )
            .values_list("indicator_id", "period", "unit__code")
            .distinct()
        )
        if latest
        else set()
    )
    result = []
    for indicator in wanted:
        row = latest.get(indicator.code)
        result.append(
            {
                "indicator": indicator,
                "value": row.value if row else None,
                "period": row.period if row else "",
                "status": status_label(row.status) if row else "",
                "preliminary": bool(row and row.status == ValueStatus.PRELIMINARY),
                "demo": bool(row)
                and any(
                    (pk, row.period, code) in demo
                    for pk in sources[indicator.code]
                    for code in row.coverage.contributed
                ),
            }
        )
    return result
