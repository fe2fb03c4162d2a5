"""`{% load translations %}`, which the site's templates load in place of `{% load i18n %}`:
Django's i18n tags and filters, with one change: `{% translate %}` of a quoted string (with or
without `as`, `context` or `noop`) looks its translation up once a language, not on every
render.

A list page says twenty such messages; each cost 15–20 µs through the translation machinery
(the active language, the catalogues, escaping), as much as a row of its table. Django's own
`TranslateNode` still renders each the first time, so the result is the same.

It also gives `{% url %}`, Django's, with the same kind of change: the address of a quoted
name with quoted arguments or none (`{% url "signatories:signatory_list" %}`) is reversed
once for each language, script prefix, URL configuration and current application, by
Django's own `URLNode`, and kept.
"""

from django import template
from django.template import defaulttags
from django.template.base import FilterExpression, Variable
from django.templatetags import i18n
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

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
    """A `URLNode` whose name and arguments are quoted strings, rendered once for each
    language, script prefix, URL configuration and current application (what reversing
    depends on besides them)."""

    def key(self, context):
        return (
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            _current_app(context),
            context.autoescape,
        )


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
    if is_literal(node.view_name) and all(
        is_literal(value) for value in [*node.args, *node.kwargs.values()]
    ):
        return ReversedOnceNode(node)
    return node
