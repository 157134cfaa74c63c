"""The organisation directory, a profile page, and editing a profile as the right person."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Organisation, User

pytestmark = pytest.mark.django_db


def sign_in(client, username: str) -> User:
    person = User.objects.get(username=username)
    client.force_login(person)
    return person


def listed_codes(response) -> list[str]:
    return [organisation.code for organisation in response.context["organisations"]]


# The directory


def test_anyone_can_browse_the_directory_with_each_body_and_its_parent(client, demo_world):
    response = client.get("/organisations/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Danh bạ cơ quan" in html
    assert 'href="/organisations/btc-cuc-thong-ke/"' in html
    # The hierarchy: a ministry department links to its ministry.
    row = re.search(r"Cục Thống kê</a>.*?</tr>", html, re.S).group(0)
    assert '<a href="/organisations/bo-tai-chinh/">Bộ Tài chính</a>' in row


def test_illustrative_organisations_carry_the_demo_badge(client, demo_world):
    html = client.get("/organisations/", {"q": "Sở Tài chính tỉnh Lâm Đồng"}).content.decode()

    row = re.search(r"Sở Tài chính tỉnh Lâm Đồng</a>.*?</tr>", html, re.S).group(0)
    assert "Dữ liệu minh họa" in row
    assert 'href="/organisations/ubnd-68/"' in row  # its parent, the People's Committee


def test_real_organisations_do_not_carry_the_demo_badge(client, demo_world):
    html = client.get("/organisations/", {"kind": "ministry"}).content.decode()

    assert "Bộ Tài chính" in html
    assert "Dữ liệu minh họa" not in html


@pytest.mark.parametrize(
    "query", ["so tai chinh lam dong", "SỞ TÀI CHÍNH Lâm Đồng", "stc lam dong"]
)
def test_the_name_search_ignores_diacritics_and_case(client, demo_world, query):
    response = client.get("/organisations/", {"q": query})

    assert listed_codes(response) == ["so-tc-68"]


def test_the_directory_filters_by_kind(client, demo_world):
    response = client.get("/organisations/", {"kind": "regional_council"})

    codes = listed_codes(response)
    assert codes and all(code.startswith("hddpv-") for code in codes)


def test_the_region_filter_shows_the_council_and_the_bodies_of_its_provinces(client, demo_world):
    codes = listed_codes(client.get("/organisations/", {"region": "DBSH"}))

    assert {"hddpv-dbsh", "ubnd-01", "so-tc-01"} <= set(codes)
    assert "ubnd-68" not in codes
    assert "bo-tai-chinh" not in codes


def test_the_province_filter_shows_the_provinces_bodies_and_its_regional_council(
    client, demo_world
):
    codes = listed_codes(client.get("/organisations/", {"province": "68"}))

    assert {"ubnd-68", "so-tc-68", "hddpv-dhntb-tn"} <= set(codes)
    assert "ubnd-01" not in codes


def test_an_unknown_filter_value_is_ignored_rather_than_an_error(client, demo_world):
    response = client.get("/organisations/", {"region": "KHONG-CO", "kind": "x"})

    assert response.status_code == 200
    assert "bo-tai-chinh" in listed_codes(response)


def test_the_directory_pages_with_a_next_link_and_no_overlap(client, demo_world):
    first = client.get("/organisations/", {"kind": "peoples_committee"})
    first_codes = listed_codes(first)
    next_url = first.context["next_url"]

    assert len(first_codes) == 25
    assert "Trang sau" in first.content.decode()
    assert (
        next_url.startswith("?") and "cursor=" in next_url and "kind=peoples_committee" in next_url
    )

    second = client.get("/organisations/" + next_url)
    second_codes = listed_codes(second)
    assert len(second_codes) == 34 - 25
    assert not set(first_codes) & set(second_codes)
    assert second.context["next_url"] is None


def test_a_tampered_cursor_starts_again_from_the_first_page(client, demo_world):
    response = client.get("/organisations/", {"kind": "peoples_committee", "cursor": "!!!"})

    assert response.status_code == 200
    assert len(listed_codes(response)) == 25


def test_an_htmx_filter_request_gets_only_the_results(client, demo_world):
    response = client.get("/organisations/", {"kind": "ministry"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Bộ Tài chính" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_the_directory_costs_the_same_few_queries_however_many_rows_it_shows(client, demo_world):
    with CaptureQueriesContext(connection) as one_row:
        assert len(listed_codes(client.get("/organisations/", {"kind": "ministry"}))) == 1
    with CaptureQueriesContext(connection) as full_page:
        assert len(listed_codes(client.get("/organisations/"))) == 25

    assert len(full_page) == len(one_row)
    assert len(full_page) <= 5  # regions and provinces for the filters, rows, two prefetches


# A profile


def test_a_profile_shows_jurisdiction_children_and_legal_basis(client, demo_world):
    response = client.get("/organisations/ubnd-68/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ủy ban nhân dân tỉnh Lâm Đồng" in html
    assert "Các tỉnh, thành phố" in html and "Tỉnh Lâm Đồng" in html
    assert 'href="/organisations/so-tc-68/"' in html  # a child
    assert "Nghị quyết 202/2025/QH15" in html  # legal basis


def test_a_council_profile_lists_its_region(client, demo_world):
    html = client.get("/organisations/hddpv-dbsh/").content.decode()

    assert "Các vùng" in html
    assert "Đồng bằng sông Hồng" in html


def test_a_department_profile_links_up_to_its_parent(client, demo_world):
    html = client.get("/organisations/so-tc-68/").content.decode()

    assert 'href="/organisations/ubnd-68/"' in html
    assert "Dữ liệu minh họa" in html


def test_an_unknown_organisation_is_not_found(client, demo_world):
    assert client.get("/organisations/khong-co/").status_code == 404


@pytest.mark.parametrize("username", [None, "vien.xem", "lamdong.bientap", "hanoi.bientap"])
def test_members_are_hidden_from_whoever_cannot_administer(client, demo_world, username):
    if username:
        sign_in(client, username)

    response = client.get("/organisations/so-tc-68/")

    assert response.context["members"] is None
    assert "Quản lý thành viên" not in response.content.decode()


def test_the_admin_of_the_parent_committee_sees_the_departments_members(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.get("/organisations/so-tc-68/")

    html = response.content.decode()
    assert [m.user.username for m in response.context["members"]] == ["lamdong.bientap"]
    assert "Vũ Thị Lâm (minh họa)" in html
    assert 'href="/organisations/so-tc-68/members/"' in html


def test_the_edit_button_is_offered_only_to_those_who_may_edit(client, demo_world):
    assert "Sửa thông tin" not in client.get("/organisations/so-tc-68/").content.decode()

    sign_in(client, "lamdong.bientap")
    assert (
        'href="/organisations/so-tc-68/edit/"'
        in client.get("/organisations/so-tc-68/").content.decode()
    )


# Editing a profile

NEW_PROFILE = {
    "name": "Sở Tài chính tỉnh Lâm Đồng",
    "name_en": "Lam Dong Department of Finance",
    "short_name": "STC Lâm Đồng",
    "description": "Tham mưu về tài chính, ngân sách và quy hoạch tỉnh.",
    "address": "36 Trần Phú, phường Xuân Hương - Đà Lạt, tỉnh Lâm Đồng",
    "email": "stc@lamdong.gov.vn",
    "phone": "0263 3822 000",
    "website": "https://stc.lamdong.gov.vn",
}


def test_an_anonymous_visitor_is_sent_to_sign_in_before_editing(client, demo_world):
    response = client.get("/organisations/so-tc-68/edit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/organisations/so-tc-68/edit/")


def test_an_editor_of_another_province_gets_a_403_page_with_the_reason(client, demo_world):
    sign_in(client, "hanoi.bientap")

    response = client.get("/organisations/so-tc-68/edit/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền chỉnh sửa “Sở Tài chính tỉnh Lâm Đồng”" in html
    assert "cần vai trò “Biên tập”" in html


def test_a_refused_post_changes_nothing_and_records_nothing(client, demo_world):
    sign_in(client, "vien.xem")
    events_before = AuditEvent.objects.count()

    response = client.post("/organisations/so-tc-68/edit/", NEW_PROFILE)

    assert response.status_code == 403
    assert "Bạn không có quyền chỉnh sửa" in response.content.decode()
    assert Organisation.objects.get(code="so-tc-68").email == ""
    assert AuditEvent.objects.count() == events_before


def test_the_departments_editor_sees_the_form_filled_with_the_current_profile(client, demo_world):
    sign_in(client, "lamdong.bientap")

    response = client.get("/organisations/so-tc-68/edit/")

    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "Sở Tài chính tỉnh Lâm Đồng"
    assert 'name="website"' in response.content.decode()


def test_the_departments_editor_saves_the_profile_and_the_change_is_audited(client, demo_world):
    editor = sign_in(client, "lamdong.bientap")

    response = client.post("/organisations/so-tc-68/edit/", NEW_PROFILE)

    assert response.status_code == 302
    assert response["Location"] == "/organisations/so-tc-68/"
    department = Organisation.objects.get(code="so-tc-68")
    assert department.email == "stc@lamdong.gov.vn"
    assert department.website == "https://stc.lamdong.gov.vn"
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(department.pk))
    assert event.actor == editor
    assert event.object_type == "organisations.organisation"
    assert event.before["email"] == "" and event.after["email"] == "stc@lamdong.gov.vn"
    assert "name" not in event.after  # only what changed
    followed = client.get(response["Location"]).content.decode()
    assert "Đã lưu thông tin của Sở Tài chính tỉnh Lâm Đồng." in followed


def test_the_committees_admin_may_edit_the_department_below(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.post("/organisations/so-tc-68/edit/", NEW_PROFILE)

    assert response.status_code == 302


def test_a_web_address_without_a_scheme_is_taken_as_https(client, demo_world):
    sign_in(client, "lamdong.bientap")

    client.post("/organisations/so-tc-68/edit/", {**NEW_PROFILE, "website": "stc.lamdong.gov.vn"})

    assert Organisation.objects.get(code="so-tc-68").website == "https://stc.lamdong.gov.vn"


def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(client, demo_world):
    sign_in(client, "lamdong.bientap")
    events_before = AuditEvent.objects.count()

    response = client.post(
        "/organisations/so-tc-68/edit/", {**NEW_PROFILE, "name": "", "email": "khong-phai-email"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "email"}
    html = response.content.decode()
    assert 'id="id_email_error1"' in html and "is-invalid" in html
    assert Organisation.objects.get(code="so-tc-68").email == ""
    assert AuditEvent.objects.count() == events_before


def test_saving_an_unchanged_profile_records_no_event(client, demo_world):
    sign_in(client, "lamdong.bientap")
    department = Organisation.objects.get(code="so-tc-68")
    unchanged = {field: getattr(department, field) for field in NEW_PROFILE}
    events_before = AuditEvent.objects.count()

    client.post("/organisations/so-tc-68/edit/", unchanged)

    assert AuditEvent.objects.count() == events_before
