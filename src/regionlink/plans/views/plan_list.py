"""The plan list: filters by level, region (today's and the pre-2025 ones), stage and text
typed with or without diacritics; keyset pages; the public sees published plans only."""

from __future__ import annotations

from django.db.models import Count, Q, Value
from django.db.models.functions import Length, Substr
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from regionlink.core.paging import keyset_page, next_page_url
from regionlink.core.text import fold
from regionlink.geography.models import Region, RegionMembership
from regionlink.plans.forms import PlanFilterForm
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import Stage
from regionlink.plans.permissions import Action, can, visible_plans
from regionlink.plans.views.common import is_htmx, level_rank

PAGE_SIZE = 25


def filtered_plans(user, *, q="", level="", region="", stage=""):
    """The plans ``user`` may see that match the filters (a region takes in the plans of the
    provinces that were its members at any time, so a pre-2025 region finds its old plans)."""
    plans = visible_plans(user)
    for word in fold(q).split():
        plans = plans.filter(search_key__contains=word)
    if level:
        plans = plans.filter(level=level)
    if stage:
        plans = plans.filter(stage=stage)
    if region:
        members = RegionMembership.objects.filter(region__code=region).values("unit_id")
        plans = plans.filter(Q(region__code=region) | Q(province__in=members))
    return plans


def folded_name():
    """The plan's name without diacritics, lower case: ``search_key`` is fold("code name
    name_en") and a folded slug keeps its length. Ordering by it puts "Đồng Nai" among the
    D's and "Bạc Liêu" before "Bình Định" on SQLite too (whose binary order would not)."""
    return Substr("search_key", Length("code") + Value(2))


def _may_create(user) -> bool:
    """Whether to offer "Thêm quy hoạch": an editor somewhere (the service decides the body)."""
    from regionlink.organisations.permissions import principal_for

    who = principal_for(user)
    if who.is_system_admin:
        return True
    return any(can(user, Action.CREATE, m.organisation) for m in who.memberships)


@require_GET
def plan_list(request):
    """Plans the visitor may see, filtered, 25 a page, with the count by level; both in the
    order of the planning hierarchy (law.PlanLevel), plans of a level by name."""
    form = PlanFilterForm(request.GET or None)
    filters = form.filters()
    plans = filtered_plans(request.user, **filters)
    page = keyset_page(
        plans.select_related("region", "province", "organising_body").annotate(
            level_rank=level_rank(), sort_name=folded_name()
        ),
        order=("level_rank", "sort_name", "code"),
        kinds=(int, str, str),
        after=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
        lenient=True,
    )
    by_level = dict(
        plans.order_by().values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    counts = [(PlanLevel(level).label, by_level[level]) for level in PlanLevel if level in by_level]
    region_names = dict(Region.objects.values_list("code", "name"))
    context = {
        "form": form,
        "plans": page.rows,
        "next_url": next_page_url(request, page.next_cursor),
        "count": sum(by_level.values()),
        "counts": counts,
        "filtered": any(filters.values()),
        "query": filters["q"],
        "region_name": region_names.get(filters["region"], ""),
        "stage_label": Stage(filters["stage"]).label if filters["stage"] else "",
        "may_create": request.user.is_authenticated and _may_create(request.user),
    }
    template = "plans/plan_list_results.html" if is_htmx(request) else "plans/plan_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
