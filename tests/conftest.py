"""Shared fixtures. The territory is loaded once per test session into the test database."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate, then load the real territory (≈14,000 units) once for the whole session."""
    from regionlink.geography.loader import load_territory

    with django_db_blocker.unblock():
        load_territory()
    yield


def pytest_collection_modifyitems(items):
    """Run browser (live-server, transactional) tests last: their flush empties the database."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
