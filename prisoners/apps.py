from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = _("Detainees")

    def ready(self):
        # linking: detainees linked after each import; signals: the current status, and no
        # publication without a source.
        from . import linking, signals  # noqa: F401
