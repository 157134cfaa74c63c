"""Shared fixtures. Reference data is loaded once per test session into the test database."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate, then load the real territory (≈14,000 units), the reference organisations and
    the indicator catalogue once for the whole session; tests roll back around them."""
    from regionlink.geography.loader import load_territory
    from regionlink.indicators.catalogue import load_catalogue
    from regionlink.organisations.reference import load_reference_organisations

    with django_db_blocker.unblock():
        load_territory()
        load_reference_organisations()
        load_catalogue()
    yield


def pytest_collection_modifyitems(items):
    """Run browser (live-server, transactional) tests last: their flush empties the database."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# --- Personas shared by several folders ------------------------------------------------------
# Built with the real loaders and services. A test module may define a fixture of the same
# name to mean someone else (tests/audit/test_audit_trail.py signs in the demo "quantri").

PASSWORD = "mat-khau-du-dai-2025"


@pytest.fixture
def reference_organisations(db):
    """The reference organisations: Ministry of Finance, regional councils, 34 committees."""
    from regionlink.organisations.models import Organisation
    from regionlink.organisations.reference import load_reference_organisations

    # Loaded for the session; only a transactional test's flush makes this load again.
    if not Organisation.objects.filter(code="bo-tai-chinh").exists():
        load_reference_organisations()
    return {o.code: o for o in Organisation.objects.all()}


@pytest.fixture
def demo_world(reference_organisations):
    """The reference organisations plus the demo ones and their people (lamdong.bientap,
    lamdong.quantri, hanoi.bientap, vien.xem, dbsh.xem, doanhnghiep, quantri)."""
    from regionlink.organisations.demo import load_demo_organisations

    load_demo_organisations()


@pytest.fixture
def system_admin(db):
    """The system administrator (a superuser), in an otherwise empty organisation list."""
    from regionlink.organisations.models import User

    return User.objects.create_superuser(
        "quantri", "quantri@example.gov.vn", PASSWORD, full_name="Quản trị hệ thống"
    )


@pytest.fixture
def official(db):
    """A provincial official with an account and no role in any organisation."""
    from regionlink.organisations.models import User

    return User.objects.create_user(
        "can_bo_thanh_hoa", "canbo@thanhhoa.gov.vn", PASSWORD, full_name="Lê Văn Thành"
    )
