"""`regionlink geography resolve TEXT`: an official looks a place name up from the shell."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regionlink.geography import name_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def fresh_name_index():
    name_index.invalidate()
    yield
    name_index.invalidate()


def run(*args):
    out = StringIO()
    call_command("geography", "resolve", *args, stdout=out)
    return out.getvalue()


def test_resolving_tp_hcm_prints_the_city_with_its_code_level_and_confidence():
    output = run("tp hcm", "--date", "2026-01-01")
    assert output.splitlines()[0] == "Thành phố Hồ Chí Minh (79, cấp tỉnh) — độ tin cậy 0,95"


def test_resolving_without_a_date_uses_today():
    assert "Thành phố Hồ Chí Minh (79, cấp tỉnh)" in run("tp hcm")


def test_an_old_name_prints_the_reason_it_now_means_another_unit():
    output = run("Binh Duong", "--date", "2026-01-01")
    assert "Thành phố Hồ Chí Minh (79, cấp tỉnh)" in output.splitlines()[0]
    assert "Tỉnh Bình Dương đã hợp nhất vào Thành phố Hồ Chí Minh từ 01/07/2025" in output


def test_an_ambiguous_name_lists_the_candidates_after_the_message():
    lines = run("Xã Tân Phú", "--date", "2026-01-01", "--level", "commune").splitlines()
    assert "ứng với nhiều đơn vị" in lines[0]
    assert sum("Xã Tân Phú (" in line for line in lines) >= 2


def test_an_unknown_name_fails_with_the_message():
    with pytest.raises(CommandError, match="Không tìm thấy địa danh “Xyzabc”"):
        run("Xyzabc")


def test_json_output_is_the_resolution_as_data():
    data = json.loads(run("Ha Tay", "--date", "2010-01-01", "--format", "json"))
    assert data["status"] == "resolved"
    assert data["matches"][0]["unit"]["code"] == "01"
    assert data["matches"][0]["via"] == {"code": "28", "name": "Tỉnh Hà Tây"}


def test_a_bad_date_is_refused_with_the_expected_form():
    with pytest.raises(CommandError, match=r"Ngày không hợp lệ.*YYYY-MM-DD"):
        run("Hà Nội", "--date", "01/01/2026")
