from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = _("Detainees")

    def ready(self):
        # linking: detainees linked after each import; signals: the current status, and no
        # publication without a source.
        from . import linking, signals  # noqa: F401

        post_migrate.connect(make_substring_indexes, sender=self)


def make_substring_indexes(using, **kwargs):
    """The SQLite index of the names a search reads, after every `migrate`
    (declaration_site/lib/substrings.py says why not in a migration)."""
    from .models import DETAINEE_NAMES

    DETAINEE_NAMES.ensure(using)
