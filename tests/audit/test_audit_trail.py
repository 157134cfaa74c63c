"""The audit trail is append-only, and writes made in the Django admin land in it too."""

from __future__ import annotations

import pytest

from regionlink.audit import services as audit
from regionlink.audit.models import AppendOnlyError, AuditEvent
from regionlink.geography.models import AdministrativeUnit, Level, Region
from regionlink.organisations.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return audit.record(
        actor="regionlink setup",
        action="organisation.create",
        object_type="organisations.organisation",
        object_id="1",
        after={"name": "Bộ Tài chính"},
    )


@pytest.fixture
def system_admin(client, demo_world):
    admin = User.objects.get(username="quantri")
    client.force_login(admin)
    return admin


# Append-only


def test_an_event_cannot_be_saved_again(event):
    event.action = "organisation.delete"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.create"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_in_bulk(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="organisation.delete")


def test_events_cannot_be_deleted_in_bulk(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_event_records_who_what_and_the_data_before_and_after(demo_world):
    editor = User.objects.get(username="lamdong.bientap")
    department = Organisation.objects.get(code="so-tc-68")

    recorded = audit.record(
        actor=editor,
        action="organisation.update",
        obj=department,
        before={"phone": ""},
        after={"phone": "0263 3822 000"},
    )

    stored = AuditEvent.objects.get(pk=recorded.pk)
    assert stored.actor == editor and stored.actor_label == "Vũ Thị Lâm (minh họa)"
    assert (stored.object_type, stored.object_id) == (
        "organisations.organisation",
        str(department.pk),
    )
    assert stored.object_repr == "Sở Tài chính tỉnh Lâm Đồng"
    assert (stored.before, stored.after) == ({"phone": ""}, {"phone": "0263 3822 000"})


# Writes made in the admin


def organisation_form(organisation: Organisation, **changes) -> dict:
    data = {
        "code": organisation.code,
        "name": organisation.name,
        "name_en": organisation.name_en,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "parent": organisation.parent_id or "",
        "scope": organisation.scope,
        "regions": [r.pk for r in organisation.regions.all()],
        "provinces": [p.pk for p in organisation.provinces.all()],
        "legal_basis": organisation.legal_basis,
        "description": organisation.description,
        "address": organisation.address,
        "email": organisation.email,
        "phone": organisation.phone,
        "website": organisation.website,
        "is_active": "on" if organisation.is_active else "",
        "is_demo": "on" if organisation.is_demo else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_an_admin_change_to_an_organisation_is_audited_with_before_and_after(client, system_admin):
    department = Organisation.objects.get(code="so-tc-68")
    url = f"/admin/organisations/organisation/{department.pk}/change/"

    response = client.post(url, organisation_form(department, legal_basis="Quyết định 01/QĐ-UBND"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(department.pk))
    assert event.actor == system_admin
    assert event.before == {"legal_basis": ""}
    assert event.after == {"legal_basis": "Quyết định 01/QĐ-UBND"}


def test_an_admin_change_of_jurisdiction_records_the_provinces(client, system_admin):
    department = Organisation.objects.get(code="so-tc-68")
    ha_noi = AdministrativeUnit.objects.get(code="01", level=Level.PROVINCE, valid_to__isnull=True)
    lam_dong = department.provinces.get()
    url = f"/admin/organisations/organisation/{department.pk}/change/"

    client.post(url, organisation_form(department, provinces=[lam_dong.pk, ha_noi.pk]))

    event = AuditEvent.objects.get(action="organisation.update", object_id=str(department.pk))
    assert event.before == {"provinces": ["68"]}
    assert event.after == {"provinces": ["01", "68"]}


def test_an_organisation_cannot_be_placed_under_its_own_department(client, system_admin):
    committee = Organisation.objects.get(code="ubnd-68")
    department = Organisation.objects.get(code="so-tc-68")
    url = f"/admin/organisations/organisation/{committee.pk}/change/"

    response = client.post(url, organisation_form(committee, parent=department.pk))

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["parent"]
    assert "đang trực thuộc cơ quan này" in error
    assert Organisation.objects.get(pk=committee.pk).parent is None


def test_an_organisation_created_in_the_admin_is_audited(client, system_admin):
    ministry = Organisation.objects.get(code="bo-tai-chinh")

    response = client.post(
        "/admin/organisations/organisation/add/",
        {
            "code": "btc-cuc-dau-tu-nuoc-ngoai",
            "name": "Cục Đầu tư nước ngoài",
            "kind": "ministry_department",
            "parent": ministry.pk,
            "scope": "national",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    created = Organisation.objects.get(code="btc-cuc-dau-tu-nuoc-ngoai")
    assert created.search_key == "cuc dau tu nuoc ngoai"
    event = AuditEvent.objects.get(action="organisation.create", object_id=str(created.pk))
    assert event.actor == system_admin
    assert event.after["parent"] == "bo-tai-chinh" and event.after["scope"] == "national"


def test_a_membership_added_changed_and_removed_in_the_admin_is_audited(client, system_admin):
    viewer = User.objects.get(username="vien.xem")
    department = Organisation.objects.get(code="so-tc-68")

    client.post(
        "/admin/organisations/membership/add/",
        {"user": viewer.pk, "organisation": department.pk, "role": "viewer"},
    )
    membership = Membership.objects.get(user=viewer, organisation=department)
    client.post(f"/admin/organisations/membership/{membership.pk}/change/", {"role": "editor"})
    client.post(f"/admin/organisations/membership/{membership.pk}/delete/", {"post": "yes"})

    trail = AuditEvent.objects.filter(object_type="organisations.membership").order_by("pk")
    assert [(e.action, e.before, e.after) for e in trail] == [
        (
            "membership.create",
            None,
            {"user": "vien.xem", "organisation": "so-tc-68", "role": "viewer"},
        ),
        ("membership.update", {"role": "viewer"}, {"role": "editor"}),
        (
            "membership.delete",
            {"user": "vien.xem", "organisation": "so-tc-68", "role": "editor"},
            None,
        ),
    ]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_admin_will_not_demote_or_delete_an_organisations_last_admin(client, system_admin):
    last_admin = Membership.objects.get(user__username="lamdong.quantri")
    change = f"/admin/organisations/membership/{last_admin.pk}/change/"

    demoted = client.post(change, {"role": "viewer"})
    deleted = client.post(
        f"/admin/organisations/membership/{last_admin.pk}/delete/", {"post": "yes"}
    )

    assert "cần ít nhất một quản trị cơ quan" in demoted.context["adminform"].form.errors["role"][0]
    assert deleted.status_code == 403
    assert Membership.objects.get(pk=last_admin.pk).role == "org_admin"


def test_a_change_to_a_person_in_the_admin_is_audited(client, system_admin):
    editor = User.objects.get(username="hanoi.bientap")
    url = f"/admin/organisations/user/{editor.pk}/change/"

    response = client.post(
        url,
        {
            "username": editor.username,
            "full_name": editor.full_name,
            "position": "Phó Trưởng phòng",
            "email": editor.email,
            "is_active": "on",
            "last_login": "",
            "date_joined_0": "01/01/2026",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="user.update", object_id=str(editor.pk))
    assert (event.before, event.after) == ({"position": ""}, {"position": "Phó Trưởng phòng"})


def test_a_region_renamed_in_the_admin_is_audited(client, system_admin):
    region = Region.objects.get(code="DBSH")

    client.post(
        f"/admin/geography/region/{region.pk}/change/",
        {"name": region.name, "name_en": "Red River Delta Region", "sort_order": region.sort_order},
    )

    event = AuditEvent.objects.get(action="region.update")
    assert event.after == {"name_en": "Red River Delta Region"}
