from django.contrib import admin
from django.urls import include, path

from regionlink.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("regionlink.organisations.account_urls")),
    path("organisations/", include("regionlink.organisations.urls")),
    path("audit/", include("regionlink.audit.urls")),
    path("data/", include("regionlink.indicators.urls")),
    path("data/", include("regionlink.indicators.urls_review")),
    path("plans/", include("regionlink.plans.urls")),
    path("", include("regionlink.geography.urls")),
    path("", include("regionlink.web.urls")),
]

handler400 = "regionlink.web.views_errors.bad_request"
handler403 = "regionlink.web.views_errors.permission_denied"
handler404 = "regionlink.web.views_errors.page_not_found"
handler500 = "regionlink.web.views_errors.server_error"
