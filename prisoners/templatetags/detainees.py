"""What the detainees app adds to pages of other apps: the detainees a declaration names; and
the rows of the table of detainees."""

from django import template
from django.utils.safestring import mark_safe

from declaration_site.lib.rendering import choice_label, country_name, esc, number_text, url_maker
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


@register.simple_tag
def detainee_rows(detainees):
    """`<tr>`s of `includes/_detainee_table.html`, written in Python rather than as template
    code (50 rows a page): name (linked), where held, status, declarations naming them. Every
    value is escaped; addresses are reversed once."""
    detail = url_maker("prisoners:detainee_detail", "slug")
    rows = []
    for detainee in detainees:
        rows.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{esc(detail(detainee.slug))}">'
            f"{esc(detainee.name)}</a></th>\n"
            f"      <td>{esc(country_name(detainee.country) or '—')}</td>\n"
            f"      <td>{esc(choice_label(detainee, 'status'))}</td>\n"
            f'      <td class="num">{esc(number_text(detainee.declaration_count))}</td>\n'
            "    </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)
