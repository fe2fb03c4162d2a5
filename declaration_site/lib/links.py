"""Addresses of many records of one kind, reversed once a page rather than once a row."""

import functools
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

_MARKER = "2718281828"  # a valid slug and a valid number


@functools.lru_cache(maxsize=256)
def _halves(name, kwarg, language, script_prefix, urlconf):
    with translation.override(language):
        url = reverse(name, urlconf=urlconf, kwargs={kwarg: _MARKER})
    before, marker, after = url.partition(_MARKER)
    if not marker or _MARKER in after:
        raise ValueError(f"Cannot build addresses of {name} by prefix: {url}")
    return before, after


def url_maker(name, kwarg):
    """A function of one value giving what `reverse(name, kwargs={kwarg: value})` gives, in
    the active language and under the current script prefix, without resolving the pattern
    again for each value:

    >>> detail = url_maker("signatories:signatory_detail", "slug")
    >>> detail("boriana-aberg")
    '/signatories/boriana-aberg/'
    """
    before, after = _halves(
        name,
        kwarg,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    safe = RFC3986_SUBDELIMS + "~:@"
    return lambda value: f"{before}{quote(str(value), safe=safe)}{after}"
