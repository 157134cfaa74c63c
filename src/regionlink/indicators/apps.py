from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_catalogue() -> str:
    from regionlink.indicators.catalogue import load_catalogue

    counts = load_catalogue()
    return f"{counts['created']} mới, {counts['updated']} cập nhật, {counts['unchanged']} không đổi"


def _load_demo_data() -> str:
    from regionlink.indicators.demo import setup_step

    return setup_step()


class IndicatorsConfig(AppConfig):
    name = "regionlink.indicators"
    label = "indicators"
    verbose_name = _("Kho dữ liệu vùng")

    def ready(self):
        from regionlink.core.setup_steps import register

        register("Danh mục chỉ tiêu", _load_catalogue)
        register("Số liệu minh họa (Dữ liệu minh họa)", _load_demo_data, demo=True)
