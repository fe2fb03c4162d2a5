"""The rows of the tables of signatories and of declarations that most pages show.

A list page shows 50 rows; written as template code, each row costs dozens of variable
lookups, filters and URL reversals. These tags write the same markup in Python, with every
value escaped, the translations of the page's language, and each kind of address reversed
once a page (`declaration_site.lib.rendering`).
"""

import functools

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from declaration_site.lib.rendering import (
    Localised,
    esc,
    number_text,
    url_maker,
)

from .bilingual import group_labels, signed_group_html

register = template.Library()


@register.simple_tag
def signatory_rows(signatories):
    """`<tr>`s of `includes/_signatory_table.html`: name (linked), current country and
    group, declarations signed. `signatories` are `SignatoryRow`s (`table_rows()`)."""
    detail = url_maker("signatories:signatory_detail", "slug")
    local = Localised()
    # A table names a handful of groups and countries, each written once.
    group_cells, country_cells = {None: "—"}, {}
    rows = []
    for signatory in signatories:
        group_cell = group_cells.get(signatory.political_group_id)
        if group_cell is None:
            name, short = signatory.group_labels(local.french)
            group_cell = group_cells[signatory.political_group_id] = (
                f'<abbr title="{esc(name)}">{esc(short)}</abbr>'
            )
        country_cell = country_cells.get(signatory.country)
        if country_cell is None:
            country_cell = country_cells[signatory.country] = esc(local.country(signatory.country))
        rows.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{esc(detail(signatory.slug))}">'
            f"{esc(signatory.full_name)}</a></th>\n"
            f"      <td>{country_cell}</td>\n"
            f"      <td>{group_cell}</td>\n"
            f'      <td class="num">{esc(local.number(signatory.declaration_count))}</td>\n'
            "    </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def group_member_rows(signatories):
    """`<tr>`s of the signatories of a group's page: name (linked), current country and
    group (its abbreviation, "—" for none), and `signed_as_group`, the declarations they
    signed as members of the page's group."""
    detail = url_maker("signatories:signatory_detail", "slug")
    local = Localised()
    rows = []
    for signatory in signatories:
        group = signatory.political_group
        short = group_labels(group, local.french)[1] if group is not None else "—"
        rows.append(
            "\n      <tr>\n"
            f'        <th scope="row"><a href="{esc(detail(signatory.slug))}">'
            f"{esc(signatory.full_name)}</a></th>\n"
            f"        <td>{esc(local.country(signatory.country))}</td>\n"
            f"        <td>{esc(short)}</td>\n"
            f'        <td class="num">{esc(local.number(signatory.signed_as_group))}</td>\n'
            "      </tr>\n      "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


def _part_of(part, total, number=number_text):
    return gettext("%(part)s of %(total)s") % {
        "part": esc(number(part)),
        "total": esc(number(total)),
    }


@register.simple_tag
def declaration_rows(rows, column=""):
    """`<tr>`s of `includes/_declaration_table.html`: `rows` are declarations, or rows that
    have a `declaration` (signatures, mentions); `column` as that template says."""
    detail = url_maker("signatories:declaration_detail", "number")
    local = Localised()
    language = "fr" if local.french else "en"
    author = None
    groups = {}  # a signatory signs as one or two groups: each written once
    html = []
    for row in rows:
        declaration = getattr(row, "declaration", None) or row
        title, title_language = declaration.title_in(language)
        title = esc(title)
        if title_language != language:
            title = f'<span lang="{title_language}">{title}</span>'
        if getattr(row, "is_author", False):
            if author is None:
                author = esc(gettext("author"))
            title = f'{title} <span class="tag">{author}</span>'
        if column == "signed_as":
            group = row.political_group
            key = None if group is None else group.pk
            if key not in groups:
                groups[key] = signed_group_html(group, local.french)
            last = f"<td>{esc(local.country(row.country))}, {groups[key]}</td>"
        elif column == "named_as":
            last = f"<td>{esc(row.name_as_written)}</td>"
        elif column == "group":
            part = _part_of(
                declaration.group_signature_count, declaration.signature_count, local.number
            )
            last = f'<td class="num">{part}</td>'
        elif column == "delegation":
            part = _part_of(declaration.delegation_count, declaration.signature_count, local.number)
            last = f'<td class="num">{part}</td>'
        else:
            last = f'<td class="num">{esc(local.number(declaration.signature_count))}</td>'
        html.append(
            "\n    <tr>\n"
            f'      <td class="num">{esc(declaration.number)}</td>\n'
            f'      <td class="nowrap">{esc(local.date(declaration.date))}</td>\n'
            f'      <th scope="row"><a href="{esc(detail(declaration.number))}">{title}</a></th>\n'
            f"      {last}\n"
            "    </tr>\n    "
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def facet_options(field, choices):
    """The checkboxes of one facet of a filter form (`includes/_facet.html`): `choices` are
    (value, label, count, selected)."""
    if not choices:
        return ""
    local = Localised()
    matching = esc(gettext("matching:"))
    html = []
    for value, label, count, selected in choices:
        before, after = _facet_option(field.html_name, value, str(label), matching)
        checked = " checked" if selected else ""
        html.append(f"{before}{checked}{after}{esc(local.number(count))}</span></label>")
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


@functools.lru_cache(maxsize=1024)
def _facet_option(name, value, label, matching):
    """The markup of one checkbox of a facet, before and after its `checked` and its count:
    the same on every page in one language, so written once."""
    before = (
        f'\n    <label class="facet__option"><input type="checkbox" name="{esc(name)}" '
        f'value="{esc(str(value).lower())}"'
    )
    after = (
        f'> <span class="facet__label">{esc(label)}</span> <span class="count">'
        f'<span class="visually-hidden">{matching} </span>'
    )
    return before, after


@register.simple_tag
def signature_rows(signatures):
    """`<tr>`s of a declaration's table of signatures: position, signatory (linked, "author"
    for the first), country and group as of signing."""
    detail = url_maker("signatories:signatory_detail", "slug")
    local = Localised()
    author = esc(gettext("author"))
    # A list has a few groups and delegations for dozens of signatures: each cell once.
    countries, groups = {}, {}
    html = []
    for signature in signatures:
        signatory = signature.signatory
        tag = f' <span class="tag">{author}</span>' if signature.is_author else ""
        country = signature.country
        country_cell = countries.get(country.code)
        if country_cell is None:
            country_cell = countries[country.code] = esc(local.country(country))
        group = signature.political_group
        key = None if group is None else group.pk
        group_cell = groups.get(key)
        if group_cell is None:
            group_cell = groups[key] = signed_group_html(group, local.french)
        html.append(
            "\n        <tr>\n"
            f'          <td class="num">{esc(signature.position)}</td>\n'
            f'          <th scope="row"><a href="{esc(detail(signatory.slug))}">'
            f"{esc(signatory.full_name)}</a>{tag}</th>\n"
            f"          <td>{country_cell}</td>\n"
            f"          <td>{group_cell}</td>\n"
            "        </tr>\n        "
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def co_signer_rows(co_signers):
    """`<tr>`s of the table of those who signed most often with a signatory, on their page:
    name (linked), current country and group, declarations in common."""
    detail = url_maker("signatories:signatory_detail", "slug")
    local = Localised()
    html = []
    for other in co_signers:
        # Only the abbreviations of the group are read (co_signers_of()): what `abbreviation`
        # gives.
        group = other.political_group
        if group is None:
            short = "—"
        else:
            short = (local.french and group.abbreviation_fr) or group.abbreviation
        html.append(
            "\n      <tr>\n"
            f'        <th scope="row"><a href="{esc(detail(other.slug))}">'
            f"{esc(other.full_name)}</a></th>\n"
            f"        <td>{esc(local.country(other.country))}</td>\n"
            f"        <td>{esc(short)}</td>\n"
            f'        <td class="num">{esc(local.number(other.shared_count))}</td>\n'
            "      </tr>\n      "
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


def _bar(count, width, number):
    return (
        f'<td class="num">{esc(number(count))}</td><td class="bar-cell">'
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" width="100%" '
        'height="12" aria-hidden="true" focusable="false">'
        f'<rect width="{float(width):.1f}" height="10"></rect></svg></td>'
    )


@register.simple_tag
def group_bar_rows(bars):
    """`<tr>`s of the signatures by political group: [(group or None, count, width)]."""
    detail = url_maker("signatories:group_detail", "slug")
    local = Localised()
    html = []
    for group, count, width in bars:
        if group:
            short = group_labels(group, local.french)[1]
            label = f'<a href="{esc(detail(group.slug))}">{esc(short)}</a>'
        else:
            label = signed_group_html(group, local.french)
        html.append(
            f'\n          <tr><th scope="row">{label}</th>{_bar(count, width, local.number)}</tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def country_bar_rows(bars):
    """`<tr>`s of the signatures by country: [(Country, count, width)], each country linked
    to its delegation's page."""
    detail = url_maker("signatories:country_detail", "code")
    local = Localised()
    html = []
    for country, count, width in bars:
        html.append(
            f'\n          <tr><th scope="row"><a href="{esc(detail(country.code.lower()))}">'
            f"{esc(local.country(country))}</a></th>{_bar(count, width, local.number)}</tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)
