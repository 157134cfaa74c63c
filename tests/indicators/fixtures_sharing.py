"""The sharing and approval tests' world, and their urls (settings.ROOT_URLCONF).

The urls are the site's, plus the review pages under /data/ and the sharing API under
/api/v1, each only if the project urls do not serve them yet: the tests run before and after
the lead wires them in.

The world is built with the real services (organisations, data sets); import batches and their
staged values are written directly, as the import pipeline (tested on its own) leaves them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.urls import Resolver404, include, path, resolve
from django.utils import timezone
from ninja import NinjaAPI

from regionlink.api import api as site_api
from regionlink.geography.models import AdministrativeUnit, valid_on_q
from regionlink.indicators import periods
from regionlink.indicators.datasets import create_dataset
from regionlink.indicators.models import (
    BatchStatus,
    DataSet,
    DataValue,
    ImportBatch,
    Indicator,
    StagedValue,
    Visibility,
)
from regionlink.indicators.sharing_api import router as sharing_router
from regionlink.organisations import services
from regionlink.organisations.models import Organisation, Role, User
from regionlink.urls import urlpatterns as site_urlpatterns

FIXTURE = "test fixture"  # a string actor: services skip the permission check for set-up
PASSWORD = "mat-khau-du-dai-2025"


# --- urls ------------------------------------------------------------------------------------


def _site_serves(url: str) -> bool:
    try:
        resolve(url, urlconf="regionlink.urls")
    except Resolver404:
        return False
    return True


urlpatterns = list(site_urlpatterns)
if not _site_serves("/data/review/"):
    urlpatterns.insert(0, path("data/", include("regionlink.indicators.urls_review")))
if not _site_serves("/data/indicators/"):
    urlpatterns.insert(0, path("data/", include("regionlink.indicators.urls")))
if not _site_serves("/api/v1/datasets"):
    sharing_api = NinjaAPI(
        title="RegionLink sharing (tests)",
        urls_namespace="sharing-test",
        docs_url=None,
        auth=site_api.auth,
    )
    sharing_api._exception_handlers.update(site_api._exception_handlers)
    sharing_api.add_router("", sharing_router)
    urlpatterns.insert(0, path("api/v1/", sharing_api.urls))

URLCONF = "fixtures_sharing"


# --- The world -------------------------------------------------------------------------------


@dataclass
class World:
    """Organisations, people and data sets of the sharing tests.

    The owner of the data sets is the national statistics office (Cục Thống kê, under the
    Ministry of Finance). Everyone else is "another organisation".
    """

    orgs: dict[str, Organisation]
    people: dict[str, User] = field(default_factory=dict)
    datasets: dict[str, DataSet] = field(default_factory=dict)

    def __getattr__(self, name):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)


PEOPLE = {
    # name: (username, full name, organisation code, role)
    "steward": ("thongke.bientap", "Trần Thị Số", "btc-cuc-thong-ke", Role.EDITOR),
    "approver": ("thongke.pheduyet", "Phạm Văn Duyệt", "btc-cuc-thong-ke", Role.APPROVER),
    "second_approver": ("thongke.pheduyet2", "Lý Thị Hai", "btc-cuc-thong-ke", Role.APPROVER),
    "owner_viewer": ("thongke.xem", "Đỗ Văn Xem", "btc-cuc-thong-ke", Role.VIEWER),
    "ministry_admin": ("btc.quantri", "Nguyễn Bộ Trưởng", "bo-tai-chinh", Role.ORG_ADMIN),
    "province_viewer": ("lamdong.xem", "Đinh Văn Tỉnh", "ubnd-68", Role.VIEWER),
    "province_editor": ("lamdong.bientap", "Vũ Thị Lâm", "ubnd-68", Role.EDITOR),
    "hanoi_viewer": ("hanoi.xem", "Ngô Thị Hà", "ubnd-01", Role.VIEWER),
    "hanoi_office_viewer": ("hanoi.chicuc", "Bùi Văn Cục", "chi-cuc-thong-ke-01", Role.VIEWER),
    "institute_viewer": ("vien.xem", "Mai Văn Viện", "btc-vien-chien-luoc-phat-trien", Role.VIEWER),
}


def person(username: str, full_name: str, organisation: Organisation, role: str) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", PASSWORD, full_name=full_name
    )
    services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


def province(code: str) -> AdministrativeUnit:
    """The province that bears ``code`` today."""
    return AdministrativeUnit.objects.get(
        valid_on_q(timezone.localdate()), Q(level="province"), code=code
    )


def build_world(reference_organisations) -> World:
    """Load the catalogue; create the people and four data sets of the statistics office:

    - ``population`` public and released, with published POP_AVG values;
    - ``labour`` owner only (restricted);
    - ``investment`` named: shared with the Hà Nội People's Committee (and so its offices);
    - ``exports`` public but under embargo for another week.
    """
    from regionlink.indicators.catalogue import load_catalogue

    load_catalogue()
    orgs = dict(reference_organisations)
    orgs["chi-cuc-thong-ke-01"] = services.create_organisation(
        actor=FIXTURE,
        code="chi-cuc-thong-ke-01",
        name="Chi cục Thống kê Hà Nội (thử nghiệm)",
        kind="provincial_department",
        parent=orgs["ubnd-01"],
        scope="provinces",
    )
    world = World(orgs=orgs)
    for name, (username, full_name, org_code, role) in PEOPLE.items():
        world.people[name] = person(username, full_name, orgs[org_code], role)
    owner = orgs["btc-cuc-thong-ke"]
    specs = {
        "population": ("tk-dan-so", "Dân số trung bình", Visibility.PUBLIC, [], None),
        "labour": ("tk-lao-dong", "Lao động (hạn chế)", Visibility.OWNER, [], None),
        "investment": (
            "tk-dau-tu",
            "Đầu tư công Hà Nội",
            Visibility.NAMED,
            [orgs["ubnd-01"]],
            None,
        ),
        "exports": (
            "tk-xuat-khau",
            "Xuất khẩu (chờ công bố)",
            Visibility.PUBLIC,
            [],
            timezone.now() + dt.timedelta(days=7),
        ),
    }
    for name, (code, title, visibility, shared, embargo) in specs.items():
        world.datasets[name] = create_dataset(
            actor=FIXTURE,
            owner=owner,
            code=code,
            name=title,
            visibility=visibility,
            shared_with=shared,
            embargo_until=embargo,
        )
    for name in specs:
        published(world.datasets[name], [("POP_AVG", "68", "2023", "1300.5")])
    return world


def _period(label: str) -> periods.Period:
    return periods.parse(label)


def published(dataset: DataSet, rows) -> ImportBatch:
    """Values of ``dataset`` as an earlier, published batch left them.

    ``rows``: (indicator code, province code, period, value). Each data set gets its own
    disaggregation key so the data sets never share a cell.
    """
    batch = ImportBatch.objects.create(
        dataset=dataset, source="Niên giám 2023", status=BatchStatus.PUBLISHED
    )
    DataValue.objects.bulk_create(
        DataValue(
            indicator=Indicator.objects.get(code=indicator),
            unit=province(unit),
            period=label,
            period_start=_period(label).start,
            period_end=_period(label).end,
            disaggregation=_key(dataset),
            value=Decimal(value),
            dataset=dataset,
            batch=batch,
        )
        for indicator, unit, label, value in rows
    )
    return batch


def _key(dataset: DataSet) -> str:
    return "" if dataset.code == "tk-dan-so" else f"TEST={dataset.code}"


def staged(
    dataset: DataSet,
    *,
    by: User | None,
    rows,
    status: str = BatchStatus.DRAFT,
    report: dict | None = None,
    file_name: str = "dan_so_2024.csv",
) -> ImportBatch:
    """A checked batch holding ``rows`` of (indicator, province, period, value) as staged values,
    in ``status`` (a draft, as the import pipeline leaves a valid file)."""
    rows = list(rows)
    batch = ImportBatch.objects.create(
        dataset=dataset,
        submitted_by=by,
        source="Báo cáo của Cục Thống kê",
        file_name=file_name,
        file_format="csv",
        status=status,
        rows_total=len(rows),
        rows_done=len(rows) if status not in (BatchStatus.PENDING, BatchStatus.RUNNING) else 0,
        report=report or {},
        finished_at=timezone.now(),
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r[0] for r in rows})}
    units = {code: province(code) for code in {r[1] for r in rows}}
    StagedValue.objects.bulk_create(
        StagedValue(
            batch=batch,
            row_number=number,
            indicator=indicators[indicator],
            unit=units[unit],
            period=label,
            period_start=_period(label).start,
            period_end=_period(label).end,
            disaggregation=_key(dataset),
            value=Decimal(value),
            status="official",
        )
        for number, (indicator, unit, label, value) in enumerate(rows, start=2)
    )
    return batch


# Province codes of today's 34 provinces, for batches of many rows.
def province_codes(n: int) -> list[str]:
    codes = (
        AdministrativeUnit.objects.filter(valid_on_q(timezone.localdate()), level="province")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return list(codes)[:n]


def text_of(html: bytes | str) -> str:
    """The visible text of a page, whitespace collapsed (for "the page says" assertions)."""
    html = html.decode() if isinstance(html, bytes) else html
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
