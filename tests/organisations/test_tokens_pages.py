"""Personal API tokens: created with the secret shown once, listed, and revoked by their owner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from regionlink.organisations.models import ApiToken, User
from regionlink.organisations.tokens import create_token, user_for_secret

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-du-dai-2025"


@pytest.fixture
def data_steward():
    """A ministry data steward who syncs indicators from the ministry's own system."""
    return User.objects.create_user(
        "dieu_phoi_so_lieu_bo_tc", "solieu@mof.gov.vn", PASSWORD, full_name="Phạm Thu Hà"
    )


@pytest.fixture
def another_official():
    return User.objects.create_user("can_bo_binh_duong", "canbo@binhduong.gov.vn", PASSWORD)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/accounts/tokens/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/tokens/"


def test_a_steward_creates_a_token_and_sees_its_secret_only_once(client, data_steward):
    client.force_login(data_steward)

    response = client.post("/accounts/tokens/", {"name": "Đồng bộ chỉ tiêu", "expires_on": ""})

    assert response.status_code == 200
    secret = response.context["secret"]
    html = response.content.decode()
    assert secret in html
    assert f"Authorization: Bearer {secret}" in html
    assert "chỉ hiển thị một lần" in html
    assert "no-store" in response["Cache-Control"]
    assert user_for_secret(secret) == data_steward

    listing = client.get("/accounts/tokens/").content.decode()
    assert secret not in listing
    assert "Đồng bộ chỉ tiêu" in listing
    assert secret[:10] in listing  # the prefix identifies it


def test_a_token_with_an_end_date_stops_at_midnight_after_that_day(client, data_steward):
    client.force_login(data_steward)
    last_day = timezone.localdate() + dt.timedelta(days=30)

    client.post("/accounts/tokens/", {"name": "Thử nghiệm", "expires_on": last_day.isoformat()})

    token = ApiToken.objects.get(user=data_steward)
    assert timezone.localtime(token.expires_at).date() == last_day + dt.timedelta(days=1)
    assert timezone.localtime(token.expires_at).time() == dt.time.min


def test_an_end_date_in_the_past_is_refused_with_the_reason(client, data_steward):
    client.force_login(data_steward)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client.post("/accounts/tokens/", {"name": "Cũ", "expires_on": yesterday.isoformat()})

    assert response.context["secret"] is None
    assert "đã qua" in response.context["form"].errors["expires_on"][0]
    assert not ApiToken.objects.filter(user=data_steward).exists()


def test_a_token_needs_a_name(client, data_steward):
    client.force_login(data_steward)

    response = client.post("/accounts/tokens/", {"name": "   "})

    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_steward_revokes_their_token_and_it_stops_working(client, data_steward):
    token, secret = create_token(user=data_steward, name="Máy chủ cũ")
    client.force_login(data_steward)

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    assert user_for_secret(secret) is None
    listing = client.get("/accounts/tokens/").content.decode()
    assert "Đã thu hồi" in listing
    assert "Đã thu hồi mã truy cập “Máy chủ cũ”." in listing


def test_a_token_cannot_be_revoked_by_a_plain_link(client, data_steward):
    token, secret = create_token(user=data_steward, name="Máy chủ")
    client.force_login(data_steward)

    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    assert user_for_secret(secret) == data_steward


def test_another_official_cannot_revoke_someone_elses_token(client, data_steward, another_official):
    token, secret = create_token(user=data_steward, name="Đồng bộ chỉ tiêu")
    client.force_login(another_official)

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert user_for_secret(secret) == data_steward
    assert "Đồng bộ chỉ tiêu" not in client.get("/accounts/tokens/").content.decode()


def test_the_token_list_shows_each_tokens_state_in_a_fixed_number_of_queries(
    client, data_steward, django_assert_max_num_queries
):
    create_token(user=data_steward, name="Đang dùng")
    create_token(
        user=data_steward, name="Hết hạn", expires_at=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(data_steward)

    with django_assert_max_num_queries(8):
        html = client.get("/accounts/tokens/").content.decode()

    assert "Đang hiệu lực" in html
    assert "Đã hết hạn" in html
