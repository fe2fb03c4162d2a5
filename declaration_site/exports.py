"""The exports of the site, built outside the request (`lib/exports.py` says how and when):
the Popolo document of `signatories` and the sitemap of both apps.

`connect_signals()` asks for a rebuild of every export when a change to a model of either app
commits, in the process that made it; `manage.py build_exports` builds them at once. The same
background thread then computes again what the site keeps until the next change and would
otherwise count on a visitor's request: the statistics of the whole record (`warmed()`). With a
shared cache (Redis) every server finds them ready; with the local-memory cache, only the
process that made the change.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .lib.exports import schedule

WATCHED_APPS = {"signatories", "prisoners"}


def exports():
    """Every export of the site, in the order they are built."""
    from signatories.exports import POPOLO

    from .sitemaps import SITEMAP

    return [POPOLO, SITEMAP]


class Warm:
    """A result kept until the next change (`lib.cache.memoise`), computed in the exports'
    background thread rather than by the next visitor: `schedule()` builds it like an export."""

    def __init__(self, name, compute):
        self.name = name
        self.compute = compute

    def __repr__(self):
        return f"<Warm {self.name}>"

    def build(self, *, force=True):
        self.compute()
        return True


def warmed():
    """What the background thread computes again after each change, after the exports."""
    from . import statistics

    return [Warm("statistics", statistics.warm)]


def _rebuild_all():
    schedule(*exports(), *warmed())


def _changed(sender, **kwargs):
    # A data migration writes through historical models (module "__fake__") while the schema
    # is still changing: a build started then would read tables the next migrations change.
    if sender.__module__ == "__fake__":
        return
    if sender._meta.app_label in WATCHED_APPS and settings.EXPORT_BACKGROUND:
        transaction.on_commit(_rebuild_all)


def connect_signals():
    """Rebuild the exports in the background after every committed change to a model of the
    watched apps."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"exports-{signal!r}")
