from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "regionlink.core"
    label = "core"
    verbose_name = "RegionLink core"
