"""Helpers for the template tags that write the rows of long tables in Python: a list page
shows 50 rows, and written as template code each row costs dozens of lookups, filters,
translations and URL reversals. What does not change from row to row (the address pattern, a
country's or a choice's name in the page's language) is worked out once, here."""

import functools
import html
import re
from urllib.parse import quote

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from django.utils.http import RFC3986_SUBDELIMS
from django_countries import countries

_MARKER = "2718281828"  # a valid slug and a valid number
# What html.escape() replaces: a text without any of these is written as it is.
_to_escape = re.compile("[&<>\"']").search


def esc(value):
    """`value` as HTML: escaped, unless it is already HTML (marked safe), as the template
    language would write `{{ value }}`.

    >>> from django.utils.safestring import mark_safe
    >>> esc("Åberg & Sons"), esc("O'Brien"), esc("Åberg"), esc(mark_safe("<b>x</b>"))
    ('Åberg &amp; Sons', 'O&#x27;Brien', 'Åberg', '<b>x</b>')
    """
    if type(value) is int:  # a number has nothing to escape
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    value = str(value)
    # Most names, titles and addresses have nothing to escape: one search tells.
    return value if _to_escape(value) is None else html.escape(value)


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

    >>> detail = url_maker("signatories:signatory_detail", "slug")  # doctest: +SKIP
    >>> detail("boriana-aberg")  # doctest: +SKIP
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
    # A number has nothing to quote.
    return lambda value: (
        f"{before}{value}{after}"
        if type(value) is int
        else f"{before}{quote(str(value), safe=safe)}{after}"
    )


@functools.lru_cache(maxsize=16)
def _country_names(language):
    with translation.override(language):
        return {code: str(name) for code, name in countries}


def country_name(country):
    """`country.name` (a django-countries Country) in the active language; "" for none."""
    if not country:
        return ""
    name = _country_names(translation.get_language()).get(country.code)
    return country.name if name is None else name


@functools.lru_cache(maxsize=64)
def _choice_labels(field, language):
    with translation.override(language):
        return {value: str(label) for value, label in field.flatchoices}


def choice_label(instance, field_name):
    """What `instance.get_<field_name>_display()` gives, in the active language."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    label = _choice_labels(field, translation.get_language()).get(value)
    return getattr(instance, f"get_{field_name}_display")() if label is None else label


@functools.lru_cache(maxsize=4096)
def _date_text(value, language):
    with translation.override(language):
        return formats.date_format(value)


def date_text(value):
    """`{{ value|date }}`: a date in the active language's format; "" for none. Dates repeat
    from row to row and page to page, so each is formatted once a language."""
    if not value:
        return ""
    return _date_text(value, translation.get_language())


@functools.lru_cache(maxsize=16)
def _grouping(language):
    with translation.override(language):
        return formats.get_format("THOUSAND_SEPARATOR"), formats.get_format("NUMBER_GROUPING")


class Localised:
    """What the rows of one table need of the active language, looked up once for the table
    rather than once per cell: `number(value)` is `number_text(value)`, `date(value)`
    `date_text(value)`, `country(country)` `country_name(country)`, `french` whether the page
    is French."""

    def __init__(self):
        language = self.language = translation.get_language()
        self.french = (language or "en")[:2] == "fr"
        self._names = _country_names(language)
        separator, grouping = _grouping(language)
        if grouping == 3:
            self.number = lambda value: (
                f"{value:,}".replace(",", separator) if type(value) is int else intcomma(value)
            )
        else:
            self.number = number_text

    def date(self, value):
        """`date_text(value)`."""
        return _date_text(value, self.language) if value else ""

    def country(self, country):
        """The name of `country`, a django-countries Country or a code ("" for none)."""
        if not country:
            return ""
        code = getattr(country, "code", country)
        name = self._names.get(code)
        if name is None:
            return country.name if hasattr(country, "name") else code
        return name


def number_text(value):
    """`{{ value|intcomma }}`: a whole number with the active language's thousands separator
    (1,234 in English, 1 234 in French)."""
    separator, grouping = _grouping(translation.get_language())
    if type(value) is int and grouping == 3:
        return f"{value:,}".replace(",", separator)
    return intcomma(value)
