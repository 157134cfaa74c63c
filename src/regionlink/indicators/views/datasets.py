"""Data set pages: the list, one data set, its sharing, and access requests with their
decisions. A data set the visitor may not read answers 404, as an unknown code does."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regionlink.core.paging import keyset_page, next_page_url
from regionlink.indicators import access
from regionlink.indicators import datasets as dataset_service
from regionlink.indicators.forms import AccessRequestForm, RequestByCodeForm, SharingForm
from regionlink.indicators.models import (
    AccessRequest,
    AccessRequestStatus,
    DataSet,
    Indicator,
)
from regionlink.indicators.sharing import (
    datasets_where,
    organisation_reads,
    readable_datasets,
    visible_batches,
)
from regionlink.indicators.views.common import back_url, not_found, service_errors_as_messages
from regionlink.organisations.models import ROLE_RANK, Organisation, Role
from regionlink.organisations.org_forms import service_errors_on
from regionlink.organisations.permissions import Action, can, check, principal_for
from regionlink.organisations.views import refusals_as_403

PAGE_SIZE = 50


def _readable_dataset(request, code: str) -> DataSet:
    found = readable_datasets(request.user).select_related("owner").filter(code=code).first()
    if found is None:
        raise not_found()
    return found


def _member_organisations(user) -> list[Organisation]:
    """The organisations ``user`` belongs to (any role), each once, by name."""
    orgs = {m.organisation_id: m.organisation for m in principal_for(user).memberships}
    return sorted(orgs.values(), key=lambda o: o.name)


def _orgs_qs(organisations) -> list[Organisation]:
    """A list that ModelChoiceField accepts (it needs ``.all()`` and ``.get()``)."""
    return Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")


@require_GET
def dataset_list(request):
    """The data sets the visitor may read, by code, in keyset pages."""
    qs = readable_datasets(request.user).select_related("owner")
    page = keyset_page(
        qs,
        order=("code",),
        kinds=(str,),
        after=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
        lenient=True,
    )
    context = {
        "datasets": page.rows,
        "next_url": next_page_url(request, page.next_cursor),
        "may_request": request.user.is_authenticated,
    }
    return render(request, "indicators/dataset_list.html", context)


def _organisations_without_access(user, dataset: DataSet) -> list[Organisation]:
    return [o for o in _member_organisations(user) if not organisation_reads(dataset, o)]


@require_GET
def dataset_detail(request, code: str):
    """Owner, sharing, embargo, indicators, batches; requests and their decisions."""
    dataset = _readable_dataset(request, code)
    who = principal_for(request.user)
    owner_side = who.is_system_admin or who.rank_in(dataset.owner) >= ROLE_RANK[Role.VIEWER]
    may_manage = can(request.user, Action.APPROVE, dataset)
    asking = _organisations_without_access(request.user, dataset) if who.is_authenticated else []
    context = {
        "dataset": dataset,
        "owner_side": owner_side,
        "may_manage": may_manage,
        "indicators": Indicator.objects.filter(values__dataset=dataset)
        .distinct()
        .order_by("code")
        .only("code", "name", "name_en"),
        "shared_with": dataset.shared_with.order_by("name") if owner_side else None,
        "batches": (
            visible_batches(request.user)
            .filter(dataset=dataset)
            .select_related("submitted_by")
            .order_by("-created_at", "-id")[:20]
            if owner_side
            else None
        ),
        "pending_requests": (
            dataset.access_requests.filter(status=AccessRequestStatus.PENDING).select_related(
                "organisation", "requested_by"
            )
            if may_manage
            else None
        ),
        "request_form": (AccessRequestForm(organisations=_orgs_qs(asking)) if asking else None),
    }
    return render(request, "indicators/dataset_detail.html", context)


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def dataset_sharing(request, code: str):
    """Visibility, named organisations and embargo: the owner's approvers and admins."""
    dataset = _readable_dataset(request, code)
    check(request.user, Action.APPROVE, dataset)
    if request.method == "POST":
        form = SharingForm(request.POST, dataset=dataset)
        if form.is_valid():
            with service_errors_on(form):
                dataset_service.update_dataset_sharing(
                    actor=request.user,
                    dataset=dataset,
                    visibility=form.cleaned_data["visibility"],
                    shared_with=list(form.cleaned_data["shared_with"]),
                    embargo_until=form.cleaned_data["embargo_until"],
                )
                messages.success(
                    request,
                    _("Đã lưu phạm vi chia sẻ của “%(name)s”.") % {"name": dataset.name},
                )
                return redirect("dataset-detail", code=dataset.code)
    else:
        form = SharingForm(dataset=dataset)
    return render(request, "indicators/dataset_sharing.html", {"dataset": dataset, "form": form})


@login_required
@refusals_as_403
@require_POST
def dataset_access_request(request, code: str):
    """Ask for access on behalf of one of the visitor's organisations."""
    dataset = _readable_dataset(request, code)
    form = AccessRequestForm(
        request.POST, organisations=_orgs_qs(_member_organisations(request.user))
    )
    if form.is_valid():
        with service_errors_as_messages(request):
            access.request_access(
                actor=request.user,
                dataset=dataset,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("Đã gửi đề nghị; %(owner)s sẽ xem xét và trả lời.") % {"owner": dataset.owner},
            )
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("dataset-detail", code=dataset.code)


@login_required
@refusals_as_403
@require_http_methods(["GET", "POST"])
def dataset_request_access(request):
    """Ask for a data set by its code (one you cannot see yet); the answer never says whether
    the code exists, so restricted data sets stay hidden."""
    organisations = _orgs_qs(_member_organisations(request.user))
    if request.method == "POST":
        form = RequestByCodeForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            with service_errors_on(form):
                access.check_request(
                    actor=request.user, organisation=data["organisation"], reason=data["reason"]
                )
                visible = readable_datasets(request.user).filter(code=data["code"]).first()
                if visible is not None:
                    access.request_access(
                        actor=request.user,
                        dataset=visible,
                        organisation=data["organisation"],
                        reason=data["reason"],
                    )
                else:
                    hidden = DataSet.objects.filter(code=data["code"]).first()
                    if hidden is not None:
                        access.request_access_quietly(
                            actor=request.user,
                            dataset=hidden,
                            organisation=data["organisation"],
                            reason=data["reason"],
                        )
                messages.success(
                    request,
                    _(
                        "Đã ghi nhận đề nghị. Nếu mã bộ dữ liệu đúng, cơ quan chủ quản sẽ xem "
                        "xét và trả lời; khi được cấp quyền, bộ dữ liệu hiện trong danh sách."
                    ),
                )
                return redirect("dataset-request-access")
    else:
        form = RequestByCodeForm(organisations=organisations)
    decided = (
        AccessRequest.objects.filter(organisation__in=organisations)
        .exclude(status=AccessRequestStatus.PENDING)
        .select_related("dataset", "organisation")
        .order_by("-decided_at", "-id")[:20]
    )
    context = {"form": form, "decided": decided, "has_organisation": organisations.exists()}
    return render(request, "indicators/dataset_request_access.html", context)


def _decidable_request(request, pk: int) -> AccessRequest:
    found = (
        AccessRequest.objects.filter(
            pk=pk, dataset__in=datasets_where(request.user, Action.APPROVE)
        )
        .select_related("dataset", "dataset__owner", "organisation")
        .first()
    )
    if found is None:
        raise not_found()
    return found


def _decision_view(decide, success):
    @login_required
    @refusals_as_403
    @require_POST
    @functools.wraps(decide)
    def view(request, pk: int):
        req = _decidable_request(request, pk)
        with service_errors_as_messages(request):
            decide(actor=request.user, access_request=req, reason=request.POST.get("reason", ""))
            messages.success(request, success % {"org": req.organisation})
        return redirect(back_url(request, reverse("dataset-detail", args=[req.dataset.code])))

    return view


access_request_grant = _decision_view(
    access.grant_access, gettext_lazy("Đã cấp quyền xem cho %(org)s.")
)
access_request_refuse = _decision_view(
    access.refuse_access, gettext_lazy("Đã từ chối đề nghị của %(org)s.")
)
