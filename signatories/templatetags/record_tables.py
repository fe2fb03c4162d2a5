"""The rows of the tables of signatories and of declarations that most pages show.

A list page shows 50 rows; written as template code, each row costs dozens of variable
lookups, filters and URL reversals. These tags write the same markup in Python, with every
value escaped, the translations of the page's language, and each kind of address reversed
once a page (`declaration_site.lib.links.url_maker`).
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from declaration_site.lib.links import url_maker

from .bilingual import abbreviation, group_name, in_language, signed_group

register = template.Library()


@register.simple_tag
def signatory_rows(signatories):
    """`<tr>`s of `includes/_signatory_table.html`: name (linked), current country and
    group, declarations signed."""
    detail = url_maker("signatories:signatory_detail", "slug")
    rows = []
    for signatory in signatories:
        group = signatory.political_group
        if group is not None:
            group_cell = f'<abbr title="{esc(group_name(group))}">{esc(abbreviation(group))}</abbr>'
        else:
            group_cell = "—"
        rows.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{esc(detail(signatory.slug))}">'
            f"{esc(signatory.full_name)}</a></th>\n"
            f"      <td>{esc(signatory.country.name)}</td>\n"
            f"      <td>{group_cell}</td>\n"
            f'      <td class="num">{esc(intcomma(signatory.declaration_count))}</td>\n'
            "    </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


def _part_of(part, total):
    return gettext("%(part)s of %(total)s") % {
        "part": esc(intcomma(part)),
        "total": esc(intcomma(total)),
    }


@register.simple_tag
def declaration_rows(rows, column=""):
    """`<tr>`s of `includes/_declaration_table.html`: `rows` are declarations, or rows that
    have a `declaration` (signatures, mentions); `column` as that template says."""
    detail = url_maker("signatories:declaration_detail", "number")
    author = None
    html = []
    for row in rows:
        declaration = getattr(row, "declaration", None) or row
        title = in_language(*declaration.title_in())
        if getattr(row, "is_author", False):
            if author is None:
                author = esc(gettext("author"))
            title = f'{title} <span class="tag">{author}</span>'
        if column == "signed_as":
            last = f"<td>{esc(row.country.name)}, {signed_group(row.political_group)}</td>"
        elif column == "named_as":
            last = f"<td>{esc(row.name_as_written)}</td>"
        elif column == "group":
            part = _part_of(declaration.group_signature_count, declaration.signature_count)
            last = f'<td class="num">{part}</td>'
        elif column == "delegation":
            part = _part_of(declaration.delegation_count, declaration.signature_count)
            last = f'<td class="num">{part}</td>'
        else:
            last = f'<td class="num">{esc(intcomma(declaration.signature_count))}</td>'
        html.append(
            "\n    <tr>\n"
            f'      <td class="num">{esc(declaration.number)}</td>\n'
            f'      <td class="nowrap">{esc(date(declaration.date))}</td>\n'
            f'      <th scope="row"><a href="{esc(detail(declaration.number))}">{title}</a></th>\n'
            f"      {last}\n"
            "    </tr>\n    "
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def facet_options(field, choices):
    """The checkboxes of one facet of a filter form (`includes/_facet.html`): `choices` are
    (value, label, count, selected)."""
    name = esc(field.html_name)
    matching = None
    html = []
    for value, label, count, selected in choices:
        if matching is None:
            matching = esc(gettext("matching:"))
        html.append(
            "\n    "
            f'<label class="facet__option"><input type="checkbox" name="{name}" '
            f'value="{esc(str(value).lower())}"{" checked" if selected else ""}> '
            f'<span class="facet__label">{esc(label)}</span> <span class="count">'
            f'<span class="visually-hidden">{matching} </span>{esc(intcomma(count))}</span></label>'
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)
