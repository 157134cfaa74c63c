"""The audit pages: who may read the trail, which part of it they see, filters and paging."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regionlink.audit import services as audit
from regionlink.audit.models import AuditEvent
from regionlink.organisations import services
from regionlink.organisations.models import Organisation, Role, User

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def person(username: str) -> User:
    return User.objects.get(username=username)


def organisation(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def two_provinces_at_work(demo_world):
    """Lâm Đồng's editor updates her department; Hà Nội's editor updates his committee."""
    lam_dong = services.update_organisation_profile(
        actor=person("lamdong.bientap"),
        organisation=organisation("so-tc-68"),
        phone="0263 3822 000",
    )
    ha_noi = services.update_organisation_profile(
        actor=person("hanoi.bientap"), organisation=organisation("ubnd-01"), phone="024 3825 3536"
    )
    return {
        "lam_dong": AuditEvent.objects.get(
            action="organisation.update", object_id=str(lam_dong.pk)
        ),
        "ha_noi": AuditEvent.objects.get(action="organisation.update", object_id=str(ha_noi.pk)),
    }


def shown(response) -> list[AuditEvent]:
    return list(response.context["events"])


# Who may read


def test_an_anonymous_visitor_is_sent_to_sign_in(client, demo_world):
    response = client.get("/audit/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/audit/"


@pytest.mark.parametrize("username", ["vien.xem", "lamdong.bientap", "dbsh.xem", "doanhnghiep"])
def test_who_administers_nothing_gets_a_403_naming_the_role_needed(client, demo_world, username):
    client.force_login(person(username))

    response = client.get("/audit/")

    assert response.status_code == 403
    assert "cần vai trò “Quản trị cơ quan”" in response.content.decode()


def test_an_organisation_admin_sees_only_their_organisations_part_of_the_trail(
    client, two_provinces_at_work
):
    client.force_login(person("lamdong.quantri"))

    events = shown(client.get("/audit/"))

    assert two_provinces_at_work["lam_dong"] in events  # so-tc-68 is below ubnd-68
    assert two_provinces_at_work["ha_noi"] not in events
    assert not [e for e in events if e.action in ("geography.load", "organisation.load_reference")]


def test_an_organisation_admin_sees_memberships_granted_in_their_organisations(client, demo_world):
    services.add_member(
        actor=person("quantri"),
        organisation=organisation("so-tc-68"),
        user=person("vien.xem"),
        role=Role.VIEWER,
    )
    services.add_member(
        actor=person("quantri"),
        organisation=organisation("ubnd-01"),
        user=person("dbsh.xem"),
        role=Role.VIEWER,
    )
    client.force_login(person("lamdong.quantri"))

    granted = [
        e.after["user"] for e in shown(client.get("/audit/")) if e.action == "membership.create"
    ]

    assert granted == ["vien.xem"]


def test_the_system_admin_sees_the_whole_trail(client, two_provinces_at_work):
    client.force_login(person("quantri"))

    events = shown(client.get("/audit/"))

    assert {two_provinces_at_work["lam_dong"], two_provinces_at_work["ha_noi"]} <= set(events)
    assert any(e.action == "organisation.load_reference" for e in events)


def test_an_organisation_admin_cannot_open_an_event_outside_their_part(
    client, two_provinces_at_work
):
    client.force_login(person("lamdong.quantri"))

    own = client.get(f"/audit/{two_provinces_at_work['lam_dong'].pk}/")
    other = client.get(f"/audit/{two_provinces_at_work['ha_noi'].pk}/")

    assert own.status_code == 200
    assert other.status_code == 404


def test_a_viewer_cannot_open_an_event_either(client, two_provinces_at_work):
    client.force_login(person("vien.xem"))

    assert client.get(f"/audit/{two_provinces_at_work['lam_dong'].pk}/").status_code == 403


# What a row shows


def test_each_row_opens_to_show_before_and_after_as_indented_json(client, two_provinces_at_work):
    client.force_login(person("quantri"))
    event = two_provinces_at_work["lam_dong"]

    html = client.get("/audit/", {"object_id": event.object_id}).content.decode()

    row = re.search(r"<details>.*?</details>", html, re.S).group(0)
    assert "Vũ Thị Lâm (minh họa)" in row and "organisation.update" in row
    assert "{\n  &quot;phone&quot;: &quot;&quot;\n}" in row
    assert "{\n  &quot;phone&quot;: &quot;0263 3822 000&quot;\n}" in row
    assert f'href="/audit/{event.pk}/"' in row


def test_the_detail_page_shows_who_what_when_and_the_change(client, two_provinces_at_work):
    client.force_login(person("quantri"))
    event = two_provinces_at_work["ha_noi"]

    html = client.get(f"/audit/{event.pk}/").content.decode()

    assert "Đỗ Văn Hà (minh họa)" in html
    assert "organisation.update" in html
    assert "Ủy ban nhân dân thành phố Hà Nội" in html
    assert "024 3825 3536" in html
    assert timezone.localtime(event.occurred_at).strftime("%d/%m/%Y") in html


# Filters


def test_filter_by_action_and_by_actor(client, two_provinces_at_work):
    client.force_login(person("quantri"))

    by_action = shown(client.get("/audit/", {"action": "organisation.update"}))
    by_actor = shown(client.get("/audit/", {"actor": "HANOI.bientap"}))

    assert set(by_action) == set(two_provinces_at_work.values())
    assert by_actor == [two_provinces_at_work["ha_noi"]]


def test_filter_by_object_type_and_object_id(client, two_provinces_at_work):
    client.force_login(person("quantri"))
    event = two_provinces_at_work["lam_dong"]

    response = client.get(
        "/audit/", {"object_type": "organisations.organisation", "object_id": event.object_id}
    )

    assert shown(response) == [event]


def test_filter_by_a_date_range_in_vietnamese_day_first_dates(client, demo_world):
    """Days are local days: 23:30 on 1 July in Hà Nội is 16:30 UTC, still 1 July."""
    late_evening = dt.datetime(2025, 7, 1, 23, 30, tzinfo=VIETNAM)
    next_morning = dt.datetime(2025, 7, 2, 0, 30, tzinfo=VIETNAM)
    for moment in (late_evening, next_morning):
        AuditEvent.objects.create(
            occurred_at=moment, actor_label="hệ thống cũ", action="legacy.import", object_type="x"
        )
    client.force_login(person("quantri"))

    first = shown(client.get("/audit/", {"date_from": "01/07/2025", "date_to": "01/07/2025"}))
    second = shown(client.get("/audit/", {"date_from": "02/07/2025", "date_to": "02/07/2025"}))

    assert [e.occurred_at for e in first] == [late_evening]
    assert [e.occurred_at for e in second] == [next_morning]


def test_a_wrongly_written_date_is_explained_and_not_applied(client, two_provinces_at_work):
    client.force_login(person("quantri"))

    response = client.get("/audit/", {"date_from": "2025-07-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["date_from"] == [
        "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025."
    ]
    assert two_provinces_at_work["lam_dong"] in shown(response)


def test_an_end_before_the_start_is_explained(client, demo_world):
    client.force_login(person("quantri"))

    response = client.get("/audit/", {"date_from": "02/07/2025", "date_to": "01/07/2025"})

    assert "phải bằng hoặc sau" in response.context["form"].errors["date_to"][0]


# Paging


def test_the_trail_pages_newest_first_with_a_cursor_link(client, demo_world):
    reviewer, department = person("quantri"), organisation("so-tc-68")
    for _ in range(60):
        audit.record(actor=reviewer, action="organisation.review", obj=department)
    client.force_login(reviewer)

    first = client.get("/audit/", {"action": "organisation.review"})
    second = client.get("/audit/" + first.context["next_url"])

    assert len(shown(first)) == 50 and len(shown(second)) == 10
    assert "Trang sau" in first.content.decode()
    assert second.context["next_url"] is None
    everything = shown(first) + shown(second)
    assert len({e.pk for e in everything}) == 60
    assert everything == sorted(everything, key=lambda e: (e.occurred_at, e.pk), reverse=True)


def test_paging_neither_skips_nor_repeats_events_recorded_at_the_same_instant(client, demo_world):
    instant = timezone.now() - dt.timedelta(days=1)
    for number in range(55):
        AuditEvent.objects.create(
            occurred_at=instant, actor_label="nhập liệu", action="batch.row", object_id=str(number)
        )
    client.force_login(person("quantri"))

    first = client.get("/audit/", {"action": "batch.row"})
    second = client.get("/audit/" + first.context["next_url"])

    ids = [e.object_id for e in shown(first) + shown(second)]
    assert sorted(ids, key=int) == [str(n) for n in range(55)]


def test_the_cursor_keeps_the_filters(client, demo_world):
    reviewer = person("quantri")
    for _ in range(51):
        audit.record(actor=reviewer, action="organisation.review", obj=organisation("ubnd-68"))
    client.force_login(reviewer)

    next_url = client.get("/audit/", {"action": "organisation.review"}).context["next_url"]

    assert "action=organisation.review" in next_url and "cursor=" in next_url


def test_an_htmx_filter_request_gets_only_the_rows(client, two_provinces_at_work):
    client.force_login(person("quantri"))

    response = client.get("/audit/", {"action": "organisation"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<details>" in html and "<html" not in html


# Cost


@pytest.mark.parametrize("username", ["quantri", "lamdong.quantri"])
def test_the_list_costs_the_same_few_queries_however_many_events(client, demo_world, username):
    reader = person(username)
    client.force_login(reader)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for _ in range(40):
        audit.record(
            actor=person("lamdong.bientap"),
            action="organisation.review",
            obj=organisation("so-tc-68"),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/audit/")

    assert len(shown(response)) >= 40
    assert len(many) == len(few)
    assert len(many) <= 12


# Read only


def test_there_is_no_way_to_change_an_event_over_http(client, two_provinces_at_work):
    client.force_login(person("quantri"))
    event = two_provinces_at_work["lam_dong"]

    assert client.post("/audit/", {"action": "x"}).status_code == 405
    assert client.post(f"/audit/{event.pk}/", {"action": "x"}).status_code == 405
    assert client.delete(f"/audit/{event.pk}/").status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.update"
