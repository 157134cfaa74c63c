"""Vietnamese text keys: NFC storage, diacritic-free search keys, old and new tone placement."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from regionlink.core.text import (
    canonical_tones,
    compact,
    diacritic_agreement,
    fold,
    marked_key,
    marked_words,
    nfc,
)

FAST = settings(max_examples=50, deadline=None)


@FAST
@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@FAST
@given(st.text())
def test_nfc_is_idempotent_and_gives_nfc(text):
    once = nfc(text)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)


@FAST
@given(st.text())
def test_marked_key_folds_to_the_compact_key(text):
    assert compact(marked_key(text)) == compact(text)


def test_old_tone_placement_becomes_the_one_the_official_names_use():
    assert canonical_tones("Thanh Hoá") == "Thanh Hóa"
    assert canonical_tones("Khánh Hoà") == "Khánh Hòa"
    assert canonical_tones("Thanh Hóa") == "Thanh Hóa"


def test_a_decomposed_name_is_stored_composed():
    assert nfc(unicodedata.normalize("NFD", "  Hà   Nội ")) == "Hà Nội"


def test_search_keys_ignore_case_diacritics_and_punctuation():
    assert fold("Bà Rịa–Vũng Tàu") == fold("ba ria - vung tau") == "ba ria vung tau"
    assert compact("TP.Hồ Chí Minh") == "tphochiminh"
    assert fold("Đắk Lắk") == "dak lak"


def test_marked_words_keep_diacritics_and_place_tones_the_official_way():
    assert marked_words("Thanh Hoá") == ["thanh", "hóa"]
    assert marked_words("  KHÁNH   HOÀ ") == ["khánh", "hòa"]
    assert marked_words("Bà Rịa - Vũng Tàu") == ["bà", "rịa", "vũng", "tàu"]


def test_marked_words_leave_a_dot_below_before_a_circumflex_where_it_is():
    assert marked_words("Quận Ba Đình") == ["quận", "ba", "đình"]
    assert marked_words("Ninh Thuận") == ["ninh", "thuận"]


def test_canonical_tones_leaves_closed_and_qu_syllables_alone():
    for word in ("Quận", "Thuận", "Hoặc", "Quý", "Khoảng", "Thuyền"):
        assert canonical_tones(word) == word
    assert canonical_tones("Thuý") == "Thúy"


def test_same_marks_agree_exactly_even_with_old_tone_placement():
    assert diacritic_agreement("Thanh Hoá", "Thanh Hóa") == "exact"
    assert diacritic_agreement("hà nội", "Hà Nội") == "exact"


def test_marks_left_out_agree_partly():
    assert diacritic_agreement("Ha Noi", "Hà Nội") == "partial"
    assert diacritic_agreement("Ha Nội", "Hà Nội") == "partial"
    assert diacritic_agreement("Đăk Nông", "Đắk Nông") == "partial"
    assert diacritic_agreement("Dak Nong", "Đắk Nông") == "partial"


def test_other_marks_conflict():
    assert diacritic_agreement("Thạnh Hóa", "Thanh Hóa") == "conflict"
    assert diacritic_agreement("Thanh Hòa", "Thanh Hóa") == "conflict"
