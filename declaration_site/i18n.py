"""The site in English and French: which language a request gets, and the address of the
same page in each language.

Public pages are in English at their unprefixed addresses (`/declarations/695/`) and in French
under `/fr/` (`/fr/declarations/695/`): the language is part of the address, so a link, a
search engine and the page cache (which keys on the full address) always get the same page,
whatever the browser asks for. Only the pages outside `i18n_patterns` that people read, the
admin, follow the browser's language (or Django's language cookie).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.middleware import locale
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils import translation


def _admin_path(path):
    return path.startswith("/" + settings.ADMIN_URL)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, which gives every unprefixed address English (and never
    redirects `/` to `/fr/`), except that the admin is in the language the browser asks for."""

    def process_request(self, request):
        super().process_request(request)
        if _admin_path(request.path_info):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not _admin_path(request.path_info):
            # The language comes from the address alone; Django's middleware adds
            # "Vary: Accept-Language" to every unprefixed address all the same.
            vary = [
                header.strip()
                for header in response.get("Vary", "").split(",")
                if header.strip() and header.strip().lower() != "accept-language"
            ]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif response.has_header("Vary"):
                del response["Vary"]
        return response


def _language_prefix(language):
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def _unprefixed(path):
    """`path` without its language prefix, and the language that prefix names (the default
    language when there is none)."""
    for language, _name in settings.LANGUAGES:
        prefix = _language_prefix(language)
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            return path[len(prefix) :] or "/", language
    return path, settings.LANGUAGE_CODE


def is_localised(path):
    """Whether `path` (without the script prefix) is a page that exists in every language:
    one under `i18n_patterns`. The admin, the API, the sitemap and robots.txt are not. An
    address that is no page at all counts as localised, so that the "not found" page offers
    the other language too."""
    bare, _language = _unprefixed(path)
    if _admin_path(bare):
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            resolve(bare)
    except Resolver404:
        return True
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            try:
                resolve(_language_prefix(language) + bare)
            except Resolver404:
                return False
    return True


def language_url(full_path, language):
    """The address of the page at `full_path` (path and query, as `request.get_full_path()`
    gives it) in `language`, query string kept.

    >>> language_url("/signatories/?country=it&group=soc", "fr")
    '/fr/signatories/?country=it&group=soc'
    >>> language_url("/fr/declarations/695/", "en")
    '/declarations/695/'
    """
    parts = urlsplit(full_path)
    script_prefix = get_script_prefix().rstrip("/")
    path = parts.path
    if script_prefix and path.startswith(script_prefix):
        path = path[len(script_prefix) :]
    bare, _current = _unprefixed(path)
    new_path = script_prefix + _language_prefix(language) + bare
    return urlunsplit(("", "", new_path, parts.query, ""))


def alternates(request):
    """[(language code, language name, absolute address of this page in it)] for every
    language, the page's own included; empty for a page that exists in one language only."""
    path = request.path_info
    if not is_localised(path):
        return []
    full_path = request.get_full_path()
    return [
        (code, name, request.build_absolute_uri(language_url(full_path, code)))
        for code, name in settings.LANGUAGES
    ]
