"""The audit pages and the audit API answer "who sees which events" and filter the same way."""

from __future__ import annotations

import pytest

from regionlink.organisations import services
from regionlink.organisations.models import Organisation, Role, User

pytestmark = pytest.mark.django_db


def sign_in(client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


@pytest.fixture
def grants_in_two_provinces(demo_world):
    """The system admin gives a viewer role below Lâm Đồng's committee and one in Hà Nội's."""
    admin = User.objects.get(username="quantri")
    for code, username in (("so-tc-68", "vien.xem"), ("ubnd-01", "dbsh.xem")):
        services.add_member(
            actor=admin,
            organisation=Organisation.objects.get(code=code),
            user=User.objects.get(username=username),
            role=Role.VIEWER,
        )


def on_the_pages(client, **filters) -> set[int]:
    return {event.pk for event in client.get("/audit/", filters).context["events"]}


def through_the_api(client, **filters) -> set[int]:
    response = client.get("/api/v1/audit", {"limit": 1000, **filters})
    assert response.status_code == 200, response.content
    return {event["id"] for event in response.json()["items"]}


@pytest.mark.parametrize("username", ["lamdong.quantri", "quantri"])
def test_both_show_the_same_membership_changes(client, grants_in_two_provinces, username):
    sign_in(client, username)

    pages = on_the_pages(client, action="membership.")
    api = through_the_api(client, action="membership.")

    assert pages and pages == api


def test_an_organisation_admin_sees_grants_below_them_only_through_the_api_too(
    client, grants_in_two_provinces
):
    sign_in(client, "lamdong.quantri")

    response = client.get("/api/v1/audit", {"action": "membership.create", "limit": 1000})

    granted = {event["after"]["user"] for event in response.json()["items"]}
    assert "vien.xem" in granted
    assert "dbsh.xem" not in granted


def test_both_match_the_actor_whatever_its_case(client, grants_in_two_provinces):
    sign_in(client, "quantri")

    pages = on_the_pages(client, actor="QUANTRI", action="membership.")
    api = through_the_api(client, actor="QUANTRI", action="membership.")

    assert len(pages) == 2 and pages == api
