"""The catalogue page: the 20 groups and their indicators, searchable and filtered."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from regionlink.core.text import fold
from regionlink.indicators.forms import CatalogueFilterForm
from regionlink.indicators.models import Indicator, IndicatorGroup
from regionlink.indicators.views.common import member_names, page_indicators
from regionlink.indicators.views.rules import annotate_rules


def search_indicators(indicators, query: str):
    """Indicators whose code or names contain every word of ``query``, diacritics ignored."""
    for word in fold(query).split():
        indicators = indicators.filter(search_key__contains=word)
    return indicators


def catalogue_groups(*, query: str = "", group=None, agency: str = "") -> list[dict]:
    """The groups, each with its indicators matching the filters (empty groups left out)."""
    indicators = search_indicators(page_indicators(), query)
    if group is not None:
        indicators = indicators.filter(group=group)
    if agency:
        indicators = indicators.filter(responsible_agency=agency)
    rows = annotate_rules(indicators, member_names())
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
