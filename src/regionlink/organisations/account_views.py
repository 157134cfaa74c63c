"""Pages for a person's own account. Thin: forms parse input, tokens.py does the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from regionlink.organisations import tokens
from regionlink.organisations.forms import ApiTokenCreateForm
from regionlink.organisations.models import ApiToken


def _tokens_page(request, *, form, token=None, secret=None):
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_token": token,
        "secret": secret,
        "now": timezone.now(),
        "api_base_url": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "organisations/tokens.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """List the user's tokens; on POST create one and show its secret this one time."""
    if request.method != "POST":
        return _tokens_page(request, form=ApiTokenCreateForm())
    form = ApiTokenCreateForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form=form)
    token, secret = tokens.create_token(
        user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at
    )
    # Rendered, not redirected: the secret is never stored, not even in the session.
    return _tokens_page(request, form=ApiTokenCreateForm(), token=token, secret=secret)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of the user's own tokens; someone else's token is a 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("api-tokens")
