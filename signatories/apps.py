from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = _("Declarations and signatories")

    def ready(self):
        from . import signals  # noqa: F401

        post_migrate.connect(make_substring_indexes, sender=self)


def make_substring_indexes(using, **kwargs):
    """The SQLite indexes of the names and texts a search reads, after every `migrate`
    (declaration_site/lib/substrings.py says why not in a migration)."""
    from .models import DECLARATION_TEXTS, SIGNATORY_NAMES

    for index in (SIGNATORY_NAMES, DECLARATION_TEXTS):
        index.ensure(using)
