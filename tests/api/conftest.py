"""Personas for the API tests, built with the real service functions.

The territory is loaded once per session by tests/conftest.py, which also gives
``reference_organisations`` (loaded per test) and ``system_admin``.
"""

from __future__ import annotations

import json

import pytest

from regionlink.organisations import services
from regionlink.organisations.models import Organisation, Role, User
from regionlink.organisations.tokens import create_token

PASSWORD = "mat-khau-du-dai-2025"
FIXTURE = "test fixture"  # a string actor: services skip the permission check for set-up


def _person(username: str, full_name: str, organisation: Organisation | None, role: str | None):
    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", PASSWORD, full_name=full_name
    )
    if organisation is not None:
        services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


def _organisation(**fields) -> Organisation:
    return services.create_organisation(actor=FIXTURE, **fields)


@pytest.fixture
def lam_dong_editor(reference_organisations):
    """An editor at UBND tỉnh Lâm Đồng who keeps the committee's public profile up to date."""
    return _person("lamdong.bientap", "Vũ Thị Lâm", reference_organisations["ubnd-68"], Role.EDITOR)


@pytest.fixture
def lam_dong_viewer(reference_organisations):
    """A Lâm Đồng official who reads but does not edit."""
    return _person("lamdong.xem", "Đinh Văn Xem", reference_organisations["ubnd-68"], Role.VIEWER)


@pytest.fixture
def lam_dong_admin(reference_organisations):
    """The organisation administrator of UBND tỉnh Lâm Đồng."""
    return _person(
        "lamdong.quantri", "Hoàng Văn Quản", reference_organisations["ubnd-68"], Role.ORG_ADMIN
    )


@pytest.fixture
def hanoi_editor(reference_organisations):
    """An editor at UBND thành phố Hà Nội: a different province altogether."""
    return _person("hanoi.bientap", "Ngô Thị Hà", reference_organisations["ubnd-01"], Role.EDITOR)


@pytest.fixture
def lam_dong_finance_department(reference_organisations):
    """Sở Tài chính tỉnh Lâm Đồng, below the People's Committee."""
    return _organisation(
        code="so-tc-68",
        name="Sở Tài chính tỉnh Lâm Đồng",
        kind="provincial_department",
        parent=reference_organisations["ubnd-68"],
        scope="provinces",
    )


@pytest.fixture
def demo_business(reference_organisations):
    """An illustrative business, shown to users as “Dữ liệu minh họa”."""
    return _organisation(
        code="dn-logistics-dong-bang",
        name="Công ty Cổ phần Logistics Đồng Bằng (minh họa)",
        kind="business",
        is_demo=True,
    )


@pytest.fixture
def bearer():
    """Authorization headers with a fresh personal token for ``user``."""

    def make(user: User) -> dict[str, str]:
        _token, secret = create_token(user=user, name="t")
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def patch_json():
    """Send ``body`` as a JSON PATCH with ``client``."""

    def send(client, url: str, body: dict, **kwargs):
        return client.patch(url, data=json.dumps(body), content_type="application/json", **kwargs)

    return send
