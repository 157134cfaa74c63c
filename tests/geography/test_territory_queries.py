"""Territory questions for a date, on the real territory loaded for the session."""

import datetime as dt

import pytest

from regionlink.geography import queries
from regionlink.geography.models import AdministrativeUnit, Level, Region

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def province(code, on):
    return queries.unit_on(code, on)


def test_there_were_63_provinces_before_the_reorganisation_and_34_after():
    assert queries.units_on(BEFORE, Level.PROVINCE).count() == 63
    assert queries.units_on(AFTER, Level.PROVINCE).count() == 34


def test_there_were_64_provinces_in_2005_with_ha_tay_and_61_in_2003():
    in_2005 = queries.units_on(dt.date(2005, 1, 1), Level.PROVINCE)
    assert in_2005.count() == 64
    assert in_2005.filter(code="28", name="Tỉnh Hà Tây").exists()
    assert queries.units_on(dt.date(2003, 1, 1), Level.PROVINCE).count() == 61


def test_communes_are_3321_after_the_reorganisation_and_districts_are_gone():
    assert queries.units_on(AFTER, Level.COMMUNE).count() == 3321
    assert queries.units_on(AFTER, Level.DISTRICT).count() == 0
    assert queries.units_on(BEFORE, Level.DISTRICT).count() == 696


def test_binh_duong_is_a_province_of_the_southeast_on_30_june_2025():
    binh_duong = province("74", BEFORE)
    assert binh_duong.name == "Tỉnh Bình Dương"
    assert queries.region_of(binh_duong, BEFORE).code == "DNB"


def test_binh_duong_is_part_of_ho_chi_minh_city_from_1_july_2025():
    binh_duong = province("74", BEFORE)
    paths = queries.became(binh_duong, AFTER)
    assert [[step.unit.code for step in path] for path in paths] == [["79"]]
    assert paths[0][0].succession.legal_basis == "Nghị quyết 202/2025/QH15"
    assert not binh_duong.is_valid_on(AFTER)


def test_ho_chi_minh_city_after_the_merger_was_made_of_three_old_provinces():
    hcm = province("79", AFTER)
    made_of = {s.predecessor.name for s in queries.predecessors(hcm)}
    assert made_of == {"Tỉnh Bình Dương", "Tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"}
    assert all(s.kind == "whole" for s in queries.predecessors(hcm))


def test_an_unchanged_province_is_the_same_unit_before_and_after():
    assert province("38", BEFORE).pk == province("38", AFTER).pk
    assert queries.became(province("38", BEFORE), AFTER) == [[]]


def test_the_regions_of_resolution_306_have_their_members_from_july_2025():
    counts = {r.code: len(r.members_on) for r in queries.regions_on(dt.date(2026, 1, 1))}
    assert counts == {"TDMNPB": 9, "DBSH": 6, "BTB": 5, "DHNTB-TN": 6, "DNB": 3, "DBSCL": 5}


def test_the_old_six_regions_hold_the_63_provinces_until_june_2025():
    counts = {r.code: len(r.members_on) for r in queries.regions_on(dt.date(2025, 1, 1))}
    assert counts == {"TDMNPB": 14, "DBSH": 11, "BTB-DHMT": 14, "TN": 5, "DNB": 6, "DBSCL": 13}
    assert sum(counts.values()) == 63


def test_units_of_a_region_depend_on_the_date():
    delta = Region.objects.get(code="DBSH")
    assert queries.units_of_region(delta, BEFORE).count() == 11
    assert queries.units_of_region(delta, AFTER).count() == 6


def test_ha_tay_went_wholly_into_ha_noi_in_2008_and_vinh_phuc_partly():
    ha_noi = province("01", AFTER)
    made_of = {(s.predecessor.code, s.kind) for s in queries.predecessors(ha_noi)}
    assert ("28", "whole") in made_of
    assert ("26", "partial") in made_of
    ha_tay = province("28", dt.date(2005, 1, 1))
    assert [[s.unit.code for s in p] for p in queries.became(ha_tay, dt.date(2010, 1, 1))] == [
        ["01"]
    ]


def test_a_partly_transferred_province_continues_and_shares_its_territory():
    vinh_phuc = province("26", dt.date(2005, 1, 1))
    paths = queries.became(vinh_phuc, dt.date(2026, 1, 1))
    ends = sorted(path[-1].unit.code for path in paths)
    assert ends == ["01", "25"]


def test_every_new_commune_has_a_new_province_as_parent():
    communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_from=AFTER)
    assert not communes.exclude(parent__level=Level.PROVINCE).exists()
    assert not communes.filter(parent__valid_to__isnull=False).exists()


def test_every_old_commune_passed_into_at_least_one_new_commune():
    old = AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_to=BEFORE)
    assert not old.filter(successions_out__isnull=True).exists()
