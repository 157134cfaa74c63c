"""The site's urls with the data hub pages mounted at /data/ (if the project urls do not yet),
and the people and data the page tests (tests/indicators/test_pages_*.py) share.

Personas come from the demo organisations (tests/conftest.py ``demo_world``): Vũ Thị Lâm
(``lamdong.bientap``, editor at the Lâm Đồng Department of Finance), Đỗ Văn Hà
(``hanoi.bientap``, editor at the Hà Nội People's Committee) and Lê Minh Xem (``vien.xem``, a
viewer at the Development Strategy Institute). Data sets are made and filled with the real
services (``datasets.create_dataset``, ``importing.pipeline.run_import``).
"""

import pytest
from django.urls import Resolver404, include, path, resolve

from regionlink.urls import urlpatterns as site_urlpatterns


def _site_serves(url: str) -> bool:
    try:
        resolve(url, urlconf="regionlink.urls")
    except Resolver404:
        return False
    return True


urlpatterns = list(site_urlpatterns)
if not _site_serves("/data/indicators/"):
    urlpatterns.insert(0, path("data/", include("regionlink.indicators.urls")))
if not _site_serves("/data/batches/1/"):
    urlpatterns.insert(0, path("data/", include("regionlink.indicators.urls_review")))

# A number that appears nowhere else: finding it on a page means the restricted value leaked.
SECRET_VALUE = "7777.7"
SECRET_SHOWN = "7.777,7"
PUBLIC_VALUE = "8600.1"
PUBLIC_SHOWN = "8.600,1"


def section(html: str, element_id: str) -> str:
    """The markup from the element with ``element_id`` to the end of its section."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def long_csv(*rows: tuple) -> bytes:
    """A file in the importer's long template: (indicator, unit, period, disaggregation, value,
    status) per row."""
    lines = ["ma_chi_tieu,ma_don_vi,ky,phan_to,gia_tri,tinh_trang"]
    lines += [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def publish(dataset, content: bytes):
    """Import ``content`` into ``dataset`` and publish it at once (a set-up step)."""
    from regionlink.indicators.importing import pipeline
    from regionlink.indicators.models import BatchStatus

    batch = pipeline.run_import(
        actor="kiểm thử",
        dataset=dataset,
        path_or_file=content,
        file_name="so-lieu.csv",
        publish=True,
    )
    assert batch.status == BatchStatus.PUBLISHED, batch.report.get("errors")
    return batch


@pytest.fixture
def pages(settings, tmp_path):
    """The data hub pages at /data/, uploads kept in a temporary MEDIA_ROOT."""
    settings.ROOT_URLCONF = "fixtures_pages"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def catalogue(db):
    from regionlink.indicators.catalogue import load_catalogue

    load_catalogue()


def _person(username: str):
    from regionlink.organisations.models import User

    return User.objects.get(username=username)


@pytest.fixture
def lam_dong_editor(demo_world):
    """Vũ Thị Lâm, editor at the Lâm Đồng Department of Finance (so-tc-68)."""
    return _person("lamdong.bientap")


@pytest.fixture
def ha_noi_editor(demo_world):
    """Đỗ Văn Hà, editor at the Hà Nội People's Committee: another organisation."""
    return _person("hanoi.bientap")


@pytest.fixture
def institute_viewer(demo_world):
    """Lê Minh Xem, a viewer at the Development Strategy Institute."""
    return _person("vien.xem")


@pytest.fixture
def public_population(catalogue, demo_world):
    """A public data set of the statistics office: the population in 2024 of the Red River
    Delta's provinces of the time (Hà Nội 8.600,1 thousand), so the region adds up."""
    import datetime as dt

    from regionlink.geography import queries
    from regionlink.indicators.datasets import create_dataset
    from regionlink.indicators.models import Visibility
    from regionlink.organisations.models import Organisation

    dataset = create_dataset(
        actor="kiểm thử",
        owner=Organisation.objects.get(code="btc-cuc-thong-ke"),
        code="tk-dan-so-cong-khai",
        name="Dân số (công khai)",
        visibility=Visibility.PUBLIC,
    )
    end_of_2024 = dt.date(2024, 12, 31)
    members = queries.units_of_region(queries.region_by_code("DBSH"), end_of_2024)
    rows = [
        ("POP_AVG", unit.code, 2024, "", PUBLIC_VALUE if unit.code == "01" else 1000 + i, "")
        for i, unit in enumerate(members)
    ]
    publish(dataset, long_csv(*rows))
    return dataset


@pytest.fixture
def restricted_population(catalogue, demo_world):
    """Lâm Đồng's own data set ("owner only"): its population in 2024 is not for others."""
    from regionlink.indicators.datasets import create_dataset
    from regionlink.organisations.models import Organisation

    dataset = create_dataset(
        actor="kiểm thử",
        owner=Organisation.objects.get(code="so-tc-68"),
        code="lam-dong-noi-bo",
        name="Số liệu nội bộ Lâm Đồng",
    )
    publish(
        dataset,
        long_csv(
            ("POP_AVG", "68", 2024, "", SECRET_VALUE, ""),
            ("AREA", "68", 2024, "", "9781.2", ""),
        ),
    )
    return dataset
