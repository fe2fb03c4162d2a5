"""Middleware of the site's own: a "back soon" page when the database cannot be reached, the
Content-Security-Policy header built once, and the browsable API's one inline stylesheet
under that policy."""

import base64
import functools
import hashlib
import logging

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
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


# What a view or a decorator sets on a response to change its policy (django-csp's own names).
_POLICY_CHANGES = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


class PolicyOnceCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, which builds the policy's headers from the settings for every
    response (a fifth of the time of a small response). A response that nothing changes the
    policy of (no decorator, no nonce, neither header set yet) gets the same headers every
    time: django-csp builds them once, for a blank response, and they are kept until the
    settings change. Any other response is django-csp's to write."""

    _kept = None  # [(header, value)], or False where the settings exclude some addresses

    def process_response(self, request, response):
        kept = self._kept_headers()
        if (
            kept is False
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _POLICY_CHANGES)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for header, value in kept:
            response[header] = value
        # As django-csp does once the header is written: a nonce asked for now is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _kept_headers(self):
        kept = PolicyOnceCSPMiddleware._kept
        if kept is None:
            excluded = any(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                for name in _POLICY_SETTINGS
            )
            blank = super().process_response(HttpRequest(), HttpResponse())
            kept = PolicyOnceCSPMiddleware._kept = (
                False
                if excluded
                else [(name, blank[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in blank]
            )
        return kept


@receiver(setting_changed)
def _forget_kept_policy(setting, **kwargs):
    if setting in _POLICY_SETTINGS:
        PolicyOnceCSPMiddleware._kept = None
