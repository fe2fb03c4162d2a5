"""What the detainees app adds to pages of other apps: the detainees a declaration names."""

from django import template

from prisoners.models import Mention

register = template.Library()


@register.simple_tag
def named_detainees(declaration):
    """The mentions of published detainees in `declaration`, by the detainee's name: on its
    page, `{% named_detainees declaration as mentions %}`. One query."""
    return list(
        Mention.objects.filter(declaration=declaration, detainee__is_published=True)
        .select_related("detainee")
        .order_by("detainee__name")
    )
