"""An organisation admin manages who holds which role: add, change, remove, create a person."""

from __future__ import annotations

import pytest
from django.core import mail

from regionlink.audit.models import AuditEvent
from regionlink.organisations.models import Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

MEMBERS = "/organisations/so-tc-68/members/"
HTMX = {"HX-Request": "true"}


def sign_in(client, username: str) -> User:
    person = User.objects.get(username=username)
    client.force_login(person)
    return person


def membership(username: str, code: str) -> Membership:
    return Membership.objects.get(user__username=username, organisation__code=code)


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Who may manage members


def test_an_anonymous_visitor_is_sent_to_sign_in(client, demo_world):
    response = client.get(MEMBERS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("username", ["lamdong.bientap", "hanoi.bientap", "vien.xem", "dbsh.xem"])
def test_who_is_not_an_admin_above_gets_a_403_with_the_reason(client, demo_world, username):
    sign_in(client, username)

    response = client.get(MEMBERS)

    assert response.status_code == 403
    assert "cần vai trò “Quản trị cơ quan”" in response.content.decode()


def test_the_committees_admin_manages_the_department_below(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.get(MEMBERS)

    assert response.status_code == 200
    assert [m.user.username for m in response.context["members"]] == ["lamdong.bientap"]


def test_the_committees_admin_may_not_manage_another_province(client, demo_world):
    sign_in(client, "lamdong.quantri")

    assert client.get("/organisations/ubnd-01/members/").status_code == 403


def test_the_system_admin_manages_any_organisation(client, demo_world):
    sign_in(client, "quantri")

    assert client.get("/organisations/ubnd-01/members/").status_code == 200


def test_a_refused_add_changes_nothing(client, demo_world):
    sign_in(client, "lamdong.bientap")

    response = client.post(MEMBERS + "add/", {"identifier": "vien.xem", "role": Role.ORG_ADMIN})

    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="vien.xem", organisation__code="so-tc-68")


# Adding an existing account


def test_an_admin_adds_an_existing_account_by_user_name(client, demo_world):
    admin = sign_in(client, "lamdong.quantri")

    response = client.post(MEMBERS + "add/", {"identifier": "dbsh.xem", "role": Role.VIEWER})

    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    assert membership("dbsh.xem", "so-tc-68").role == Role.VIEWER
    event = AuditEvent.objects.get(action="membership.create", after__user="dbsh.xem")
    assert event.actor == admin
    assert event.after == {"user": "dbsh.xem", "organisation": "so-tc-68", "role": "viewer"}
    followed = client.get(MEMBERS)
    assert "Đã thêm Bùi Thị Vùng (minh họa) với vai trò “Xem”." in page_messages(followed)


def test_an_admin_adds_an_existing_account_by_email_address(client, demo_world):
    sign_in(client, "lamdong.quantri")

    client.post(
        MEMBERS + "add/", {"identifier": "VIEN.XEM@demo.regionlink.local", "role": "editor"}
    )

    assert membership("vien.xem", "so-tc-68").role == Role.EDITOR


def test_an_unknown_account_is_reported_with_the_field_and_the_fix(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.post(
        MEMBERS + "add/", {"identifier": "khong.ai", "role": "viewer"}, follow=True
    )

    assert page_messages(response) == [
        "Tên đăng nhập hoặc thư điện tử: Không tìm thấy tài khoản “khong.ai”; kiểm tra lại tên "
        "đăng nhập hoặc thư điện tử, hoặc tạo người dùng mới."
    ]


def test_adding_someone_twice_says_to_change_their_role_instead(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.post(
        MEMBERS + "add/", {"identifier": "lamdong.bientap", "role": "viewer"}, follow=True
    )

    [message] = page_messages(response)
    assert message.startswith("Tên đăng nhập hoặc thư điện tử: ")
    assert "đã là thành viên của Sở Tài chính tỉnh Lâm Đồng" in message
    assert "hãy đổi vai trò thay vì thêm mới" in message
    assert membership("lamdong.bientap", "so-tc-68").role == Role.EDITOR


def test_an_htmx_add_returns_the_refreshed_list_with_its_message(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.post(
        MEMBERS + "add/", {"identifier": "dbsh.xem", "role": "viewer"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="member-list">')
    assert "dbsh.xem" in html
    assert "Đã thêm Bùi Thị Vùng (minh họa)" in html


# Changing a role and removing


def test_an_admin_changes_a_role_and_the_change_is_audited(client, demo_world):
    admin = sign_in(client, "lamdong.quantri")
    editor = membership("lamdong.bientap", "so-tc-68")

    response = client.post(f"{MEMBERS}{editor.pk}/role/", {"role": Role.APPROVER}, follow=True)

    assert membership("lamdong.bientap", "so-tc-68").role == Role.APPROVER
    assert "Đã đổi vai trò của Vũ Thị Lâm (minh họa) thành “Phê duyệt”." in page_messages(response)
    event = AuditEvent.objects.get(action="membership.update", object_id=str(editor.pk))
    assert (event.actor, event.before, event.after) == (
        admin,
        {"role": "editor"},
        {"role": "approver"},
    )


def test_an_unknown_role_is_refused_naming_the_field(client, demo_world):
    sign_in(client, "lamdong.quantri")
    editor = membership("lamdong.bientap", "so-tc-68")

    response = client.post(f"{MEMBERS}{editor.pk}/role/", {"role": "superuser"}, follow=True)

    [message] = page_messages(response)
    assert message.startswith("Vai trò: ")
    assert membership("lamdong.bientap", "so-tc-68").role == Role.EDITOR


def test_the_last_admin_cannot_step_down_and_is_told_what_to_do(client, demo_world):
    sign_in(client, "lamdong.quantri")
    own = membership("lamdong.quantri", "ubnd-68")

    response = client.post(
        f"/organisations/ubnd-68/members/{own.pk}/role/", {"role": "viewer"}, follow=True
    )

    assert page_messages(response) == [
        "Vai trò: Ủy ban nhân dân tỉnh Lâm Đồng cần ít nhất một quản trị cơ quan; hãy chỉ định "
        "người khác trước."
    ]
    assert membership("lamdong.quantri", "ubnd-68").role == Role.ORG_ADMIN


def test_the_last_admin_cannot_be_removed(client, demo_world):
    sign_in(client, "quantri")
    own = membership("lamdong.quantri", "ubnd-68")

    response = client.post(f"/organisations/ubnd-68/members/{own.pk}/remove/", follow=True)

    [message] = page_messages(response)
    assert "cần ít nhất một quản trị cơ quan" in message
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_admin_removes_a_member_and_the_removal_is_audited(client, demo_world):
    sign_in(client, "lamdong.quantri")
    editor = membership("lamdong.bientap", "so-tc-68")

    response = client.post(f"{MEMBERS}{editor.pk}/remove/", headers=HTMX)

    assert response.status_code == 200
    assert (
        "Đã gỡ Vũ Thị Lâm (minh họa) khỏi Sở Tài chính tỉnh Lâm Đồng." in response.content.decode()
    )
    assert not Membership.objects.filter(pk=editor.pk).exists()
    event = AuditEvent.objects.get(action="membership.delete")
    assert event.before == {"user": "lamdong.bientap", "organisation": "so-tc-68", "role": "editor"}


def test_a_membership_of_another_organisation_is_not_found_through_this_one(client, demo_world):
    sign_in(client, "lamdong.quantri")
    other = membership("hanoi.bientap", "ubnd-01")

    response = client.post(f"{MEMBERS}{other.pk}/remove/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_member_actions_accept_only_post(client, demo_world):
    sign_in(client, "lamdong.quantri")
    editor = membership("lamdong.bientap", "so-tc-68")

    assert client.get(f"{MEMBERS}{editor.pk}/remove/").status_code == 405


# Creating a person


NEW_PERSON = {
    "username": "tran.thi.mai",
    "email": "mai.tt@lamdong.gov.vn",
    "full_name": "Trần Thị Mai",
    "position": "Chuyên viên Phòng Quy hoạch",
    "role": "editor",
}


def test_an_admin_creates_a_person_who_receives_a_set_password_email(
    client, demo_world, django_capture_on_commit_callbacks
):
    admin = sign_in(client, "lamdong.quantri")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MEMBERS + "new/", NEW_PERSON)

    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    person = User.objects.get(username="tran.thi.mai")
    assert (person.full_name, person.position) == ("Trần Thị Mai", "Chuyên viên Phòng Quy hoạch")
    assert membership("tran.thi.mai", "so-tc-68").role == Role.EDITOR
    [invitation] = mail.outbox
    assert invitation.to == ["mai.tt@lamdong.gov.vn"]
    assert "/accounts/password/reset/" in invitation.body
    assert (
        AuditEvent.objects.get(action="user.create", after__username="tran.thi.mai").actor == admin
    )
    assert AuditEvent.objects.filter(action="membership.create", after__user="tran.thi.mai")


def test_the_create_form_offers_the_roles_the_admin_may_give(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.get(MEMBERS + "new/")

    assert response.status_code == 200
    assert [value for value, _ in response.context["form"].fields["role"].choices] == [
        "viewer",
        "editor",
        "approver",
        "org_admin",
    ]


def test_a_taken_user_name_is_shown_next_to_the_field(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.post(MEMBERS + "new/", {**NEW_PERSON, "username": "Vien.Xem"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Tên đăng nhập “Vien.Xem” đã có; chọn tên khác."
    ]
    assert not mail.outbox


def test_a_taken_email_address_suggests_adding_that_account_instead(client, demo_world):
    sign_in(client, "lamdong.quantri")

    response = client.post(
        MEMBERS + "new/", {**NEW_PERSON, "email": "vien.xem@demo.regionlink.local"}
    )

    [error] = response.context["form"].errors["email"]
    assert "đã gắn với một tài khoản" in error
    assert not User.objects.filter(username="tran.thi.mai").exists()


def test_only_admins_may_create_people(client, demo_world):
    sign_in(client, "lamdong.bientap")

    response = client.post(MEMBERS + "new/", NEW_PERSON)

    assert response.status_code == 403
    assert not User.objects.filter(username="tran.thi.mai").exists()


def test_the_system_admin_may_give_the_admin_role_anywhere(client, demo_world):
    sign_in(client, "quantri")

    client.post(
        "/organisations/bo-tai-chinh/members/add/", {"identifier": "vien.xem", "role": "org_admin"}
    )

    ministry = Organisation.objects.get(code="bo-tai-chinh")
    assert (
        Membership.objects.get(user__username="vien.xem", organisation=ministry).role == "org_admin"
    )
