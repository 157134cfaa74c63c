"""The page shell: navigation that only offers what exists, language switch, CSP-safe markup,
Vietnamese error pages, and the number/date filters every page uses."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import render
from django.template import Context, Template
from django.test import Client
from django.urls import include, path
from django.utils import translation

from regionlink.organisations import services
from regionlink.organisations.models import OrganisationKind, Role, User
from regionlink.web.templatetags.regionlink_tags import vn_date, vn_number

PASSWORD = "mat-khau-du-dai-2025"


# A small site whose routes the tests control, so the menu can be checked against what exists
# no matter which pages the rest of the project has built so far.
def _page(request):
    return render(request, "web/base.html")


def _refuse(request):
    raise PermissionDenied("Bạn không có quyền sửa “Vùng Đồng bằng sông Hồng”.")


def _tamper(request):
    raise SuspiciousOperation("Tham số bị sửa")


def _crash(request):
    raise RuntimeError("lỗi thử nghiệm")


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("regionlink.organisations.account_urls")),
    path("admin/", admin.site.urls),
    path("", _page, name="home"),
    path("units/", _page, name="unit-list"),
    path("audit/", lambda request: HttpResponse("audit"), name="audit-list"),
    path("search/", _page, name="search"),
    path("refuse/", _refuse),
    path("tamper/", _tamper),
    path("crash/", _crash),
]
handler400 = "regionlink.web.views_errors.bad_request"
handler403 = "regionlink.web.views_errors.permission_denied"
handler404 = "regionlink.web.views_errors.page_not_found"
handler500 = "regionlink.web.views_errors.server_error"


@pytest.fixture
def small_site(settings):
    settings.ROOT_URLCONF = __name__
    return settings


@pytest.fixture
def organisation_admin(db):
    department = services.create_organisation(
        actor="seed",
        code="so-kh-dt-thanh-hoa",
        name="Sở Kế hoạch và Đầu tư tỉnh Thanh Hóa",
        kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
    )
    person = User.objects.create_user("quan_tri_so", "qt@thanhhoa.gov.vn", PASSWORD)
    services.add_member(actor="seed", organisation=department, user=person, role=Role.ORG_ADMIN)
    return person


def nav_keys(response) -> list[str]:
    return [item.key for item in response.context["shell"].nav_items]


@pytest.mark.django_db
def test_every_page_has_a_skip_link_the_brand_and_a_language_switch(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<html lang="vi">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "RegionLink" in html and "Liên kết vùng" in html
    assert 'href="/accounts/login/?next' not in html  # no sign-in link on the sign-in page
    assert 'action="/i18n/setlang/"' in html and 'method="post"' in html
    assert 'name="language" value="en"' in html
    assert "Ranh giới: Natural Earth (public domain)" in html


@pytest.mark.django_db
def test_the_menu_offers_only_pages_that_exist(client, small_site):
    response = client.get("/")

    assert nav_keys(response) == ["map", "units"]
    assert 'href="/units/"' in response.content.decode()


@pytest.mark.django_db
def test_a_visitor_is_offered_to_sign_in_and_come_back(client, small_site):
    html = client.get("/units/").content.decode()

    assert 'href="/accounts/login/?next=/units/"' in html


@pytest.mark.django_db
def test_the_api_docs_are_in_the_menu_of_the_real_site(client):
    response = client.get("/accounts/login/")

    api = next(item for item in response.context["shell"].nav_items if item.key == "api")
    assert api.url == "/api/v1/docs"


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_menu(client, small_site):
    response = client.get("/units/")

    active = [item.key for item in response.context["shell"].nav_items if item.active]
    assert active == ["units"]
    assert 'aria-current="page"' in response.content.decode()


@pytest.mark.django_db
def test_an_official_sees_neither_the_audit_log_nor_the_admin_site(client, small_site, official):
    client.force_login(official)

    assert nav_keys(client.get("/")) == ["map", "units"]


@pytest.mark.django_db
def test_an_organisation_admin_sees_the_audit_log_but_not_the_admin_site(
    client, small_site, organisation_admin
):
    client.force_login(organisation_admin)

    assert nav_keys(client.get("/")) == ["map", "units", "audit"]


@pytest.mark.django_db
def test_a_system_admin_sees_the_audit_log_and_the_admin_site(client, small_site, system_admin):
    client.force_login(system_admin)

    assert nav_keys(client.get("/")) == ["map", "units", "audit", "admin"]


@pytest.mark.django_db
def test_the_place_search_is_a_labelled_get_form(client, small_site):
    html = client.get("/search/", {"q": "Thanh Hóa"}).content.decode()

    form = re.search(r'<form[^>]*role="search"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/search/"' in form
    assert '<label class="visually-hidden" for="rl-search-q">Tìm địa danh</label>' in html
    assert 'name="q"' in html and 'value="Thanh Hóa"' in html
    assert 'placeholder="Ví dụ: Thanh Hóa, tp hcm, Bình Dương"' in html


@pytest.mark.django_db
def test_a_signed_in_official_sees_their_name_and_signs_out_by_post(client, official):
    client.force_login(official)
    html = client.get("/accounts/tokens/").content.decode()

    assert "Lê Văn Thành" in html
    assert 'href="/accounts/password/change/"' in html and "Đổi mật khẩu" in html
    assert 'href="/accounts/tokens/"' in html and "Mã truy cập API" in html
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)
    assert 'href="/accounts/logout/"' not in html


@pytest.mark.django_db
def test_an_official_can_switch_the_page_to_english_and_back(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert '<html lang="en">' in html
    assert re.search(r'value="en"[^>]*class="btn rl-btn-lang active"', html)

    response = client.post(
        "/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"}, follow=True
    )
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_htmx_requests_carry_the_csrf_token_from_the_body_without_inline_script(official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    html = client.get("/accounts/tokens/").content.decode()

    body = re.search(r"<body[^>]*>", html).group(0)
    headers = json.loads(re.search(r"hx-headers='([^']+)'", body).group(1))
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in html

    refused = client.post("/accounts/tokens/", {"name": "Không có mã CSRF"})
    accepted = client.post("/accounts/tokens/", {"name": "Qua htmx"}, headers=headers)

    assert refused.status_code == 403
    assert accepted.status_code == 200 and accepted.context["secret"]


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style_that_the_csp_would_block(client, official):
    client.force_login(official)
    pages = [client.get("/accounts/tokens/"), client.get("/accounts/password/change/")]
    client.logout()
    pages.append(client.get("/accounts/login/"))

    for response in pages:
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)


@pytest.mark.django_db
def test_a_missing_page_explains_itself_in_vietnamese(client, small_site):
    small_site.DEBUG = False

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert response.templates[0].name == "web/404.html"


@pytest.mark.django_db
def test_a_refusal_shows_its_reason(client, small_site):
    small_site.DEBUG = False

    response = client.get("/refuse/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Không có quyền truy cập" in html
    assert "Bạn không có quyền sửa “Vùng Đồng bằng sông Hồng”." in html


@pytest.mark.django_db
def test_a_malformed_request_is_answered_in_vietnamese(client, small_site):
    small_site.DEBUG = False

    response = client.get("/tamper/")

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_the_server_error_page_needs_no_database_and_gives_a_reference(small_site):
    # No django_db mark: any query while rendering the 500 page would fail this test.
    small_site.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/crash/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in html
    assert response["X-Request-ID"] in html
    assert "Phiên bản 0.1.0" in html


@pytest.mark.parametrize(
    ("language", "value", "decimals", "shown"),
    [
        ("vi", 1234.5, None, "1.234,5"),
        ("en", 1234.5, None, "1,234.5"),
        ("vi", 1234567, None, "1.234.567"),
        ("vi", Decimal("98765.4321"), 2, "98.765,43"),
        ("en", Decimal("98765.4321"), 2, "98,765.43"),
        ("vi", 1.95, 1, "2,0"),
        ("vi", 2.5, 0, "3"),
        ("vi", -1234.5, None, "-1.234,5"),
        ("vi", -0.04, 1, "0,0"),
        ("vi", "1234.5", 1, "1.234,5"),
        ("vi", None, None, "—"),
        ("en", None, 2, "—"),
        ("vi", "", None, "—"),
        ("vi", float("nan"), None, "—"),
    ],
)
def test_numbers_are_written_the_way_each_language_expects(language, value, decimals, shown):
    with translation.override(language):
        assert vn_number(value, decimals) == shown


def test_the_number_filter_takes_its_decimals_in_a_template():
    template = Template("{% load regionlink_tags %}{{ value|vn_number:1 }}")
    with translation.override("vi"):
        assert template.render(Context({"value": 12345.678})) == "12.345,7"


def test_dates_are_written_day_month_year_in_vietnam_time():
    late_evening_utc = dt.datetime(2025, 6, 30, 18, 30, tzinfo=ZoneInfo("UTC"))

    assert vn_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert vn_date(late_evening_utc) == "01/07/2025"  # 01:30 on 1 July in Hà Nội
    assert vn_date(None) == "—"


def test_demo_data_is_labelled_so_nobody_takes_it_for_official_figures():
    class Figure:
        def __init__(self, is_demo):
            self.is_demo = is_demo

    template = Template("{% load regionlink_tags %}{% demo_badge figure %}")
    always = Template("{% load regionlink_tags %}{% demo_badge %}")

    assert "Dữ liệu minh họa" in template.render(Context({"figure": Figure(True)}))
    assert "demo-badge" in template.render(Context({"figure": Figure(True)}))
    assert "Dữ liệu minh họa" not in template.render(Context({"figure": Figure(False)}))
    assert "Dữ liệu minh họa" in always.render(Context({}))


@pytest.mark.django_db
def test_a_visitor_sees_plans_as_one_link_and_an_official_as_a_menu(client, organisation_admin):
    visitor = client.get("/accounts/login/").context["shell"].nav_items
    plans = next(item for item in visitor if item.key == "plans")
    assert plans.children == () and plans.url == "/plans/"
    assert "plan-review" not in [item.key for item in visitor]

    client.force_login(organisation_admin)
    response = client.get("/plans/review/")
    plans = next(item for item in response.context["shell"].nav_items if item.key == "plans")
    assert [child.key for child in plans.children] == ["plans", "plan-review", "plan-reminders"]
    assert plans.active
    assert [child.key for child in plans.children if child.active] == ["plan-review"]
    assert 'class="dropdown-item active" href="/plans/review/"' in response.content.decode()
