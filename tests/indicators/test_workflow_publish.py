"""Publishing an approved batch: its values become current, older ones kept as revisions.

Under an embargo, publication still applies the values; the embargo (``readable_datasets``)
keeps them from everyone outside the owner's hierarchy until it passes.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from fixtures_sharing import URLCONF, build_world, published, staged, text_of

from regionlink.audit.models import AuditEvent
from regionlink.indicators.models import BatchStatus, DataValue, ImportBatch
from regionlink.indicators.values import readable_values
from regionlink.indicators.workflow import approve_batch, publish_batch_now, submit_batch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def world(reference_organisations):
    return build_world(reference_organisations)


def approved(world, dataset_name: str, rows) -> ImportBatch:
    batch = staged(world.datasets[dataset_name], by=world.steward, rows=rows)
    submit_batch(actor=world.steward, batch=batch)
    approve_batch(actor=world.approver, batch=batch)
    return batch


def current(dataset, unit_code: str, period: str) -> Decimal | None:
    found = DataValue.objects.filter(dataset=dataset, unit__code=unit_code, period=period).first()
    return found.value if found else None


def test_publishing_applies_the_values_and_keeps_the_old_one_as_a_revision(world):
    population = world.datasets["population"]
    published(population, [("POP_AVG", "01", "2023", "8500.0")])
    batch = approved(
        world,
        "population",
        [("POP_AVG", "68", "2024", "3872.9"), ("POP_AVG", "01", "2023", "8600")],
    )

    publish_batch_now(actor=world.approver, batch=batch)

    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.PUBLISHED
    assert current(population, "68", "2024") == Decimal("3872.9")
    assert current(population, "01", "2023") == Decimal("8600")
    revised = DataValue.objects.get(dataset=population, unit__code="01", period="2023")
    assert [r.old_value for r in revised.revisions.all()] == [Decimal("8500.0")]
    event = AuditEvent.objects.get(action="import_batch.publish", object_id=batch.pk)
    assert (event.actor, event.after["status"]) == (world.approver, "published")
    assert (event.after["new"], event.after["changed"]) == (1, 1)


def test_a_published_batch_is_not_published_again(world):
    batch = approved(world, "population", [("POP_AVG", "68", "2024", "1")])
    publish_batch_now(actor=world.approver, batch=batch)

    with pytest.raises(Exception, match="đang ở trạng thái Đã công bố; cần Đã phê duyệt"):
        publish_batch_now(actor=world.approver, batch=batch)


def test_only_an_approver_of_the_owner_publishes(world):
    from django.core.exceptions import PermissionDenied

    batch = approved(world, "population", [("POP_AVG", "68", "2024", "1")])

    with pytest.raises(PermissionDenied):
        publish_batch_now(actor=world.steward, batch=batch)
    assert current(world.datasets["population"], "68", "2024") is None


def test_under_embargo_the_values_are_published_but_only_the_owner_reads_them(world):
    exports = world.datasets["exports"]  # public, embargoed for another week
    batch = approved(world, "exports", [("POP_AVG", "68", "2024", "3872.9")])

    publish_batch_now(actor=world.approver, batch=batch)

    assert current(exports, "68", "2024") == Decimal("3872.9")
    assert readable_values(world.owner_viewer).filter(dataset=exports, period="2024").exists()
    for outsider in (world.province_viewer, world.hanoi_viewer, None):
        assert not readable_values(outsider).filter(dataset=exports).exists()


def test_when_the_embargo_passes_everyone_reads_the_published_values(world):
    exports = world.datasets["exports"]
    batch = approved(world, "exports", [("POP_AVG", "68", "2024", "3872.9")])
    publish_batch_now(actor=world.approver, batch=batch)

    exports.embargo_until = timezone.now() - dt.timedelta(minutes=1)  # time has passed
    exports.save(update_fields=["embargo_until"])

    assert readable_values(world.province_viewer).filter(dataset=exports, period="2024").exists()


def test_the_page_warns_the_approver_that_an_embargo_holds_the_values_back(client, world):
    batch = approved(world, "exports", [("POP_AVG", "68", "2024", "1")])
    client.force_login(world.approver)

    response = client.post(f"/data/batches/{batch.pk}/publish/", follow=True)

    text = text_of(response.content)
    assert f"Đã công bố lô #{batch.pk}" in text
    assert "đang bị cấm công bố đến" in text


def test_the_api_publishes_an_approved_batch(client, world):
    batch = approved(world, "population", [("POP_AVG", "68", "2024", "1")])
    client.force_login(world.second_approver)

    response = client.post(
        f"/api/v1/batches/{batch.pk}/publish", data=json.dumps({}), content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
