"""Addresses of the records' pages, as Django's reverse() writes them, without its walk
through the URL patterns for each one.

Django's reverse() looks the name up among the patterns and checks the values against the
route for every address: dozens of calls, as much as a row of a table costs. A route with one
parameter (`path("signatories/<slug:slug>/", ...)`) is the same address around its value for
every record: here that address is found once for each language, script prefix, URL
configuration and current application (by reversing the route for a stand-in value), and
each value is checked by the parameter's converter and put in its place, quoted as reverse()
quotes it. A value the converter refuses, and a route of another shape (a regular
expression, several parameters), are reverse()'s own, with its NoReverseMatch. The site
names each route once.
"""

import functools
import re
from urllib.parse import quote

from django.urls import (
    NoReverseMatch,
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.urls.converters import get_converters
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

_MARKER = "2718281828"  # a value every converter but uuid's takes
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def reverse_one(name, value, kwarg=None, *, current_app=None):
    """`reverse(name, kwargs={kwarg: value}, current_app=current_app)`, or with `args=[value]`
    without `kwarg`: the same address, or the same NoReverseMatch.

    >>> reverse_one("signatories:signatory_detail", "boriana-aberg", "slug")
    '/signatories/boriana-aberg/'
    >>> reverse_one("signatories:declaration_detail", 695)
    '/declarations/695/'
    """
    urlconf = get_urlconf()
    route = _route(
        name, kwarg, translation.get_language(), get_script_prefix(), urlconf, current_app
    )
    if route is not None:
        before, after, converter, accepts = route
        try:
            text = converter.to_url(value)
        except ValueError:
            text = None
        if isinstance(text, str) and accepts(text) is not None:
            return f"{before}{quote(text, safe=_SAFE)}{after}"
    arguments = {"kwargs": {kwarg: value}} if kwarg else {"args": [value]}
    return reverse(name, urlconf=urlconf, current_app=current_app, **arguments)


@functools.lru_cache(maxsize=512)
def _route(name, kwarg, language, script_prefix, urlconf, current_app):
    """(the address before the parameter, after it, its converter, the converter's full
    match), or None for a route that `reverse_one()` leaves to reverse()."""
    arguments = {"kwargs": {kwarg: _MARKER}} if kwarg else {"args": [_MARKER]}
    try:
        with translation.override(language):
            marked = reverse(name, urlconf=urlconf, current_app=current_app, **arguments)
            match = resolve("/" + marked[len(script_prefix) :], urlconf=urlconf)
    except (NoReverseMatch, Resolver404):
        return None
    before, found, after = marked.partition(_MARKER)
    parameters = _PARAMETER.findall(match.route or "")
    if not found or _MARKER in after or len(parameters) != 1:
        return None
    converter_name, parameter = parameters[0]
    converter = get_converters().get(converter_name or "str")
    if converter is None or (kwarg and parameter != kwarg):
        return None
    return before, after, converter, re.compile(converter.regex).fullmatch
