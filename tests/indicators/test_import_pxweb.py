"""PX-Web quirks on small exports written here: "Category Year" columns, sex and residence
splits, "Prel.", "..", region and WHOLE COUNTRY rows reconciled, unknown labels refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from regionlink.indicators.importing.pipeline import run_import
from regionlink.indicators.models import BatchStatus, StagedValue

pytestmark = pytest.mark.django_db


def export(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """A PX-Web CSV as the statistics office writes it: BOM, title, blank line, ';'."""
    lines = [f'"{title}"', ""]
    lines.append(";".join(f'"{h}"' for h in header))
    for name, *cells in rows:
        lines.append(";".join([f'"{name}"', *cells]))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def load(stats_dataset, content: bytes, **options):
    return run_import(
        actor="test", dataset=stats_dataset, path_or_file=content, file_name="px.csv", **options
    )


BY_SEX = export(
    "Average population by sex and by province by Cities, provincies, Sex and Year",
    ["Cities, provincies", "2015 Male", "2015 Female", "Prel. 2016 Male", "Prel. 2016 Female"],
    [
        [" WHOLE COUNTRY", "4500.0", "4600.0", "4550.0", "4650.0"],
        ["Red River Delta", "4500.0", "4600.0", "4550.0", "4650.0"],
        ["Ha Noi", "3500.0", "3600.0", "3550.0", "3650.0"],
        ["Hai Phong", "1000.0", "..", "1000.0", "1000.0"],
    ],
)


def test_sex_columns_become_the_sex_disaggregation_and_prel_is_preliminary(stats_dataset):
    batch = load(stats_dataset, BY_SEX)
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    staged = {
        (s.unit.code, s.period, s.disaggregation): (s.value, s.status)
        for s in StagedValue.objects.filter(batch=batch).select_related("unit")
    }
    assert staged[("01", "2015", "SEX=M")] == (Decimal("3500"), "official")
    assert staged[("01", "2016", "SEX=F")] == (Decimal("3650"), "preliminary")
    assert ("31", "2015", "SEX=F") not in staged  # ".." is missing, not zero
    assert batch.report["missing"] == 1
    assert batch.report["indicators"] == {"POP_AVG": 7}


HIGHLANDS = export(
    "Area by province by Cities, provincies, Year and Items",
    ["Cities, provincies", "2015 Area (Km2)", "2016 Area (Km2)"],
    [
        [" WHOLE COUNTRY", "330966.9", "331230.8"],
        ["Central Highlands", "54641.0", "54518.0"],
        ["Kon Tum", "9689.6", "9674.2"],
        ["Gia Lai", "15536.9", "15510.8"],
        ["Dak Lak", "13125.4", "13030.5"],
        ["Dak  Nong", "6509.3", "6509.3"],
        ["Lam Dong", "9779.8", "9783.2"],
    ],
)


def test_a_region_row_that_does_not_add_up_is_a_warning_naming_it(stats_dataset):
    batch = load(stats_dataset, HIGHLANDS)
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    reconciliation = batch.report["reconciliation"]
    assert reconciliation["checked"] == 2 and reconciliation["matched"] == 1
    assert reconciliation["incomplete"] == 2  # the country row: 58 provinces are not here
    [mismatch] = reconciliation["mismatches"]
    assert mismatch == {
        "row": 5,
        "column": "C (2016 Area (Km2))",
        "region": "Tây Nguyên",
        "region_code": "TN",
        "indicator": "AREA",
        "period": "2016",
        "disaggregation": "",
        "file_value": "54518",
        "computed": "54508",
        "difference": "10",
    }
    warning = next(w for w in batch.report["warnings"] if w["code"] == "reconciliation_mismatch")
    assert warning["row"] == 5
    assert "Tây Nguyên" in warning["reason"] and "2016" in warning["reason"]
    assert "54518" in warning["reason"] and "54508" in warning["reason"]


def test_a_difference_within_rounding_is_not_a_mismatch(stats_dataset):
    content = HIGHLANDS.replace(b";54518.0", b";54508.2")  # 0.2 off: six rounded figures
    batch = load(stats_dataset, content)
    assert batch.report["reconciliation"]["mismatched"] == 0


def test_a_column_label_of_no_known_indicator_is_refused_unless_chosen(stats_dataset):
    content = export(
        "Number of cooperatives by province",
        ["Cities, provincies", "2015", "2016"],
        [["Ha Noi", "12", "13"]],
    )
    batch = load(stats_dataset, content)
    assert batch.status == BatchStatus.FAILED
    assert {e["code"] for e in batch.report["errors"]} == {"unknown_column_label"}
    assert "--indicator" in batch.report["errors"][0]["fix"]
    chosen = load(stats_dataset, content, indicator="ENTERPRISES_ACTIVE")
    assert chosen.status == BatchStatus.DRAFT, chosen.report["errors"]
    assert chosen.report["indicators"] == {"ENTERPRISES_ACTIVE": 2}


def test_older_regions_are_recognised_as_subtotals(stats_dataset):
    content = export(
        "Poverty rate by province",
        ["Cities, provincies", "2004"],
        [["North East", "22.0"], ["Ha Giang", "31.2"]],
    )
    batch = load(stats_dataset, content)
    assert batch.status == BatchStatus.DRAFT, batch.report["errors"]
    assert batch.report["subtotal_rows"] == 1
    assert batch.report["values_valid"] == 1
