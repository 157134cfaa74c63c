"""/accounts/: sign-in, password and personal API token pages (no namespace)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from regionlink.organisations import account_views

R = "registration/"

urlpatterns = [
    path(
        "login/",
        # No redirect_authenticated_user: a signed-in person sent here by a permission check
        # would otherwise bounce between the page and the login form.
        auth_views.LoginView.as_view(template_name=R + "login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Our own template names: django.contrib.admin ships registration/password_*.html and
    # comes first in INSTALLED_APPS, so Django's default names would pick the admin look.
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(template_name=R + "rl_password_change.html"),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name=R + "rl_password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name=R + "rl_password_reset.html",
            email_template_name=R + "rl_password_reset_email.txt",
            subject_template_name=R + "rl_password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=R + "rl_password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=R + "rl_password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=R + "rl_password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("tokens/", account_views.api_tokens, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", account_views.api_token_revoke, name="api-token-revoke"),
]
