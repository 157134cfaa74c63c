"""An official types a place name as it comes (any spelling, any era) and gets the unit it names."""

import datetime as dt
import json

import pytest

from regionlink.geography import name_index, queries
from regionlink.geography.models import AdministrativeUnit, Level
from regionlink.geography.names import resolve

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)
NEW_YEAR = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True, scope="module")
def fresh_name_index():
    """Start from an index of the session territory, whatever earlier modules did."""
    name_index.invalidate()
    yield
    name_index.invalidate()


def resolved(text, **kwargs):
    result = resolve(text, **kwargs)
    assert result.status == "resolved", result.describe()
    return result.best


@pytest.mark.parametrize("text", ["tp hcm", "TP.HCM", "Hồ Chí Minh", "Ho Chi Minh City", "Sài Gòn"])
def test_every_usual_way_of_writing_ho_chi_minh_city_resolves_to_the_city_of_2025(text):
    best = resolved(text, date=NEW_YEAR)
    assert (best.unit.code, best.unit.valid_from) == ("79", AFTER)
    assert best.unit.name == "Thành phố Hồ Chí Minh"
    assert best.via is None


def test_the_name_written_with_its_own_diacritics_scores_highest():
    assert resolved("Hồ Chí Minh", date=NEW_YEAR).confidence == 1.0
    assert resolved("Ho Chi Minh", date=NEW_YEAR).confidence == 0.95
    assert (resolved("Saigon", date=NEW_YEAR).matched_on, resolved("Saigon").confidence) == (
        "alias",
        0.95,
    )
    english = resolved("Ba Dinh Ward", date=NEW_YEAR)
    assert (english.unit.code, english.matched_on, english.confidence) == ("00004", "english", 0.9)


@pytest.mark.parametrize("text", ["Thanh Hoa", "thanh hoá", "Tỉnh Thanh Hóa", "THANH HOÁ"])
def test_thanh_hoa_is_found_with_or_without_diacritics_in_old_or_new_tone_placement(text):
    best = resolved(text)
    assert (best.unit.code, best.unit.name) == ("38", "Tỉnh Thanh Hóa")


def test_khanh_hoa_in_old_tone_placement_is_an_exact_match():
    best = resolved("Khánh Hoà")
    assert (best.unit.code, best.confidence, best.matched_on) == ("56", 1.0, "name")


def test_hn_is_ha_noi():
    assert resolved("HN").unit.name == "Thành phố Hà Nội"


@pytest.mark.parametrize(
    "text", ["Ba Ria - Vung Tau", "Bà Rịa–Vũng Tàu", "ba ria vung tau", "BRVT"]
)
def test_ba_ria_vung_tau_before_the_merger_is_the_province_itself(text):
    assert resolved(text, date=dt.date(2024, 1, 1)).unit.code == "77"


def test_binh_duong_after_the_merger_resolves_to_ho_chi_minh_city_with_the_reason():
    best = resolved("Binh Duong", date=NEW_YEAR)
    assert (best.unit.code, best.unit.valid_from) == ("79", AFTER)
    assert best.via.name == "Tỉnh Bình Dương"
    assert best.explanation == (
        "Tỉnh Bình Dương đã hợp nhất vào Thành phố Hồ Chí Minh từ 01/07/2025 "
        "(Nghị quyết 202/2025/QH15)."
    )
    assert best.confidence == pytest.approx(0.95 * 0.9)


def test_binh_duong_on_the_last_day_before_the_merger_is_still_the_province():
    best = resolved("Binh Duong", date=BEFORE)
    assert (best.unit.code, best.unit.name, best.via) == ("74", "Tỉnh Bình Dương", None)


def test_communes_named_like_a_province_are_listed_below_it():
    result = resolve("Binh Duong", date=NEW_YEAR)
    communes = [m for m in result.matches if m.unit.level == Level.COMMUNE]
    assert communes, "communes named Bình Dương are still offered"
    assert all(m.confidence < result.best.confidence for m in communes)


def test_ha_tay_is_its_own_province_in_2005_and_part_of_ha_noi_in_2010():
    assert resolved("Ha Tay", date=dt.date(2005, 1, 1)).unit.name == "Tỉnh Hà Tây"
    best = resolved("Ha Tay", date=dt.date(2010, 1, 1))
    assert (best.unit.code, best.via.code) == ("01", "28")
    assert "01/08/2008" in best.explanation and "15/2008/QH12" in best.explanation


def test_thua_thien_hue_after_2025_is_the_city_of_hue_with_the_reason():
    best = resolved("Thừa Thiên Huế", date=NEW_YEAR)
    assert (best.unit.code, best.unit.name) == ("46", "Thành phố Huế")
    assert best.via.name == "Tỉnh Thừa Thiên Huế"
    assert "01/01/2025" in best.explanation


def test_hue_is_the_city_of_hue_without_a_detour_through_thua_thien_hue():
    best = resolved("Hue")
    assert (best.unit.name, best.via) == ("Thành phố Huế", None)


def test_a_province_that_did_not_exist_yet_is_not_an_answer_and_the_message_says_so():
    result = resolve("Đắk Nông", date=dt.date(2000, 1, 1))
    assert all(m.unit.code != "67" for m in result.matches)
    assert "Tỉnh Đắk Nông chưa tồn tại vào ngày 01/01/2000" in result.message
    assert "Tỉnh Đắk Lắk" in result.message


def test_a_province_split_in_two_names_both_heirs():
    result = resolve("Tỉnh Cần Thơ", date=dt.date(2005, 1, 1))
    assert {m.unit.code for m in result.matches} == {"92", "93"}
    hau_giang = next(m for m in result.matches if m.unit.code == "93")
    assert "Một phần Tỉnh Cần Thơ" in hau_giang.explanation


def test_a_province_that_lost_a_district_earlier_resolves_to_where_the_whole_went():
    result = resolve("Vinh Phuc", date=NEW_YEAR)
    assert result.best.unit.name == "Tỉnh Phú Thọ"
    assert "Thành phố Hà Nội" in [m.unit.name for m in result.matches]  # Mê Linh, 2008


def test_a_commune_name_shared_by_several_provinces_is_ambiguous_and_suggests_adding_one():
    result = resolve("Xã Tân Phú", date=NEW_YEAR)
    assert result.status == "ambiguous" and result.best is None
    top = [m for m in result.matches if m.confidence == 1.0]
    assert len(top) >= 2
    assert {m.unit.name for m in top} == {"Xã Tân Phú"}
    assert len({m.province.code for m in top}) == len(top)
    assert "Hãy ghi kèm tên tỉnh" in result.message


def test_a_commune_with_its_province_after_a_comma_is_the_new_commune():
    best = resolved("Phường Ba Đình, Hà Nội", date=NEW_YEAR)
    assert (best.unit.code, best.unit.valid_from) == ("00004", AFTER)
    assert best.province.name == "Thành phố Hà Nội"


def test_a_comma_address_without_diacritics_works_too():
    assert resolved("Ba Dinh, Ha Noi", date=NEW_YEAR).unit.code == "00004"


def test_a_commune_of_another_province_is_not_taken_for_the_one_named():
    result = resolve("Phường Ba Đình, Hà Nội", date=dt.date(2024, 1, 1))
    assert {m.province.code for m in result.matches} == {"01"}


def test_an_old_address_leads_to_the_commune_that_took_it_over():
    best = resolved("Phường Bến Nghé, Quận 1, TP HCM", date=NEW_YEAR)
    assert best.via.name == "Phường Bến Nghé"
    assert best.province.code == "79" and best.unit.valid_from == AFTER


def test_a_commune_of_a_merged_province_is_found_under_the_province_it_joined():
    best = resolved("Phường Thủ Dầu Một, Bình Dương", date=NEW_YEAR)
    assert (best.unit.name, best.province.code, best.province.valid_from) == (
        "Phường Thủ Dầu Một",
        "79",
        AFTER,
    )


def test_an_unknown_name_is_not_found_with_a_message():
    result = resolve("Xyzabc")
    assert (result.status, result.matches, result.best) == ("not_found", (), None)
    assert result.message.startswith("Không tìm thấy địa danh “Xyzabc”.")


def test_a_typo_is_answered_by_similarity_with_suggestions():
    result = resolve("Thanh Hao")
    assert "Thanh Hóa" in result.suggestions
    assert "Thanh Hóa" in result.message
    assert result.matches[0].unit.code == "38"
    assert result.matches[0].matched_on == "fuzzy"
    assert result.matches[0].confidence < 0.8


def test_an_explicit_level_keeps_only_units_of_that_level():
    result = resolve("Binh Duong", date=NEW_YEAR, level=Level.COMMUNE)
    assert result.matches and {m.unit.level for m in result.matches} == {Level.COMMUNE}


def test_an_empty_text_is_not_found_with_a_hint():
    result = resolve("  , ")
    assert result.status == "not_found" and "Hãy nhập tên" in result.message


def test_the_result_serialises_to_json_with_unit_dates_and_the_historic_name():
    data = json.loads(json.dumps(resolve("Binh Duong", date=NEW_YEAR).as_dict()))
    assert data["status"] == "resolved" and data["date"] == "2026-01-01"
    first = data["matches"][0]
    assert first["unit"] == {
        "code": "79",
        "name": "Thành phố Hồ Chí Minh",
        "level": "province",
        "unit_type": "thanh_pho_tw",
        "valid_from": "2025-07-01",
        "valid_to": None,
    }
    assert first["via"] == {"code": "74", "name": "Tỉnh Bình Dương"}
    assert first["matched_on"] == "name"


def test_the_description_reads_in_vietnamese():
    lines = resolve("Hồ Chí Minh", date=NEW_YEAR).describe()
    assert lines[0] == "Thành phố Hồ Chí Minh (79, cấp tỉnh) — độ tin cậy 1,00"


def test_matches_are_sorted_by_confidence_then_province_first_then_code():
    matches = resolve("Binh Duong", date=BEFORE).matches
    order = [(-m.confidence, m.unit.level != Level.PROVINCE, m.unit.code) for m in matches]
    assert order == sorted(order)


def test_a_warm_index_resolves_with_a_handful_of_queries(django_assert_max_num_queries):
    resolve("Binh Duong", date=NEW_YEAR)
    with django_assert_max_num_queries(3):
        resolve("Binh Duong", date=NEW_YEAR)
    with django_assert_max_num_queries(3):
        resolve("Xã Tân Phú", date=NEW_YEAR)


def test_the_index_follows_successions_exactly_as_queries_became_does():
    index = name_index.get_index()
    ended = AdministrativeUnit.objects.filter(valid_to__lt=NEW_YEAR).order_by("id")
    sample = list(ended.filter(level=Level.PROVINCE)) + list(ended.filter(level="commune")[::500])
    for unit in sample:
        for date in (dt.date(2005, 1, 1), dt.date(2010, 1, 1), NEW_YEAR):
            ours = sorted([link.successor_id for link in p] for p in index.became(unit.pk, date))
            theirs = sorted([s.unit.pk for s in p] for p in queries.became(unit, date))
            assert ours == theirs, (unit, date)


def test_the_index_is_rebuilt_when_a_unit_is_added():
    resolve("Hà Nội")
    hanoi = AdministrativeUnit.objects.get(code="01")
    AdministrativeUnit.objects.create(
        code="99999",
        level=Level.COMMUNE,
        unit_type="xa",
        name="Xã Liên Kết Thử",
        short_name="Liên Kết Thử",
        valid_from=AFTER,
        parent=hanoi,
    )
    try:
        best = resolved("Xa Lien Ket Thu", date=NEW_YEAR)
        assert best.unit.code == "99999" and best.province == hanoi
    finally:
        name_index.invalidate()  # the rollback restores the old counts


def test_a_rename_in_place_is_seen_after_invalidating_the_index():
    resolve("Hà Nội")
    AdministrativeUnit.objects.filter(code="00004", valid_from=AFTER).update(
        name="Phường Ba Đình Mới", short_name="Ba Đình Mới"
    )
    name_index.invalidate()
    try:
        assert resolved("Ba Dinh Moi", date=NEW_YEAR).unit.code == "00004"
    finally:
        name_index.invalidate()
