from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = _("Detainees")

    def ready(self):
        from . import linking  # noqa: F401  (links detainees after each import)
