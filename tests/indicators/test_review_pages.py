"""The approval queue, the batch page and the data set pages, as an approver and a steward use
them; and their query counts, which do not grow with the number of batches or data sets."""

from __future__ import annotations

import os
import re

import pytest
from browser_support import browser_test, launch
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fixtures_sharing import URLCONF, build_world, province_codes, published, staged, text_of

from regionlink.indicators.datasets import create_dataset
from regionlink.indicators.models import BatchStatus, ImportBatch
from regionlink.indicators.workflow import submit_batch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def world(reference_organisations):
    return build_world(reference_organisations)


@pytest.fixture
def submitted(world):
    """The steward's 2023–2024 populations: one new value, one changed, one unchanged."""
    batch = staged(
        world.datasets["population"],
        by=world.steward,
        rows=[
            ("POP_AVG", "68", "2023", "1300.5"),  # as published: unchanged
            ("POP_AVG", "68", "2024", "3872.9"),  # new
            ("POP_AVG", "01", "2023", "8600.0"),  # changes 8500.0
        ],
    )
    published(world.datasets["population"], [("POP_AVG", "01", "2023", "8500.0")])
    submit_batch(actor=world.steward, batch=batch)
    return batch


def card(html: str, batch) -> str:
    start = html.index(f'id="batch-{batch.pk}"')
    return html[start : html.index("</article>", start)]


# --- The queue -------------------------------------------------------------------------------


def test_an_approver_sees_a_submitted_batch_with_its_counts_and_changes(client, world, submitted):
    client.force_login(world.approver)

    html = client.get("/data/review/").content.decode()

    shown = card(html, submitted)
    assert re.search(r'data-count="new">1<', shown)
    assert re.search(r'data-count="changed">1<', shown)
    assert re.search(r'data-count="unchanged">1<', shown)
    text = text_of(shown)
    assert "3.872,9" in text  # the new value, in Vietnamese number format
    assert "8.500,0" in text and "8.600,0" in text  # published → staged
    assert "1.300,5" not in text  # unchanged values are not previewed
    assert f'action="/data/batches/{submitted.pk}/approve/"' in shown
    assert f'action="/data/batches/{submitted.pk}/reject/"' in shown


def test_the_preview_shows_fifty_changes_then_a_more_link_that_continues(
    client, world, reference_organisations
):
    codes = province_codes(34)
    rows = [("POP_AVG", code, year, "1000") for year in ("2021", "2022") for code in codes]
    batch = staged(world.datasets["population"], by=world.steward, rows=rows)
    submit_batch(actor=world.steward, batch=batch)
    client.force_login(world.approver)

    shown = card(client.get("/data/review/").content.decode(), batch)
    more = re.search(r'hx-get="(/data/review/batches/\d+/changes/\?after=[^"]+)"', shown).group(1)
    rest = client.get(more.replace("&amp;", "&"), HTTP_HX_REQUEST="true")

    assert shown.count("<tr>") - 1 == 50  # the header row, then fifty changes
    assert rest.status_code == 200
    assert rest.content.decode().count("<tr>") == len(rows) - 50
    assert "Xem thêm" not in rest.content.decode()


def test_the_submitter_sees_their_batch_but_no_approve_button(client, world):
    own = staged(
        world.datasets["population"], by=world.approver, rows=[("POP_AVG", "68", "2024", "1")]
    )
    submit_batch(actor=world.approver, batch=own)
    client.force_login(world.approver)

    shown = card(client.get("/data/review/").content.decode(), own)

    assert "/approve/" not in shown
    assert "nguyên tắc bốn mắt" in text_of(shown)


def test_a_steward_sees_their_drafts_with_a_submit_button(client, world):
    draft = staged(
        world.datasets["population"], by=world.steward, rows=[("POP_AVG", "68", "2024", "1")]
    )
    client.force_login(world.steward)

    html = client.get("/data/review/").content.decode()
    drafts = html[html.index('id="queue-drafts"') :]
    response = client.post(f"/data/batches/{draft.pk}/submit/", {"next": "/data/review/"})

    assert f'action="/data/batches/{draft.pk}/submit/"' in drafts
    assert response.status_code == 302 and response["Location"] == "/data/review/"
    assert ImportBatch.objects.get(pk=draft.pk).status == BatchStatus.SUBMITTED


def test_the_queue_of_another_organisation_is_empty(client, world, submitted):
    client.force_login(world.province_editor)

    response = client.get("/data/review/")

    assert response.context["submitted"] == []
    assert "3.872" not in response.content.decode()


def test_approve_and_reject_from_the_queue(client, world, submitted):
    client.force_login(world.approver)

    no_reason = client.post(f"/data/batches/{submitted.pk}/reject/", {"reason": ""}, follow=True)
    approved = client.post(f"/data/batches/{submitted.pk}/approve/", follow=True)

    assert "Cần ghi lý do trả lại" in text_of(no_reason.content)
    assert f"Đã phê duyệt lô #{submitted.pk}" in text_of(approved.content)
    assert ImportBatch.objects.get(pk=submitted.pk).status == BatchStatus.APPROVED


def test_a_refused_step_on_the_page_names_the_missing_state(client, world):
    draft = staged(
        world.datasets["population"], by=world.steward, rows=[("POP_AVG", "68", "2024", "1")]
    )
    client.force_login(world.approver)

    response = client.post(f"/data/batches/{draft.pk}/approve/", follow=True)

    assert (
        f"Lô #{draft.pk} đang ở trạng thái Bản nháp; cần Đã gửi duyệt trước khi phê duyệt."
        in text_of(response.content)
    )


def test_an_outside_next_address_is_not_followed(client, world, submitted):
    client.force_login(world.approver)

    response = client.post(
        f"/data/batches/{submitted.pk}/approve/", {"next": "https://example.com/"}
    )

    assert response["Location"] == f"/data/batches/{submitted.pk}/"


# --- The batch page --------------------------------------------------------------------------


def test_a_running_import_polls_its_progress_every_two_seconds(client, world):
    running = staged(
        world.datasets["population"],
        by=world.steward,
        rows=[("POP_AVG", "68", "2024", "1")] * 1,
        status=BatchStatus.RUNNING,
    )
    ImportBatch.objects.filter(pk=running.pk).update(rows_total=200, rows_done=50)
    client.force_login(world.steward)

    html = client.get(f"/data/batches/{running.pk}/").content.decode()

    assert 'hx-trigger="every 2s"' in html
    assert f'hx-get="/data/batches/{running.pk}/?part=status"' in html
    assert '<progress class="w-100 mb-3" id="batch-progress" max="100" value="25"' in html
    assert "style=" not in html.split('id="main"')[1]  # the CSP forbids inline styles


def test_the_polling_stops_when_the_import_is_done(client, world):
    batch = staged(
        world.datasets["population"],
        by=world.steward,
        rows=[("POP_AVG", "68", "2024", "1")],
        status=BatchStatus.RUNNING,
    )
    client.force_login(world.steward)
    polling = client.get(f"/data/batches/{batch.pk}/?part=status", HTTP_HX_REQUEST="true")
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DRAFT, rows_done=1)

    done = client.get(f"/data/batches/{batch.pk}/?part=status", HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in polling.content.decode()
    assert "hx-trigger" not in done.content.decode()
    assert done["HX-Refresh"] == "true"  # the page reloads once, with changes and actions
    assert 'value="100"' in done.content.decode()


def test_the_batch_page_shows_the_validation_report(client, world):
    failed = staged(
        world.datasets["population"],
        by=world.steward,
        rows=[],
        status=BatchStatus.FAILED,
        report={
            "errors": [
                {
                    "row": 7,
                    "column": "Giá trị",
                    "value": "12,3,4",
                    "reason": "Giá trị không phải là số.",
                    "fix": "Ghi số dạng 1234,5.",
                }
            ],
            "warnings": [{"row": 9, "column": "Đơn vị", "value": "Ha Tay", "reason": "Tỉnh cũ"}],
        },
    )
    client.force_login(world.steward)

    html = client.get(f"/data/batches/{failed.pk}/").content.decode()
    report = text_of(html[html.index('id="batch-report"') : html.index("</table>")])

    assert "Lỗi 7 Giá trị 12,3,4 Giá trị không phải là số. Ghi số dạng 1234,5." in report
    assert "Cảnh báo 9 Đơn vị Ha Tay Tỉnh cũ —" in report
    assert "hx-trigger" not in html


def test_the_batch_page_previews_changes_for_the_approver_and_offers_the_steps(
    client, world, submitted
):
    client.force_login(world.approver)

    html = client.get(f"/data/batches/{submitted.pk}/").content.decode()

    assert re.search(r'data-count="changed">1<', html)
    assert "3.872,9" in text_of(html)
    assert f'action="/data/batches/{submitted.pk}/approve/"' in html


# --- Query counts ----------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_makes_the_same_number_of_queries_for_one_batch_or_ten(client, world):
    def add_batch():
        batch = staged(
            world.datasets["population"], by=world.steward, rows=[("POP_AVG", "68", "2024", "1")]
        )
        submit_batch(actor=world.steward, batch=batch)
        staged(world.datasets["labour"], by=world.approver, rows=[("POP_AVG", "68", "2024", "2")])

    client.force_login(world.approver)
    add_batch()
    one = count_queries(client, "/data/review/")
    for _ in range(9):
        add_batch()
    ten = count_queries(client, "/data/review/")

    assert ten == one
    assert one <= 14  # 13 for the queue, 1 for the menu's "Nhập số liệu" (editors only)


def test_the_data_set_list_makes_the_same_number_of_queries_for_four_or_forty(client, world):
    client.force_login(world.owner_viewer)
    four = count_queries(client, "/data/datasets/")
    for number in range(36):
        create_dataset(
            actor="test fixture",
            owner=world.orgs["btc-cuc-thong-ke"],
            code=f"tk-them-{number}",
            name=f"Thêm {number}",
            visibility="named",
            shared_with=[world.orgs["ubnd-01"]],
        )
    forty = count_queries(client, "/data/datasets/")

    assert forty == four


def test_the_batch_and_data_set_api_lists_do_not_grow_with_rows(client, world):
    client.force_login(world.approver)
    staged(world.datasets["population"], by=world.steward, rows=[("POP_AVG", "68", "2024", "1")])
    few_batches = count_queries(client, "/api/v1/batches")
    few_sets = count_queries(client, "/api/v1/datasets")
    for number in range(10):
        staged(world.datasets["labour"], by=world.steward, rows=[("POP_AVG", "68", "2024", "1")])
        create_dataset(
            actor="test fixture",
            owner=world.orgs["btc-cuc-thong-ke"],
            code=f"tk-them-{number}",
            name=f"Thêm {number}",
        )

    assert count_queries(client, "/api/v1/batches") == few_batches
    assert count_queries(client, "/api/v1/datasets") == few_sets


# --- In a real browser -----------------------------------------------------------------------


@browser_test
def test_the_progress_bar_polls_then_the_page_shows_the_report_when_the_import_ends(
    live_server, transactional_db, settings
):
    from playwright.sync_api import sync_playwright

    from regionlink.geography.loader import load_territory
    from regionlink.organisations.models import Organisation
    from regionlink.organisations.reference import load_reference_organisations

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM below runs beside Playwright
    load_territory()
    load_reference_organisations()
    world = build_world({o.code: o for o in Organisation.objects.all()})
    running = staged(
        world.datasets["population"],
        by=world.steward,
        rows=[("POP_AVG", "68", "2024", "1")],
        status=BatchStatus.RUNNING,
        report={"errors": [{"row": 7, "column": "Giá trị", "value": "x", "reason": "Không là số"}]},
    )
    ImportBatch.objects.filter(pk=running.pk).update(rows_total=200, rows_done=50)
    signed_in = Client()
    signed_in.force_login(world.steward)
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context()
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": signed_in.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/data/batches/{running.pk}/")
            assert page.locator("#batch-progress").get_attribute("value") == "25"

            ImportBatch.objects.filter(pk=running.pk).update(
                status=BatchStatus.FAILED, rows_done=200
            )
            page.locator("#batch-report").wait_for(timeout=10000)

            assert page.locator("#batch-progress").get_attribute("value") == "100"
            assert page.locator("[hx-trigger]").count() == 0  # polling stopped
            assert "Không là số" in page.locator("#batch-report").inner_text()
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert errors == []  # no CSP violation, no script error
