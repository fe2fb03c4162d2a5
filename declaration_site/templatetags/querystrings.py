"""`{% querystring %}` for the links of the list pages (the pages, the CSV of the list)."""

from collections.abc import Iterable

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def querystring(context, query_dict=None, **kwargs):
    """Django's `{% querystring %}`, the same arguments and the same result, without the deep
    copy of the whole query that Django's makes for each link (a list page writes four):

        {% load querystrings %}<a href="{% querystring page=page_obj.next_page_number %}">
    """
    if query_dict is None:
        query_dict = context.request.GET
    params = QueryDict(mutable=True, encoding=query_dict.encoding)
    for key, values in query_dict.lists():
        params.setlist(key, list(values))
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, Iterable) and not isinstance(value, str):
            params.setlist(key, value)
        else:
            params[key] = value
    if not params and not query_dict:
        return ""
    return f"?{params.urlencode()}"
