"""However a number is written — Vietnamese "1.234,5", English "1,234.5", plain "1234.5" — it
reads as the same value; period columns read as their period and status. Properties first,
then the documented edge cases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regionlink.indicators.importing.readers import cell_text, parse_column_header
from regionlink.indicators.importing.validation import NumberError, parse_number

amounts = st.decimals(
    min_value=Decimal("-999999999999"),
    max_value=Decimal("999999999999"),
    places=3,
    allow_nan=False,
    allow_infinity=False,
)


def grouped(integer: int, separator: str) -> str:
    return f"{integer:,}".replace(",", separator)


def written(number: Decimal, style: str) -> str:
    """``number`` (with a fractional part) written in one of the accepted styles."""
    sign = "-" if number < 0 else ""
    integer, _dot, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction or "0"
    return (
        sign
        + {
            "plain": f"{integer}.{fraction}",
            "plain-vi": f"{integer},{fraction}",
            "english": f"{grouped(int(integer), ',')}.{fraction}",
            "vietnamese": f"{grouped(int(integer), '.')},{fraction}",
            "spaced": f"{grouped(int(integer), ' ')},{fraction}",
            "nbsp": f"{grouped(int(integer), chr(0xA0))}.{fraction}",
        }[style]
    )


STYLES = ["plain", "plain-vi", "english", "vietnamese", "spaced", "nbsp"]


@given(amounts, st.sampled_from(STYLES))
def test_every_accepted_writing_of_a_number_reads_as_that_number(number, style):
    assert parse_number(written(number, style)) == number


@given(st.integers(min_value=1000, max_value=10**15), st.sampled_from([".", ","]))
def test_a_separator_repeated_groups_thousands(integer, separator):
    text = grouped(integer, separator)
    if text.count(separator) >= 2:
        assert parse_number(text) == integer


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_single_separator_is_always_the_decimal_mark(whole, fraction):
    for separator in (".", ","):
        text = f"{whole}{separator}{fraction:03d}"
        assert parse_number(text) == Decimal(f"{whole}.{fraction:03d}")


@given(st.text(max_size=20))
def test_any_text_is_a_number_or_a_clear_refusal(text):
    try:
        number = parse_number(text)
    except NumberError:
        return
    assert number.is_finite()


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_spreadsheet_numbers_keep_their_shortest_decimal_form(number):
    assert float(parse_number(number)) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1,234,567.89", "1234567.89"),
        ("-12,5", "-12.5"),
        ("−12,5", "-12.5"),
        ("+7", "7"),
        (",5", "0.5"),
        ("1,5E+3", "1500"),
        ("1.234", "1.234"),  # one separator: the decimal mark, as documented
    ],
)
def test_documented_forms(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["", "abc", "1.2.3,4,5", "12,34.5", "1.23.456", "NaN", "Infinity", "1e", "--1", "5."]
)
def test_malformed_numbers_are_refused(text):
    with pytest.raises(NumberError):
        parse_number(text)


years = st.integers(min_value=1975, max_value=2100)
labels = st.sampled_from(
    ["", "Area (Km2)", "Average population (Thous. pers.)", "Male", "Population density"]
)
marks = st.sampled_from(
    [("", "official"), ("Prel. ", "preliminary"), ("Pre. ", "preliminary"),
     ("Sơ bộ ", "preliminary"), ("Ước tính ", "estimated")]
)  # fmt: skip


@given(years, marks, st.booleans(), labels)
def test_a_category_year_column_reads_as_its_period_status_and_label(year, mark, star, label):
    prefix, status = mark
    header = f"{prefix}{year}{' (*)' if star else ''} {label}".strip()
    parsed = parse_column_header(header)
    assert parsed is not None
    assert (parsed.period, parsed.status, parsed.label) == (str(year), status, label)


@given(years, st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=12))
def test_quarter_and_month_columns_read_as_their_period(year, quarter, month):
    assert parse_column_header(f"{year}-Q{quarter}").period == f"{year}-Q{quarter}"
    assert parse_column_header(f"{year}Q{quarter}").period == f"{year}-Q{quarter}"
    assert parse_column_header(f"{year}-{month:02d}").period == f"{year}-{month:02d}"
    assert parse_column_header(f"{year}M{month:02d}").period == f"{year}-{month:02d}"


@given(st.sampled_from(["Cities, provincies", "ma_don_vi", "Tỉnh, thành phố", "Ghi chú", ""]))
def test_a_column_without_a_year_is_not_a_period(header):
    assert parse_column_header(header) is None


def test_a_status_in_parentheses_after_the_year_counts():
    assert parse_column_header("2016 (sơ bộ)").status == "preliminary"
    assert parse_column_header("2016 (*) Area (Km2)").label == "Area (Km2)"


def test_spreadsheet_cells_read_as_the_text_a_person_typed():
    import datetime as dt

    assert cell_text(2016.0) == "2016"
    assert cell_text(dt.datetime(2016, 3, 1)) == "2016-03"
    assert cell_text("  01 ") == "01"
    assert cell_text(None) == ""
