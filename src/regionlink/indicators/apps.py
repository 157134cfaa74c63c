from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_catalogue() -> str:
    from regionlink.indicators.catalogue import load_catalogue

    counts = load_catalogue()
    return f"{counts['created']} mới, {counts['updated']} cập nhật, {counts['unchanged']} không đổi"


class IndicatorsConfig(AppConfig):
    name = "regionlink.indicators"
    label = "indicators"
    verbose_name = _("Kho dữ liệu vùng")

    def ready(self):
        from regionlink.core.setup_steps import register

        register("Danh mục chỉ tiêu", _load_catalogue)
