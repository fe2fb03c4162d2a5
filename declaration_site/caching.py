"""A cache of the public pages, for anonymous visitors, that any curator's change empties.

`PageCacheMiddleware` keeps the response to an anonymous GET (HTML pages, the API, feeds,
exports) in Django's cache, keyed by the full address, for `PAGE_CACHE_SECONDS`. It leaves
alone every request that carries a session or CSRF cookie (a curator, who may preview drafts),
the admin, and every response that is not a plain 200, sets a cookie or asks not to be stored.

Invalidation is by generation: every key includes a generation number, and a save, delete or
many-to-many change of any model of the `signatories` and `prisoners` apps starts a new one
(see `connect_signals`), so the next request after a change misses. The generation, and
`memoise()` that keeps expensive results until the next one, are in `lib/cache.py`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import cc_delim_re

from .lib.cache import bump, generation

WATCHED_APPS = {"signatories", "prisoners"}
# Never cached, whoever asks (and the admin, wherever ADMIN_URL puts it).
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/static/")
# Headers a cached response may vary on: requests without cookies share the anonymous
# response; Accept is part of the key (the API answers JSON or its browsable page).
ALLOWED_VARY = {"cookie", "accept"}


def _changed(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        bump()


def connect_signals():
    """Start a new generation on every change to a model of the watched apps (historical
    records included: they come with a change anyway)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"page-cache-{signal!r}")


class PageCacheMiddleware:
    """Serves anonymous GET and HEAD requests from the cache; see the module's docstring.

    Place it after SecurityMiddleware and WhiteNoise, before the session middleware: a hit
    then skips sessions, authentication and the view. Responses carry `X-Page-Cache: hit` or
    `miss`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout or not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and self.cacheable_response(request, response):
            response["X-Page-Cache"] = "miss"
            cache.set(key, response, timeout)
        return response

    def cacheable_request(self, request):
        if request.method not in ("GET", "HEAD"):
            return False
        admin = "/" + getattr(settings, "ADMIN_URL", "admin/")
        if request.path.startswith((*EXCLUDED_PREFIXES, admin)):
            return False
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME not in cookies and settings.CSRF_COOKIE_NAME not in (
            cookies
        )

    def cacheable_response(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {
            header.strip().lower()
            for header in cc_delim_re.split(response.get("Vary", ""))
            if header.strip()
        }
        return vary <= ALLOWED_VARY

    def key(self, request):
        # The language is in the address (/fr/...), so the browser's Accept-Language is not
        # part of the key; a response that varies on it is not cached (ALLOWED_VARY).
        parts = [request.build_absolute_uri(), request.META.get("HTTP_ACCEPT", "")]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"page:{generation()}:{digest}"
