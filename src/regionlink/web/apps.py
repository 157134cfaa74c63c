from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "regionlink.web"
    label = "web"
    verbose_name = "Web"
