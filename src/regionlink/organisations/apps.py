from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "regionlink.organisations"
    label = "organisations"
    verbose_name = _("Cơ quan, tổ chức và người dùng")
