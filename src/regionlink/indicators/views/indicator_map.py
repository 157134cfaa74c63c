"""The indicator page's map and province table: each province's value for one year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from regionlink.core.text import fold
from regionlink.geography import queries
from regionlink.geography.models import Level
from regionlink.geography.selectors import LAST_DAY_BEFORE_REORGANISATION as BEFORE_REORGANISATION
from regionlink.indicators import periods
from regionlink.indicators.views.common import (
    number_label,
    source_indicator_ids,
    status_label,
    status_note,
)

SORTS = {
    "code": lambda row: row["code"],
    "name": lambda row: fold(row["name"]),
    "value": lambda row: row["value"],
}


def map_provinces(year: int, boundaries: str):
    """The provinces of the map and the date of their outlines: today's 34 on current
    boundaries or from 2025; the 63 of the time for earlier years "as of"."""
    today = queries.today()
    on = today if boundaries == "current" else min(periods.year(year).end, today)
    return list(queries.units_on(on, Level.PROVINCE).order_by("code")), on


def province_rows(*, user, indicator, year, boundaries, dataset_ids, readable, sort) -> dict:
    """The map and the table: each province's value, status and coverage for ``year``."""
    from regionlink.indicators.aggregation import Target, aggregate

    provinces, on = map_provinces(year, boundaries)
    rows = aggregate(
        user=user,
        indicators=[indicator],
        targets=[Target.unit(p.code) for p in provinces],
        periods=[periods.year(year)],
        boundaries=boundaries,
        dataset_ids=dataset_ids,
    )
    # Units whose value for the year comes from an illustrative data set (one query).
    demo_units = set(
        readable.filter(
            indicator_id__in=source_indicator_ids(indicator),
            period=str(year),
            dataset__is_demo=True,
        )
        .values_list("unit__code", flat=True)
        .distinct()
    )
    by_code = {row.target.code: row for row in rows}
    table = []
    for province in provinces:
        row = by_code.get(province.code)
        value = row.value if row else None
        contributed = row.coverage.contributed if row else ()
        table.append(
            {
                "code": province.code,
                "name": province.display_name,
                "unit": province,
                "value": value,
                "label": number_label(value, indicator.decimals),
                "status": row.status if row and value is not None else None,
                "status_label": status_label(row.status) if row and value is not None else "",
                "note": status_note(row.status) if row and value is not None else "",
                "coverage": f"{len(contributed)}/{row.coverage.expected}" if row else "",
                "missing": row.coverage.missing if row else (),
                "reason": row.reason if row and value is None else "",
                "demo": value is not None and any(c in demo_units for c in contributed),
            }
        )
    key, descending = (sort[1:], True) if sort.startswith("-") else (sort, False)
    valued = [r for r in table if key != "value" or r["value"] is not None]
    blank = [r for r in table if key == "value" and r["value"] is None]  # last either way
    return {"rows": sorted(valued, key=SORTS[key], reverse=descending) + blank, "date": on}


def map_config(indicator, table: dict, year: int, boundaries: str) -> dict:
    """What choropleth.js draws: the outlines' address and each valued province."""
    from regionlink.geography.views import boundaries_url, unit_url_template

    # Outlines of the 63 provinces are drawn from their last day (30/06/2025): the same codes
    # since 2008, and Thừa Thiên Huế's outline is kept on its successor (Huế, same code 46).
    outlines_on = table["date"] if table["date"] > BEFORE_REORGANISATION else BEFORE_REORGANISATION
    return {
        "url": boundaries_url(outlines_on),
        "date": table["date"].isoformat(),
        "decimals": indicator.decimals,
        "unitUrl": unit_url_template(),
        "values": {
            r["code"]: {
                "value": float(r["value"]),
                "label": r["label"],
                "status": r["status_label"],
                "note": r["note"],
                "coverage": r["coverage"],
                "demo": r["demo"],
            }
            for r in table["rows"]
            if r["value"] is not None
        },
        "labels": {
            "title": _("Bản đồ %(name)s năm %(year)s theo tỉnh, thành phố")
            % {"name": indicator.display_name, "year": year},
            "value": _("Giá trị (%(unit)s)") % {"unit": indicator.unit_of_measure},
            "status": _("Tình trạng"),
            "coverage": _("Đơn vị có số liệu"),
            "demo": _("Dữ liệu minh họa"),
            "missing": _("Chưa có số liệu"),
            "loading": _("Đang tải bản đồ…"),
            "error": _("Không tải được bản đồ. Bảng số liệu bên dưới vẫn dùng được."),
            "shown": _("Bản đồ %(count)s tỉnh, thành phố; %(valued)s có số liệu."),
            "open": _("Nhấn để mở trang tỉnh, thành phố."),
        },
    }
