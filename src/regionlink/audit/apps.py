from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "regionlink.audit"
    label = "audit"
    verbose_name = _("Nhật ký hệ thống")
