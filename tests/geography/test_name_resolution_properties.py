"""However a province's name is typed, it is found; whatever is typed, resolve answers calmly."""

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regionlink.core.text import strip_diacritics
from regionlink.geography import name_index
from regionlink.geography.models import AdministrativeUnit, Level
from regionlink.geography.names import resolve

pytestmark = pytest.mark.django_db

DATES = [
    dt.date(2000, 1, 1),
    dt.date(2005, 1, 1),
    dt.date(2010, 1, 1),
    dt.date(2024, 12, 31),
    dt.date(2025, 6, 30),
    dt.date(2026, 1, 1),
]
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PREFIX = {"tinh": ["Tỉnh ", "tinh ", "T. "], "thanh_pho_tw": ["Thành phố ", "TP. ", "Tp "]}
OLD_TONES = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "ủy": "uỷ", "úy": "uý"}


@pytest.fixture(scope="module")
def provinces_on_dates(django_db_setup, django_db_blocker):
    """(date, code, short name, unit type) for every province valid on each sample date."""
    with django_db_blocker.unblock():
        rows = []
        for date in DATES:
            provinces = AdministrativeUnit.objects.valid_on(date).filter(level=Level.PROVINCE)
            rows += [(date, p.code, p.short_name, p.unit_type) for p in provinces]
    return rows


@pytest.fixture(autouse=True, scope="module")
def fresh_name_index():
    name_index.invalidate()
    yield
    name_index.invalidate()


def old_tone_placement(name: str) -> str:
    for new, old in OLD_TONES.items():
        name = name.replace(new, old)
    return name


spellings = st.sampled_from(
    [lambda n: n, strip_diacritics, str.upper, str.lower, old_tone_placement]
)
separators = st.lists(st.sampled_from([" ", "  ", "-", " - ", "–", " -- "]), min_size=8, max_size=8)


def respell(name, spell, seps, prefix, pad):
    words = spell(name).split()
    text = words[0] + "".join(sep + word for sep, word in zip(seps, words[1:], strict=False))
    return f"{pad}{prefix}{text}{pad}"


@BOUNDED
@given(data=st.data(), spell=spellings, seps=separators, pad=st.sampled_from(["", " ", "  "]))
def test_a_province_is_among_the_top_matches_however_its_name_is_typed(
    provinces_on_dates, data, spell, seps, pad
):
    date, code, short_name, unit_type = data.draw(st.sampled_from(provinces_on_dates))
    prefix = data.draw(st.sampled_from(["", *PREFIX[unit_type]]))
    text = respell(short_name, spell, seps, prefix, pad)
    result = resolve(text, date=date)
    assert result.matches, (text, date, result.message)
    top = [m for m in result.matches if m.confidence == result.matches[0].confidence]
    assert code in {m.unit.code for m in top if m.unit.level == Level.PROVINCE}, (
        text,
        date,
        result.describe(),
    )


@BOUNDED
@given(text=st.text(), date=st.sampled_from(DATES), level=st.sampled_from([None, *Level.values]))
def test_resolve_never_raises_on_arbitrary_text_and_always_gives_a_valid_status(text, date, level):
    result = resolve(text, date=date, level=level)
    assert result.status in {"resolved", "ambiguous", "not_found"}
    assert (result.best is not None) == (result.status == "resolved")
    assert bool(result.matches) == (result.status != "not_found")
    assert all(0 <= m.confidence <= 1 for m in result.matches)
    assert result.message and all(isinstance(line, str) for line in result.describe())
    json.dumps(result.as_dict())


@BOUNDED
@given(
    text=st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệóòỏõọứừửữự ,-.", max_size=30),
    date=st.sampled_from(DATES),
)
def test_resolve_never_raises_on_vietnamese_looking_text(text, date):
    result = resolve(text, date=date)
    assert result.status in {"resolved", "ambiguous", "not_found"}
    assert [m.confidence for m in result.matches] == sorted(
        (m.confidence for m in result.matches), reverse=True
    )
