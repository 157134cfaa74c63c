"""Illustrative organisations and one demo account per role ("Dữ liệu minh họa")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from regionlink.audit import services as audit
from regionlink.geography.queries import today, unit_on
from regionlink.organisations.models import (
    JurisdictionScope,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from regionlink.organisations.reference import _upsert

DEMO_PASSWORD = "lienketvung-2026"  # printed by `make demo`; demo databases only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    organisation: str
    role: str | None  # None: system administrator
    note: str


DEMO_ORGANISATIONS = [
    # code, name, name_en, short, kind, parent, scope, province code
    (
        "so-tc-68",
        "Sở Tài chính tỉnh Lâm Đồng",
        "Lam Dong Department of Finance",
        "STC Lâm Đồng",
        OrganisationKind.PROVINCIAL_DEPARTMENT,
        "ubnd-68",
        JurisdictionScope.PROVINCES,
        "68",
    ),
    (
        "so-tc-01",
        "Sở Tài chính thành phố Hà Nội",
        "Hanoi Department of Finance",
        "STC Hà Nội",
        OrganisationKind.PROVINCIAL_DEPARTMENT,
        "ubnd-01",
        JurisdictionScope.PROVINCES,
        "01",
    ),
    (
        "dn-logistics-dong-bang",
        "Công ty Cổ phần Logistics Đồng Bằng (minh họa)",
        "Dong Bang Logistics JSC (illustrative)",
        "Logistics Đồng Bằng",
        OrganisationKind.BUSINESS,
        "",
        JurisdictionScope.NONE,
        "",
    ),
    (
        "dn-nong-san-cuu-long",
        "Công ty TNHH Nông sản Cửu Long (minh họa)",
        "Cuu Long Agricultural Products Co., Ltd. (illustrative)",
        "Nông sản Cửu Long",
        OrganisationKind.BUSINESS,
        "",
        JurisdictionScope.NONE,
        "",
    ),
]

DEMO_ACCOUNTS = [
    DemoAccount(
        "quantri", "Quản trị hệ thống (minh họa)", "bo-tai-chinh", None, "quản trị hệ thống"
    ),
    DemoAccount(
        "qlqh.pheduyet",
        "Nguyễn Văn Phê (minh họa)",
        "btc-vu-quan-ly-quy-hoach",
        Role.APPROVER,
        "phê duyệt, Vụ Quản lý quy hoạch",
    ),
    DemoAccount(
        "qlqh.bientap",
        "Trần Thị Biên (minh họa)",
        "btc-vu-quan-ly-quy-hoach",
        Role.EDITOR,
        "biên tập, Vụ Quản lý quy hoạch",
    ),
    DemoAccount(
        "vien.xem",
        "Lê Minh Xem (minh họa)",
        "btc-vien-chien-luoc-phat-trien",
        Role.VIEWER,
        "xem, Viện Chiến lược phát triển",
    ),
    DemoAccount(
        "thongke.bientap",
        "Phạm Thu Số (minh họa)",
        "btc-cuc-thong-ke",
        Role.EDITOR,
        "biên tập, Cục Thống kê",
    ),
    DemoAccount(
        "lamdong.quantri",
        "Hoàng Văn Quản (minh họa)",
        "ubnd-68",
        Role.ORG_ADMIN,
        "quản trị cơ quan, UBND tỉnh Lâm Đồng",
    ),
    DemoAccount(
        "lamdong.bientap",
        "Vũ Thị Lâm (minh họa)",
        "so-tc-68",
        Role.EDITOR,
        "biên tập, Sở Tài chính Lâm Đồng",
    ),
    DemoAccount(
        "hanoi.bientap",
        "Đỗ Văn Hà (minh họa)",
        "ubnd-01",
        Role.EDITOR,
        "biên tập, UBND thành phố Hà Nội",
    ),
    DemoAccount(
        "dbsh.xem",
        "Bùi Thị Vùng (minh họa)",
        "hddpv-dbsh",
        Role.VIEWER,
        "xem, Hội đồng điều phối vùng Đồng bằng sông Hồng",
    ),
    DemoAccount(
        "doanhnghiep",
        "Ngô Văn Doanh (minh họa)",
        "dn-logistics-dong-bang",
        Role.EDITOR,
        "doanh nghiệp",
    ),
]


@transaction.atomic
def load_demo_organisations() -> list[DemoAccount]:
    """Create the illustrative organisations and accounts; idempotent."""
    for code, name, name_en, short, kind, parent, scope, province in DEMO_ORGANISATIONS:
        provinces = [unit_on(province, today())] if province else []
        values = {
            "code": code,
            "name": name,
            "name_en": name_en,
            "short_name": short,
            "kind": kind,
            "parent": Organisation.objects.get(code=parent) if parent else None,
            "scope": scope,
            "is_demo": True,
            "legal_basis": "",
        }
        _upsert(values, provinces=provinces)
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(
                account.username,
                email=f"{account.username}@demo.regionlink.local",
                password=DEMO_PASSWORD,
                full_name=account.full_name,
            )
            audit.record(
                actor="regionlink setup --demo",
                action="user.create",
                obj=user,
                after={"username": user.username, "demo": True},
            )
        organisation = Organisation.objects.get(code=account.organisation)
        if account.role is None:
            if not user.is_superuser:
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
            role = Role.VIEWER
        else:
            role = account.role
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
    return DEMO_ACCOUNTS
