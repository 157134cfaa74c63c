"""Personas and plans of the plans API tests, built with the real services.

Imported by the test_plans_api_*.py modules (``from test_plans_api_fixtures import *``).
A string actor is a set-up step: the services skip the permission check.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from regionlink.organisations import services as org_services
from regionlink.organisations.models import Organisation, Role, User
from regionlink.organisations.tokens import create_token
from regionlink.plans import services
from regionlink.plans.law import PlanLevel
from regionlink.plans.models import Stage

__all__ = [
    "FIXTURE",
    "approver",
    "bearer",
    "hanoi_editor",
    "hanoi_plan",
    "lam_dong_plan",
    "national_plan",
    "outsider",
    "patch_json",
    "post_json",
    "province",
    "provincial_editor",
    "viewer",
]

PASSWORD = "mat-khau-du-dai-2025"
FIXTURE = "test fixture"
REGISTERED_ON = dt.date(2026, 3, 1)


def province(code: str, on: dt.date = dt.date(2026, 1, 1)):
    from regionlink.geography.models import AdministrativeUnit, Level, valid_on_q

    return AdministrativeUnit.objects.get(valid_on_q(on), level=Level.PROVINCE, code=code)


def _person(username: str, full_name: str, org_code: str | None, role: str | None) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", PASSWORD, full_name=full_name
    )
    if org_code:
        organisation = Organisation.objects.get(code=org_code)
        org_services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def provincial_editor(reference_organisations):
    """Phạm Thị Lan, editor at UBND tỉnh Lâm Đồng: manages Lâm Đồng's plans only."""
    return _person("api.ld.bientap", "Phạm Thị Lan", "ubnd-68", Role.EDITOR)


@pytest.fixture
def approver(reference_organisations):
    """Hoàng Văn Duyệt, approver at UBND tỉnh Lâm Đồng."""
    return _person("api.ld.pheduyet", "Hoàng Văn Duyệt", "ubnd-68", Role.APPROVER)


@pytest.fixture
def viewer(reference_organisations):
    """Vũ Thị Xem, a Lâm Đồng official who reads but does not edit."""
    return _person("api.ld.xem", "Vũ Thị Xem", "ubnd-68", Role.VIEWER)


@pytest.fixture
def hanoi_editor(reference_organisations):
    """Ngô Thị Hà, editor at UBND thành phố Hà Nội: another province altogether."""
    return _person("api.hn.bientap", "Ngô Thị Hà", "ubnd-01", Role.EDITOR)


@pytest.fixture
def outsider(reference_organisations):
    """A signed-in citizen with no role anywhere."""
    return _person("api.congdan", "Trần Văn Dân", None, None)


def _provincial(code: str, name: str, **extra):
    return services.create_plan(
        actor=FIXTURE,
        code=f"qh-tinh-{code}",
        name=name,
        level=PlanLevel.PROVINCIAL,
        period_start=2021,
        period_end=2030,
        vision_year=2050,
        organising_body=Organisation.objects.get(code=f"ubnd-{code}"),
        province=province(code),
        on=REGISTERED_ON,
        **extra,
    )


@pytest.fixture
def lam_dong_plan(reference_organisations):
    """Lâm Đồng's provincial plan 2021–2030, being formulated (not published)."""
    return _provincial("68", "Quy hoạch tỉnh Lâm Đồng thời kỳ 2021–2030", stage=Stage.OUTLINE)


@pytest.fixture
def hanoi_plan(reference_organisations):
    """Hà Nội's capital plan 2021–2030, being formulated (not published)."""
    return _provincial("01", "Quy hoạch Thủ đô Hà Nội thời kỳ 2021–2030", stage=Stage.OUTLINE)


@pytest.fixture
def national_plan(reference_organisations):
    """The national master plan 2021–2030, published and being implemented."""
    return services.create_plan(
        actor=FIXTURE,
        code="qh-tong-the-quoc-gia",
        name="Quy hoạch tổng thể quốc gia thời kỳ 2021–2030",
        name_en="National Master Plan 2021–2030",
        level=PlanLevel.NATIONAL_MASTER,
        period_start=2021,
        period_end=2030,
        vision_year=2050,
        organising_body=Organisation.objects.get(code="bo-tai-chinh"),
        stage=Stage.IMPLEMENTATION,
        on=REGISTERED_ON,
    )


@pytest.fixture
def bearer():
    """Authorization headers with a fresh personal token for ``user``."""

    def make(user: User) -> dict[str, str]:
        _token, secret = create_token(user=user, name="t")
        return {"Authorization": f"Bearer {secret}"}

    return make


def _send(method: str):
    def send(client, url: str, body: dict, **kwargs):
        call = getattr(client, method)
        return call(
            url, data=json.dumps(body, default=str), content_type="application/json", **kwargs
        )

    return send


@pytest.fixture
def post_json():
    return _send("post")


@pytest.fixture
def patch_json():
    return _send("patch")
