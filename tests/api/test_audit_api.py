"""Who may read the audit trail through the API, and which part of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from regionlink.audit import services as audit
from regionlink.audit.models import AuditEvent
from regionlink.core.paging import encode_cursor
from regionlink.organisations import services
from regionlink.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def edits(lam_dong_editor, hanoi_editor, lam_dong_finance_department):
    """One profile edit in Lâm Đồng, one in Hà Nội, made through the service."""
    services.update_organisation_profile(
        actor=lam_dong_editor,
        organisation=Organisation.objects.get(code="ubnd-68"),
        phone="0263 3822 111",
    )
    services.update_organisation_profile(
        actor=hanoi_editor,
        organisation=Organisation.objects.get(code="ubnd-01"),
        phone="024 3825 3536",
    )


def _events(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_an_anonymous_visitor_is_asked_to_sign_in(client, edits):
    response = client.get("/api/v1/audit")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("persona", ["lam_dong_viewer", "lam_dong_editor"])
def test_viewers_and_editors_may_not_read_the_trail(client, edits, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/api/v1/audit")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "quản trị" in response.json()["message"]


def test_a_system_admin_reads_the_whole_trail(client, edits, system_admin):
    client.force_login(system_admin)

    events = _events(client.get("/api/v1/audit", {"limit": 1000}))

    actions = {e["action"] for e in events}
    assert {"organisation.update", "organisation.create", "membership.create"} <= actions
    assert "organisation.load_reference" in actions
    assert len(events) == AuditEvent.objects.count()


def test_an_organisation_admin_reads_their_organisations_part_only(
    client, edits, lam_dong_admin, lam_dong_editor, lam_dong_finance_department
):
    client.force_login(lam_dong_admin)
    lam_dong = Organisation.objects.get(code="ubnd-68")

    events = _events(client.get("/api/v1/audit", {"limit": 1000}))

    about = {(e["object_type"], e["object_id"]) for e in events}
    assert ("organisations.organisation", str(lam_dong.pk)) in about
    # Below the committee: its finance department's creation.
    assert ("organisations.organisation", str(lam_dong_finance_department.pk)) in about
    edits_seen = [e for e in events if e["action"] == "organisation.update"]
    assert [e["object_repr"] for e in edits_seen] == ["Ủy ban nhân dân tỉnh Lâm Đồng"]
    assert edits_seen[0]["actor"] == "lamdong.bientap"
    assert edits_seen[0]["before"] == {"phone": ""}
    assert edits_seen[0]["after"] == {"phone": "0263 3822 111"}
    assert all(e["action"] != "organisation.load_reference" for e in events)


def test_an_organisation_admin_also_sees_what_their_members_did_elsewhere(
    client, edits, lam_dong_admin, lam_dong_editor, bearer
):
    bearer(lam_dong_editor)  # creating a token is audited with the editor as actor
    client.force_login(lam_dong_admin)

    events = _events(client.get("/api/v1/audit", {"actor": "lamdong.bientap"}))

    assert {e["action"] for e in events} == {"organisation.update", "api_token.create"}


def test_the_trail_filters_by_action_object_and_time(client, edits, system_admin):
    client.force_login(system_admin)
    hanoi = Organisation.objects.get(code="ubnd-01")
    today = timezone.localdate()

    by_object = _events(
        client.get(
            "/api/v1/audit",
            {"object_type": "organisations.organisation", "object_id": str(hanoi.pk)},
        )
    )
    by_action = _events(client.get("/api/v1/audit", {"action": "organisation.update"}))
    today_only = _events(
        client.get(
            "/api/v1/audit",
            {
                "action": "organisation.update",
                "since": today.isoformat(),
                "until": today.isoformat(),
            },
        )
    )
    tomorrow = _events(
        client.get("/api/v1/audit", {"since": (today + dt.timedelta(days=1)).isoformat()})
    )

    assert [e["after"] for e in by_object] == [{"phone": "024 3825 3536"}]
    assert len(by_action) == 2
    assert len(today_only) == 2
    assert tomorrow == []


def test_the_trail_is_read_newest_first_in_pages_without_duplicates(client, system_admin):
    for n in range(7):
        audit.record(actor="test fixture", action="test.tick", object_type="test", object_id=str(n))
    client.force_login(system_admin)

    seen, after = [], None
    while True:
        params = {"action": "test.tick", "limit": 3, **({"after": after} if after else {})}
        body = client.get("/api/v1/audit", params).json()
        seen += body["items"]
        after = body["next"]
        if after is None:
            break

    assert [e["object_id"] for e in seen] == ["6", "5", "4", "3", "2", "1", "0"]
    moments = [e["occurred_at"] for e in seen]
    assert moments == sorted(moments, reverse=True)


def test_a_tampered_cursor_is_refused(client, system_admin):
    client.force_login(system_admin)

    naive = client.get("/api/v1/audit", {"after": encode_cursor(["2026-01-01T00:00:00", 5])})
    garbage = client.get("/api/v1/audit", {"after": "%%%"})

    assert naive.status_code == garbage.status_code == 400
    assert naive.json()["code"] == garbage.json()["code"] == "invalid_cursor"


def test_a_bad_time_bound_is_refused_naming_the_parameter(client, system_admin):
    client.force_login(system_admin)

    response = client.get("/api/v1/audit", {"since": "hôm qua"})

    assert response.status_code == 422
    assert response.json()["field"] == "since"
    assert "YYYY-MM-DD" in response.json()["message"]
