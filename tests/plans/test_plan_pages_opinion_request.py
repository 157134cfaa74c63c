"""The "request opinion" form offers Lâm Đồng's adjacent provinces as a quick choice and the
organisations of the registry; the name is taken from the choice when left blank."""

import pytest
import test_plan_lifecycle_world as world

from regionlink.organisations.models import Organisation
from regionlink.plans import consultation
from regionlink.plans.models import ConsultedBody


@pytest.fixture
def people(reference_organisations):
    return world.build_people()


@pytest.fixture
def plan(people):
    return world.provincial_plan(people.lamdong_editor)


def url(plan) -> str:
    return f"/plans/{plan.code}/consultation/request/"


def test_the_adjacent_provinces_and_the_organisations_are_offered(client, people, plan):
    client.force_login(people.lamdong_editor)

    html = client.get(url(plan)).content.decode()

    adjacent = consultation.adjacent_provinces(plan, on=world.MAP_DATE)
    assert adjacent
    for unit in adjacent:
        assert f'type="radio" name="province" value="{unit.pk}"' in html
    hanoi = world.province("01").pk
    assert f'name="province" value="{hanoi}"' not in html  # Hà Nội is not adjacent
    assert '<select name="organisation"' in html
    assert Organisation.objects.get(code="bo-tai-chinh").name in html


def test_an_organisation_is_asked_under_its_own_name(client, people, plan):
    ministry = Organisation.objects.get(code="bo-tai-chinh")
    client.force_login(people.lamdong_editor)

    response = client.post(url(plan), {"organisation": ministry.pk, "requested_on": "01/04/2026"})

    assert response.status_code == 302
    body = ConsultedBody.objects.get(plan=plan)
    assert (body.organisation, body.name, body.province) == (ministry, ministry.name, None)


def test_an_adjacent_province_is_one_click(client, people, plan):
    neighbour = consultation.adjacent_provinces(plan, on=world.MAP_DATE)[0]
    client.force_login(people.lamdong_editor)

    response = client.post(url(plan), {"province": neighbour.pk, "requested_on": "01/04/2026"})

    assert response.status_code == 302
    body = ConsultedBody.objects.get(plan=plan)
    assert (body.province, body.name) == (neighbour, neighbour.name)


def test_nothing_chosen_and_no_name_is_refused_next_to_the_name(client, people, plan):
    client.force_login(people.lamdong_editor)

    response = client.post(url(plan), {"requested_on": "01/04/2026"})

    assert response.status_code == 200
    assert 'id="id_name_error1"' in response.content.decode()
    assert not ConsultedBody.objects.filter(plan=plan).exists()


def test_a_viewer_is_refused_with_the_reason_and_nothing_is_recorded(client, people, plan):
    client.force_login(people.lamdong_viewer)

    response = client.post(url(plan), {"name": "Bộ Tài chính", "requested_on": "01/04/2026"})

    assert response.status_code == 403
    assert "chỉnh sửa" in response.content.decode()
    assert not ConsultedBody.objects.filter(plan=plan).exists()
