"""Pages of the data hub: catalogue, indicator page, unit key indicators, data entry, imports.

Views are thin: reads of values go through ``values``/``aggregation`` (which filter by
``sharing.readable_datasets``), writes through the importer ``pipeline``. Nothing here reads
``DataValue`` directly, so restricted data cannot leak through a page.
"""

from __future__ import annotations

import csv
import io
import secrets
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionlink.core.text import fold
from regionlink.geography import queries
from regionlink.geography.models import Level
from regionlink.geography.selectors import LAST_DAY_BEFORE_REORGANISATION as BEFORE_REORGANISATION
from regionlink.indicators import disaggregation, periods, sharing, values
from regionlink.indicators.forms import (
    MAX_UPLOAD_BYTES,
    CatalogueFilterForm,
    UploadForm,
    check_cell,
    parts_warning,
)
from regionlink.indicators.importing import pipeline
from regionlink.indicators.importing.readers import LONG_COLUMNS
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    DimensionMember,
    ImportBatch,
    Indicator,
    IndicatorGroup,
    SpatialRule,
    TemporalRule,
    ValueStatus,
)
from regionlink.organisations import permissions
from regionlink.organisations.permissions import Action
from regionlink.organisations.views import refusals_as_403

# --- Catalogue -------------------------------------------------------------------------------


def _indicators():
    """Indicators with everything the catalogue and rule texts read, in a fixed few queries."""
    return Indicator.objects.select_related(
        "group", "weight", "numerator", "denominator"
    ).prefetch_related("dimensions")


def _member_names() -> dict[tuple[str, str], str]:
    """(dimension, member) → member name, e.g. ("URBAN", "U") → "Thành thị"."""
    return {
        (m.dimension.code, m.code): m.name
        for m in DimensionMember.objects.select_related("dimension")
    }


def _component(indicator: Indicator | None, key: str, members: dict) -> str:
    """ "Dân số trung bình (Thành thị)" for POP_AVG with URBAN=U."""
    if indicator is None:
        return "?"
    parts = disaggregation.parse(key) if key else {}
    names = [members.get((dim, member), f"{dim}={member}") for dim, member in parts.items()]
    return f"{indicator.name} ({', '.join(names)})" if names else indicator.name


def spatial_rule_text(indicator: Indicator, members: dict) -> str:
    """How values of provinces combine into a region, in words."""
    rule = indicator.spatial_rule
    if rule == SpatialRule.SUM:
        return _("Tổng hợp vùng: cộng các tỉnh, thành phố")
    if rule == SpatialRule.WEIGHTED_MEAN:
        return _("Tổng hợp vùng: bình quân gia quyền theo %(weight)s") % {
            "weight": _component(indicator.weight, "", members)
        }
    if rule == SpatialRule.RATIO:
        text = _("Tổng hợp vùng: tính lại tỷ số %(numerator)s ÷ %(denominator)s") % {
            "numerator": _component(
                indicator.numerator, indicator.numerator_disaggregation, members
            ),
            "denominator": _component(
                indicator.denominator, indicator.denominator_disaggregation, members
            ),
        }
        if indicator.scale != 1:
            text += " × " + _number_words(indicator.scale)
        return text
    if rule == SpatialRule.DERIVED:
        return _("Tổng hợp vùng: tính theo công thức %(formula)s") % {"formula": indicator.formula}
    reason = indicator.not_aggregable_reason or _("chỉ số không cộng hay bình quân được")
    return _("Không tổng hợp vùng: %(reason)s") % {"reason": reason}


def temporal_rule_text(indicator: Indicator) -> str:
    """How values combine across time, in words."""
    return {
        TemporalRule.FLOW: _("Theo thời gian: số phát sinh trong kỳ (cộng các kỳ trong năm)"),
        TemporalRule.STOCK: _("Theo thời gian: số tại một thời điểm (không cộng các kỳ)"),
        TemporalRule.CUMULATIVE: _("Theo thời gian: số lũy kế (không cộng qua các năm)"),
    }.get(indicator.temporal_rule, indicator.get_temporal_rule_display())


def _number_words(value) -> str:
    from regionlink.web.templatetags.regionlink_tags import vn_number

    return vn_number(value.normalize() if hasattr(value, "normalize") else value)


def _annotate_rules(indicators, members: dict) -> list[Indicator]:
    rows = list(indicators)
    for indicator in rows:
        indicator.spatial_text = spatial_rule_text(indicator, members)
        indicator.temporal_text = temporal_rule_text(indicator)
    return rows


def search_indicators(indicators, query: str):
    """Indicators whose code or names contain every word of ``query``, diacritics ignored."""
    for word in fold(query).split():
        indicators = indicators.filter(search_key__contains=word)
    return indicators


def catalogue_groups(*, query: str = "", group=None, agency: str = "") -> list[dict]:
    """The groups, each with its indicators matching the filters (empty groups left out)."""
    indicators = search_indicators(_indicators(), query)
    if group is not None:
        indicators = indicators.filter(group=group)
    if agency:
        indicators = indicators.filter(responsible_agency=agency)
    rows = _annotate_rules(indicators, _member_names())
    by_group: dict[int, list[Indicator]] = {}
    for indicator in rows:
        by_group.setdefault(indicator.group_id, []).append(indicator)
    groups = IndicatorGroup.objects.all() if group is None else [group]
    return [{"group": g, "indicators": by_group[g.pk]} for g in groups if g.pk in by_group]


def agencies() -> list[str]:
    return list(
        Indicator.objects.exclude(responsible_agency="")
        .order_by("responsible_agency")
        .values_list("responsible_agency", flat=True)
        .distinct()
    )


@require_GET
def indicator_list(request):
    """The catalogue: the 20 groups and their indicators, searchable and filtered."""
    form = CatalogueFilterForm(request.GET or None, agencies=agencies())
    filters = form.filters() if request.GET else {}
    query = (filters.get("q") or "").strip()
    groups = catalogue_groups(
        query=query, group=filters.get("group"), agency=filters.get("agency") or ""
    )
    context = {
        "form": form,
        "query": query,
        "groups": groups,
        "count": sum(len(g["indicators"]) for g in groups),
        "filtered": bool(query or filters.get("group") or filters.get("agency")),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "indicators/catalogue_results.html" if partial else "indicators/catalogue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Indicator page --------------------------------------------------------------------------

BOUNDARY_VIEWS = ("current", "asof")
SORTS = {
    "code": lambda row: row["code"],
    "name": lambda row: fold(row["name"]),
    "value": lambda row: row["value"],
}
# Regions that ended on 30/06/2025 get colours of their own on the "as of" chart.
ENDED_REGION_PALETTE = ("#882255", "#44AA99", "#999933", "#332288")


def indicator_or_404(code: str) -> Indicator:
    return get_object_or_404(
        _indicators().prefetch_related(
            Prefetch("dimensions__members", queryset=DimensionMember.objects.order_by("sort_order"))
        ),
        code=code.upper(),
    )


def source_indicator_ids(indicator: Indicator) -> list[int]:
    """The indicator and those it is computed from (weight, numerator, denominator, formula)."""
    ids = {indicator.pk}
    ids |= {
        pk for pk in (indicator.weight_id, indicator.numerator_id, indicator.denominator_id) if pk
    }
    if indicator.spatial_rule == SpatialRule.DERIVED and indicator.formula:
        from regionlink.indicators.formula import FormulaError
        from regionlink.indicators.formula import parse as parse_formula

        try:
            codes = {ref.code for ref in parse_formula(indicator.formula).references}
        except FormulaError:
            codes = set()
        ids |= set(Indicator.objects.filter(code__in=codes).values_list("pk", flat=True))
    return sorted(ids)


def available_years(readable, indicator_ids) -> list[int]:
    """Years with a value of any of ``indicator_ids`` among ``readable`` values (what the
    reader may read, from ``values.readable_values``)."""
    labels = readable.filter(indicator_id__in=indicator_ids).values_list("period", flat=True)
    return sorted({int(p) for p in labels.distinct() if len(p) == 4 and p.isdigit()})


def _status_label(status: str | None) -> str:
    return str(ValueStatus(status).label) if status in ValueStatus.values else ""


def _note(status: str | None) -> str:
    return _("(sơ bộ)") if status == ValueStatus.PRELIMINARY else ""


def _label(value, decimals: int) -> str:
    from regionlink.web.templatetags.regionlink_tags import vn_number

    return vn_number(value, decimals) if value is not None else ""


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
                "labels": [_label(c.value, indicator.decimals) if c else "" for c in cells],
                "notes": [_note(c.status) if c and c.value is not None else "" for c in cells],
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
        "label": _label(row.value, indicator.decimals),
        "note": _note(row.status),
        "status": _status_label(row.status),
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
                "label": _label(value, indicator.decimals),
                "status": row.status if row and value is not None else None,
                "status_label": _status_label(row.status) if row and value is not None else "",
                "note": _note(row.status) if row and value is not None else "",
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


def _api_data_url() -> str:
    try:
        return reverse("api:get_data")
    except NoReverseMatch:  # the data API is mounted by regionlink.api
        return "/api/v1/data"


def download_links(params: dict) -> list[dict]:
    base = _api_data_url()
    return [
        {"format": fmt.upper(), "url": f"{base}?{urlencode({**params, 'format': fmt})}"}
        for fmt in ("csv", "xlsx")
    ]


def map_config(indicator, table: dict, year: int, boundaries: str) -> dict:
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


@require_GET
def indicator_detail(request, code: str):
    """The Decree 94 definition, a chart by region, a map and a table for one year."""
    indicator = indicator_or_404(code)
    members = _member_names()
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


def _chosen_year(request, years: list[int]) -> int | None:
    raw = (request.GET.get("year") or "").strip()
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[-1] if years else None


# --- Unit page: key indicators ---------------------------------------------------------------

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

    indicators = {i.code: i for i in _indicators().filter(code__in=KEY_INDICATORS)}
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
                "status": _status_label(row.status) if row else "",
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


# --- Data entry: one data set, one unit, one period ------------------------------------------

COMPUTED_RULES = (SpatialRule.RATIO, SpatialRule.DERIVED)  # computed, never entered
ENTRY_FILE_NAME = "nhap-truc-tiep-%(unit)s-%(period)s.csv"


def editable_datasets(user):
    """Data sets ``user`` may add values to (editors of the owner's hierarchy)."""
    return sharing.datasets_where(user, Action.EDIT).select_related("owner").order_by("name")


def _refuse_entry(user, dataset: DataSet) -> None:
    """403 unless ``user`` edits ``dataset``; a data set they cannot read is not named."""
    decision = permissions.decide(user, Action.EDIT, dataset)
    if decision:
        return
    if sharing.can_read(user, dataset):
        raise PermissionDenied(decision.reason)
    raise PermissionDenied(
        _(
            "Bạn không có quyền nhập số liệu cho bộ dữ liệu này: cần vai trò “Biên tập” tại cơ "
            "quan chủ quản của bộ dữ liệu hoặc cơ quan cấp trên."
        )
    )


def _no_editable_dataset() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Bạn chưa có vai trò “Biên tập” ở cơ quan nào có bộ dữ liệu, nên chưa nhập được số "
            "liệu. Liên hệ quản trị cơ quan để được cấp quyền."
        )
    )


def entry_units(dataset: DataSet, period: periods.Period) -> list:
    """Provinces the entry form offers: the owner's, else every province of the period."""
    provinces = queries.units_on(period.end, Level.PROVINCE).order_by("code")
    own = provinces.filter(pk__in=dataset.owner.provinces.values("pk"))
    return list(own) or list(provinces)


def entry_indicators(*, readable, dataset: DataSet, group) -> list[Indicator]:
    """Rows of the grid: the indicators of ``group``, else those the data set already holds;
    computed ones (ratios, formulas) are never entered."""
    qs = Indicator.objects.select_related("group").prefetch_related(
        "dimensions",
        Prefetch("dimensions__members", queryset=DimensionMember.objects.order_by("sort_order")),
    )
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


class EntryContext:
    """What the data-entry page needs, from the query string (GET) or the form (POST)."""

    def __init__(self, request):
        self.user = request.user
        data = request.POST if request.method == "POST" else request.GET
        self.data = data
        self.errors: list[str] = []
        code = (data.get("dataset") or "").strip()
        self.datasets = list(editable_datasets(self.user))
        if not code:
            if not self.datasets:
                raise _no_editable_dataset()
            self.dataset = None
            return
        self.dataset = DataSet.objects.select_related("owner").filter(code=code).first()
        if self.dataset is None:
            raise Http404(_("Không có bộ dữ liệu mã “%(code)s”.") % {"code": code[:80]})
        _refuse_entry(self.user, self.dataset)
        raw_period = (data.get("period") or str(queries.today().year - 1)).strip()
        try:
            self.period = periods.parse(raw_period)
        except periods.PeriodError as error:
            self.errors.append(str(error))
            self.period = periods.year(queries.today().year - 1)
        self.units = entry_units(self.dataset, self.period)
        unit_code = (data.get("unit") or "").strip()
        self.unit = next((u for u in self.units if u.code == unit_code), None)
        if self.unit is None and len(self.units) == 1:
            self.unit = self.units[0]
        group_code = (data.get("group") or "").strip()
        self.group = IndicatorGroup.objects.filter(code=group_code).first() if group_code else None
        self.readable = values.readable_values(self.user, [self.dataset.pk])
        self.indicators = entry_indicators(
            readable=self.readable, dataset=self.dataset, group=self.group
        )
        self.status = (
            data.get("status") if data.get("status") in ValueStatus.values else ValueStatus.OFFICIAL
        )
        self.source = (data.get("source") or "").strip()[:250]

    def prefill(self) -> dict:
        """Published values of this data set for the unit and period: (indicator, key) → value."""
        if self.unit is None or not self.indicators:
            return {}
        rows = self.readable.filter(
            unit=self.unit,
            period=self.period.label,
            indicator_id__in=[i.pk for i in self.indicators],
        ).values_list("indicator_id", "disaggregation", "value")
        return {(ind, key): value for ind, key, value in rows}

    def context(self, checks: dict | None = None) -> dict:
        columns = entry_columns(self.indicators) if self.dataset else []
        grid = []
        if self.dataset and self.unit is not None:
            grid = entry_grid(self.indicators, columns, self.prefill(), checks or {})
        groups: list[dict] = []
        for column in columns[1:]:
            if groups and groups[-1]["name"] == column["dimension"]:
                groups[-1]["span"] += 1
            else:
                groups.append({"name": column["dimension"], "span": 1})
        return {
            "column_groups": groups,
            "datasets": self.datasets,
            "dataset": self.dataset,
            "period": getattr(self, "period", None),
            "units": getattr(self, "units", []),
            "unit": getattr(self, "unit", None),
            "groups": IndicatorGroup.objects.all(),
            "group": getattr(self, "group", None),
            "columns": columns,
            "grid": grid,
            "statuses": ValueStatus.choices,
            "status": getattr(self, "status", ValueStatus.OFFICIAL),
            "source": getattr(self, "source", ""),
            "errors": self.errors,
            "current_year": queries.today().year,
        }


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def data_entry(request):
    """A grid of indicators × disaggregations for one data set, unit and period; submitting
    makes a draft batch through the importer, then the batch page shows it for approval."""
    page = EntryContext(request)
    if request.method == "GET" or page.dataset is None or page.unit is None or page.errors:
        return render(request, "indicators/entry.html", page.context())
    checks = {i.code: check_row(i, request.POST) for i in page.indicators}
    has_errors = any(c.error for check in checks.values() for c in check["cells"].values())
    typed = any(c.value is not None for check in checks.values() for c in check["cells"].values())
    if has_errors or not typed:
        if not typed:
            page.errors.append(_("Chưa nhập giá trị nào. Nhập ít nhất một ô rồi lưu."))
        else:
            page.errors.append(_("Một số ô chưa hợp lệ; sửa các ô được đánh dấu rồi lưu lại."))
        return render(request, "indicators/entry.html", page.context(checks), status=400)
    content = entry_csv(
        list(checks.values()),
        unit=page.unit,
        period=page.period.label,
        status=page.status,
        source=page.source,
    )
    batch = pipeline.run_import(
        actor=request.user,
        dataset=page.dataset,
        path_or_file=content,
        file_name=ENTRY_FILE_NAME % {"unit": page.unit.code, "period": page.period.label},
        source=page.source or _("Nhập trực tiếp trên biểu mẫu"),
    )
    if batch.status == BatchStatus.FAILED:
        for problem in (batch.report or {}).get("errors", [])[:20]:
            page.errors.append(problem.get("message") or problem.get("reason", ""))
        return render(request, "indicators/entry.html", page.context(checks), status=400)
    messages.success(
        request,
        _("Đã lưu lô #%(id)s dưới dạng bản nháp. Kiểm tra rồi gửi duyệt để công bố.")
        % {"id": batch.pk},
    )
    return redirect(batch_page_url(batch))


@login_required
@require_POST
def data_entry_validate(request):
    """As-you-type check of one row (htmx): each cell, and parts against the total."""
    code = (request.POST.get("indicator") or "").strip().upper()
    indicator = get_object_or_404(
        Indicator.objects.prefetch_related(
            "dimensions",
            Prefetch(
                "dimensions__members", queryset=DimensionMember.objects.order_by("sort_order")
            ),
        ),
        code=code,
    )
    check = check_row(indicator, request.POST)
    return render(
        request,
        "indicators/entry_row_messages.html",
        {"check": check, "row_id": indicator.code.lower()},
    )


def batch_page_url(batch: ImportBatch) -> str:
    """The batch page (approval workflow) when mounted, else the import wizard's own page."""
    try:
        return reverse("review-batch-detail", args=[batch.pk])
    except NoReverseMatch:
        return reverse("import-batch", args=[batch.pk])


# --- Import wizard: upload → detect → preview → confirm → progress → report ------------------

UPLOAD_FOLDER = "imports"
# Files up to this size are checked (dry run) during the upload request; bigger ones in the
# background, with the progress bar, so a large file never holds a web worker for long.
INLINE_DRY_RUN_BYTES = 5 * 1024 * 1024
SESSION_UPLOADS = "rl_import_uploads"
RUNNING = (BatchStatus.PENDING, BatchStatus.RUNNING)
WIZARD_ROWS = 500  # issues listed on the page; the batch report keeps its own limit
UPLOAD_KEEP_DAYS = 7


def uploads_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER


def store_upload(upload, file_format: str) -> str:
    """Save an upload under MEDIA_ROOT/imports/ with a random name; returns that name.

    The name carries nothing of the original (which stays in the batch record), so it can
    be neither guessed nor used to reach another path; the file is readable by us only.
    """
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{file_format}"
    path = folder / name
    with path.open("xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path.chmod(0o600)
    return name


def sweep_uploads(max_age_days: int = UPLOAD_KEEP_DAYS) -> int:
    """Delete uploads older than ``max_age_days`` (checked but never confirmed, or whose
    report nobody opened); returns how many. Runs with each new upload."""
    import time

    folder = uploads_dir()
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age_days * 86400
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _stored_path(name: str) -> Path | None:
    """The stored upload of that random name; None for anything else (no path tricks)."""
    if not name or Path(name).name != name or name.startswith("."):
        return None
    path = uploads_dir() / name
    return path if path.is_file() else None


def _discard(name: str) -> None:
    path = _stored_path(name)
    if path is not None:
        path.unlink(missing_ok=True)


def _uploads(request) -> dict:
    return request.session.get(SESSION_UPLOADS, {})


def _remember(request, batch: ImportBatch, entry: dict) -> None:
    uploads = _uploads(request)
    uploads[str(batch.pk)] = entry
    # Keep the session small: the last few uploads are enough to confirm one.
    request.session[SESSION_UPLOADS] = dict(list(uploads.items())[-10:])


def _forget(request, batch_id: int, *, delete: bool) -> None:
    uploads = _uploads(request)
    entry = uploads.pop(str(batch_id), None)
    if entry is not None:
        request.session[SESSION_UPLOADS] = uploads
        if delete:
            _discard(entry.get("name", ""))


def _wizard_batch(request, batch_id: int) -> ImportBatch:
    """A batch the user may see (the owner's side or its sender); 404 otherwise."""
    batch = (
        sharing.visible_batches(request.user)
        .select_related("dataset", "dataset__owner", "submitted_by")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        raise Http404(
            _("Không có lô dữ liệu #%(id)s hoặc bạn không được xem lô này.") % {"id": batch_id}
        )
    return batch


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_UPLOAD_BYTES + 1024 * 1024  # the form's other fields are small


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def import_wizard(request):
    """Step 1: choose a data set and a file; it is checked (dry run) and nothing is written."""
    datasets = editable_datasets(request.user)
    if not datasets.exists():
        raise _no_editable_dataset()
    status = 200
    if request.method == "POST" and _too_large(request):
        form = UploadForm(datasets=datasets)
        form.add_error(
            None,
            _("Tệp vượt giới hạn %(limit)s MB. Chia tệp thành nhiều phần rồi nhập từng phần.")
            % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
        )
        status = 413
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES, datasets=datasets)
        if form.is_valid():
            sweep_uploads()
            return _check_upload(request, form)
        status = 400
    else:
        initial = {}
        if code := request.GET.get("dataset"):
            initial["dataset"] = datasets.filter(code=code).first()
        form = UploadForm(datasets=datasets, initial=initial)
    context = {"form": form, "templates": template_links(), "step": "upload"}
    return render(request, "indicators/import_upload.html", context, status=status)


def _check_upload(request, form) -> HttpResponse:
    upload = form.cleaned_data["file"]
    dataset = form.cleaned_data["dataset"]
    source = form.cleaned_data["source"]
    name = store_upload(upload, form.file_format)
    arguments = {
        "actor": request.user,
        "dataset": dataset,
        "path_or_file": str(uploads_dir() / name),
        "file_name": upload.name,
        "source": source,
        "dry_run": True,
    }
    try:
        if upload.size <= INLINE_DRY_RUN_BYTES:
            batch = pipeline.run_import(**arguments)
        else:
            batch = pipeline.start_import(**arguments)
    except Exception:
        _discard(name)
        raise
    if batch.status == BatchStatus.FAILED:
        _discard(name)  # nothing to confirm: the corrected file comes as a new upload
    else:
        _remember(request, batch, {"name": name, "file_name": upload.name, "source": source})
    return redirect("import-batch", batch.pk)


def _report_context(batch: ImportBatch) -> dict:
    report = batch.report or {}
    errors = report.get("errors") or []
    warnings = report.get("warnings") or []
    indicators = report.get("indicators") or {}
    names = dict(Indicator.objects.filter(code__in=list(indicators)).values_list("code", "name"))
    diff = report.get("published") or report.get("diff") or {}
    return {
        "report": report,
        "errors": errors[:WIZARD_ROWS],
        "error_count": int(report.get("error_count") or len(errors)),
        "warning_count": int(report.get("warning_count") or len(warnings)),
        "errors_cut": max(
            0, int(report.get("error_count") or len(errors)) - min(len(errors), WIZARD_ROWS)
        ),
        "warnings": warnings[:WIZARD_ROWS],
        "reconciliation": [
            w for w in warnings if str(w.get("code", "")).startswith("reconciliation")
        ],
        "detected_indicators": [
            {"code": code, "name": names.get(code, ""), "count": count}
            for code, count in indicators.items()
        ],
        "diff": diff,
        "examples": (report.get("diff") or {}).get("examples") or {},
        "format_label": format_label(report.get("format") or batch.file_format),
    }


def format_label(code: str) -> str:
    layout, _sep, kind = (code or "").partition("-")
    layouts = {
        "long": _("Mẫu dạng dài"),
        "wide": _("Mẫu dạng rộng (đơn vị × kỳ)"),
        "pxweb": _("Tệp PX-Web của Cục Thống kê"),
    }
    if layout not in layouts:
        return code or "—"
    return f"{layouts[layout]} ({kind.upper()})" if kind else layouts[layout]


def _progress_context(batch: ImportBatch) -> dict:
    percent = batch.progress_percent if batch.status in RUNNING else 100
    return {
        "batch": batch,
        "polling": batch.status in RUNNING,
        "percent": max(0, min(100, percent)),
    }


@login_required
@require_GET
def import_batch(request, batch_id: int):
    """Steps 2–6 of one batch: detection and preview of a dry run (with the confirm button),
    then the progress bar of the real import, then its report."""
    batch = _wizard_batch(request, batch_id)
    finished = batch.status not in RUNNING
    if finished and not batch.dry_run:
        _forget(request, batch.pk, delete=True)
    upload = _uploads(request).get(str(batch.pk))
    context = {
        **_progress_context(batch),
        **(_report_context(batch) if finished else {}),
        "can_confirm": bool(
            batch.dry_run
            and batch.status == BatchStatus.CHECKED
            and upload
            and batch.submitted_by_id == request.user.pk
        ),
        "batch_url": batch_page_url(batch),
        "can_submit": batch.status == BatchStatus.DRAFT
        and permissions.can(request.user, Action.EDIT, batch.dataset),
        "submit_url": _url_or_none("review-batch-submit", batch.pk),
        "step": _step(batch),
    }
    return render(request, "indicators/import_batch.html", context)


def _step(batch: ImportBatch) -> str:
    if batch.status in RUNNING:
        return "detect" if batch.dry_run else "progress"
    if batch.dry_run:
        return "preview"
    return "report"


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
@refusals_as_403
@require_POST
def import_confirm(request, batch_id: int):
    """Step 4: import for real the file a dry run checked, as a background job."""
    batch = _wizard_batch(request, batch_id)
    upload = _uploads(request).get(str(batch.pk))
    path = _stored_path(upload.get("name", "")) if upload else None
    if not (batch.dry_run and batch.status == BatchStatus.CHECKED) or path is None:
        messages.error(
            request,
            _(
                "Không còn tệp đã kiểm tra của lô #%(id)s để nhập (phiên đã hết hạn hoặc tệp đã "
                "được nhập). Tải tệp lên lại."
            )
            % {"id": batch.pk},
        )
        return redirect("import-wizard")
    real = pipeline.start_import(
        actor=request.user,
        dataset=batch.dataset,
        path_or_file=str(path),
        file_name=upload.get("file_name") or batch.file_name,
        source=upload.get("source") or batch.source,
    )
    _forget(request, batch.pk, delete=False)
    _remember(request, real, upload)
    if real.status not in RUNNING:
        _forget(request, real.pk, delete=True)
    return redirect("import-batch", real.pk)


@login_required
@require_GET
def import_status(request, batch_id: int):
    """Step 5 (htmx, every 2 s): the progress bar; once finished, the page reloads."""
    batch = _wizard_batch(request, batch_id)
    context = _progress_context(batch)
    response = render(request, "indicators/import_progress.html", context)
    if not context["polling"] and request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"  # finished: reload for the report
    response["Cache-Control"] = "no-store"
    return response


# --- Templates to download -------------------------------------------------------------------

TEMPLATE_LAYOUTS = ("long", "wide")  # importing.templates.KINDS
TEMPLATE_FORMATS = ("csv", "xlsx")  # importing.templates.FORMATS


def template_links() -> list[dict]:
    labels = {
        ("long", "xlsx"): _("Mẫu dạng dài (XLSX, có trang hướng dẫn)"),
        ("long", "csv"): _("Mẫu dạng dài (CSV)"),
        ("wide", "xlsx"): _("Mẫu dạng rộng: đơn vị × năm (XLSX, có trang hướng dẫn)"),
        ("wide", "csv"): _("Mẫu dạng rộng: đơn vị × năm (CSV)"),
    }
    return [
        {
            "label": label,
            "url": reverse("template-download", args=[layout, fmt]),
        }
        for (layout, fmt), label in labels.items()
    ]


@require_GET
def template_download(request, layout: str, file_format: str):
    """A blank template of the importer (long or wide, CSV or XLSX), instructions in Vietnamese."""
    if layout not in TEMPLATE_LAYOUTS or file_format not in TEMPLATE_FORMATS:
        raise Http404(_("Không có mẫu tệp này."))
    from regionlink.indicators.importing import templates

    template = templates.build(layout, file_format)
    response = HttpResponse(template.content, content_type=template.content_type)
    response["Content-Disposition"] = f'attachment; filename="{template.file_name}"'
    return response
