"""Only system administrators enter the Django admin; there the audit trail is view-only."""

from __future__ import annotations

import pytest
from django.contrib import admin

from regionlink.audit import services as audit
from regionlink.audit.models import AuditEvent
from regionlink.organisations import services
from regionlink.organisations.models import ApiToken, Organisation, OrganisationKind, Role, User
from regionlink.organisations.tokens import create_token

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-du-dai-2025"


@pytest.fixture
def staff_member():
    """Someone given staff status by mistake: it must not open the admin on its own."""
    return User.objects.create_user("nhan_vien", "nv@regionlink.vn", PASSWORD, is_staff=True)


@pytest.fixture
def organisation_admin():
    department = services.create_organisation(
        actor="seed",
        code="so-tc-thanh-hoa",
        name="Sở Tài chính tỉnh Thanh Hóa",
        kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
    )
    person = User.objects.create_user("quan_tri_so", "qt@thanhhoa.gov.vn", PASSWORD, is_staff=True)
    services.add_member(actor="seed", organisation=department, user=person, role=Role.ORG_ADMIN)
    return person


@pytest.fixture
def event():
    return audit.record(actor="regionlink setup", action="organisation.load_reference", after={})


def test_an_anonymous_visitor_is_sent_to_the_admin_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_staff_status_alone_does_not_open_the_admin(client, staff_member):
    client.force_login(staff_member)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_organisation_admin_does_not_enter_the_admin_either(client, organisation_admin):
    client.force_login(organisation_admin)

    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/organisations/organisation/").status_code == 302


def test_staff_cannot_sign_in_to_the_admin_with_a_password(client, staff_member):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "nhan_vien", "password": PASSWORD}, follow=True
    )

    assert response.request["PATH_INFO"] == "/admin/login/"


def test_a_deactivated_superuser_is_refused(client, system_admin):
    client.force_login(system_admin)
    User.objects.filter(pk=system_admin.pk).update(is_active=False)

    assert client.get("/admin/").status_code == 302


def test_the_system_admin_enters_and_finds_every_registered_model(client, system_admin):
    client.force_login(system_admin)

    response = client.get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    for path in (
        "/admin/geography/region/",
        "/admin/geography/administrativeunit/",
        "/admin/organisations/organisation/",
        "/admin/organisations/membership/",
        "/admin/organisations/user/",
        "/admin/organisations/apitoken/",
        "/admin/audit/auditevent/",
    ):
        assert f'href="{path}"' in html, path


def test_the_restriction_is_installed_on_the_default_admin_site():
    assert admin.site.has_permission.__name__ == "is_system_admin"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/geography/region/",
        "/admin/geography/administrativeunit/?level__exact=province",
        "/admin/organisations/organisation/",
        "/admin/organisations/membership/",
        "/admin/organisations/user/",
        "/admin/organisations/apitoken/",
        "/admin/audit/auditevent/",
    ],
)
def test_every_changelist_opens_for_the_system_admin(client, system_admin, event, path):
    client.force_login(system_admin)

    assert client.get(path).status_code == 200


def test_the_audit_trail_has_no_add_change_or_delete_in_the_admin(client, system_admin, event):
    client.force_login(system_admin)
    model_admin = admin.site._registry[AuditEvent]

    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    view = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "da.sua"})
    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.load_reference"
    request = type("Request", (), {"user": system_admin})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert not model_admin.get_actions(request)


def test_an_api_tokens_hash_is_never_shown_in_the_admin(client, system_admin):
    token, secret = create_token(user=system_admin, name="Đồng bộ")
    client.force_login(system_admin)

    html = client.get(f"/admin/organisations/apitoken/{token.pk}/change/").content.decode()

    assert token.prefix in html
    assert token.key_hash not in html and secret not in html
    assert client.get("/admin/organisations/apitoken/add/").status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_user_admin_shows_full_name_and_position(client, system_admin):
    client.force_login(system_admin)
    person = User.objects.create_user(
        "can_bo_lam_dong", full_name="Nguyễn Thị Hoa", position="Chuyên viên", password=PASSWORD
    )

    html = client.get(f"/admin/organisations/user/{person.pk}/change/").content.decode()

    assert 'name="full_name"' in html and "Nguyễn Thị Hoa" in html
    assert 'name="position"' in html and "Chuyên viên" in html
    listing = client.get("/admin/organisations/user/", {"q": "Nguyễn Thị Hoa"}).content.decode()
    assert "can_bo_lam_dong" in listing


def test_the_organisation_search_finds_by_code(client, system_admin):
    services.create_organisation(
        actor="seed", code="so-tc-thanh-hoa", name="Sở Tài chính tỉnh Thanh Hóa", kind="other"
    )
    client.force_login(system_admin)

    html = client.get("/admin/organisations/organisation/", {"q": "so-tc-thanh"}).content.decode()

    assert "Sở Tài chính tỉnh Thanh Hóa" in html
    assert Organisation.objects.filter(code="so-tc-thanh-hoa").exists()


def test_the_province_picker_for_an_organisation_offers_only_todays_provinces(client, system_admin):
    client.force_login(system_admin)

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "organisations",
            "model_name": "organisation",
            "field_name": "provinces",
            "term": "Lâm Đồng",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Tỉnh Lâm Đồng"]
