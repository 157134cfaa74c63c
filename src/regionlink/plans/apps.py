from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _load_demo_plans() -> str:
    from regionlink.plans.demo import setup_step

    return setup_step()


class PlansConfig(AppConfig):
    name = "regionlink.plans"
    label = "plans"
    verbose_name = _("Quy hoạch")

    def ready(self):
        from regionlink.core.setup_steps import register

        register("Quy hoạch minh họa", _load_demo_plans, demo=True)
