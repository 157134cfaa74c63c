"""Vietnamese error pages. Wire them in the root urls.py as handler400/403/404/500.

The 500 page is rendered without the request, so no context processor (and no database)
is involved in showing it: whatever broke the page must not break the error page too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from regionlink import __version__
from regionlink.core.middleware import current_request_id


@requires_csrf_token
def bad_request(request, exception=None, template_name="web/400.html"):
    return render(request, template_name, status=400)


@requires_csrf_token
def permission_denied(request, exception=None, template_name="web/403.html"):
    message = ""
    if isinstance(exception, PermissionDenied) and exception.args:
        message = str(exception)
    return render(request, template_name, {"message": message}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None, template_name="web/404.html"):
    return render(request, template_name, status=404)


def server_error(request, template_name="web/500.html"):
    template = loader.get_template(template_name)
    return HttpResponseServerError(
        template.render({"app_version": __version__, "request_id": current_request_id()})
    )


@requires_csrf_token
def csrf_failure(request, reason="", template_name="web/403_csrf.html"):
    """Set settings.CSRF_FAILURE_VIEW to this: an expired form explains itself in Vietnamese."""
    return render(request, template_name, status=403)
