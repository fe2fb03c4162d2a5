"""`{% load translations %}`, which the site's templates load in place of `{% load i18n %}`:
Django's i18n tags and filters, with one change: `{% translate %}` of a quoted string (with or
without `as`, `context` or `noop`) looks its translation up once a language, not on every
render.

A list page says twenty such messages; each cost 15–20 µs through the translation machinery
(the active language, the catalogues, escaping), as much as a row of its table. Django's own
`TranslateNode` still renders each the first time, so the result is the same.
"""

from django import template
from django.template.base import FilterExpression, Variable
from django.templatetags import i18n
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


class TranslatedOnceNode(template.Node):
    """A `TranslateNode` of a quoted message, rendered once for each language."""

    def __init__(self, node):
        self.node = node
        self.by_language = {}

    def render(self, context):
        language = translation.get_language()
        value = self.by_language.get(language)
        if value is None:
            value = self.by_language[language] = self._render(context)
        if self.node.asvar:
            context[self.node.asvar] = value
            return ""
        return value

    def _render(self, context):
        if not self.node.asvar:
            return self.node.render(context)
        scratch = template.Context(autoescape=context.autoescape)
        self.node.render(scratch)
        return scratch[self.node.asvar]


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = i18n.do_translate(parser, token)
    if is_literal(node.filter_expression) and (
        node.message_context is None or is_literal(node.message_context)
    ):
        return TranslatedOnceNode(node)
    return node
