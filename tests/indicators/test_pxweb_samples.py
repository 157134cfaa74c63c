"""The statistics office's five PX-Web exports import through the CLI exactly as downloaded:
no errors, the figures come back as in the file, region rows reconcile with their provinces.

The files live outside the repository (../shared/samples/gso/, or $GSO_SAMPLES); the tests
are skipped when they are absent.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from regionlink.indicators.models import BatchStatus, DataValue, ImportBatch

SAMPLES = Path(
    os.environ.get("GSO_SAMPLES")
    or Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "gso"
)
AREA = "Area, population and population density by province.csv"
LABOUR = "Labour force at 15 years of age and above by province.csv"
TRAINED = "Percentage of trained employed workers at 15 years of age and above by province.csv"
POVERTY = "Poverty rate by province.csv"
RETAIL = "Retail sales of goods and services at current prices by province.csv"
FILES = [AREA, LABOUR, TRAINED, POVERTY, RETAIL]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not all((SAMPLES / name).is_file() for name in FILES),
        reason=f"the statistics office's sample exports are not in {SAMPLES}",
    ),
]


@pytest.fixture
def cli_import(stats_dataset):
    """Run `regionlink data import FILE --dataset … --publish`; the batch and its output."""

    def run(name: str, *options: str):
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "data",
            "import",
            str(SAMPLES / name),
            "--dataset",
            stats_dataset.code,
            "--publish",
            *options,
            stdout=out,
            stderr=err,
        )
        return ImportBatch.objects.latest("pk"), out.getvalue(), err.getvalue()

    return run


def value(code: str, unit: str, period: str) -> DataValue:
    return DataValue.objects.select_related("unit").get(
        indicator__code=code, unit__code=unit, period=period, disaggregation=""
    )


@pytest.mark.parametrize("name", FILES)
def test_each_export_imports_without_errors_and_its_region_rows_reconcile(cli_import, name):
    batch, out, err = cli_import(name)
    report = batch.report
    assert batch.status == BatchStatus.PUBLISHED, report["errors"]
    assert report["error_count"] == 0
    assert (report["format"], report["encoding"]) == ("pxweb-csv", "UTF-8 (BOM)")
    assert report["subtotal_rows"] == 7  # WHOLE COUNTRY and six regions
    assert "100%" in err  # the progress bar went to stderr
    assert f"Lô #{batch.pk}" in out
    reconciliation = report["reconciliation"]
    if name in (TRAINED, POVERTY):  # rates: not additive, so not summed
        assert reconciliation["checked"] == 0 and reconciliation["not_additive"]
    else:
        assert reconciliation["checked"] == reconciliation["subtotals"]
        assert reconciliation["incomplete"] == 0


def test_the_figures_come_back_as_in_the_file(cli_import):
    cli_import(AREA)
    cli_import(LABOUR)
    cli_import(POVERTY)
    ha_noi = value("POP_AVG", "01", "2016")
    assert (ha_noi.value, ha_noi.unit.short_name) == (Decimal("7328.4"), "Hà Nội")
    assert value("AREA", "19", "2011").value == Decimal("3531.7")  # "Thai  Nguyen"
    assert value("POP_AVG", "77", "2012").value == Decimal("1033.0")  # "Ba Ria - Vung Tau"
    assert value("LABOUR_FORCE", "01", "2016").value == Decimal("3822.5")
    assert value("POVERTY_RATE", "46", "2015").value == Decimal("4.7")  # "Thua Thien-Hue"


def test_prel_and_pre_columns_are_preliminary_the_others_official(cli_import):
    cli_import(LABOUR)
    cli_import(POVERTY)
    assert value("LABOUR_FORCE", "01", "2016").status == "preliminary"  # "Prel. 2016"
    assert value("POVERTY_RATE", "01", "2016").status == "preliminary"  # "Pre. 2016"
    assert value("LABOUR_FORCE", "01", "2015").status == "official"


def test_ha_tay_before_2008_is_the_historic_province_and_missing_cells_are_counted(cli_import):
    batch, _out, _err = cli_import(LABOUR)
    ha_tay = value("LABOUR_FORCE", "28", "2005")
    assert (ha_tay.value, ha_tay.unit.short_name) == (Decimal("1571.7"), "Hà Tây")
    assert str(ha_tay.unit.valid_to) == "2008-07-31"
    assert not DataValue.objects.filter(unit__code="28", period="2008").exists()
    assert batch.report["missing"] == 9  # Ha Tay's ".." from 2008 on
    # 2008: Ha Noi already includes Ha Tay and the Red River Delta reconciles without it.
    assert batch.report["reconciliation"]["mismatched"] == 0


def test_the_density_columns_are_skipped_as_computed(cli_import):
    batch, _out, _err = cli_import(AREA)
    assert not DataValue.objects.filter(indicator__code="POP_DENSITY").exists()
    [skipped] = [w for w in batch.report["warnings"] if w["code"] == "computed_skipped"]
    assert skipped["params"]["note"] == "computed from POP_AVG and AREA"
    assert skipped["params"]["count"] == "378"  # 63 provinces × 6 years
    assert batch.report["indicators"] == {"AREA": 378, "POP_AVG": 378}


def test_the_2016_area_revision_is_reported_as_region_mismatches(cli_import):
    # The 2016 "(*)" areas follow a new land inventory: the office's region and country rows
    # differ from the sum of their provinces by more than rounding (real, not a rounding
    # artefact); every other year and the population reconcile within rounding.
    batch, out, _err = cli_import(AREA)
    reconciliation = batch.report["reconciliation"]
    mismatches = {
        (m["region_code"], m["indicator"], m["period"]) for m in reconciliation["mismatches"]
    }
    assert mismatches == {
        ("VN", "AREA", "2016"),
        ("DBSH", "AREA", "2016"),
        ("TDMNPB", "AREA", "2016"),
        ("BTB-DHMT", "AREA", "2016"),
        ("DNB", "AREA", "2016"),
    }
    north_central = next(m for m in reconciliation["mismatches"] if m["region_code"] == "BTB-DHMT")
    assert (north_central["file_value"], north_central["computed"]) == ("95871.3", "95649.6")
    assert reconciliation["matched"] == reconciliation["checked"] - 5
    assert "Bắc Trung Bộ và duyên hải miền Trung" in out


def test_back_cast_values_of_provinces_not_yet_created_are_skipped_but_reconciled(cli_import):
    # Đắk Nông and Hậu Giang began on 01/01/2004; the office back-casts their 2003 sales.
    batch, _out, _err = cli_import(RETAIL)
    [skipped] = [w for w in batch.report["warnings"] if w["code"] == "created_later_skipped"]
    assert "Đắk Nông 2003" in skipped["reason"] and "Hậu Giang 2003" in skipped["reason"]
    assert not DataValue.objects.filter(unit__code__in=["67", "93"], period="2003").exists()
    assert batch.report["reconciliation"]["mismatched"] == 0  # the totals include them


def test_importing_an_export_again_changes_nothing(cli_import):
    cli_import(POVERTY)
    before = list(DataValue.objects.order_by("pk").values("pk", "value", "status", "batch"))
    batch, out, _err = cli_import(POVERTY)
    assert batch.report["published"] == {"new": 0, "changed": 0, "unchanged": 504}
    assert list(DataValue.objects.order_by("pk").values("pk", "value", "status", "batch")) == before
    assert "0 mới, 0 thay đổi, 504 không đổi" in out
