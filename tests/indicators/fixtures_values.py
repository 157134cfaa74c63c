"""Published values for the aggregation, data API and CLI tests, written straight to the store.

Test data only: a data set (public unless told), one published batch, and DataValue rows
bulk-created on real territory. Importers and the approval workflow have their own tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import pytest

from regionlink.geography.models import AdministrativeUnit, valid_on_q
from regionlink.indicators import periods
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    DataValue,
    ImportBatch,
    Indicator,
    Visibility,
)
from regionlink.organisations import services
from regionlink.organisations.models import Organisation, OrganisationKind

FIXTURE = "test fixture"


@pytest.fixture
def catalogue(db):
    """The real indicator catalogue (groups, dimensions, ~50 indicators)."""
    from regionlink.indicators.catalogue import load_catalogue

    load_catalogue()
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def statistics_office(db) -> Organisation:
    """Cục Thống kê, the source of the published series."""
    return services.create_organisation(
        actor=FIXTURE,
        code="cuc-thong-ke-test",
        name="Cục Thống kê (thử nghiệm)",
        kind=OrganisationKind.STATISTICS_OFFICE,
        scope="national",
    )


def unit(code: str, on: str | dt.date = "2016-12-31") -> AdministrativeUnit:
    """The unit that bore ``code`` on ``on`` (the old Tuyên Quang in 2016, the new one in 2026)."""
    date = dt.date.fromisoformat(on) if isinstance(on, str) else on
    return AdministrativeUnit.objects.get(valid_on_q(date), code=code)


def publish(
    owner: Organisation,
    rows: Iterable[tuple],
    *,
    code: str | None = None,
    visibility: str = Visibility.PUBLIC,
    shared_with: Iterable[Organisation] = (),
    embargo_until: dt.datetime | None = None,
    status: str = "official",
) -> DataSet:
    """Publish ``rows`` of (indicator code, unit code, period, value[, disaggregation[, status]])
    in a new data set; the unit is the one that bore the code at the end of the period."""
    number = DataSet.objects.count() + 1
    dataset = DataSet.objects.create(
        code=code or f"bo-du-lieu-thu-{number}",
        name=f"Bộ dữ liệu thử {number}",
        owner=owner,
        visibility=visibility,
        embargo_until=embargo_until,
    )
    dataset.shared_with.set(list(shared_with))
    batch = ImportBatch.objects.create(dataset=dataset, source="test", status=BatchStatus.PUBLISHED)
    indicators = {i.code: i for i in Indicator.objects.all()}
    units: dict[tuple[str, dt.date], AdministrativeUnit] = {}
    values = []
    for row in rows:
        indicator_code, unit_code, label, value, *rest = row
        key = rest[0] if rest else ""
        row_status = rest[1] if len(rest) > 1 else status
        period = periods.parse(label)
        if (unit_code, period.end) not in units:
            units[(unit_code, period.end)] = unit(unit_code, period.end)
        values.append(
            DataValue(
                indicator=indicators[indicator_code],
                unit=units[(unit_code, period.end)],
                period=period.label,
                period_start=period.start,
                period_end=period.end,
                disaggregation=key,
                value=Decimal(str(value)),
                status=row_status,
                dataset=dataset,
                batch=batch,
            )
        )
    DataValue.objects.bulk_create(values, batch_size=1000)
    return dataset


def province_codes(on: str = "2016-12-31") -> list[str]:
    """Codes of the provinces that existed on ``on`` (63 before 01/07/2025, 34 after)."""
    date = dt.date.fromisoformat(on)
    return sorted(
        AdministrativeUnit.objects.filter(valid_on_q(date), level="province").values_list(
            "code", flat=True
        )
    )


def _person(username: str, full_name: str, organisation: Organisation, role: str):
    from regionlink.organisations.models import User

    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", "mat-khau-du-dai-2025", full_name=full_name
    )
    services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def lam_dong_official(reference_organisations):
    """A statistics officer of UBND tỉnh Lâm Đồng, who reads what the province may read."""
    from regionlink.organisations.models import Role

    return _person(
        "lamdong.thongke", "Trần Thị Lâm", reference_organisations["ubnd-68"], Role.VIEWER
    )


@pytest.fixture
def lam_dong_approver(reference_organisations):
    """The Lâm Đồng officer who approves the province's data for publication."""
    from regionlink.organisations.models import Role

    return _person(
        "lamdong.pheduyet", "Phạm Văn Duyệt", reference_organisations["ubnd-68"], Role.APPROVER
    )


@pytest.fixture
def hanoi_official(reference_organisations):
    """An official of UBND thành phố Hà Nội: another organisation altogether."""
    from regionlink.organisations.models import Role

    return _person("hanoi.xem", "Ngô Văn Hà", reference_organisations["ubnd-01"], Role.VIEWER)


# The statistics office's 2016 average population (thousand persons) of the provinces used by
# the examples; from ../shared/samples/gso (Area, population and population density).
POP_2016 = {
    # Red River Delta (11 provinces before 01/07/2025)
    "01": "7328.4",
    "26": "1066.0",
    "27": "1178.6",
    "22": "1224.6",
    "30": "1785.8",
    "31": "1980.8",
    "33": "1170.2",
    "34": "1790.0",
    "35": "803.7",
    "36": "1852.6",
    "37": "953.1",
    # Hà Giang, Tuyên Quang (new Tuyên Quang 08)
    "02": "816.1",
    "08": "766.9",
    # Lâm Đồng, Đắk Nông, Bình Thuận (new Lâm Đồng 68)
    "68": "1288.2",
    "67": "605.4",
    "60": "1222.7",
}
RED_RIVER_DELTA_2016 = ["01", "26", "27", "22", "30", "31", "33", "34", "35", "36", "37"]
# Poverty rate 2016 (%, preliminary in the statistics office's table: "Pre. 2016").
POVERTY_2016 = {"68": "4.5", "67": "12.8", "60": "2.3"}


# --- The data API, mounted for tests until regionlink/api.py mounts it -----------------------
# Tests that call /api/v1/data or /api/v1/indicators use @pytest.mark.urls("fixtures_values").


def _site_serves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path, urlconf="regionlink.urls")
    except Resolver404:
        return False
    return match.func is not None


def _urlpatterns():
    from django.urls import path

    from regionlink.urls import urlpatterns as site_urlpatterns

    if _site_serves("/api/v1/data") and _site_serves("/api/v1/indicators"):
        return list(site_urlpatterns)
    from ninja import NinjaAPI

    from regionlink.api import api as site_api
    from regionlink.indicators.api import router

    data_api = NinjaAPI(
        urls_namespace="api-data-test", auth=site_api.auth, docs_url=None, openapi_url=None
    )
    data_api._exception_handlers.update(site_api._exception_handlers)
    data_api.add_router("", router)
    return [path("api/v1/", data_api.urls), *site_urlpatterns]


urlpatterns = _urlpatterns()
