"""Every response carries the security headers; only our own assets are allowed."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_allows_only_our_own_scripts_styles_and_fonts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_each_request_gets_an_id_and_a_well_formed_incoming_id_is_kept(client):
    first = client.get("/api/v1/regions")["X-Request-ID"]
    second = client.get("/api/v1/regions")["X-Request-ID"]
    assert first and second and first != second
    kept = client.get("/api/v1/regions", HTTP_X_REQUEST_ID="trace-0123456789")
    assert kept["X-Request-ID"] == "trace-0123456789"
    forged = client.get("/api/v1/regions", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>"


def test_the_session_cookie_is_http_only_and_same_site(client, django_user_model):
    django_user_model.objects.create_user("canbo", password="mat-khau-dai-2026")
    client.post("/accounts/login/", {"username": "canbo", "password": "mat-khau-dai-2026"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"


def test_the_api_follows_the_clients_language_when_no_choice_was_made(client):
    response = client.get("/api/v1/regions", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
