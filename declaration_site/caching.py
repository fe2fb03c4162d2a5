"""A cache of the public pages, for anonymous visitors, that any curator's change empties.

`PageCacheMiddleware` keeps the response to an anonymous GET (HTML pages, the API, feeds,
exports) in Django's cache, keyed by its canonical address, for `PAGE_CACHE_SECONDS`. It leaves
alone every request that carries a session or CSRF cookie (a curator, who may preview drafts),
the admin, and every response that is not a plain 200, sets a cookie, asks not to be stored or
is larger than `PAGE_CACHE_MAX_BYTES` (the Popolo document).

The cache stays bounded whatever visitors send. The canonical address keeps only the query
parameters that some page reads (`QUERY_PARAMETERS`), sorted by name: `?cb=1`, `?utm_source=x`
and `?b=2&a=1` are the page without them, or `?a=1&b=2`. The view is given that canonical
query too, so what it renders (its links keep the query: the next page, a filter's "remove")
is the same whichever of those addresses filled the cache, and nobody can plant a parameter
in the links everybody else gets. Dropping, rather than redirecting to the canonical address,
spares every such visitor a round trip (links shared with tracking parameters are common) and
keeps the API's answers where its clients asked for them.

Addresses that differ in parameters a page does read (`?page=9999`, every combination of the
statistics' filters) are still distinct pages: those are bounded by the cache's number of
entries (1,000 per process with the local-memory cache) times their size, which `freeze()`
keeps small by compressing bodies over 64 KB (600 filtered statistics pages and 600 list
pages added 23 MB to a worker, against 40 MB kept as they are).

Invalidation is by generation: every key includes a generation number, and a save, delete or
many-to-many change of any model of the `signatories` and `prisoners` apps starts a new one
(see `connect_signals`), so the next request after a change misses. The generation, and
`memoise()` that keeps expensive results until the next one, are in `lib/cache.py`.
"""

import hashlib
import threading
import zlib
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.cache import cc_delim_re, get_conditional_response

from .http import add_etag
from .lib.cache import InProcessMemo, bump, generation

WATCHED_APPS = {"signatories", "prisoners"}
# Never cached, whoever asks (and the admin, wherever ADMIN_URL puts it).
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/static/")
# Headers a cached response may vary on: requests without cookies share the anonymous
# response; Accept is part of the key (the API answers JSON or its browsable page).
ALLOWED_VARY = {"cookie", "accept"}

# Every query parameter that a public page, feed, export or API endpoint reads; the page cache
# drops any other (see the module's docstring). tests/test_http_caching.py fails when a view
# reads one that is not here.
QUERY_PARAMETERS = frozenset(
    {
        # The filters of the lists, their CSV downloads and the API (the FilterSets of
        # signatories/filters.py and prisoners/filters.py), the search, the statistics.
        "q",
        "year",
        "country",
        "group",
        "declaration",
        "sort",
        "status",
        # A page of a list or of the API; a page of the sitemap.
        "page",
        "p",
        # The API: the format (?format=json, ?format=api); the schema's language and version.
        "format",
        "lang",
        "version",
    }
)


def canonical_query(query):
    """The query string of the canonical address: only the parameters in QUERY_PARAMETERS,
    sorted by name, each with its values in the order given.

    >>> canonical_query(QueryDict("page=2&cb=7&country=it&country=fr"))
    'country=it&country=fr&page=2'
    """
    kept = QueryDict(mutable=True)
    for name in sorted(QUERY_PARAMETERS.intersection(query)):
        kept.setlist(name, query.getlist(name))
    return kept.urlencode()


# The canonical query of the last query strings seen, so that a page-cache hit does not parse
# and encode its query again; the least recently used go first, whatever visitors send.
canonical_queries = InProcessMemo(size=512)


def canonicalise(request):
    """Give the request (and so the view) the canonical query; returns it."""
    raw = request.META.get("QUERY_STRING")
    if not raw:
        return ""
    query = canonical_queries.get(raw)
    if query is None:
        query = canonical_query(request.GET)
        canonical_queries.set(raw, query, None)
    if query != raw:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query, encoding=request.encoding)
    return query


def _changed(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        bump()


def connect_signals():
    """Start a new generation on every change to a model of the watched apps (historical
    records included: they come with a change anyway)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"page-cache-{signal!r}")


# Bodies larger than this are kept compressed. Smaller ones (the lists, the detail pages) are
# kept as they are, so that a hit costs no decompression: 1,000 of them take at most 64 MB.
COMPRESS_FROM_BYTES = 64 * 1024


def freeze(response):
    """The response as the cache keeps it: a plain HttpResponse with the same status, headers
    and body (not the API's serialised data nor a template's context, which a hit does not
    need). A large body (the statistics page, about 200 KB) is compressed with zlib's fastest
    level, to about a seventh of its size in about a millisecond, so that even a cache full of
    distinct large pages stays small."""
    body = response.content
    frozen = HttpResponse(status=response.status_code, headers=dict(response.items()))
    frozen.compressed_page = len(body) > COMPRESS_FROM_BYTES
    frozen.content = zlib.compress(body, 1) if frozen.compressed_page else body
    return frozen


class ThawedBodies:
    """The bodies of the last few large pages served, decompressed, in this process.

    A large page is kept compressed in the cache (`freeze()`); decompressing the statistics
    page's 200 KB takes about a millisecond, which is most of what a hit costs. A key names one
    address under one generation, so the body under a key never changes: the body decompressed
    once serves every later hit of that key, until newer pages push it out. At most
    `SIZE` bodies (each under PAGE_CACHE_MAX_BYTES) are kept.
    """

    SIZE = 16

    def __init__(self):
        self._bodies = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compressed):
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
                return body
        body = zlib.decompress(compressed)
        with self._lock:
            self._bodies[key] = body
            while len(self._bodies) > self.SIZE:
                self._bodies.popitem(last=False)
        return body


thawed_bodies = ThawedBodies()


def thaw(value, key):
    """The response kept by `freeze()` under `key`, or None for a miss."""
    if not isinstance(value, HttpResponse):
        return None
    if getattr(value, "compressed_page", False):
        value.content = thawed_bodies.get(key, value.content)
        value.compressed_page = False
    return value


class PageCacheMiddleware:
    """Serves anonymous GET and HEAD requests from the cache; see the module's docstring.

    Place it first. It keeps a page as the rest of the stack finished it, with the headers of
    the security, Content-Security-Policy and HTTP-caching middleware (`Cache-Control`,
    `Vary`, a strong `ETag`), so a hit skips all of them and the view, and answers a matching
    `If-None-Match` with a 304 itself. It keeps only responses that `HttpCachingMiddleware`
    declared `public` (never `private` or `no-store`) and that set no cookie, and passes
    through untouched every request with a session or CSRF cookie. The scheme is part of the
    key, so a plain-HTTP request never gets the page kept for HTTPS (it is redirected, and a
    redirect is not kept). Responses carry `X-Page-Cache: hit` or `miss`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        query = canonicalise(request)
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout:
            return self.get_response(request)
        key = self.key(request, query)
        response = thaw(cache.get(key), key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            if response.has_header("ETag"):
                return get_conditional_response(request, etag=response["ETag"], response=response)
            return response
        response = self.get_response(request)
        if request.method == "GET" and self.cacheable_response(request, response):
            response["X-Page-Cache"] = "miss"
            # The ETag is stored with the page, so that a hit answers a conditional request
            # without hashing the body again.
            add_etag(response)
            cache.set(key, freeze(response), timeout)
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
        if getattr(request, "skip_page_cache", False):  # see lib/views.py, PublicListMixin
            return False
        if len(response.content) > settings.PAGE_CACHE_MAX_BYTES:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        # Only what the HTTP-caching middleware declared public: "public, no-cache" (with
        # HTTP_MAX_AGE 0) may be kept too, since every change empties this cache anyway.
        directives = {
            word.split("=", 1)[0].strip()
            for word in response.get("Cache-Control", "").lower().split(",")
        }
        if "public" not in directives or directives & {"private", "no-store"}:
            return False
        vary = {
            header.strip().lower()
            for header in cc_delim_re.split(response.get("Vary", ""))
            if header.strip()
        }
        return vary <= ALLOWED_VARY

    def key(self, request, query):
        # The language is in the address (/fr/...), so the browser's Accept-Language is not
        # part of the key; a response that varies on it is not cached (ALLOWED_VARY).
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        parts = [address, request.META.get("HTTP_ACCEPT", "")]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"page:{generation()}:{digest}"
