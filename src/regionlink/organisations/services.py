"""Every write on organisations, people and memberships: checked, atomic and audited."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from regionlink.audit import services as audit
from regionlink.core.text import fold, nfc
from regionlink.organisations.errors import OrganisationErrorCode as Code
from regionlink.organisations.errors import invalid
from regionlink.organisations.models import (
    ROLE_RANK,
    Membership,
    Organisation,
    Role,
    User,
)
from regionlink.organisations.permissions import Action, check, principal_for

PROFILE_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "description",
    "address",
    "email",
    "phone",
    "website",
)
AUDIT_FIELDS = (*PROFILE_FIELDS, "code", "kind", "parent", "scope", "legal_basis", "is_active")


def organisation_snapshot(org: Organisation) -> dict:
    data = {f: getattr(org, f) for f in AUDIT_FIELDS if f != "parent"}
    data["parent"] = org.parent.code if org.parent_id else None
    data["regions"] = sorted(r.code for r in org.regions.all()) if org.pk else []
    data["provinces"] = sorted(p.code for p in org.provinces.all()) if org.pk else []
    return data


@transaction.atomic
def update_organisation_profile(
    *, actor: User, organisation: Organisation, **changes
) -> Organisation:
    """Change an organisation's public profile (name, contacts, description)."""
    check(actor, Action.EDIT, organisation)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise invalid(
            Code.UNKNOWN_FIELD,
            _("Không sửa được trường %(fields)s; chỉ sửa được: %(allowed)s.")
            % {"fields": ", ".join(sorted(unknown)), "allowed": ", ".join(PROFILE_FIELDS)},
        )
    before = organisation_snapshot(organisation)
    for name, value in changes.items():
        setattr(organisation, name, nfc(value) if isinstance(value, str) else value)
    organisation.search_key = fold(f"{organisation.name} {organisation.short_name}")
    organisation.full_clean(exclude=["parent", "regions", "provinces"])
    organisation.save()
    old, new = audit.changes(before, organisation_snapshot(organisation))
    if new:
        audit.record(
            actor=actor, action="organisation.update", obj=organisation, before=old, after=new
        )
    return organisation


@transaction.atomic
def create_organisation(
    *,
    actor: User | str,
    code: str,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    scope: str = "none",
    regions=(),
    provinces=(),
    **profile,
) -> Organisation:
    """Create an organisation; a system admin anywhere, an organisation admin below their own."""
    if not isinstance(actor, str):
        if parent is None:
            if not principal_for(actor).is_system_admin:
                raise PermissionDenied(_("Chỉ quản trị hệ thống được tạo cơ quan cấp cao nhất."))
        else:
            check(actor, Action.ADMINISTER, parent)
    if Organisation.objects.filter(code=code).exists():
        raise invalid(
            Code.DUPLICATE_CODE,
            _("Mã cơ quan “%(code)s” đã được dùng; chọn mã khác.") % {"code": code},
            "code",
        )
    org = Organisation(code=code, name=nfc(name), kind=kind, parent=parent, scope=scope)
    for key, value in profile.items():
        setattr(org, key, nfc(value) if isinstance(value, str) else value)
    org.search_key = fold(f"{org.name} {org.short_name}")
    org.full_clean(exclude=["regions", "provinces"])
    org.save()
    org.regions.set(regions)
    org.provinces.set(provinces)
    audit.record(
        actor=actor, action="organisation.create", obj=org, after=organisation_snapshot(org)
    )
    return org


def _guard_grant(actor, organisation: Organisation, role: str) -> None:
    check(actor, Action.ADMINISTER, organisation)
    who = principal_for(actor)
    if not who.is_system_admin and ROLE_RANK[Role(role)] > who.rank_in(organisation):
        raise invalid(
            Code.ROLE_TOO_HIGH,
            _("Không thể cấp vai trò cao hơn vai trò của chính bạn."),
            "role",
        )


@transaction.atomic
def add_member(*, actor, organisation: Organisation, user: User, role: str) -> Membership:
    """Give ``user`` a role in ``organisation``."""
    if not isinstance(actor, str):
        _guard_grant(actor, organisation, role)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise invalid(
            Code.ALREADY_MEMBER,
            _("%(user)s đã là thành viên của %(org)s; hãy đổi vai trò thay vì thêm mới.")
            % {"user": user, "org": organisation},
            "user",
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role(role))
    audit.record(
        actor=actor,
        action="membership.create",
        obj=membership,
        after={"user": user.username, "organisation": organisation.code, "role": role},
    )
    return membership


def _ensure_admin_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.ORG_ADMIN or new_role == Role.ORG_ADMIN:
        return
    others = Membership.objects.filter(
        organisation=membership.organisation, role=Role.ORG_ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise invalid(
            Code.LAST_ADMIN,
            _("%(org)s cần ít nhất một quản trị cơ quan; hãy chỉ định người khác trước.")
            % {"org": membership.organisation},
            "role",
        )


@transaction.atomic
def change_role(*, actor, membership: Membership, role: str) -> Membership:
    _guard_grant(actor, membership.organisation, role)
    _ensure_admin_remains(membership, role)
    before = {"role": membership.role}
    membership.role = Role(role)
    membership.save(update_fields=["role"])
    audit.record(
        actor=actor, action="membership.update", obj=membership, before=before, after={"role": role}
    )
    return membership


@transaction.atomic
def remove_member(*, actor, membership: Membership) -> None:
    check(actor, Action.ADMINISTER, membership.organisation)
    _ensure_admin_remains(membership, None)
    before = {
        "user": membership.user.username,
        "organisation": membership.organisation.code,
        "role": membership.role,
    }
    audit.record(actor=actor, action="membership.delete", obj=membership, before=before)
    membership.delete()


@transaction.atomic
def create_person(
    *,
    actor,
    organisation: Organisation,
    username: str,
    email: str,
    full_name: str,
    role: str,
    position: str = "",
    password: str | None = None,
    send_invitation: bool = True,
    request=None,
) -> User:
    """Create an account in ``organisation``; without a password it gets a set-password e-mail."""
    if not isinstance(actor, str):
        _guard_grant(actor, organisation, role)
    if User.objects.filter(username__iexact=username).exists():
        raise invalid(
            Code.DUPLICATE_USERNAME,
            _("Tên đăng nhập “%(name)s” đã có; chọn tên khác.") % {"name": username},
            "username",
        )
    user = User(username=username, email=email, full_name=nfc(full_name), position=nfc(position))
    user.set_password(password or secrets.token_urlsafe(24))
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action="user.create",
        obj=user,
        after={"username": username, "email": email, "full_name": user.full_name},
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role(role))
    audit.record(
        actor=actor,
        action="membership.create",
        object_type="organisations.membership",
        object_id=f"{username}@{organisation.code}",
        object_repr=f"{user} — {organisation}",
        after={"user": username, "organisation": organisation.code, "role": role},
    )
    if send_invitation and not password and email:
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            transaction.on_commit(
                lambda: form.save(
                    request=request,
                    use_https=False,
                    email_template_name="registration/rl_password_reset_email.txt",
                    subject_template_name="registration/rl_password_reset_subject.txt",
                )
            )
    return user
