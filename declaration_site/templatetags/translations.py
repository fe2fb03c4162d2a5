"""`{% load translations %}`, which the site's templates load in place of `{% load i18n %}`:
Django's i18n tags and filters, with one change: `{% translate %}` of a quoted string (with or
without `as`, `context` or `noop`) looks its translation up once a language, not on every
render.

A list page says twenty such messages; each cost 15–20 µs through the translation machinery
(the active language, the catalogues, escaping), as much as a row of its table. Django's own
`TranslateNode` still renders each the first time, so the result is the same.

It also gives `{% url %}`, Django's, with the same kind of change: the address of a name
(quoted, or a variable) with quoted arguments or none (`{% url "signatories:signatory_list" %}`)
is reversed once for each language, script prefix, URL configuration and current application,
by Django's own `URLNode`, and kept. The address of a quoted name with one argument that
varies (`{% url "signatories:signature_csv" declaration.number %}`) is written by its route
(`ReversedByRouteNode`), as reverse() would write it.
"""

from decimal import Decimal

from django import template
from django.conf import settings
from django.template import defaulttags
from django.template.base import FilterExpression, Variable, render_value_in_context
from django.templatetags import i18n
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from declaration_site.lib.addresses import reverse_one

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


def is_literal(expression):
    """Whether a template expression is a quoted string without filters."""
    if not isinstance(expression, FilterExpression) or expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.literal is not None)


class RenderedOnceNode(template.Node):
    """One of Django's nodes whose output depends only on `key(context)`: rendered by that
    node once for each key and kept. With `as`, the kept value is set in the context."""

    def __init__(self, node):
        self.node = node
        self.kept = {}

    def key(self, context):
        raise NotImplementedError

    def render(self, context):
        key = self.key(context)
        value = self.kept.get(key)
        if value is None:
            value = self.kept[key] = self._render(context)
        if self.node.asvar:
            context[self.node.asvar] = value
            return ""
        return value

    def _render(self, context):
        if not self.node.asvar:
            return self.node.render(context)
        scratch = template.Context(autoescape=context.autoescape)
        scratch.request = getattr(context, "request", None)
        self.node.render(scratch)
        return scratch.get(self.node.asvar, "")


class TranslatedOnceNode(RenderedOnceNode):
    """A `TranslateNode` of a quoted message, rendered once for each language."""

    def key(self, context):
        return translation.get_language()


class BlockTranslatedNode(i18n.BlockTranslateNode):
    """Django's `BlockTranslateNode`, which for every render writes out its message again
    from the template's tokens, looks its translation up, and writes each whole number through
    the localisation machinery: here the message is written out once, its translation (without
    a plural) looked up once a language, and a whole number written as that machinery writes
    it when no thousands separator is used (`USE_THOUSAND_SEPARATOR`). A message with a
    context, or one whose translation does not take its values, renders as Django's does."""

    def __init__(self, node):
        super().__init__(**{name: getattr(node, name) for name in _BLOCK_TRANSLATE_ARGUMENTS})
        self.messages = {}
        self.translations = {}

    def render_token_list(self, tokens):
        key = id(tokens)  # the node's own singular or plural, for as long as the node lives
        kept = self.messages.get(key)
        if kept is None:
            kept = self.messages[key] = super().render_token_list(tokens)
        return kept[0], list(kept[1])

    def render(self, context, nested=False):
        if nested or self.message_context or context.template.engine.string_if_invalid:
            return super().render(context, nested)
        context.update({var: value.resolve(context) for var, value in self.extra_context.items()})
        try:
            singular, names = self.render_token_list(self.singular)
            if self.plural and self.countervar and self.counter:
                count = self.counter.resolve(context)
                if not isinstance(count, Decimal | float | int):
                    return super().render(context)  # Django's error
                context[self.countervar] = count
                plural, plural_names = self.render_token_list(self.plural)
                message = translation.ngettext(singular, plural, count)
                names += plural_names
            else:
                language = translation.get_language()
                message = self.translations.get(language)
                if message is None:
                    message = self.translations[language] = translation.gettext(singular)
            grouped = settings.USE_THOUSAND_SEPARATOR
            data = {
                name: (
                    str(value)
                    if type(value) is int and not grouped
                    else render_value_in_context(value, context)
                )
                for name in names
                for value in [context.get(name, "")]
            }
        finally:
            context.pop()
        try:
            result = message % data
        except (KeyError, ValueError):
            return super().render(context)
        if self.asvar:
            context[self.asvar] = SafeString(result)
            return ""
        return result


_BLOCK_TRANSLATE_ARGUMENTS = (
    "extra_context",
    "singular",
    "plural",
    "countervar",
    "counter",
    "message_context",
    "trimmed",
    "asvar",
    "tag_name",
)


@register.tag("blocktranslate")
@register.tag("blocktrans")
def blocktranslate(parser, token):
    return BlockTranslatedNode(i18n.do_block_translate(parser, token))


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = i18n.do_translate(parser, token)
    if is_literal(node.filter_expression) and (
        node.message_context is None or is_literal(node.message_context)
    ):
        return TranslatedOnceNode(node)
    return node


class ReversedOnceNode(RenderedOnceNode):
    """A `URLNode` whose arguments are quoted strings (or none), rendered once for each name
    (a quoted one, or a variable's value), language, script prefix, URL configuration and
    current application (what reversing depends on besides them)."""

    def __init__(self, node):
        super().__init__(node)
        # A quoted name, read once; a variable's, on each render.
        self.name = (
            node.view_name.resolve(template.Context()) if is_literal(node.view_name) else None
        )

    def key(self, context):
        return (
            self.name or self.node.view_name.resolve(context),
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            _current_app(context),
            context.autoescape,
        )


class ReversedByRouteNode(template.Node):
    """A `URLNode` of a quoted name and one argument that varies: its address written by
    `reverse_one()` (lib/addresses.py), which finds the address around a route's one
    parameter once and puts each value in its place, as reverse() would write it."""

    child_nodelists = ()

    def __init__(self, node):
        self.node = node
        self.name = node.view_name.resolve(template.Context())
        if node.args:
            self.argument, self.kwarg = node.args[0], None
        else:
            [(self.kwarg, self.argument)] = node.kwargs.items()

    def render(self, context):
        value = self.argument.resolve(context)
        try:
            url = reverse_one(self.name, value, self.kwarg, current_app=_current_app(context))
        except NoReverseMatch:
            if self.node.asvar is None:
                raise
            url = ""
        if self.node.asvar:
            context[self.node.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def _current_app(context):
    """The current application, as URLNode finds it."""
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app


@register.tag("url")
def url(parser, token):
    node = defaulttags.url(parser, token)
    arguments = [*node.args, *node.kwargs.values()]
    if all(is_literal(value) for value in arguments):
        return ReversedOnceNode(node)
    if is_literal(node.view_name) and len(arguments) == 1:
        return ReversedByRouteNode(node)
    return node
