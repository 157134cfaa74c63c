"""The indicator page: the Decree 94 definition, a chart by region, a map and a table."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regionlink.indicators import values
from regionlink.indicators.models import Indicator
from regionlink.indicators.views.common import (
    member_names,
    ordered_members,
    page_indicators,
    source_indicator_ids,
    url_or_none,
)
from regionlink.indicators.views.indicator_chart import region_series
from regionlink.indicators.views.indicator_map import SORTS, map_config, province_rows
from regionlink.indicators.views.rules import spatial_rule_text, temporal_rule_text

BOUNDARY_VIEWS = ("current", "asof")


def indicator_or_404(code: str) -> Indicator:
    return get_object_or_404(
        page_indicators().prefetch_related(ordered_members()), code=code.upper()
    )


def available_years(readable, indicator_ids) -> list[int]:
    """Years with a value of any of ``indicator_ids`` among ``readable`` values (what the
    reader may read, from ``values.readable_values``)."""
    labels = readable.filter(indicator_id__in=indicator_ids).values_list("period", flat=True)
    return sorted({int(p) for p in labels.distinct() if len(p) == 4 and p.isdigit()})


def _sort(request) -> str:
    raw = (request.GET.get("sort") or "code").strip()
    return raw if raw.lstrip("-") in SORTS else "code"


def sort_links(request, current: str) -> dict[str, dict]:
    """For each sortable column: the address that sorts by it and its aria-sort state."""
    links = {}
    for key in SORTS:
        ascending = current == key
        descending = current == f"-{key}"
        params = request.GET.copy()
        params["sort"] = f"-{key}" if ascending else key
        links[key] = {
            "url": "?" + params.urlencode() + "#rl-table",
            "aria": "ascending" if ascending else "descending" if descending else "none",
        }
    return links


def download_links(params: dict) -> list[dict]:
    # The data API is mounted by regionlink.api; a test site without it gets the usual path.
    base = url_or_none("api:get_data") or "/api/v1/data"
    return [
        {"format": fmt.upper(), "url": f"{base}?{urlencode({**params, 'format': fmt})}"}
        for fmt in ("csv", "xlsx")
    ]


def _chosen_year(request, years: list[int]) -> int | None:
    raw = (request.GET.get("year") or "").strip()
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[-1] if years else None


@require_GET
def indicator_detail(request, code: str):
    """The Decree 94 definition, a chart by region, a map and a table for one year."""
    indicator = indicator_or_404(code)
    members = member_names()
    indicator.spatial_text = spatial_rule_text(indicator, members)
    indicator.temporal_text = temporal_rule_text(indicator)
    boundaries = request.GET.get("boundaries")
    boundaries = boundaries if boundaries in BOUNDARY_VIEWS else "current"
    user = request.user
    dataset_ids = values.readable_dataset_ids(user)
    readable = values.readable_values(user, dataset_ids)
    years = available_years(readable, source_indicator_ids(indicator))
    year = _chosen_year(request, years)
    context = {
        "indicator": indicator,
        "boundaries": boundaries,
        "years": years,
        "year": year,
        "sort": _sort(request),
        "boundary_choices": [
            ("current", _("Địa giới hiện nay (34 tỉnh, thành phố)")),
            ("asof", _("Địa giới khi đó (63 tỉnh, thành phố đến năm 2024)")),
        ],
        "series": region_series(
            user=user,
            indicator=indicator,
            years=years,
            boundaries=boundaries,
            dataset_ids=dataset_ids,
        ),
    }
    context["sort_links"] = sort_links(request, context["sort"])
    if year is not None:
        table = province_rows(
            user=user,
            indicator=indicator,
            year=year,
            boundaries=boundaries,
            dataset_ids=dataset_ids,
            readable=readable,
            sort=context["sort"],
        )
        context.update(
            table=table,
            map_config=map_config(indicator, table, year, boundaries),
            province_count=len(table["rows"]),
            demo=any(r["demo"] for r in table["rows"]),
            all_demo=all(r["demo"] for r in table["rows"] if r["value"] is not None)
            and any(r["value"] is not None for r in table["rows"]),
            table_downloads=download_links(
                {
                    "indicator": indicator.code,
                    "unit": ",".join(r["code"] for r in sorted(table["rows"], key=SORTS["code"])),
                    "period": str(year),
                    "boundaries": boundaries,
                }
            ),
        )
    if years:
        context["series_downloads"] = download_links(
            {
                "indicator": indicator.code,
                "region": ",".join(r.code for r in context["series"]["regions"]),
                "period": f"{years[0]}:{years[-1]}",
                "boundaries": boundaries,
            }
        )
    return render(request, "indicators/indicator_detail.html", context)
