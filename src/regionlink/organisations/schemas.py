"""Shapes of the organisations API: public directory, profile edits and the caller's account."""

from __future__ import annotations

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from regionlink.organisations.models import OrganisationKind

KINDS = tuple(OrganisationKind.values)


def _kind(value):
    if value is None or value == "":
        return None
    if value not in KINDS:
        message = _(
            "Loại cơ quan “%(value)s” không hợp lệ (tham số kind); dùng một trong: %(allowed)s."
        ) % {
            "value": value,
            "allowed": ", ".join(KINDS),
        }
        raise PydanticCustomError("invalid_kind", message)
    return value


KindParam = Annotated[
    Literal[
        "ministry",
        "ministry_department",
        "institute",
        "statistics_office",
        "regional_council",
        "peoples_committee",
        "provincial_department",
        "business_association",
        "business",
        "other",
    ],
    BeforeValidator(_kind),
]


class OrganisationOut(Schema):
    code: str
    name: str
    name_en: str
    short_name: str
    kind: str
    kind_label: str
    parent_code: str | None
    scope: str
    regions: list[str]
    provinces: list[str]
    is_demo: bool = Field(description="Dữ liệu minh họa: show the label to users when true.")


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None


class MemberOut(Schema):
    username: str
    full_name: str
    email: str
    position: str
    role: str
    role_label: str


class OrganisationDetailOut(OrganisationOut):
    description: str
    address: str
    email: str
    phone: str
    website: str
    legal_basis: str
    is_active: bool
    children: list[str]
    members: list[MemberOut] | None = Field(
        None, description="Only present when the caller may administer the organisation."
    )


class OrganisationPatch(BaseModel):
    """Public profile fields; send only the ones to change.

    Other keys are passed on so the service can refuse them with a message listing the
    editable fields; lengths and formats are checked by the model, in Vietnamese. A plain
    pydantic model: ninja's ``Schema`` reads attributes and would drop unknown keys silently.
    """

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    name_en: str | None = None
    short_name: str | None = None
    description: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None


class OrganisationRef(Schema):
    code: str
    name: str
    kind: str
    is_demo: bool


class MyMembershipOut(Schema):
    organisation: OrganisationRef
    role: str
    role_label: str


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    position: str
    is_system_admin: bool
    can_view_audit: bool
    memberships: list[MyMembershipOut]
