"""The plan list, a plan page and a region's review page in a real browser (Debian's chromium
driven by Playwright), on a laptop (1366×768) and a phone (390×844): findings shown, no
horizontal scrolling, no script or CSP errors."""

import os

import pytest
from browser_support import BROWSER_MARKS, launch

pytestmark = BROWSER_MARKS
VIEWPORTS = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def reviewed_world(live_server, transactional_db):
    """Territory, organisations, catalogue, the demo plans reviewed today, and the signed-in
    session of an approver at the Ministry's planning department."""
    from django.test import Client

    from regionlink.geography.loader import load_territory
    from regionlink.indicators.catalogue import load_catalogue
    from regionlink.organisations import services
    from regionlink.organisations.models import Organisation, Role, User
    from regionlink.organisations.reference import load_reference_organisations
    from regionlink.plans import demo, review

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    load_territory()
    load_reference_organisations()
    load_catalogue()
    demo.load_demo_plans()
    review.run_review(as_of=None)
    user = User.objects.create_user("qlqh.duyet", "d@example.gov.vn", "mat-khau-du-dai-2025")
    services.add_member(
        actor="test fixture",
        organisation=Organisation.objects.get(code="btc-vu-quan-ly-quy-hoach"),
        user=user,
        role=Role.APPROVER,
    )
    client = Client()
    client.force_login(user)
    yield client.cookies["sessionid"].value
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["laptop", "phone"])
def test_an_official_reads_the_list_a_plan_and_the_red_river_delta_review(
    reviewed_world, live_server, viewport
):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport=viewport)
        context.add_cookies(
            [{"name": "sessionid", "value": reviewed_world, "url": live_server.url}]
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

        page.goto(live_server.url + "/plans/?q=dong bang song hong")
        page.locator('[data-plan="qh-vung-dbsh-2021-2030"]').wait_for()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.locator('[data-plan="qh-vung-dbsh-2021-2030"] a').first.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text().startswith("Quy hoạch vùng Đồng bằng sông Hồng")
        assert page.locator("#rl-targets").count() == 1
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.goto(live_server.url + "/plans/review/DBSH/")
        findings = page.locator('[data-finding="target_conflict"]')
        findings.first.wait_for()
        assert findings.count() >= 2
        assert page.get_by_text("Căn cứ pháp lý").first.is_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        browser.close()
    assert not errors, errors
