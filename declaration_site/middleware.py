"""Middleware of the site's own: a "back soon" page when the database cannot be reached, and
the browsable API's one inline stylesheet under the Content-Security-Policy."""

import base64
import functools
import hashlib
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import conditional_escape

logger = logging.getLogger(__name__)

# How long a client (or a proxy) is asked to wait before trying again, in seconds.
RETRY_AFTER = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response():
    """The 503 page. It is rendered without the request so that nothing on it needs the
    database (not even the signed-in user)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response()


@functools.cache
def _browsable_api_style_source():
    """The CSP source that allows the one stylesheet the browsable API writes inline: the
    syntax-highlighting colours."""
    from rest_framework.compat import pygments_css
    from rest_framework.renderers import BrowsableAPIRenderer

    css = pygments_css(BrowsableAPIRenderer.code_style) or ""
    digest = hashlib.sha256(str(conditional_escape(css)).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class BrowsableApiPolicyMiddleware:
    """Lets the API's HTML pages keep their highlighting stylesheet under the
    Content-Security-Policy, by its hash; nothing else inline is allowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        renderer = getattr(response, "accepted_renderer", None)
        if renderer is not None and renderer.format == "api":
            response._csp_update = {"style-src": [_browsable_api_style_source()]}
        return response
