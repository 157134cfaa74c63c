"""Vietnamese text handling: Unicode NFC storage, diacritic-free search keys, tone placement.

"Thanh Hoá" (old tone placement) and "Thanh Hóa" (new) are the same name; so are
"Ha Noi" and "Hà Nội" for search purposes.
"""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SEPARATORS = re.compile(r"[\s\-–—_.,;:/()'\"]+")
# A syllable ending in oa/oe/uy with the tone on its last vowel (old style "hoá").
# The syllable must end at the tone mark: in NFD a dot below comes before a circumflex or
# breve ("Quận" is u, a, dot below, circumflex, n), so a following mark means it goes on.
# After "q" the "u" is part of the consonant ("Quý" keeps its tone on y).
_OLD_TONE = re.compile(
    r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])"
)


def nfc(text: str | None) -> str:
    """Return text in Unicode NFC with surrounding whitespace removed and inner runs collapsed."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def canonical_tones(text: str) -> str:
    """Move tone marks of open oa/oe/uy syllables onto the first vowel (Hoá → Hóa), in NFC."""
    decomposed = unicodedata.normalize("NFD", nfc(text))
    return unicodedata.normalize("NFC", _OLD_TONE.sub(r"\1\3\2", decomposed))


def strip_diacritics(text: str) -> str:
    """Remove every Vietnamese diacritic, including đ → d."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str | None) -> str:
    """Search key: lower case, no diacritics, words separated by single spaces."""
    bare = strip_diacritics(nfc(text)).lower()
    return " ".join(part for part in _SEPARATORS.split(bare) if part)


def compact(text: str | None) -> str:
    """Search key without spaces ("Bà Rịa - Vũng Tàu" → "bariavungtau")."""
    return fold(text).replace(" ", "")


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


def marked_words(text: str | None) -> list[str]:
    """Lower-case words keeping their diacritics, tones placed as canonical_tones does.

    "Thanh Hoá" → ["thanh", "hóa"]; "Quận" stays "quận".
    """
    placed = canonical_tones(text)
    return [part for part in _SEPARATORS.split(placed.lower()) if part]


def marked_key(text: str | None) -> str:
    """Like :func:`compact` but keeping diacritics ("Khánh Hoà" → "khánhhòa")."""
    return "".join(marked_words(text))


def _base_and_marks(ch: str) -> tuple[str, frozenset[str]]:
    if ch == "đ":
        return "d", frozenset({"stroke"})
    decomposed = unicodedata.normalize("NFD", ch)
    return decomposed[:1], frozenset(decomposed[1:])


def diacritic_agreement(typed: str, reference: str) -> str:
    """How the marks of ``typed`` fit ``reference`` (same letters assumed).

    "exact": the same marks; "partial": some or all marks left out ("Ha Nội" for "Hà Nội");
    "conflict": other marks ("Thạnh Hóa" for "Thanh Hóa").
    """
    typed_key, reference_key = marked_key(typed), marked_key(reference)
    if typed_key == reference_key:
        return "exact"
    if len(typed_key) != len(reference_key):
        return "conflict"
    for mine, theirs in zip(typed_key, reference_key, strict=True):
        base, marks = _base_and_marks(mine)
        ref_base, ref_marks = _base_and_marks(theirs)
        if base != ref_base or not marks <= ref_marks:
            return "conflict"
    return "partial"
