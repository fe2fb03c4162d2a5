from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationSiteConfig(AppConfig):
    """The site as a whole: its pages, middleware, page cache, API router and the commands that
    serve every app (backup, restore, load_demo, generate_sample_data, ensure_admin)."""

    name = "declaration_site"
    verbose_name = _("Declaration Watch")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import caching, exports
        from .lib import cache

        caching.connect_signals()
        exports.connect_signals()
        request_started.connect(cache.pin_generation, dispatch_uid="pin-generation")
        request_finished.connect(cache.unpin_generation, dispatch_uid="unpin-generation")
