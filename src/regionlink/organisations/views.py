"""Organisation pages: the public directory and profiles, profile editing, member management.

Thin: forms parse, selectors read, services check permissions and write (with the audit
trail). Views also check first, so a refusal is a 403 page that says why, never a 500.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regionlink.core.paging import next_page_url
from regionlink.organisations import selectors, services
from regionlink.organisations.models import Role
from regionlink.organisations.org_forms import (
    MemberAddForm,
    MemberRoleForm,
    OrganisationFilterForm,
    OrganisationProfileForm,
    PersonCreateForm,
    service_errors_on,
)
from regionlink.organisations.permissions import Action, can, check
from regionlink.web.views_errors import permission_denied


def refusals_as_403(view):
    """Show PermissionDenied as the Vietnamese 403 page carrying the refusal's reason."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return permission_denied(request, refusal)

    return wrapped


def is_htmx(request) -> bool:
    """An htmx swap (not a boosted link, nor a history restore, which need the whole page)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


def _link(url_name: str, *args) -> str | None:
    """The page of a territory, when the geography pages exist in this deployment."""
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return None


@require_GET
def organisation_list(request):
    """The public directory: filter by kind, region, province and name; keyset pages."""
    form = OrganisationFilterForm(request.GET)
    page = selectors.organisation_directory(**form.directory_filters())
    next_url = next_page_url(request, page.next_cursor)
    context = {"form": form, "organisations": page.rows, "next_url": next_url}
    template = "organisations/organisation_list.html"
    if is_htmx(request):
        template = "organisations/organisation_list_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def organisation_detail(request, code: str):
    """Profile, jurisdiction, hierarchy; the member list only for those who administer it."""
    organisation = selectors.organisation_by_code(code)
    may_administer = can(request.user, Action.ADMINISTER, organisation)
    context = {
        "organisation": organisation,
        "ancestors": organisation.ancestors(),
        "children": selectors.children_of(organisation),
        "regions": [(r, _link("region-detail", r.code)) for r in organisation.regions.all()],
        "provinces": [(p, _link("unit-detail", p.code)) for p in organisation.provinces.all()],
        "may_edit": can(request.user, Action.EDIT, organisation),
        "may_administer": may_administer,
        "members": selectors.members_of(organisation) if may_administer else None,
    }
    return render(request, "organisations/organisation_detail.html", context)


def with_organisation(action: Action, *methods: str):
    """Sign-in, then only ``methods``, then the organisation named by ``code`` is looked up and
    ``action`` on it checked before the view runs with it; a refusal is the 403 page."""

    def decorate(view):
        @login_required
        @refusals_as_403
        @require_http_methods(list(methods))
        @functools.wraps(view)
        def wrapped(request, code: str, *args, **kwargs):
            organisation = selectors.organisation_by_code(code)
            check(request.user, action, organisation)
            return view(request, organisation, *args, **kwargs)

        return wrapped

    return decorate


@with_organisation(Action.EDIT, "GET", "POST")
def organisation_edit(request, organisation):
    """Edit the public profile through ``services.update_organisation_profile``."""
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST, organisation=organisation)
        if form.is_valid():
            with service_errors_on(form):
                services.update_organisation_profile(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
                messages.success(
                    request,
                    _("Đã lưu thông tin của %(name)s.") % {"name": organisation.name},
                )
                return redirect("organisation-detail", code=organisation.code)
    else:
        form = OrganisationProfileForm(organisation=organisation)
    context = {"organisation": organisation, "form": form}
    return render(request, "organisations/organisation_edit.html", context)


def _members_context(request, organisation, *, add_form=None) -> dict:
    roles = selectors.grantable_roles(request.user, organisation)
    return {
        "organisation": organisation,
        "members": selectors.members_of(organisation),
        "roles": roles,
        "add_form": add_form or MemberAddForm(roles=roles),
    }


@with_organisation(Action.ADMINISTER, "GET")
def organisation_members(request, organisation):
    """Who holds which role here; only organisation admins (here or above) and system admins."""
    context = _members_context(request, organisation)
    return render(request, "organisations/organisation_members.html", context)


def _report(request, errors, fields) -> None:
    """Errors as messages that name the field, for the one-line member actions."""
    for name, problems in errors.items():
        label = fields[name].label if name in fields else ""
        for problem in problems:
            if label:
                problem = _("%(field)s: %(error)s") % {"field": label, "error": problem}
            messages.error(request, problem)


def _after_member_change(request, organisation, form=None):
    """Report ``form``'s errors as messages; htmx swaps the refreshed member list in place,
    plain forms go back to the page."""
    if form is not None:
        _report(request, form.errors, form.fields)
    if is_htmx(request):
        context = {**_members_context(request, organisation), "partial": True}
        return render(request, "organisations/member_list.html", context)
    return redirect("organisation-members", code=organisation.code)


@with_organisation(Action.ADMINISTER, "POST")
def member_add(request, organisation):
    """Give an existing account a role here."""
    form = MemberAddForm(request.POST)
    if form.is_valid():
        identifier = form.cleaned_data["identifier"]
        person = selectors.person_by_username_or_email(identifier)
        if person is None:
            form.add_error(
                "identifier",
                _(
                    "Không tìm thấy tài khoản “%(who)s”; kiểm tra lại tên đăng nhập hoặc thư "
                    "điện tử, hoặc tạo người dùng mới."
                )
                % {"who": identifier},
            )
        else:
            role = form.cleaned_data["role"]
            with service_errors_on(form, renamed={"user": "identifier"}):
                services.add_member(
                    actor=request.user, organisation=organisation, user=person, role=role
                )
                messages.success(
                    request,
                    _("Đã thêm %(user)s với vai trò “%(role)s”.")
                    % {"user": person, "role": Role(role).label},
                )
    return _after_member_change(request, organisation, form)


@with_organisation(Action.ADMINISTER, "POST")
def member_change_role(request, organisation, pk: int):
    membership = selectors.membership_in(organisation, pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        with service_errors_on(form):
            services.change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(
                request,
                _("Đã đổi vai trò của %(user)s thành “%(role)s”.")
                % {"user": membership.user, "role": membership.get_role_display()},
            )
    return _after_member_change(request, organisation, form)


@with_organisation(Action.ADMINISTER, "POST")
def member_remove(request, organisation, pk: int):
    membership = selectors.membership_in(organisation, pk)
    try:
        services.remove_member(actor=request.user, membership=membership)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        _report(request, errors, MemberRoleForm.base_fields)
    else:
        messages.success(
            request,
            _("Đã gỡ %(user)s khỏi %(org)s.") % {"user": membership.user, "org": organisation},
        )
    return _after_member_change(request, organisation)


@with_organisation(Action.ADMINISTER, "GET", "POST")
def member_create(request, organisation):
    """Create an account in this organisation; the person sets a password from an e-mail."""
    roles = selectors.grantable_roles(request.user, organisation)
    if request.method == "POST":
        # Every role is accepted here so that the service explains a refusal in its own words.
        form = PersonCreateForm(request.POST)
        if form.is_valid():
            with service_errors_on(form):
                person = services.create_person(
                    actor=request.user,
                    organisation=organisation,
                    request=request,
                    **form.cleaned_data,
                )
                messages.success(
                    request,
                    _("Đã tạo tài khoản %(username)s và gửi thư đặt mật khẩu tới %(email)s.")
                    % {"username": person.username, "email": person.email},
                )
                return redirect("organisation-members", code=organisation.code)
        form.fields["role"].choices = roles
    else:
        form = PersonCreateForm(roles=roles)
    context = {"organisation": organisation, "form": form}
    return render(request, "organisations/member_create.html", context)
