"""Signing in and out, login throttling, and changing or resetting a password."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-du-dai-2025"
NEW_PASSWORD = "cau-mat-khau-moi-Thanh-Hoa-2026"


def test_the_login_page_is_in_vietnamese_and_offers_a_password_reset(client):
    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in html
    assert 'href="/accounts/password/reset/"' in html


def test_an_official_signs_in_and_lands_on_the_page_they_asked_for(client, official):
    response = client.post(
        "/accounts/login/",
        {"username": "can_bo_thanh_hoa", "password": PASSWORD, "next": "/accounts/tokens/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    assert client.session["_auth_user_id"] == str(official.pk)


def test_a_wrong_password_is_refused_with_a_message(client, official):
    response = client.post(
        "/accounts/login/", {"username": "can_bo_thanh_hoa", "password": "sai-mat-khau"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_an_official_signs_out_with_a_post(client, official, settings):
    settings.LOGOUT_REDIRECT_URL = "login"
    client.force_login(official)

    assert client.get("/accounts/logout/").status_code == 405  # never by a plain link
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_locked_out_official_sees_when_to_retry(client, official):
    for _attempt in range(3):
        client.post("/accounts/login/", {"username": "can_bo_thanh_hoa", "password": "sai"})

    response = client.post(
        "/accounts/login/", {"username": "can_bo_thanh_hoa", "password": PASSWORD}
    )

    html = response.content.decode()
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "tạm thời bị khóa" in html
    assert "Vui lòng thử lại sau 15 phút." in html
    assert "quản trị viên của cơ quan" in html
    assert "_auth_user_id" not in client.session


def test_an_official_changes_their_password(client, official):
    client.force_login(official)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    official.refresh_from_db()
    assert official.check_password(NEW_PASSWORD)
    assert client.get("/accounts/password/change/done/").status_code == 200  # still signed in


def test_a_weak_new_password_is_refused_with_the_reason(client, official):
    client.force_login(official)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, official):
    response = client.post("/accounts/password/reset/", {"email": "canbo@thanhhoa.gov.vn"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["canbo@thanhhoa.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Lê Văn Thành" in message.body
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    set_password_page = client.get(link, follow=True)
    assert set_password_page.context["validlink"] is True
    response = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == "/accounts/password/reset/complete/"
    official.refresh_from_db()
    assert official.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False  # used once only


def test_a_reset_for_an_unknown_address_looks_the_same_but_sends_nothing(client, official):
    response = client.post("/accounts/password/reset/", {"email": "ai-do@example.vn"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
