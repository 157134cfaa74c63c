"""What the plan pages share: finding a plan the visitor may see, who may do what on it, which
documents they may open, and turning a service's refusal into a message next to a field."""

from __future__ import annotations

import dataclasses
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regionlink.organisations.views import is_htmx, refusals_as_403
from regionlink.plans import findings as findings_service
from regionlink.plans.errors import PlanError
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import DocumentType, Plan, PlanTarget
from regionlink.plans.permissions import Action, can, check, reads_restricted, visible_plans

__all__ = [
    "FINDING_PREFETCH",
    "PlanRights",
    "add_service_error",
    "finding_rows",
    "is_htmx",
    "level_rank",
    "plan_for",
    "plan_url",
    "refusals_as_403",
    "rights_for",
    "visible_documents",
]


def level_rank(field: str = "level") -> Case:
    """The place of a plan's level in the planning hierarchy (the order of law.PlanLevel),
    for ordering: the national master plan first, special units last."""
    return Case(
        *(When(**{field: level}, then=Value(rank)) for rank, level in enumerate(PlanLevel.values)),
        default=Value(len(PlanLevel.values)),
        output_field=IntegerField(),
    )


# What finding_rows reads, fetched with the findings (one query each, whatever their number).
FINDING_PREFETCH = (
    Prefetch(
        "plans",
        queryset=Plan.objects.select_related("organising_body", "province", "region")
        .annotate(level_rank=level_rank())
        .order_by("level_rank", "name", "code"),
    ),
    Prefetch(
        "targets",
        queryset=PlanTarget.objects.select_related(
            "indicator", "province", "region", "plan__province", "plan__region"
        ).order_by("indicator__code", "target_year", "plan__code", "id"),
    ),
)


def territory_label(target: PlanTarget) -> str:
    """Whose target: the province (short name), the region, else the plan's territory."""
    english = (get_language() or "").startswith("en")
    unit = target.province or target.plan.province
    if unit is not None:
        return (unit.name_en if english and unit.name_en else unit.short_name) or unit.name
    region = target.region or target.plan.region
    if region is not None:
        return region.display_name
    return target.plan.display_name


def target_groups(targets) -> list[dict]:
    """A finding's targets by indicator and year, each with the territories they belong to."""
    groups: dict[tuple, dict] = {}
    for target in targets:
        key = (target.indicator_id, target.base_year, target.target_year)
        group = groups.setdefault(
            key,
            {
                "indicator": target.indicator,
                "base_year": target.base_year,
                "year": target.target_year,
                "places": [],
            },
        )
        label = territory_label(target)
        if label not in group["places"]:
            group["places"].append(label)
    return list(groups.values())


def single_place(groups: list[dict]) -> str:
    """The one territory of every target group (a territory change), named once; else ""."""
    places = {tuple(g["places"]) for g in groups}
    if len(groups) > 1 and len(places) == 1:
        (only,) = places
        if len(only) == 1:
            return only[0]
    return ""


def finding_rows(user, findings, visible_ids: set[int] | None = None) -> list[dict]:
    """Findings (fetched with FINDING_PREFETCH) with their explanation, the plans involved
    that the visitor may see, their targets by indicator and whether the visitor decides."""
    findings = list(findings)
    texts = findings_service.explanations(findings)
    signed_in = user.is_authenticated
    rows = []
    for finding in findings:
        plans = [p for p in finding.plans.all() if visible_ids is None or p.pk in visible_ids]
        groups = target_groups(finding.targets.all())
        rows.append(
            {
                "finding": finding,
                "explanation": texts[finding.pk],
                "plans": plans,
                "targets": groups,
                "targets_place": single_place(groups),
                "may_decide": signed_in and findings_service.can_decide(user, finding),
            }
        )
    return rows


def not_found() -> Http404:
    """A plan the visitor may not see is never revealed: 404, not 403."""
    return Http404(_("Không tìm thấy quy hoạch hoặc bạn không có quyền xem."))


def plan_for(request, code: str, *related: str) -> Plan:
    """The plan ``code`` if the visitor may see it (published plans: everyone), else 404."""
    related = related or ("region", "province", "organising_body", "formulating_body")
    plan = visible_plans(request.user).select_related(*related).filter(code=code).first()
    if plan is None:
        raise not_found()
    return plan


def plan_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("plan-detail", args=[plan.code])
    return f"{url}#{anchor}" if anchor else url


@dataclasses.dataclass(frozen=True)
class PlanRights:
    """What the visitor may do to one plan, decided once per request (the services decide
    again when a form is sent)."""

    edit: bool
    approve: bool
    insider: bool  # reads the plan's unpublished records (non-public documents)


def rights_for(user, plan: Plan) -> PlanRights:
    # Non-public documents of a published plan stay with those who could read it before
    # publication: publication opens the plan, not every file of its dossier.
    return PlanRights(
        edit=can(user, Action.EDIT, plan),
        approve=can(user, Action.APPROVE, plan),
        insider=reads_restricted(user, plan),
    )


def document_open(document, plan: Plan, rights: PlanRights) -> bool:
    """permissions.document_visible with the plan's rights computed once for the page."""
    if document.is_public and (plan.is_public or document.doc_type == DocumentType.DRAFT):
        return True
    return rights.insider


def visible_documents(plan: Plan, rights: PlanRights) -> list:
    documents = plan.documents.select_related("version", "uploaded_by").order_by(
        "-uploaded_at", "-id"
    )
    return [d for d in documents if document_open(d, plan, rights)]


def check_edit(user, plan: Plan) -> None:
    """403 with the reason when ``user`` may not edit ``plan``."""
    check(user, Action.EDIT, plan)


def add_service_error(form, error: Exception, aliases: dict[str, str] | None = None) -> None:
    """A service's refusal next to the field it names (or above the form); ``aliases`` maps
    a service's field name to the form's where they differ."""
    aliases = aliases or {}
    if isinstance(error, PlanError):
        field = aliases.get(error.field, error.field)
        field = field if field in form.fields else None
        form.add_error(field, error.message)
    elif isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                field = aliases.get(field, field)
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    else:  # pragma: no cover - only PlanError and ValidationError are passed in
        form.add_error(None, str(error))


def editor_view(view=None, *, page: bool = False):
    """A view that changes a plan: signed in, the plan visible (else 404) and editable (else
    403 with the reason). ``page``: GET shows the form; otherwise only POST is accepted."""

    def decorate(view):
        @functools.wraps(view)
        @refusals_as_403
        def wrapped(request, code: str, *args, **kwargs):
            if request.method not in (("GET", "POST") if page else ("POST",)):
                return redirect(reverse("plan-detail", args=[code]))
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            plan = plan_for(request, code)
            check_edit(request.user, plan)
            return view(request, plan, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def done(request, plan: Plan, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(plan_url(plan, anchor))


def may(user, action: Action, target) -> bool:
    return can(user, action, target)


def form_page(request, *, plan: Plan | None, form, title: str, submit: str, **extra):
    """A form on its own page; an htmx submission gets back only the form box, errors and
    all, so a refusal shows next to the fields without reloading the page."""
    from django.shortcuts import render

    context = {"plan": plan, "form": form, "title": title, "submit": submit, **extra}
    template = "plans/_form_box.html" if is_htmx(request) else "plans/form_page.html"
    return render(request, template, context)


def success(request, url: str, message: str):
    """Say what was done and go back; an htmx form is told to load the page itself."""
    from django.http import HttpResponse

    messages.success(request, message)
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def back_url(request, default: str) -> str:
    """The ``next`` address of the form when it is on this site, else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
