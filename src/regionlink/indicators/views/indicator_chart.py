"""The indicator page's chart and its table: one series per region over the years."""

from __future__ import annotations

from django.utils.translation import gettext as _

from regionlink.geography import queries
from regionlink.indicators import periods
from regionlink.indicators.views.common import number_label, status_label, status_note

# Regions that ended on 30/06/2025 get colours of their own on the "as of" chart.
ENDED_REGION_PALETTE = ("#882255", "#44AA99", "#999933", "#332288")


def _region_colours(regions) -> dict[str, str]:
    from regionlink.geography.views import REGION_PALETTE

    current = [r for r in regions if r.valid_to is None]
    ended = [r for r in regions if r.valid_to is not None]
    colours = {r.code: REGION_PALETTE[i % len(REGION_PALETTE)] for i, r in enumerate(current)}
    for i, region in enumerate(ended):
        colours[region.code] = ENDED_REGION_PALETTE[i % len(ENDED_REGION_PALETTE)]
    return colours


def region_series(*, user, indicator, years, boundaries, dataset_ids) -> dict:
    """The chart: one series per region over ``years`` (today's six on current boundaries; on
    "as of" boundaries also the regions of the time, each where it existed)."""
    from regionlink.geography.models import Region
    from regionlink.indicators.aggregation import Target, aggregate

    if boundaries == "current":
        regions = list(queries.regions_on(queries.today()))
    else:
        first = periods.year(years[0]).end if years else queries.today()
        regions = [
            r
            for r in Region.objects.order_by("sort_order")
            if r.valid_to is None or r.valid_to >= first
        ]
    rows = []
    if years and regions:
        rows = aggregate(
            user=user,
            indicators=[indicator],
            targets=[Target.region(r.code) for r in regions],
            periods=[periods.year(y) for y in years],
            boundaries=boundaries,
            dataset_ids=dataset_ids,
        )
    by_key = {(row.target.code, row.period): row for row in rows}
    colours = _region_colours(regions)
    series, table = [], []
    for region in regions:
        cells = [by_key.get((region.code.upper(), str(y))) for y in years]
        empty = not any(c and c.value is not None for c in cells)
        if boundaries == "asof" and empty and region.valid_to is not None:
            continue  # an ended region without any value: no empty line in the legend
        series.append(
            {
                "code": region.code,
                "name": region.display_name,
                "colour": colours.get(region.code, "#6c757d"),
                "values": [float(c.value) if c and c.value is not None else None for c in cells],
                "labels": [number_label(c.value, indicator.decimals) if c else "" for c in cells],
                "notes": [
                    status_note(c.status) if c and c.value is not None else "" for c in cells
                ],
            }
        )
        table.append((region, cells))
    reasons = sorted({row.reason for row in rows if row.value is None and row.reason})
    return {
        "config": {
            "years": [str(y) for y in years],
            "regions": series,
            "unit": indicator.unit_of_measure,
            "decimals": indicator.decimals,
            "labels": {
                "title": _("Diễn biến %(name)s theo vùng") % {"name": indicator.display_name},
                "missing": _("không có số liệu"),
            },
        },
        "columns": [region for region, _cells in table],
        "table": [
            {"year": y, "cells": [_cell(cells[i], indicator) for _r, cells in table]}
            for i, y in enumerate(years)
        ],
        "has_values": any(v is not None for s in series for v in s["values"]),
        "reasons": reasons[:3],
        "regions": regions,
    }


def _cell(row, indicator) -> dict:
    """One aggregate as a table cell: the shown number, its note, or why there is none."""
    if row is None or row.value is None:
        return {"value": None, "reason": row.reason if row else ""}
    return {
        "value": row.value,
        "label": number_label(row.value, indicator.decimals),
        "note": status_note(row.status),
        "status": status_label(row.status),
    }
