"""The main navigation of every page (`{% site_nav %}` in base.html)."""

import functools

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (URL name, section, label): the sections of the site, in the order of the menu.
SECTIONS = [
    ("signatories:declaration_list", "declarations", _("Declarations")),
    ("signatories:signatory_list", "signatories", _("Signatories")),
    ("signatories:group_list", "groups", _("Groups")),
    ("signatories:country_list", "countries", _("Countries")),
    ("prisoners:detainee_list", "detainees", _("Detainees")),
    ("statistics", "statistics", _("Statistics")),
    ("search", "search", _("Search")),
]


@functools.lru_cache(maxsize=64)
def _links(language, script_prefix, urlconf):
    """[(address, section, label)] in `language`: reversed and translated once per language,
    not on every page. A section whose page this configuration lacks is left out."""
    links = []
    with translation.override(language):
        for url_name, key, label in SECTIONS:
            try:
                links.append((reverse(url_name, urlconf=urlconf), key, str(label)))
            except NoReverseMatch:
                continue
    return links


@register.simple_tag(takes_context=True)
def site_nav(context):
    """`<li>`s of the main menu; the current section's link says `aria-current` ("page" on
    the section's own address, "true" below it)."""
    section = context.get("section")
    request = context.get("request")
    path = request.path if request is not None else None
    items = []
    links = _links(
        translation.get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    for href, key, label in links:
        current = ""
        if section == key:
            current = f' aria-current="{"page" if path == href else "true"}"'
        items.append(f'<li><a href="{esc(href)}"{current}>{esc(label)}</a></li>')
    return mark_safe("\n          ".join(items))  # noqa: S308 (every value is escaped)
