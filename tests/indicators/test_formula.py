"""A derived indicator's formula is read safely: arithmetic as in school, references to other
indicators and their disaggregations, and a Vietnamese error with the position otherwise."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regionlink.indicators.formula import FormulaError, parse, render

VALUES = {
    ("GRDP", ""): Decimal("1000"),
    ("GRDP", "SECTOR=AGR"): Decimal("150"),
    ("POP_AVG", ""): Decimal("2500"),
    ("AREA", ""): Decimal("10000"),
}


def lookup(reference):
    return VALUES.get(reference.key)


def test_the_agricultural_share_of_grdp_is_its_agr_component_over_the_total_times_100():
    formula = parse("GRDP[SECTOR=AGR] / GRDP * 100")

    assert formula.evaluate(lookup) == Decimal("15")
    assert [(r.code, r.disaggregation) for r in formula.references] == [
        ("GRDP", "SECTOR=AGR"),
        ("GRDP", ""),
    ]


def test_unicode_operators_from_a_decree_annex_read_like_ascii_ones():
    typed = parse("POP_AVG × 1000 ÷ AREA − 0")
    plain = parse("POP_AVG * 1000 / AREA - 0")

    assert typed.evaluate(lookup) == plain.evaluate(lookup) == Decimal("250")


def test_multiplication_comes_before_addition_and_parentheses_come_first():
    assert parse("2 + 3 * 4").evaluate(lookup) == 14
    assert parse("(2 + 3) * 4").evaluate(lookup) == 20
    assert parse("8 - 3 - 2").evaluate(lookup) == 3
    assert parse("16 / 4 / 2").evaluate(lookup) == 2


def test_a_unary_minus_negates_and_can_repeat():
    assert parse("-2 * -3").evaluate(lookup) == 6
    assert parse("--5").evaluate(lookup) == 5
    assert parse("-(GRDP - 1)").evaluate(lookup) == -999


def test_disaggregation_keys_are_canonical_whatever_their_case_order_or_separator():
    formula = parse("pop_avg[urban=u, sex=f] + POP_AVG[SEX=F;URBAN=U]")

    assert {r.key for r in formula.references} == {("POP_AVG", "SEX=F;URBAN=U")}


def test_a_missing_reference_makes_the_result_unknown_not_zero():
    assert parse("POP_AVG / RETAIL_SALES").evaluate(lookup) is None


def test_division_by_zero_names_the_operator_position():
    with pytest.raises(FormulaError) as error:
        parse("GRDP / (AREA - 10000)").evaluate(lookup)

    assert error.value.position == 6
    assert "Chia cho 0" in error.value.message


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("", 0, "trống"),
        ("GRDP +", 7, "kết thúc"),
        ("(GRDP + 1", 1, "chưa được đóng"),
        ("GRDP + 1)", 9, "không có dấu “(”"),
        ("GRDP 2", 6, "cần một phép tính"),
        ("GRDP ^ 2", 6, "Ký tự “^”"),
        ("1,5 * GRDP", 2, "Ký tự “,”"),
        ("GRDP[SECTOR=AGR", 5, "chưa được đóng bằng “]”"),
        ("GRDP[SECTOR]", 5, "Phân tổ"),
        ("GRDP * * 2", 8, "Cần một số"),
    ],
)
def test_a_bad_formula_is_refused_with_a_vietnamese_message_and_the_position(text, position, words):
    with pytest.raises(FormulaError) as error:
        parse(text)

    assert error.value.position == position
    assert words in error.value.message


def test_deep_nesting_is_refused_instead_of_exhausting_the_stack():
    with pytest.raises(FormulaError, match="lồng quá sâu"):
        parse("(" * 200 + "1" + ")" * 200)
    with pytest.raises(FormulaError, match="lồng quá sâu"):
        parse("-" * 200 + "1")


def test_rendering_keeps_only_the_parentheses_needed():
    assert render(parse("((GRDP[SECTOR=AGR])) / (GRDP) * (100)").root) == (
        "GRDP[SECTOR=AGR] / GRDP * 100"
    )
    assert render(parse("8 - (3 - 2)").root) == "8 - (3 - 2)"
    assert render(parse("(8 - 3) - 2").root) == "8 - 3 - 2"


# --- Properties ----------------------------------------------------------------------------

numbers = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=3, allow_nan=False
).map(abs)


def _expressions():
    leaf = numbers.map(lambda d: (format(d, "f"), f"Decimal('{format(d, 'f')}')"))

    def combine(children):
        binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", f"({t[0][1]} {t[1]} {t[2][1]})")
        )
        negated = children.map(lambda c: (f"-{c[0]}", f"(-{c[1]})"))
        return binary | negated

    return st.recursive(leaf, combine, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_expressions())
def test_arithmetic_agrees_with_python_on_the_same_decimal_numbers(pair):
    ours, python = pair
    with decimal.localcontext() as context:
        context.prec = 28
        try:
            expected = eval(python, {"Decimal": Decimal})  # test oracle only
        except (decimal.DivisionByZero, decimal.InvalidOperation):
            with pytest.raises(FormulaError):
                parse(ours).evaluate(lookup)
            return
        assert parse(ours).evaluate(lookup) == expected


@settings(max_examples=300, deadline=None)
@given(_expressions())
def test_rendered_text_parses_back_to_the_same_value(pair):
    text, _python = pair
    formula = parse(text)
    try:
        value = formula.evaluate(lookup)
    except FormulaError:
        return
    assert parse(render(formula.root)).evaluate(lookup) == value


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_arbitrary_text_never_raises_anything_but_formula_error(text):
    try:
        formula = parse(text)
        formula.evaluate(lambda reference: Decimal(1))
    except FormulaError as error:
        assert error.message
        assert 0 <= error.position <= len(text) + 1


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="GRDPA_[]=;,()+-*/×÷−.0123456789 SECTOR", max_size=40))
def test_formula_shaped_garbage_never_raises_anything_but_formula_error(text):
    try:
        parse(text).evaluate(lambda reference: Decimal(0))
    except FormulaError as error:
        assert error.message
