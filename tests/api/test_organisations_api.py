"""The organisations directory, profile edits through the service, and the caller's account."""

from __future__ import annotations

import pytest
from django.test import Client

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- Directory -------------------------------------------------------------------------------


def test_the_directory_lists_the_reference_organisations_to_anyone(client, reference_organisations):
    items = _items(client.get("/api/v1/organisations", {"limit": 1000}))

    codes = [o["code"] for o in items]
    assert codes == sorted(codes)
    assert {"bo-tai-chinh", "hddpv-dnb", "ubnd-68", "ubnd-01"} <= set(codes)
    lam_dong = next(o for o in items if o["code"] == "ubnd-68")
    assert lam_dong == {
        "code": "ubnd-68",
        "name": "Ủy ban nhân dân tỉnh Lâm Đồng",
        "name_en": "People's Committee of Lam Dong",
        "short_name": "UBND Lâm Đồng",
        "kind": "peoples_committee",
        "kind_label": "Ủy ban nhân dân cấp tỉnh",
        "parent_code": None,
        "scope": "provinces",
        "regions": [],
        "provinces": ["68"],
        "is_demo": False,
    }
    statistics = next(o for o in items if o["code"] == "btc-cuc-thong-ke")
    assert statistics["parent_code"] == "bo-tai-chinh"


def test_demo_organisations_are_flagged_so_clients_label_them_as_illustrative(
    client, demo_business
):
    items = _items(client.get("/api/v1/organisations", {"kind": "business"}))

    assert [(o["code"], o["is_demo"]) for o in items] == [("dn-logistics-dong-bang", True)]


def test_the_directory_filters_by_kind_name_region_and_province(client, reference_organisations):
    councils = _items(client.get("/api/v1/organisations", {"kind": "regional_council"}))
    by_name = _items(client.get("/api/v1/organisations", {"q": "lam dong"}))
    southeast = _items(client.get("/api/v1/organisations", {"region": "DNB"}))
    hanoi = _items(client.get("/api/v1/organisations", {"province": "01"}))

    assert len(councils) == 6
    assert [o["code"] for o in by_name] == ["ubnd-68"]
    assert [o["code"] for o in southeast] == ["hddpv-dnb", "ubnd-75", "ubnd-79", "ubnd-80"]
    assert [o["code"] for o in hanoi] == ["ubnd-01"]


def test_an_unknown_kind_is_refused_naming_the_parameter(client, reference_organisations):
    response = client.get("/api/v1/organisations", {"kind": "ngan-hang"})

    assert response.status_code == 422
    assert response.json()["field"] == "kind"
    assert "peoples_committee" in response.json()["message"]


def test_the_directory_pages_by_code(client, reference_organisations):
    first = client.get("/api/v1/organisations", {"limit": 20}).json()
    second = client.get("/api/v1/organisations", {"limit": 20, "after": first["next"]}).json()

    assert len(first["items"]) == 20
    assert first["items"][-1]["code"] < second["items"][0]["code"]


def test_the_directory_costs_the_same_few_queries_for_5_or_45_organisations(
    client, reference_organisations, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        few = client.get("/api/v1/organisations", {"limit": 5})
    with django_assert_max_num_queries(3):
        many = client.get("/api/v1/organisations", {"limit": 1000})

    assert len(few.json()["items"]) == 5
    assert len(many.json()["items"]) == len(reference_organisations)


# --- Detail ----------------------------------------------------------------------------------


def test_an_organisation_shows_its_profile_and_children_but_not_its_members_to_visitors(
    client, lam_dong_finance_department, lam_dong_editor
):
    response = client.get("/api/v1/organisations/ubnd-68")

    assert response.status_code == 200
    body = response.json()
    assert body["children"] == ["so-tc-68"]
    assert body["parent_code"] is None
    assert body["legal_basis"].startswith("Nghị quyết 202/2025/QH15")
    assert body["is_active"] is True
    assert "members" not in body


def test_an_editor_does_not_see_the_member_list(client, lam_dong_editor):
    client.force_login(lam_dong_editor)

    assert "members" not in client.get("/api/v1/organisations/ubnd-68").json()


def test_the_organisation_admin_sees_the_member_list(client, lam_dong_admin, lam_dong_editor):
    client.force_login(lam_dong_admin)

    members = client.get("/api/v1/organisations/ubnd-68").json()["members"]

    assert [(m["username"], m["role"]) for m in members] == [
        ("lamdong.bientap", "editor"),
        ("lamdong.quantri", "org_admin"),
    ]
    assert members[0]["full_name"] == "Vũ Thị Lâm"
    assert members[0]["role_label"] == "Biên tập"


def test_an_unknown_organisation_answers_404(client, reference_organisations):
    response = client.get("/api/v1/organisations/bo-ke-hoach-dau-tu")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "bo-ke-hoach-dau-tu" in response.json()["message"]


# --- Profile edits ---------------------------------------------------------------------------


def test_a_lam_dong_editor_updates_the_committees_contacts_and_the_change_is_audited(
    client, lam_dong_editor, patch_json
):
    client.force_login(lam_dong_editor)

    response = patch_json(
        client,
        "/api/v1/organisations/ubnd-68",
        {"phone": "0263 3822 111", "email": "ubnd@lamdong.gov.vn", "address": "Đà Lạt"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0263 3822 111"
    stored = Organisation.objects.get(code="ubnd-68")
    assert (stored.phone, stored.email, stored.address) == (
        "0263 3822 111",
        "ubnd@lamdong.gov.vn",
        "Đà Lạt",
    )
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(stored.pk))
    assert event.actor == lam_dong_editor
    assert event.object_type == "organisations.organisation"
    assert event.before == {"address": "", "email": "", "phone": ""}
    assert event.after == {
        "address": "Đà Lạt",
        "email": "ubnd@lamdong.gov.vn",
        "phone": "0263 3822 111",
    }


def test_the_same_editor_may_not_edit_hanoi_and_nothing_changes(
    client, lam_dong_editor, patch_json
):
    client.force_login(lam_dong_editor)

    response = patch_json(client, "/api/v1/organisations/ubnd-01", {"phone": "024 0000 0000"})

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "Ủy ban nhân dân thành phố Hà Nội" in body["message"]
    assert "Biên tập" in body["message"]
    assert Organisation.objects.get(code="ubnd-01").phone == ""
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_a_viewer_may_not_edit_their_own_committee(client, lam_dong_viewer, patch_json):
    client.force_login(lam_dong_viewer)

    response = patch_json(client, "/api/v1/organisations/ubnd-68", {"phone": "0263 1"})

    assert response.status_code == 403
    assert response.json()["message"]
    assert Organisation.objects.get(code="ubnd-68").phone == ""


def test_an_anonymous_visitor_may_not_edit_and_is_asked_to_sign_in(
    reference_organisations, patch_json
):
    browser = Client(enforce_csrf_checks=True)  # as a real browser: CSRF is checked

    response = patch_json(browser, "/api/v1/organisations/ubnd-68", {"phone": "0263 1"})

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Organisation.objects.get(code="ubnd-68").phone == ""


def test_an_invalid_email_is_refused_naming_the_field(client, lam_dong_editor, patch_json):
    client.force_login(lam_dong_editor)

    response = patch_json(client, "/api/v1/organisations/ubnd-68", {"email": "khong-phai-email"})

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "email"
    assert body["message"].startswith("email:")
    assert Organisation.objects.get(code="ubnd-68").email == ""


def test_fields_outside_the_public_profile_are_refused_with_the_editable_list(
    client, lam_dong_editor, patch_json
):
    client.force_login(lam_dong_editor)

    response = patch_json(client, "/api/v1/organisations/ubnd-68", {"kind": "ministry"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    assert "website" in response.json()["message"]
    assert Organisation.objects.get(code="ubnd-68").kind == "peoples_committee"


def test_a_session_caller_needs_the_csrf_token_to_edit(lam_dong_editor, patch_json):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lam_dong_editor)
    secret = "x" * 32
    browser.cookies["csrftoken"] = secret

    refused = patch_json(browser, "/api/v1/organisations/ubnd-68", {"phone": "0263 2"})
    phone_after_refusal = Organisation.objects.get(code="ubnd-68").phone
    accepted = patch_json(
        browser,
        "/api/v1/organisations/ubnd-68",
        {"phone": "0263 2"},
        headers={"X-CSRFToken": secret},
    )

    assert refused.status_code == 403
    assert phone_after_refusal == ""
    assert accepted.status_code == 200, accepted.content
    assert Organisation.objects.get(code="ubnd-68").phone == "0263 2"


# --- The caller ------------------------------------------------------------------------------


def test_me_shows_the_caller_and_their_roles(client, lam_dong_editor):
    client.force_login(lam_dong_editor)

    body = client.get("/api/v1/me").json()

    assert body["username"] == "lamdong.bientap"
    assert body["full_name"] == "Vũ Thị Lâm"
    assert body["is_system_admin"] is False
    assert body["can_view_audit"] is False
    assert body["memberships"] == [
        {
            "organisation": {
                "code": "ubnd-68",
                "name": "Ủy ban nhân dân tỉnh Lâm Đồng",
                "kind": "peoples_committee",
                "is_demo": False,
            },
            "role": "editor",
            "role_label": "Biên tập",
        }
    ]


def test_me_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["message"]
