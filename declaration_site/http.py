"""What a browser, a reverse proxy or a CDN may keep of each response, and conditional GET.

`HttpCachingMiddleware` gives every response a `Cache-Control` header:

- **public**: a GET or HEAD from an anonymous visitor (no session cookie) to a public address
  that answers 200, a redirect, 304, 400, 404 or 410 and sets no cookie:
  `public, max-age=HTTP_MAX_AGE, stale-while-revalidate=HTTP_STALE_SECONDS`, with
  `Vary: Cookie`, so that a shared cache keeps one copy for everyone without cookies and never
  serves it to a curator (whose requests carry the session cookie). A 200 also gets a strong
  `ETag` (a hash of the body) and a matching `If-None-Match` is answered 304 without a body;
  a streamed response (the CSV downloads) gets no `ETag`, since its body is not known before it
  is sent.
- **private, no-store**: the admin, anything asked for with a session cookie (a curator may be
  previewing a draft), every response that sets a cookie (a form with its CSRF token, the login
  page), and requests other than GET and HEAD.
- a response whose view already chose (the health check's `never_cache`, the 503 page's
  `no-store`) keeps its own header, and any other status (a server error) gets `no-store`.

It sits inside the page cache (`caching.py`), which keeps each page with the headers given
here, and answers a matching `If-None-Match` on a hit itself, without rendering the page or
running this middleware again.
"""

import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag

# Statuses a shared cache may keep for a short while: the page, a redirect, or a page that
# does not exist (a draft's address, for the public, until it is published).
# A 304 that a view answered itself (an export file's validators matched) is public too.
PUBLIC_STATUSES = {200, 203, 300, 301, 302, 304, 307, 308, 400, 404, 410}
PRIVATE = "private, no-store"


def admin_prefix():
    return "/" + settings.ADMIN_URL


def is_private_request(request):
    """A request whose answer may be meant for one person: the admin, a session cookie (a
    signed-in curator, who sees drafts), a signed-in user, any method but GET and HEAD."""
    if request.method not in ("GET", "HEAD"):
        return True
    if request.path.startswith(admin_prefix()):
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def public_cache_control():
    """The header of a public response, from the settings: `public, max-age=30,
    stale-while-revalidate=30`; with `HTTP_MAX_AGE` 0, `no-cache` (keep, but ask every time:
    the ETag still spares the body)."""
    if settings.HTTP_MAX_AGE <= 0:
        return "public, no-cache"
    parts = ["public", f"max-age={settings.HTTP_MAX_AGE}"]
    if settings.HTTP_STALE_SECONDS > 0:
        parts.append(f"stale-while-revalidate={settings.HTTP_STALE_SECONDS}")
    return ", ".join(parts)


def add_etag(response):
    """A strong ETag for a whole (not streamed) 200 response that has none yet."""
    if response.status_code == 200 and not response.streaming and not response.has_header("ETag"):
        # The SHA-1 of the body where Django's set_response_etag() takes its MD5: 14 µs for a
        # page of 30 KB here against 35.
        digest = hashlib.sha1(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = quote_etag(digest)
    return response


class HttpCachingMiddleware:
    """Cache-Control, Vary, ETag and 304s for every response; see the module's docstring.

    Place it after the page cache and WhiteNoise (which gives static files their own headers),
    before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response  # static files served by Django (DEBUG) keep their own headers
        if is_private_request(request) or response.cookies:
            response["Cache-Control"] = PRIVATE
            if response.has_header("ETag"):
                del response["ETag"]
            return response
        if response.has_header("Cache-Control"):
            return response
        if response.status_code not in PUBLIC_STATUSES:
            response["Cache-Control"] = "no-store"
            return response
        response["Cache-Control"] = public_cache_control()
        patch_vary_headers(response, ["Cookie"])
        add_etag(response)
        if response.has_header("ETag"):
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response
