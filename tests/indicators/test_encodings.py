"""Legacy Vietnamese encodings: any text survives a round trip through TCVN3 (ABC), VNI and
Windows-1258, and the encoding of a realistic file is recognised."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regionlink.indicators.importing import encodings as enc

TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
VOWELS = [unicodedata.normalize("NFC", b + t) for b in "aăâeêioôơuưy" for t in TONES]
LOWER = [*VOWELS, "đ", *"bcdghklmnpqrstvx"]
CAPITALS = [v.upper() for v in VOWELS] + ["Đ", *"BCDGHKLMNPQRSTVX"]
OTHER = list("0123456789 ,.;:-()/%\"'")

vietnamese = st.text(alphabet=st.sampled_from(LOWER + CAPITALS + OTHER), max_size=60)
# TCVN3 (VN3) has no bytes for capitals with a tone: .VnTimeH fonts draw the lower-case ones.
TCVN3_CAPITALS = ["Ă", "Â", "Đ", "Ê", "Ô", "Ơ", "Ư", *"AEIOUYBCDGHKLMNPQRSTVX"]
tcvn3_text = st.text(alphabet=st.sampled_from(LOWER + TCVN3_CAPITALS + OTHER), max_size=60)


@given(tcvn3_text)
def test_tcvn3_round_trip(text):
    assert enc.decode_tcvn3(enc.encode_tcvn3(text)) == text


@given(vietnamese)
def test_vni_round_trip(text):
    assert enc.decode_vni(enc.encode_vni(text)) == text


@given(vietnamese)
def test_windows_1258_round_trip(text):
    assert enc.decode_cp1258(enc.encode_cp1258(text)) == text


@given(vietnamese)
def test_tcvn3_capitals_with_a_tone_come_back_in_lower_case(text):
    decoded = enc.decode_tcvn3(enc.encode_tcvn3(text))
    assert decoded.lower() == text.lower()


def test_the_well_known_forms():
    assert enc.encode_tcvn3("Hà Nội") == b"H\xb5 N\xe9i"  # "Hµ Néi" in .VnTime
    assert enc.encode_vni("Hà Nội").decode("cp1252") == "Haø Noäi"
    assert enc.encode_vni("Đà Nẵng").decode("cp1252") == "Ñaø Naüng"
    assert enc.decode_tcvn3(b"Th\xb8i Nguy\xaan") == "Thái Nguyên"
    assert enc.decode_vni("Bình Döông".encode("cp1252")) == "Bình Dương"


# A realistic file: a long template with provinces, indicator notes and sources.
SAMPLE = "\r\n".join(
    [
        "ma_chi_tieu,ma_don_vi,ten_don_vi,ky,gia_tri,tinh_trang,nguon",
        'POP_AVG,01,Thành phố Hà Nội,2016,"7328,4",sơ bộ,Niên giám thống kê',
        'POP_AVG,19,Tỉnh Thái Nguyên,2016,"1238,8",sơ bộ,Cục Thống kê tỉnh Thái Nguyên',
        'POP_AVG,48,Thành phố Đà Nẵng,2016,"1046,2",chính thức,Cục Thống kê Đà Nẵng',
        'POP_AVG,77,Tỉnh Bà Rịa - Vũng Tàu,2016,"1092,4",chính thức,Báo cáo của tỉnh',
        'POVERTY_RATE,46,Tỉnh Thừa Thiên Huế,2016,"4,9",ước tính,Điều tra mức sống dân cư',
        'RETAIL_SALES,66,Tỉnh Đắk Lắk,2016,"48521,3",sơ bộ,Sở Công Thương',
        'LABOUR_FORCE,56,Tỉnh Khánh Hòa,2016,"701,5",chính thức,Điều tra lao động việc làm',
        'AREA,91,Tỉnh Kiên Giang,2016,"6348,8",chính thức,Kiểm kê đất đai',
        "",
    ]
)


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        (enc.TCVN3, enc.encode_tcvn3),
        (enc.VNI, enc.encode_vni),
        (enc.CP1258, enc.encode_cp1258),
    ],
)
def test_the_encoding_of_a_realistic_file_is_recognised(name, encode):
    data = encode(SAMPLE)
    assert enc.detect(data) == name
    assert enc.DECODERS[name](data) == unicodedata.normalize("NFC", SAMPLE)


def test_unicode_files_are_taken_as_they_are():
    assert enc.detect(SAMPLE.encode("utf-8")) == enc.UTF8
    assert enc.detect(SAMPLE.encode("utf-8-sig")) == enc.UTF8_BOM
    assert enc.detect(b"ma_chi_tieu,ma_don_vi\r\nPOP_AVG,01\r\n") == enc.UTF8


@given(st.lists(st.sampled_from(SAMPLE.splitlines()[1:-1]), min_size=1, max_size=6))
def test_any_selection_of_realistic_lines_is_recognised(lines):
    text = "\r\n".join(lines)
    for name in (enc.TCVN3, enc.VNI, enc.CP1258):
        assert enc.detect(enc.ENCODERS[name](text)) == name


def test_vietnamese_text_in_a_legacy_font_inside_a_spreadsheet_is_recognised():
    tcvn3_cells = [enc.encode_tcvn3(c).decode("latin-1") for c in ["Thành phố Hà Nội", "sơ bộ"]]
    assert enc.detect_in_text(tcvn3_cells) == enc.TCVN3
    assert enc.repair(tcvn3_cells[0], enc.TCVN3) == "Thành phố Hà Nội"
    vni_cells = [enc.encode_vni(c).decode("cp1252") for c in ["Tỉnh Thái Nguyên", "ước tính"]]
    assert enc.detect_in_text(vni_cells) == enc.VNI
    assert enc.detect_in_text(["Thành phố Hà Nội", "sơ bộ"]) is None
