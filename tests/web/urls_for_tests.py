"""The real site, plus the boundaries API mounted under /api/v1 if regionlink.api does not yet.

Lets the map pages and their API be tested before and after the lead wires the router.
"""

from django.urls import Resolver404, path, resolve
from ninja import NinjaAPI

from regionlink.geography.api_boundaries import router as boundaries_router
from regionlink.urls import urlpatterns as site_urlpatterns


def _site_serves_boundaries() -> bool:
    try:
        resolve("/api/v1/boundaries", urlconf="regionlink.urls")
    except Resolver404:
        return False
    return True


if _site_serves_boundaries():
    urlpatterns = list(site_urlpatterns)
else:
    boundaries_api = NinjaAPI(
        title="RegionLink boundaries (tests)", urls_namespace="boundaries-test", docs_url=None
    )
    boundaries_api.add_router("", boundaries_router)
    urlpatterns = [path("api/v1/", boundaries_api.urls), *site_urlpatterns]
