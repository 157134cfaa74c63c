"""Legacy Vietnamese encodings → Unicode NFC: TCVN3 (ABC), VNI-Windows and Windows-1258.

Offices still keep tables typed with the .VnTime (TCVN3, TCVN 5712:1993 VN3) and VNI-Times
fonts, and Windows-1258 text files. The maps below are written from the public standards:

- TCVN3 is single-byte: each lower-case letter with its tone has one byte ("Hµ Néi" is
  "Hà Nội"). Upper-case letters with a tone have no byte of their own (the .VnTimeH font draws
  the lower-case bytes as capitals), so decoding gives lower case for them and encoding maps
  them to the lower-case byte.
- VNI-Windows writes a base letter followed by a modifier character, both in the Windows-1252
  code page ("Haø Noäi" is "Hà Nội"); some letters are one character (ơ is "ô", ư is "ö",
  đ is "ñ", í is "í", ỉ is "æ", ỵ is "î").
- Windows-1258 has the base letters with circumflex, breve and horn, and the five tones as
  combining marks; NFC composes them.

``detect`` picks the encoding whose decoding reads as the most well-formed Vietnamese
syllables; UTF-8 (with or without BOM) is taken as is when the bytes are valid UTF-8.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 (BOM)"
TCVN3 = "TCVN3"
VNI = "VNI"
CP1258 = "Windows-1258"
LEGACY = (CP1258, VNI, TCVN3)

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONES = (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)  # huyền, sắc, hỏi, ngã, nặng
BASES = "aăâeêioôơuưy"


def _toned(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


# --- TCVN3 (ABC) -----------------------------------------------------------------------------
# For each base vowel: its own byte (None: the ASCII letter), then grave, acute, hook, tilde,
# dot below — TCVN 5712:1993, table VN3.
_TCVN3_VOWELS = {
    "a": (None, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB),
    "e": (None, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6),
    "i": (None, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE),
    "o": (None, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE),
    "u": (None, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9),
    "y": (None, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE),
}
_TCVN3_OTHERS = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6}
_TCVN3_OTHERS["Đ"] = 0xA7

TCVN3_ENCODE: dict[str, int] = dict(_TCVN3_OTHERS)
for _base, _codes in _TCVN3_VOWELS.items():
    if _codes[0] is not None:
        TCVN3_ENCODE[_base] = _codes[0]
    for _tone, _code in zip(TONES, _codes[1:], strict=True):
        TCVN3_ENCODE[_toned(_base, _tone)] = _code
        # No capitals with a tone in VN3: the .VnTimeH font shows the lower-case byte.
        TCVN3_ENCODE.setdefault(_toned(_base, _tone).upper(), _code)
# Latin-1 character (one per byte) → Unicode; bytes outside the table stay as Latin-1.
TCVN3_DECODE = {
    code: letter for letter, code in TCVN3_ENCODE.items() if not (letter.isupper() and code > 0xA7)
}
_TCVN3_TABLE = str.maketrans({chr(code): letter for code, letter in TCVN3_DECODE.items()})


def decode_tcvn3(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("latin-1").translate(_TCVN3_TABLE))


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes; capitals with a tone become their lower-case byte (VN3 has none)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = TCVN3_ENCODE.get(ch)
        if code is not None:
            out.append(code)
        elif ord(ch) < 0x80:
            out.append(ord(ch))
        else:
            raise UnicodeEncodeError("tcvn3", ch, 0, 1, "no TCVN3 byte for this character")
    return bytes(out)


# --- VNI-Windows -----------------------------------------------------------------------------
# Lower-case modifiers (Windows-1252 characters) after a base letter: grave, acute, hook,
# tilde, dot; then the circumflex and breve series. The capital forms use the upper-case
# modifier characters ("AØ" is "À").
_VNI_TONE = {_GRAVE: "ø", _ACUTE: "ù", _HOOK: "û", _TILDE: "õ", _DOT: "ï"}
_VNI_CIRCUMFLEX = {"": "â", _GRAVE: "à", _ACUTE: "á", _HOOK: "å", _TILDE: "ã", _DOT: "ä"}
_VNI_BREVE = {"": "ê", _GRAVE: "è", _ACUTE: "é", _HOOK: "ú", _TILDE: "ü", _DOT: "ë"}
# Letters written with a single character whatever follows.
_VNI_SINGLE = {
    "ơ": "ô",
    "ư": "ö",
    "đ": "ñ",
    _toned("i", _GRAVE): "ì",
    _toned("i", _ACUTE): "í",
    _toned("i", _HOOK): "æ",
    _toned("i", _TILDE): "ó",
    _toned("i", _DOT): "ò",
    _toned("y", _DOT): "î",
}


def _vni_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for base in "aeouy":
        for tone, mark in _VNI_TONE.items():
            forms[_toned(base, tone)] = base + mark
    for base in "aeo":  # â ê ô and their tones
        for tone, mark in _VNI_CIRCUMFLEX.items():
            forms[_toned(base + "\u0302", tone)] = base + mark
    for tone, mark in _VNI_BREVE.items():  # ă and its tones
        forms[_toned("a\u0306", tone)] = "a" + mark
    for base, single in (("ơ", "ô"), ("ư", "ö")):
        for tone, mark in _VNI_TONE.items():
            forms[_toned(base, tone)] = single + mark
    forms.update(_VNI_SINGLE)
    capitals = {}
    for letter, written in forms.items():
        capitals[letter.upper()] = written.upper()
    forms.update(capitals)
    return forms


VNI_ENCODE = _vni_forms()
VNI_DECODE = {written: letter for letter, written in VNI_ENCODE.items()}
# Longest first, so "ôù" (ớ) wins over "ô" (ơ).
_VNI_PATTERN = re.compile("|".join(re.escape(w) for w in sorted(VNI_DECODE, key=len, reverse=True)))


def decode_vni(data: bytes) -> str:
    text = data.decode("cp1252", errors="replace")
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_DECODE[m.group()], text))


def encode_vni(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        written = VNI_ENCODE.get(ch)
        if written is None and ord(ch) >= 0x80:
            raise UnicodeEncodeError("vni", ch, 0, 1, "no VNI form for this character")
        out.append(written or ch)
    return "".join(out).encode("cp1252")


# --- Windows-1258 ----------------------------------------------------------------------------
def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def encode_cp1258(text: str) -> bytes:
    """Base letters precomposed where the code page has them, tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


DECODERS = {TCVN3: decode_tcvn3, VNI: decode_vni, CP1258: decode_cp1258}
ENCODERS = {TCVN3: encode_tcvn3, VNI: encode_vni, CP1258: encode_cp1258}


# --- Detection -------------------------------------------------------------------------------
_VOWELS = set("aăâeêioôơuưy")
# fmt: off
_INITIALS = frozenset((
    "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
    "p", "ph", "q", "qu", "r", "s", "t", "th", "tr", "v", "x",
))
_FINALS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
_NUCLEI = frozenset((
    "a", "ă", "â", "e", "ê", "i", "y", "o", "ô", "ơ", "u", "ư",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
    "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
))
# fmt: on
_LETTERS = set("abcdefghijklmnopqrstuvwxyzđ") | _VOWELS
_WORD_SPLIT = re.compile(r"[\s\d,;:\"'()\[\]{}/\\.!?+=*&%$#@<>|_~`^-]+")


def _syllable_ok(word: str) -> bool:
    """Is ``word`` one well-formed Vietnamese syllable (at most one tone, a known rhyme)?"""
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
        return False  # "HaÌ": a capital inside a word is a decoding accident
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in TONES)
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    if tones > 1 or not bare or any(c not in _LETTERS for c in bare):
        return False
    i = 0
    while i < len(bare) and bare[i] not in _VOWELS:
        i += 1
    initial, rest = bare[:i], bare[i:]
    j = 0
    while j < len(rest) and rest[j] in _VOWELS:
        j += 1
    nucleus, final = rest[:j], rest[j:]
    if initial == "g" and nucleus.startswith("i") and len(nucleus) > 1:
        initial, nucleus = "gi", nucleus[1:]  # "giữa" = gi + ưa
    if initial == "q" and nucleus.startswith("u"):
        initial = "qu"
    if initial and initial not in _INITIALS:
        return False
    return nucleus in _NUCLEI and final in _FINALS


def vietnamese_score(text: str) -> int:
    """Well-formed minus malformed words, counting only words with non-ASCII characters."""
    score = 0
    for word in _WORD_SPLIT.split(text):
        if word and not word.isascii():
            score += 1 if _syllable_ok(word) else -1
    return score


def _valid_utf8(sample: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a sequence cut at the end of the sample is fine
    except UnicodeDecodeError:
        return False
    return True


def detect(sample: bytes) -> str:
    """The encoding of ``sample`` (the first bytes of a file, or its non-ASCII lines)."""
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if sample.isascii() or _valid_utf8(sample):
        return UTF8
    best, best_score = CP1258, None
    for name in LEGACY:
        score = vietnamese_score(DECODERS[name](sample))
        if best_score is None or score > best_score:
            best, best_score = name, score
    return best


SAMPLE_BYTES = 256 * 1024


def sample_of(stream: io.BufferedIOBase, limit: int = SAMPLE_BYTES) -> bytes:
    """The first chunk, plus lines with non-ASCII bytes from further on when it has none.

    A file can start with thousands of ASCII-only rows (codes and numbers) before the first
    Vietnamese name; the stream is rewound afterwards.
    """
    start = stream.tell()
    head = stream.read(limit)
    if not head.isascii() or len(head) < limit:
        stream.seek(start)
        return head
    found: list[bytes] = []
    size = 0
    for line in stream:
        if not line.isascii():
            found.append(line)
            size += len(line)
            if size >= limit // 4:
                break
    stream.seek(start)
    return b"".join(found)


class BadBytes(ValueError):
    """Bytes that are not text in the file's encoding, on line ``line``."""

    def __init__(self, line: int, error: UnicodeDecodeError):
        bad = error.object[error.start : error.start + 1].hex().upper()
        super().__init__(f"{error.encoding}: 0x{bad}")
        self.line = line


def text_lines(stream: io.BufferedIOBase, encoding: str) -> Iterator[str]:
    """Decoded lines (line ends kept, as the csv module wants) of a binary stream.

    Line by line, so that a byte that is not UTF-8 is reported with its line number.
    """
    if encoding in (UTF8, UTF8_BOM):
        for number, line in enumerate(stream, start=1):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BadBytes(number, error) from error
        return
    decode = DECODERS[encoding]
    for line in stream:
        yield decode(line)


def repair(text: str, encoding: str) -> str:
    """Text typed in a legacy font but stored as Unicode (an .xlsx cell in .VnTime) → Unicode."""
    try:
        raw = text.encode("cp1252" if encoding == VNI else "latin-1")
    except UnicodeEncodeError:
        return text
    return DECODERS[encoding](raw)


def detect_in_text(samples: list[str]) -> str | None:
    """The legacy font of Unicode strings (spreadsheet cells), or None when they read well."""
    text = "\n".join(s for s in samples if s and not s.isascii())
    if not text:
        return None
    best, best_score = None, vietnamese_score(text)
    for name in (VNI, TCVN3):
        fixed = repair(text, name)
        if fixed != text:
            score = vietnamese_score(fixed)
            if score > best_score:
                best, best_score = name, score
    return best
