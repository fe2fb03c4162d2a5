"""The server error page, which tells a database outage apart from a bug."""

import sys

from django.views.defaults import server_error as django_server_error

from .middleware import DATABASE_ERRORS, database_unavailable_response


def server_error(request, template_name="500.html"):
    """Django's 500 page, or the 503 page when the error is the database being unreachable
    outside a view (in a middleware, say), where DatabaseUnavailableMiddleware cannot see it."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response()
    response = django_server_error(request, template_name=template_name)
    # The error page carries its own small stylesheet so that it needs no other request.
    response._csp_update = {"style-src": ["'unsafe-inline'"]}
    return response
