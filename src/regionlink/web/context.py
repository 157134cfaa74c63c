"""The page shell (navigation, search, version) shared by every HTML page.

Everything is computed lazily: htmx partials rendered with a RequestContext pay nothing
unless their template actually reads ``shell``. A route that does not exist yet is simply
not shown, so the menu only ever offers capabilities the deployment has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from regionlink import __version__
from regionlink.organisations.permissions import can_view_audit


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    active: bool
    children: tuple = ()  # a menu: its first child is the group's own page


# (key, label, url name, who may see it): "everyone", "signed_in", "editors" (of a data set),
# "plan_reviewers" (signed in with a role somewhere: they run or read the plan review),
# "audit" or "system_admin".
NAVIGATION = [
    ("map", _("Bản đồ"), "home", "everyone"),
    ("regions", _("Vùng"), "region-list", "everyone"),
    ("units", _("Tỉnh, thành phố"), "unit-list", "everyone"),
    ("data", _("Số liệu"), "indicator-list", "everyone"),
    ("entry", _("Nhập số liệu"), "data-entry", "editors"),
    ("review", _("Duyệt số liệu"), "review-queue", "signed_in"),
    ("plans", _("Quy hoạch"), "plan-list", "everyone"),
    ("plan-review", _("Rà soát quy hoạch"), "plan-review", "plan_reviewers"),
    ("plan-reminders", _("Việc đến hạn"), "plan-reminders", "plan_reviewers"),
    ("organisations", _("Cơ quan"), "organisation-list", "everyone"),
    ("api", _("API"), "api:openapi-view", "everyone"),
    ("audit", _("Nhật ký"), "audit-list", "audit"),
    ("admin", _("Quản trị"), "admin:index", "system_admin"),
]


# Items shown as one menu under the first key, so the bar fits at 1366 px once signed in.
MENUS = {
    "data": ("entry", "review"),
    "plans": ("plan-review", "plan-reminders"),
}
# The group's own page, as a menu entry.
MENU_FIRST_LABEL = {
    "data": _("Danh mục chỉ tiêu"),
    "plans": _("Danh sách quy hoạch"),
}


def url_or_none(name: str) -> str | None:
    """The path of a named route, or None while that route does not exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _is_active(url: str, path: str) -> bool:
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url.rstrip("/") + "/")


class Shell:
    """What base.html needs to draw the navbar and footer for one request."""

    version = __version__

    def __init__(self, request):
        self.request = request
        self.user = getattr(request, "user", None)

    @cached_property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @cached_property
    def is_system_admin(self) -> bool:
        return self.is_authenticated and bool(getattr(self.user, "is_system_admin", False))

    @cached_property
    def can_view_audit(self) -> bool:
        """System admins and organisation admins see the audit log (the view re-checks)."""
        if not self.is_authenticated:
            return False
        return can_view_audit(self.user)

    def _may_see(self, audience: str) -> bool:
        if audience == "signed_in":
            return self.is_authenticated
        if audience == "editors":
            return self.is_authenticated and self._edits_data
        if audience == "everyone":
            return True
        if audience == "system_admin":
            return self.is_system_admin
        if audience == "audit":
            return self.can_view_audit
        if audience == "plan_reviewers":
            return self.is_authenticated and self._has_a_role
        return False

    @cached_property
    def _has_a_role(self) -> bool:
        from regionlink.organisations.permissions import principal_for

        who = principal_for(self.user)
        return who.is_system_admin or bool(who.memberships)

    @cached_property
    def _edits_data(self) -> bool:
        from regionlink.indicators.sharing import datasets_where
        from regionlink.organisations.permissions import Action

        return datasets_where(self.request.user, Action.EDIT).exists()

    @cached_property
    def nav_items(self) -> list[NavItem]:
        path = getattr(self.request, "path", "")
        items = []
        for key, label, url_name, audience in NAVIGATION:
            url = url_or_none(url_name)
            if url is None or not self._may_see(audience):
                continue
            items.append(NavItem(key=key, label=label, url=url, active=_is_active(url, path)))
        return _grouped(items)

    @cached_property
    def languages(self) -> list[tuple[str, str]]:
        """Each language named in itself ("English", not "Tiếng Anh"), as settings declare it."""
        from django.conf import settings

        return list(settings.LANGUAGES)

    @cached_property
    def home_url(self) -> str:
        return url_or_none("home") or "/"

    @cached_property
    def search_url(self) -> str | None:
        return url_or_none("search")

    @cached_property
    def search_query(self) -> str:
        if self.search_url and getattr(self.request, "path", None) == self.search_url:
            return self.request.GET.get("q", "")[:200]
        return ""

    @cached_property
    def login_url(self) -> str | None:
        return url_or_none("login")

    @cached_property
    def account_links(self) -> list[tuple[str, str]]:
        """(label, url) of the signed-in user's own pages that exist."""
        links = [
            (_("Đổi mật khẩu"), "password_change"),
            (_("Mã truy cập API"), "api-tokens"),
        ]
        return [(label, url) for label, name in links if (url := url_or_none(name))]

    @cached_property
    def logout_url(self) -> str | None:
        return url_or_none("logout")


def shell(request):
    """Context processor: ``shell`` for base.html; computed only when a template reads it."""
    return {"shell": Shell(request)}


def _grouped(items: list[NavItem]) -> list[NavItem]:
    """Fold each menu's visible items under its first; a menu of one stays a link."""
    by_key = {item.key: item for item in items}
    folded = {key for keys in MENUS.values() for key in keys}
    result = []
    for item in items:
        if item.key in folded and any(item.key in MENUS.get(k, ()) for k in by_key):
            continue
        members = [by_key[key] for key in MENUS.get(item.key, ()) if key in by_key]
        if members:
            # /plans/ is also the prefix of /plans/review/: the list is active only on its own.
            first_active = item.active and not any(m.active for m in members)
            first = NavItem(item.key, MENU_FIRST_LABEL[item.key], item.url, first_active)
            children = (first, *members)
            active = item.active or any(m.active for m in members)
            item = NavItem(item.key, item.label, item.url, active, children)
        result.append(item)
    return result
