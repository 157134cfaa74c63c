"""Neighbouring provinces come from the stored outlines of the map valid on the date asked."""

import datetime as dt

import pytest

from regionlink.geography import adjacency
from regionlink.geography.models import AdministrativeUnit, Level, valid_on_q

MAP_34 = dt.date(2026, 1, 1)
MAP_63 = dt.date(2024, 1, 1)


def province(code, on):
    return AdministrativeUnit.objects.get(valid_on_q(on), level=Level.PROVINCE, code=code)


def names(units):
    return {u.short_name for u in units}


@pytest.mark.django_db
def test_ha_noi_on_the_34_province_map():
    found = names(adjacency.neighbours(province("01", MAP_34), on=MAP_34))
    assert found == {"Thái Nguyên", "Bắc Ninh", "Phú Thọ", "Hưng Yên", "Ninh Bình"}


@pytest.mark.django_db
def test_ha_noi_on_the_63_province_map():
    found = names(adjacency.neighbours(province("01", MAP_63), on=MAP_63))
    assert {"Hòa Bình", "Vĩnh Phúc", "Bắc Giang", "Hà Nam", "Bắc Ninh", "Phú Thọ"} <= {
        n.replace("Hoà", "Hòa") for n in found
    }
    assert "Hải Phòng" not in found and "Ninh Bình" not in found


@pytest.mark.django_db
def test_lam_dong_grew_new_neighbours_when_it_absorbed_binh_thuan():
    before = names(adjacency.neighbours(province("68", MAP_63), on=MAP_63))
    after = names(adjacency.neighbours(province("68", MAP_34), on=MAP_34))
    assert {"Đắk Nông", "Bình Thuận", "Ninh Thuận"} <= before
    assert "Hồ Chí Minh" in after and "Đắk Nông" not in after


@pytest.mark.django_db
@pytest.mark.parametrize("on", [MAP_34, MAP_63])
def test_adjacency_is_symmetric_and_every_province_has_a_neighbour(on):
    table = adjacency.adjacency(on)
    assert len(table) == (34 if on == MAP_34 else 63)
    for unit_id, others in table.items():
        assert others, unit_id
        assert unit_id not in others
        assert all(unit_id in table[other] for other in others)


@pytest.mark.django_db
def test_a_unit_not_valid_on_the_date_has_no_neighbours():
    old = province("68", MAP_63)
    assert adjacency.neighbours(old, on=MAP_34) == []
