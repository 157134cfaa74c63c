"""Region and unit pages: who belonged where on a date, and how units changed over time."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regionlink.geography import queries, selectors
from regionlink.geography.models import Level

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. Regions take
# them in their order, so a region keeps its colour across the 2025 regrouping.
REGION_PALETTE = ("#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#D55E00", "#0072B2")
NO_REGION_COLOUR = "#B8BEC6"
BEFORE = selectors.LAST_DAY_BEFORE_REORGANISATION


def requested_date(request) -> tuple[dt.date, str]:
    """The ``?date=`` of the request (YYYY-MM-DD or dd/mm/yyyy), else today, and any error."""
    raw = (request.GET.get("date") or "").strip()
    if not raw:
        return queries.today(), ""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date(), ""
        except ValueError:
            continue
    error = _(
        "Ngày “%(value)s” không hợp lệ; đang hiển thị ngày hôm nay. Nhập theo dạng dd/mm/yyyy."
    )
    return queries.today(), error % {"value": raw[:40]}


def region_colours(regions) -> dict[str, str]:
    """Region code → colour, by the regions' order on their date."""
    return {r.code: REGION_PALETTE[i % len(REGION_PALETTE)] for i, r in enumerate(regions)}


def region_rows(date: dt.date) -> list[dict]:
    """The regions valid on ``date``, each with its provinces then and its colour."""
    regions = list(queries.regions_on(date))
    colours = region_colours(regions)
    return [
        {"region": r, "members": [m.unit for m in r.members_on], "colour": colours[r.code]}
        for r in regions
    ]


def boundaries_url(date: dt.date, level: str = "province") -> str:
    try:
        base = reverse("api:boundaries")
    except NoReverseMatch:  # the API router is mounted by regionlink.api
        base = "/api/v1/boundaries"
    return f"{base}?{urlencode({'date': date.isoformat(), 'level': level})}"


def unit_url_template() -> str:
    """The unit page address with ``__code__`` where map.js puts a province code."""
    return reverse("unit-detail", args=["__code__"])


def map_labels() -> dict[str, str]:
    """Strings map.js shows, translated here so the script carries none of its own."""
    return {
        "region": _("Vùng"),
        "noRegion": _("Chưa xếp vùng"),
        "loading": _("Đang tải bản đồ…"),
        "error": _("Không tải được bản đồ. Danh sách tỉnh, thành phố bên dưới vẫn dùng được."),
        "shown": _("Bản đồ %(count)s tỉnh, thành phố ngày %(date)s."),
        "open": _("Nhấn để mở trang tỉnh, thành phố."),
        "mapTitle": _("Bản đồ các tỉnh, thành phố tô màu theo vùng"),
    }


def date_context(request) -> dict:
    """The requested ``date``, its ``date_error`` and the date ``choices`` of territory pages."""
    date, date_error = requested_date(request)
    return {"date": date, "date_error": date_error, "choices": date_choices(date)}


def date_choices(date: dt.date) -> list[dict]:
    """The two views every territory page offers: today, and the last day of the 63 provinces."""
    today = queries.today()
    return [
        {
            "date": today,
            "label": _("Hiện nay (34 tỉnh, thành phố)"),
            "active": date >= selectors.REORGANISATION_DATE,
        },
        {
            "date": BEFORE,
            "label": _("Trước 01/07/2025 (63 tỉnh, thành phố)"),
            "active": date < selectors.REORGANISATION_DATE,
        },
    ]


@require_GET
def region_list(request):
    context = date_context(request)
    date = context["date"]
    rows = region_rows(date)
    context.update(
        rows=rows,
        member_total=sum(len(row["members"]) for row in rows),
        ended=selectors.regions_ended_before(date),
        later=selectors.regions_begun_after(date),
    )
    return render(request, "geography/region_list.html", context)


@require_GET
def region_detail(request, code: str):
    context = date_context(request)
    date = context["date"]
    region = queries.region_by_code(code)
    # A region outside its validity is shown as it was on its nearest valid day.
    on = date if region.is_valid_on(date) else (region.valid_to or region.valid_from or date)
    members = list(queries.units_of_region(region, on))
    history = selectors.membership_history(region)
    colours = region_colours(selectors.regions_valid_on(on))
    map_config = {
        "mode": "region",
        "focus": region.code,
        "views": [
            {
                "key": "region",
                "date": on.isoformat(),
                "url": boundaries_url(on),
                "outlineUrl": boundaries_url(on, "region"),
            }
        ],
        "selected": "region",
        "colours": colours,
        "unitUrl": unit_url_template(),
        "labels": map_labels(),
    }
    context.update(
        region=region,
        map_date=on,
        valid=region.is_valid_on(date),
        members=members,
        area=selectors.total_area(members),
        history=history,
        colour=colours.get(region.code, NO_REGION_COLOUR),
        map_config=map_config,
    )
    return render(request, "geography/region_detail.html", context)


@require_GET
def unit_list(request):
    context = date_context(request)
    groups = region_rows(context["date"])
    context.update(
        groups=groups,
        unassigned=list(selectors.provinces_without_region(context["date"])),
        total=sum(len(g["members"]) for g in groups),
        before=BEFORE,
    )
    return render(request, "geography/unit_list.html", context)


def _communes_context(request, page: selectors.UnitPage, *, query: str = "", after: str = ""):
    communes = selectors.communes_of(page.unit, page.shown_on, query=query, after=after)
    base = reverse("unit-communes", args=[page.unit.code])
    params = {"date": page.requested.isoformat()}
    if query:
        params["q"] = query
    return {
        "commune_page": communes,
        "commune_date": page.shown_on,
        "communes_url": base,
        "communes_first_url": f"{base}?{urlencode(params)}" if after else "",
        "communes_next_url": (
            f"{base}?{urlencode({**params, 'after': communes.next_after})}"
            if communes.next_after
            else ""
        ),
    }


@require_GET
def unit_detail(request, code: str):
    context = date_context(request)
    page = selectors.unit_page(code, context["date"])
    context.update(page=page, unit=page.unit)
    if page.unit.level == Level.PROVINCE:
        # The data hub's key figures; the geography app only hosts them.
        from regionlink.indicators.views import unit_key_indicators

        context["key_indicators"] = unit_key_indicators(request.user, page.unit, page.shown_on)
    if page.has_communes:
        context.update(_communes_context(request, page))
    return render(request, "geography/unit_detail.html", context)


@require_GET
def unit_communes(request, code: str):
    """Communes of a province on a date; the list alone for htmx, a whole page otherwise."""
    context = date_context(request)
    page = selectors.unit_page(code, context["date"])
    if not page.has_communes:
        raise Http404(_("Đơn vị này không có xã, phường trực thuộc."))
    query = (request.GET.get("q") or "").strip()[:100]
    after = (request.GET.get("after") or "").strip()[:10]
    partial = request.headers.get("HX-Request") == "true"
    context.update(
        page=page,
        unit=page.unit,
        partial=partial,
        **_communes_context(request, page, query=query, after=after),
    )
    template = "geography/_communes.html" if partial else "geography/unit_communes.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
