from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_reference() -> str:
    from regionlink.organisations.reference import load_reference_organisations

    counts = load_reference_organisations()
    return f"{counts['created']} mới, {counts['updated']} cập nhật, {counts['unchanged']} không đổi"


def _load_demo() -> str:
    from regionlink.organisations.demo import DEMO_PASSWORD, load_demo_organisations

    accounts = load_demo_organisations()
    lines = [f"{len(accounts)} tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD})"]
    lines += [f"  - {a.username:18} {a.note}" for a in accounts]
    return "\n".join(lines)


class OrganisationsConfig(AppConfig):
    name = "regionlink.organisations"
    label = "organisations"
    verbose_name = _("Cơ quan, tổ chức và người dùng")

    def ready(self):
        from regionlink.core.setup_steps import register
        from regionlink.organisations import signals

        signals.connect()

        register("Danh mục cơ quan", _load_reference)
        register("Cơ quan và tài khoản minh họa (Dữ liệu minh họa)", _load_demo, demo=True)
