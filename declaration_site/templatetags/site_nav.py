"""The frame of every page (base.html): the main navigation (`{% site_nav %}`), and the parts
rendered once a language (`{% same_every_page %}`)."""

import functools

from django import template
from django.conf import settings
from django.template.base import TextNode
from django.template.defaulttags import URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .translations import ReversedOnceNode, TranslatedOnceNode, is_literal

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


# {% same_every_page %}: parts of the page frame rendered once a language


_ALLOWED = (TextNode, TranslateNode, TranslatedOnceNode, URLNode, ReversedOnceNode, StaticNode)


def _check_constant(nodelist, token):
    for node in nodelist:
        constant = isinstance(node, _ALLOWED)
        if isinstance(node, TranslatedOnceNode | ReversedOnceNode):
            node = node.node
        if isinstance(node, TranslateNode):
            constant = node.asvar is None and node.message_context is None and node.noop is False
            constant = constant and is_literal(node.filter_expression)
        elif isinstance(node, URLNode):
            constant = (
                node.asvar is None
                and is_literal(node.view_name)
                and not node.args
                and not node.kwargs
            )
        elif isinstance(node, StaticNode):
            constant = node.varname is None and is_literal(node.path)
        if not constant:
            raise template.TemplateSyntaxError(
                f"{{% same_every_page %}} at line {token.lineno} holds only text, "
                f"{{% translate %}}, {{% url %}} and {{% static %}} of quoted strings, "
                f"not {node.__class__.__name__}."
            )


class SameEveryPageNode(template.Node):
    # What it holds is constant (`_check_constant()`): no block, nothing another tag looks
    # for. Not searched, then, by `{% extends %}`, which looks for the base's blocks through
    # every node of it on every render.
    child_nodelists = ()

    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key
        self.rendered = {}

    def render(self, context):
        if settings.DEBUG:  # templates change while one develops
            return self.nodelist.render(context)
        # What the markup depends on, the same for every such block of a page: read once.
        key = context.render_context.get(SameEveryPageNode)
        if key is None:
            key = context.render_context[SameEveryPageNode] = (
                translation.get_language(),
                get_script_prefix(),
                get_urlconf() or settings.ROOT_URLCONF,
                settings.STATIC_URL,
            )
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def same_every_page(parser, token):
    """`{% same_every_page %}...{% end_same_every_page %}`: a part of the page frame that is
    the same on every page of one language (text, `{% translate "…" %}`, `{% url "name" %}`,
    `{% static "path" %}` of quoted strings; anything else is a template error), rendered
    once per language and address prefix instead of on every request."""
    nodelist = parser.parse(("end_same_every_page",))
    parser.delete_first_token()
    _check_constant(nodelist, token)
    return SameEveryPageNode(nodelist, token.lineno)
