"""Personal tokens authenticate API calls; every error is JSON with a code and a Vietnamese fix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from regionlink.core.paging import encode_cursor
from regionlink.core.text import has_diacritics
from regionlink.organisations.models import ApiToken, Organisation
from regionlink.organisations.tokens import create_token, revoke_token

pytestmark = pytest.mark.django_db


# --- Tokens ----------------------------------------------------------------------------------


def test_a_bearer_token_identifies_the_caller(client, lam_dong_editor, bearer):
    response = client.get("/api/v1/me", headers=bearer(lam_dong_editor))

    assert response.status_code == 200
    assert response.json()["username"] == "lamdong.bientap"


def test_a_script_edits_with_its_token_and_needs_no_csrf_token(lam_dong_editor, bearer, patch_json):
    script = Client(enforce_csrf_checks=True)

    response = patch_json(
        script,
        "/api/v1/organisations/ubnd-68",
        {"website": "https://lamdong.gov.vn"},
        headers=bearer(lam_dong_editor),
    )

    assert response.status_code == 200, response.content
    assert Organisation.objects.get(code="ubnd-68").website == "https://lamdong.gov.vn"


def test_a_token_does_not_widen_its_owners_rights(lam_dong_editor, bearer, patch_json):
    response = patch_json(
        Client(), "/api/v1/organisations/ubnd-01", {"phone": "1"}, headers=bearer(lam_dong_editor)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_revoked_token_no_longer_authenticates(lam_dong_editor, patch_json):
    token, secret = create_token(user=lam_dong_editor, name="t")
    revoke_token(actor=lam_dong_editor, token=token)
    headers = {"Authorization": f"Bearer {secret}"}
    script = Client(enforce_csrf_checks=True)

    me = script.get("/api/v1/me", headers=headers)
    edit = patch_json(script, "/api/v1/organisations/ubnd-68", {"phone": "1"}, headers=headers)

    assert me.status_code == edit.status_code == 401
    assert me.json()["code"] == edit.json()["code"] == "unauthenticated"
    assert Organisation.objects.get(code="ubnd-68").phone == ""


def test_an_expired_token_no_longer_authenticates(client, lam_dong_editor):
    _token, secret = create_token(
        user=lam_dong_editor, name="t", expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401


def test_using_a_token_records_when_it_was_last_used(client, lam_dong_editor):
    token, secret = create_token(user=lam_dong_editor, name="t")

    client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_public_reads_need_no_csrf_token_signed_in_or_not(lam_dong_viewer):
    visitor, browser = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    browser.force_login(lam_dong_viewer)

    for caller in (visitor, browser):
        assert caller.get("/api/v1/regions").status_code == 200
        assert caller.get("/api/v1/organisations/ubnd-68").status_code == 200


def test_a_made_up_token_is_not_accepted(client, reference_organisations):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer rl_khong-co-that"})

    assert response.status_code == 401


# --- Errors ----------------------------------------------------------------------------------


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"].strip()
    return body


def test_an_impossible_date_names_the_date_parameter_and_the_expected_form(client):
    body = _error(client.get("/api/v1/regions", {"date": "2026-13-01"}), 422, "invalid_request")

    assert body["field"] == "date"
    assert "date" in body["message"]
    assert "YYYY-MM-DD" in body["message"]
    assert "2026-13-01" in body["message"]


def test_an_unknown_level_lists_the_accepted_levels(client):
    body = _error(client.get("/api/v1/units", {"level": "tinh"}), 422, "invalid_request")

    assert body["field"] == "level"
    assert "province, district, commune" in body["message"]


def test_a_limit_out_of_range_says_the_range(client):
    body = _error(client.get("/api/v1/units", {"limit": "0"}), 422, "invalid_request")

    assert body["field"] == "limit"
    assert "1 đến 1000" in body["message"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/units", "/api/v1/successions", "/api/v1/organisations"],
)
def test_a_cursor_that_is_not_one_of_ours_is_refused(client, url):
    for cursor in ("not-base64!", encode_cursor([{"x": 1}, None, None, None])):
        body = _error(client.get(url, {"after": cursor}), 400, "invalid_cursor")
        assert body["field"] == "after"
        assert "after" in body["message"]


def test_an_unsupported_download_format_lists_the_supported_ones(client):
    body = _error(client.get("/api/v1/units", {"format": "pdf"}), 400, "invalid_format")

    assert body["field"] == "format"
    assert "csv" in body["message"]
    assert "xlsx" in body["message"]


def test_unknown_codes_answer_404_not_found(client, reference_organisations):
    for url in ("/api/v1/units/00000", "/api/v1/regions/ZZ", "/api/v1/organisations/khong-co"):
        _error(client.get(url), 404, "not_found")


# --- Documentation ---------------------------------------------------------------------------


def test_every_endpoint_is_documented_with_a_vietnamese_summary(client):
    schema = client.get("/api/v1/openapi.json").json()

    expected = {
        ("/api/v1/regions", "get"),
        ("/api/v1/regions/{code}", "get"),
        ("/api/v1/units", "get"),
        ("/api/v1/units/{code}", "get"),
        ("/api/v1/successions", "get"),
        ("/api/v1/resolve", "get"),
        ("/api/v1/organisations", "get"),
        ("/api/v1/organisations/{code}", "get"),
        ("/api/v1/organisations/{code}", "patch"),
        ("/api/v1/me", "get"),
        ("/api/v1/audit", "get"),
    }
    documented = {
        (path, method): operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert expected <= set(documented)
    for key in expected:
        operation = documented[key]
        assert operation["summary"] and operation["description"], key
        assert has_diacritics(operation["summary"]), key  # written in Vietnamese
