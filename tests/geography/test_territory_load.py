"""Loading the territory is idempotent, complete and consistent with the reference lists."""

import csv
from pathlib import Path

import pytest

from regionlink.audit.models import AuditEvent
from regionlink.core.text import canonical_tones
from regionlink.geography.loader import load_territory
from regionlink.geography.models import AdministrativeUnit, Level, RegionOutline, UnitBoundary

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "admin"


def test_a_second_load_changes_nothing_and_writes_no_audit_event():
    events = AuditEvent.objects.count()
    report = load_territory()
    assert not report.changed
    assert report.counts["units"]["unchanged"] == AdministrativeUnit.objects.count()
    assert AuditEvent.objects.count() == events


def test_a_changed_source_row_is_updated_and_audited(monkeypatch):
    unit = AdministrativeUnit.objects.get(code="38", valid_to__isnull=True)
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name_en="Wrong")
    report = load_territory()
    assert report.counts["units"]["updated"] == 1
    assert AdministrativeUnit.objects.get(pk=unit.pk).name_en == "Thanh Hoa"
    event = AuditEvent.objects.filter(action="geography.load").latest("occurred_at")
    assert event.after["units"]["updated"] == 1


def test_names_are_stored_in_unicode_nfc():
    import unicodedata

    for name in AdministrativeUnit.objects.values_list("name", flat=True)[:2000]:
        assert unicodedata.is_normalized("NFC", name)


def test_every_province_valid_before_and_after_the_reorganisation_has_a_boundary():
    for on in ("2025-06-30", "2025-07-01"):
        provinces = AdministrativeUnit.objects.valid_on(on).filter(level=Level.PROVINCE)
        assert not provinces.filter(boundary__isnull=True).exists()
    assert RegionOutline.objects.count() == 12
    assert UnitBoundary.objects.count() == 87  # 86 + Thừa Thiên Huế before 2025


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
def test_provinces_match_the_official_34_list_and_the_merger_table():
    with (REFERENCE / "provinces_34_2025.csv").open(encoding="utf-8") as handle:
        official = {row["code"]: row for row in csv.DictReader(handle)}
    current = {
        u.code: u
        for u in AdministrativeUnit.objects.valid_on("2026-01-01").filter(level="province")
    }
    assert set(current) == set(official)
    off = set()
    names_differ = {
        c for c, row in official.items() if current[c].name != canonical_tones(row["full_name"])
    }
    # The reference names Đồng Nai a centrally-run city; the establishing resolution's number
    # and date are not confirmed here, so the unit stays "Tỉnh Đồng Nai" until they are.
    assert names_differ == {"75"}
    for code, row in official.items():
        official_area = float(row["area_km2_bando"])
        if abs(float(current[code].area_km2) - official_area) > 0.03 * official_area:
            off.add(code)
    # Province areas are sums of the package's commune areas; for these seven the package's
    # commune areas disagree with the official figure by more than 3 % (known data issue,
    # shown in the product as an estimate). A change here means the package data changed.
    assert off == {"33", "37", "44", "56", "80", "82", "96"}


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
def test_communes_match_the_official_3321_codes():
    with (REFERENCE / "communes_3321_2025.csv").open(encoding="utf-8") as handle:
        official = {row["code"] for row in csv.DictReader(handle)}
    ours = set(
        AdministrativeUnit.objects.valid_on("2026-01-01")
        .filter(level="commune")
        .values_list("code", flat=True)
    )
    assert ours == official
