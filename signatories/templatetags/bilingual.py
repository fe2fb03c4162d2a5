"""Declarations and political groups in the page's language.

A declaration's title and text are shown in the page's language where it is recorded, else in
the other one, marked with `lang` so that screen readers and translators know; a group's French
abbreviation and name are shown on French pages where recorded; a signature PACE printed
without a group says so.
"""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


def _page_language():
    return (translation.get_language() or "en")[:2]


def in_language(value, language):
    """`value` escaped, in a `<span lang>` when `language` is not the page's."""
    if language == _page_language():
        return format_html("{}", value)
    return format_html('<span lang="{}">{}</span>', language, value)


@register.simple_tag
def declaration_title(declaration):
    """The title in the page's language, or in the other one marked with its `lang`:
    `{% declaration_title declaration %}`."""
    return in_language(*declaration.title_in())


@register.filter
def title_text(declaration):
    """The title in the page's language where recorded, as plain text (for `<title>`)."""
    return declaration.title_in()[0]


@register.filter
def foreign_language(language):
    """`language` when it is not the page's, else "": `<div{% if lang|foreign_language %}
    lang="{{ lang }}"{% endif %}>`."""
    return language if language and language != _page_language() else ""


@register.filter
def abbreviation(group):
    """The group's abbreviation in the page's language: PPE/DC on French pages, EPP/CD on
    English ones (the English one where no French one is recorded)."""
    if group is None:
        return ""
    if _page_language() == "fr" and group.abbreviation_fr:
        return group.abbreviation_fr
    return group.abbreviation


@register.filter
def group_name(group):
    """The group's full name in the page's language, where recorded."""
    if group is None:
        return ""
    if _page_language() == "fr" and group.name_fr:
        return group.name_fr
    return group.name


def group_labels(group, french):
    """(full name, abbreviation) of `group`, in French where `french` and recorded: what
    `group_name` and `abbreviation` give, for tables that know the page's language already."""
    if french:
        return group.name_fr or group.name, group.abbreviation_fr or group.abbreviation
    return group.name, group.abbreviation


@register.simple_tag
def signed_group(group):
    """The group of a signature, as of signing: its abbreviation with the full name as its
    title, or "no group printed" where PACE printed none."""
    return signed_group_html(group, _page_language() == "fr")


def signed_group_html(group, french):
    """`signed_group(group)`, in French where `french`: for tables that know the page's
    language already."""
    if group is None:
        return format_html('<span class="no-group">{}</span>', gettext("no group printed"))
    return format_html('<abbr title="{}">{}</abbr>', *group_labels(group, french))
