"""The language switch and the hreflang alternates of every public page."""

from django import template
from django.conf import settings
from django.utils import translation

from declaration_site.i18n import alternates

register = template.Library()


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
        for code, name, url in alternates(request)
    ]
