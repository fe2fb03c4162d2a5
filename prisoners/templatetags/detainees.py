"""What the detainees app adds to pages of other apps: the detainees a declaration names; and
the rows of the table of detainees."""

import functools
from dataclasses import dataclass

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe
from django_countries.fields import Country

from declaration_site.lib.prepared import PreparedQuery
from declaration_site.lib.rendering import country_name, esc, number_text, url_maker
from prisoners.models import Detainee, DetentionStatus

register = template.Library()


@dataclass(frozen=True, slots=True)
class NamedDetainee:
    """A detainee a declaration names: the spelling it uses, the name the record keeps, and
    the address of the detainee's page."""

    name_as_written: str
    name: str
    url: str


@register.simple_tag
def named_detainees(declaration):
    """[NamedDetainee] of the public detainees `declaration` names, by the detainee's name:
    on its page, `{% named_detainees declaration as mentions %}`. One query of the three
    values shown, not mentions joined to whole detainees; the addresses from one reversal.

    Read from the public detainees joined to this declaration's mentions: the database finds
    the declaration's few mentions by its index, then each one's detainee. Asked as mentions
    whose detainee is `in` the public ones, SQLite walked every public detainee instead (1 ms
    at PACE's size, against 0.05 ms)."""
    detail = url_maker("prisoners:detainee_detail", "slug")
    rows = NAMED_IN.rows(None, declaration.pk)
    return [NamedDetainee(written, name, detail(slug)) for written, name, slug in rows]


# Built and compiled once a process (a declaration's page asks on every request).
NAMED_IN = PreparedQuery(
    lambda shape, declaration: (
        Detainee.objects.public()
        .filter(mentions__declaration=declaration)
        .order_by("name")
        .values_list("mentions__name_as_written", "name", "slug")
    )
)


@functools.lru_cache(maxsize=16)
def _status_labels(language):
    """{status: its name, escaped} in `language`."""
    with translation.override(language):
        return {value: esc(label) for value, label in DetentionStatus.choices}


@register.simple_tag
def detainee_rows(detainees):
    """`<tr>`s of `includes/_detainee_table.html`, written in Python rather than as template
    code (50 rows a page): name (linked), where held, status, declarations naming them, of
    `DetaineeRow`s (`Detainee.objects.with_counts().table_rows()`). Every value is escaped;
    addresses are reversed once, and each country's and status's name is looked up once."""
    detail = url_maker("prisoners:detainee_detail", "slug")
    statuses = _status_labels(translation.get_language())
    places = {}
    rows = []
    for detainee in detainees:
        code = detainee.country_code
        place = places.get(code)
        if place is None:
            place = places[code] = esc(country_name(Country(code)) or "—")
        status = detainee.status
        count = detainee.declaration_count
        rows.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{esc(detail(detainee.slug))}">'
            f"{esc(detainee.name)}</a></th>\n"
            f"      <td>{place}</td>\n"
            f"      <td>{statuses[status] if status in statuses else esc(status)}</td>\n"
            # Below 1,000, a number reads the same in every language.
            f'      <td class="num">{count if 0 <= count < 1000 else esc(number_text(count))}</td>\n'
            "    </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)
