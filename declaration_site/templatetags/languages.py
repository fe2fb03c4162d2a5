"""The language switch and the hreflang alternates of every public page."""

from django import template
from django.conf import settings
from django.urls import get_urlconf
from django.utils import translation

from declaration_site.i18n import alternates, is_localised, language_url

register = template.Library()

# Whether the pages of one URL pattern exist in every language, by (route, view name, URL
# configuration): as many entries as the site has patterns, each resolved once rather than on
# every page.
_localised_routes = {}


def _alternates(request):
    """`declaration_site.i18n.alternates(request)`, without resolving the address again in
    every language for each request of a page whose URL pattern is known."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # an address that matched no pattern: the "not found" page
        return alternates(request)
    key = (match.route, match.view_name, get_urlconf() or settings.ROOT_URLCONF)
    localised = _localised_routes.get(key)
    if localised is None:
        localised = _localised_routes[key] = is_localised(request.path_info)
    if not localised:
        return []
    full_path = request.get_full_path()
    return [
        (code, name, request.build_absolute_uri(language_url(full_path, code)))
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def page_languages(context):
    """This page in every language, for `<link rel="alternate" hreflang>` and the switch:
    [{"code", "name", "url" (absolute), "current", "default"}], empty for a page in one language only (the
    API's documentation) or without a request (the 503 page).

        {% page_languages as languages %}
    """
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": url,
            "current": code == current,
            "default": code == settings.LANGUAGE_CODE,
        }
        for code, name, url in _alternates(request)
    ]
