"""Publication is recorded on the plan page by the plan's editor once the plan is at
publication or later (lifecycle.record_publication): it unlocks the step to implementation."""

import pytest
import test_plan_lifecycle_world as world

from regionlink.plans.models import Stage


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def published(people, settings, tmp_path):
    """Lâm Đồng's plan, approved by decision 1234/QĐ-TTg of 25/06/2026, at publication."""
    settings.MEDIA_ROOT = tmp_path
    plan = world.provincial_plan(people.lamdong_editor)
    return world.walk(people.lamdong_editor, people.lamdong_approver, plan, Stage.PUBLICATION)


def url(plan) -> str:
    return f"/plans/{plan.code}/publication/"


def to_implementation(client, plan):
    return client.post(
        f"/plans/{plan.code}/advance/", {"to_stage": "implementation", "on": "10/07/2026"}
    )


def test_the_editor_records_publication_and_the_step_to_implementation_opens(
    client, people, published
):
    client.force_login(people.lamdong_editor)
    assert url(published) in client.get(f"/plans/{published.code}/").content.decode()
    refused = to_implementation(client, published)
    assert 'data-missing="published_on"' in refused.content.decode()

    recorded = client.post(
        url(published), {"published_on": "05/07/2026", "dossier_uploaded_on": "08/07/2026"}
    )

    assert recorded.status_code == 302
    version = published.current_version()
    assert version.published_on.strftime("%d/%m/%Y") == "05/07/2026"
    assert version.dossier_uploaded_on.strftime("%d/%m/%Y") == "08/07/2026"
    assert to_implementation(client, published).status_code == 302
    published.refresh_from_db()
    assert published.stage == Stage.IMPLEMENTATION


def test_a_date_before_the_decision_is_shown_next_to_its_field_and_nothing_changes(
    client, people, published
):
    client.force_login(people.lamdong_editor)

    response = client.post(url(published), {"published_on": "20/06/2026"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_published_on_error1"' in html and "25/06/2026" in html
    assert published.current_version().published_on is None


def test_a_viewer_and_another_province_are_refused_with_the_reason(client, people, published):
    for someone in (people.lamdong_viewer, people.hanoi_editor):
        client.force_login(someone)
        assert url(published) not in client.get(f"/plans/{published.code}/").content.decode()
        response = client.post(url(published), {"published_on": "05/07/2026"})
        assert response.status_code == 403
        assert "chỉnh sửa" in response.content.decode()
    assert published.current_version().published_on is None


def test_a_plan_not_yet_approved_offers_no_publication_and_refuses_it(client, people):
    plan = world.provincial_plan(people.lamdong_editor)
    client.force_login(people.lamdong_editor)
    assert url(plan) not in client.get(f"/plans/{plan.code}/").content.decode()

    response = client.post(url(plan), {"published_on": "05/07/2026"})

    assert response.status_code == 200
    assert "giai đoạn công bố" in response.content.decode()
    assert plan.current_version().published_on is None
