"""The data-entry grid: rows of indicators × columns of disaggregations, checked as typed."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from regionlink.geography import queries
from regionlink.geography.models import Level
from regionlink.indicators import periods
from regionlink.indicators.forms import check_cell, parts_warning
from regionlink.indicators.importing.readers import LONG_COLUMNS
from regionlink.indicators.models import DataSet, Indicator, SpatialRule
from regionlink.indicators.views.common import ordered_members

COMPUTED_RULES = (SpatialRule.RATIO, SpatialRule.DERIVED)  # computed, never entered


def entry_units(dataset: DataSet, period: periods.Period) -> list:
    """Provinces the entry form offers: the owner's, else every province of the period."""
    provinces = queries.units_on(period.end, Level.PROVINCE).order_by("code")
    own = provinces.filter(pk__in=dataset.owner.provinces.values("pk"))
    return list(own) or list(provinces)


def entry_indicators(*, readable, dataset: DataSet, group) -> list[Indicator]:
    """Rows of the grid: the indicators of ``group``, else those the data set already holds;
    computed ones (ratios, formulas) are never entered."""
    qs = Indicator.objects.select_related("group").prefetch_related("dimensions", ordered_members())
    if group is not None:
        qs = qs.filter(group=group)
    else:
        qs = qs.filter(pk__in=readable.filter(dataset=dataset).values("indicator_id"))
    return list(qs.exclude(spatial_rule__in=COMPUTED_RULES))


def _cell_id(code: str, key: str) -> str:
    return "rl-v-" + code.lower() + ("-" + key.lower().replace("=", "-") if key else "-total")


def cell_name(code: str, key: str) -> str:
    return f"v:{code}:{key}"


def entry_columns(indicators) -> list[dict]:
    """Columns of the grid: the total, then the members of every dimension the rows have."""
    columns = [{"key": "", "label": _("Tổng số"), "dimension": ""}]
    seen = set()
    for indicator in indicators:
        for dimension in indicator.dimensions.all():
            if dimension.code in seen:
                continue
            seen.add(dimension.code)
            for member in dimension.members.all():
                columns.append(
                    {
                        "key": f"{dimension.code}={member.code}",
                        "label": member.name,
                        "dimension": dimension.name,
                    }
                )
    return columns


def row_keys(indicator: Indicator) -> list[str]:
    keys = [""]
    for dimension in indicator.dimensions.all():
        keys += [f"{dimension.code}={m.code}" for m in dimension.members.all()]
    return keys


def check_row(indicator: Indicator, data) -> dict:
    """Validate one row as typed: each cell, then each dimension's parts against the total."""
    labels = {"": _("Tổng số")}
    for dimension in indicator.dimensions.all():
        for member in dimension.members.all():
            labels[f"{dimension.code}={member.code}"] = member.name
    cells = {
        key: check_cell(indicator, data.get(cell_name(indicator.code, key), ""))
        for key in row_keys(indicator)
    }
    warnings = []
    for dimension in indicator.dimensions.all():
        parts = [(m.name, cells[f"{dimension.code}={m.code}"]) for m in dimension.members.all()]
        warning = parts_warning(cells[""], parts, dimension.name)
        if warning:
            warnings.append(warning)
    return {
        "indicator": indicator,
        "cells": cells,
        "items": [(labels[key], cell) for key, cell in cells.items()],
        "warnings": warnings,
        "ok": not warnings
        and not any(c.error for c in cells.values())
        and any(c.value is not None for c in cells.values()),
    }


def _plain_number(value: Decimal) -> str:
    """A stored value as typed back into the form: no grouping, a decimal comma."""
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")


def entry_grid(indicators, columns, prefill: dict, checks: dict) -> list[dict]:
    """Rows × columns of inputs with their value (typed, else published) and messages."""
    rows = []
    for indicator in indicators:
        keys = set(row_keys(indicator))
        check = checks.get(indicator.code)
        cells = []
        for column in columns:
            key = column["key"]
            if key not in keys:
                cells.append(None)
                continue
            typed = check["cells"][key] if check else None
            published = prefill.get((indicator.pk, key))
            cells.append(
                {
                    "name": cell_name(indicator.code, key),
                    "id": _cell_id(indicator.code, key),
                    "label": column["label"],
                    "value": typed.text
                    if typed
                    else (_plain_number(published) if published is not None else ""),
                    "published": published,
                    "error": typed.error if typed else "",
                }
            )
        rows.append({"indicator": indicator, "cells": cells, "check": check})
    return rows


def entry_csv(rows: list[dict], *, unit, period: str, status: str, source: str) -> bytes:
    """The typed values as a file in the importer's long template (one value per line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for row in rows:
        code = row["indicator"].code
        for key, cell in row["cells"].items():
            if cell.value is None:
                continue
            writer.writerow(
                [code, unit.code, unit.name, period, key, format(cell.value, "f"), status, source]
            )
    return buffer.getvalue().encode("utf-8")
