"""The home page in a real browser (Debian's chromium driven by Playwright)."""

import os

import pytest
from browser_support import BROWSER_MARKS, launch

pytestmark = BROWSER_MARKS


@pytest.fixture
def browser_page(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    from regionlink.geography.loader import load_territory

    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    load_territory()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" else None,
        )
        yield page, errors
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_an_official_sees_the_34_provinces_switches_to_63_and_to_english_and_back(
    browser_page, live_server
):
    page, errors = browser_page
    page.goto(live_server.url + "/")
    map_box = page.locator("#rl-map")
    map_box.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#rl-map').dataset.provinceCount === '34'", timeout=15000
    )
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_text("Quần đảo Hoàng Sa", exact=False).count() >= 1 or (
        "Hoàng Sa" in page.content()
    )

    page.get_by_role("button", name="Trước 01/07/2025").click()
    page.wait_for_function(
        "() => document.querySelector('#rl-map').dataset.provinceCount === '63'", timeout=15000
    )

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert not errors, errors
