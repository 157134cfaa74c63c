"""Pages that span apps: the map of regions on the home page and the place-name search."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regionlink.geography import names, queries, selectors
from regionlink.geography.models import Level
from regionlink.geography.views import (
    BEFORE,
    boundaries_url,
    map_labels,
    region_rows,
    requested_date,
    unit_url_template,
)

SEARCH_EXAMPLES = ("Bình Dương", "tp hcm", "Thanh Hoá", "Ba Ria - Vung Tau", "Hà Tây", "Ba Đình")


def _era(key: str, on: dt.date, label: str) -> dict:
    rows = region_rows(on)
    colours = {row["region"].code: row["colour"] for row in rows}
    return {
        "key": key,
        "date": on,
        "label": label,
        "rows": rows,
        "province_count": sum(len(row["members"]) for row in rows),
        "colours": colours,
        "url": boundaries_url(on),
    }


@require_GET
def home(request):
    """Provinces coloured by region, today and on the last day of the 63 provinces."""
    date, date_error = requested_date(request)
    eras = [
        _era("current", queries.today(), _("Hiện nay (34 tỉnh, thành phố)")),
        _era("before", BEFORE, _("Trước 01/07/2025 (63 tỉnh, thành phố)")),
    ]
    selected = "before" if date < selectors.REORGANISATION_DATE else "current"
    for era in eras:
        era["active"] = era["key"] == selected
    colours = {}
    for era in eras:
        colours.update(era["colours"])
    map_config = {
        "mode": "country",
        "views": [
            {"key": era["key"], "date": era["date"].isoformat(), "url": era["url"]} for era in eras
        ],
        "selected": selected,
        "colours": colours,
        "unitUrl": unit_url_template(),
        "labels": map_labels(),
        "syncUrl": True,
    }
    return render(
        request,
        "web/home.html",
        {"eras": eras, "selected": selected, "map_config": map_config, "date_error": date_error},
    )


def _search_level(raw: str) -> str | None:
    return raw if raw in Level.values else None


@require_GET
def search(request):
    """Resolve a place name as written (any spelling, old or new) to units on a date."""
    query = (request.GET.get("q") or "").strip()[:200]
    date, date_error = requested_date(request)
    level = _search_level(request.GET.get("level", ""))
    resolution = names.resolve(query, date=date, level=level) if query else None
    context = {
        "query": query,
        "date": date,
        "date_error": date_error,
        "level": level or "",
        "levels": Level.choices,
        "resolution": resolution,
        "examples": SEARCH_EXAMPLES,
    }
    # A history restore asks for the whole page even though htmx sends it.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "web/_search_results.html" if partial else "web/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def favicon(request):
    """Browsers ask for /favicon.ico; the icon is a static SVG (hashed name only after start-up)."""
    from django.templatetags.static import static

    return redirect(static("web/favicon.svg"), permanent=True)
