from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_territory() -> str:
    from regionlink.geography.loader import load_territory

    report = load_territory()
    return "; ".join(report.lines())


class GeographyConfig(AppConfig):
    name = "regionlink.geography"
    label = "geography"
    verbose_name = _("Địa giới hành chính và vùng")

    def ready(self):
        from regionlink.core.setup_steps import register

        register("Địa giới hành chính và vùng", _load_territory)
