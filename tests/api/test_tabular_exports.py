"""Exports never hand a spreadsheet a formula typed into a field."""

from regionlink.core.api import inert


def test_text_that_starts_like_a_formula_is_quoted():
    assert inert('=HYPERLINK("http://x","bấm")') == '\'=HYPERLINK("http://x","bấm")'
    assert inert("@SUM(A1)") == "'@SUM(A1)"
    assert inert("+84 24 3823 0000") == "'+84 24 3823 0000"


def test_numbers_and_ordinary_text_are_left_alone():
    assert inert("-5.5") == "-5.5"
    assert inert(-5) == -5
    assert inert("Quy hoạch tỉnh Lâm Đồng") == "Quy hoạch tỉnh Lâm Đồng"
    assert inert(None) is None
