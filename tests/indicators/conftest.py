"""Fixtures of the data hub tests: the catalogue, the statistics office's data set, personas.

Built with the real loaders and services. The territory is loaded once per session by
tests/conftest.py; ``reference_organisations`` comes from there too. A test module may define
a fixture of the same name to mean something else.
"""

from __future__ import annotations

import csv
import io

import pytest

from regionlink.organisations import services
from regionlink.organisations.models import Role, User

PASSWORD = "mat-khau-du-dai-2025"
FIXTURE = "test fixture"  # a string actor: services skip the permission check for set-up
STATISTICS_OFFICE = "btc-cuc-thong-ke"


@pytest.fixture
def catalogue(db):
    """The real indicator catalogue (groups, dimensions, ~50 indicators), by code."""
    from regionlink.indicators.catalogue import load_catalogue
    from regionlink.indicators.models import Indicator

    load_catalogue()
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def statistics_office(reference_organisations):
    """Cục Thống kê (Ministry of Finance), the source of the provinces' official statistics."""
    return reference_organisations[STATISTICS_OFFICE]


@pytest.fixture
def stats_dataset(catalogue, statistics_office):
    """The statistics office's data set of provincial statistics, visible to its owner only."""
    from regionlink.indicators.datasets import create_dataset

    return create_dataset(
        actor=FIXTURE,
        owner=statistics_office,
        code="tk-so-lieu-tinh",
        name="Số liệu thống kê cấp tỉnh",
        name_en="Provincial statistics",
    )


def _person(username: str, full_name: str, organisation, role: str) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.gov.vn", PASSWORD, full_name=full_name
    )
    services.add_member(actor=FIXTURE, organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def data_steward(statistics_office):
    """Nguyễn Thị Thống, an editor at the statistics office who uploads its tables."""
    return _person("tk.bientap", "Nguyễn Thị Thống", statistics_office, Role.EDITOR)


@pytest.fixture
def stats_approver(statistics_office):
    """Trần Văn Duyệt, who approves the statistics office's data for publication."""
    return _person("tk.pheduyet", "Trần Văn Duyệt", statistics_office, Role.APPROVER)


@pytest.fixture
def stats_viewer(statistics_office):
    """Lê Thị Xem, a statistics office official who reads but does not edit."""
    return _person("tk.xem", "Lê Thị Xem", statistics_office, Role.VIEWER)


@pytest.fixture
def hanoi_editor(reference_organisations):
    """Ngô Thị Hà, an editor at the Hà Nội People's Committee: another organisation."""
    return _person("hanoi.bientap", "Ngô Thị Hà", reference_organisations["ubnd-01"], Role.EDITOR)


LONG_HEADER = ["ma_chi_tieu", "ma_don_vi", "ten_don_vi", "ky", "phan_to", "gia_tri", "tinh_trang"]


def long_csv(rows, *, header=LONG_HEADER, delimiter=",", encoding="utf-8-sig") -> bytes:
    """A long-template CSV of ``rows`` (lists of cells) as bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def make_long_csv():
    """Build a long-template CSV (bytes) from rows of cells."""
    return long_csv


@pytest.fixture
def import_rows(stats_dataset):
    """Import long-template rows into the statistics office's data set as the operator."""
    from regionlink.indicators.importing.pipeline import run_import

    def run(rows, *, actor=FIXTURE, dataset=None, name="so-lieu.csv", **options):
        return run_import(
            actor=actor,
            dataset=dataset or stats_dataset,
            path_or_file=long_csv(rows),
            file_name=name,
            **options,
        )

    return run
