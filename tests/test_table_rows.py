"""The rows of the long tables (signatories, declarations, signatures, detainees) are written by
template tags in Python: what a visitor reads there is escaped, linked and translated as the
rest of the page, in English and in French."""

import datetime
import html
import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template, TemplateSyntaxError
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import translation

from declaration_site.lib.rendering import date_text, esc, number_text, url_maker

from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

pytestmark = pytest.mark.django_db


def rows(response):
    """The body rows of the page's tables, as the text of each cell."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.DOTALL):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL)
        found.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return found


@pytest.mark.parametrize(
    "value",
    ["", "Åberg", "Åberg & Sons", "O'Brien", '"quoted"', "<b>", "a>b<c", "&amp;", 695, 6.5, None],
)
def test_a_cell_is_escaped_as_the_template_language_escapes_it(value):
    template = Template("{{ value }}")
    assert esc(value) == template.render(Context({"value": value}))
    assert esc(value) == html.escape(str(value))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_addresses_built_by_prefix_are_those_django_reverses(language):
    with translation.override(language):
        for name, kwarg, value in [
            ("signatories:signatory_detail", "slug", "boriana-aberg"),
            ("signatories:declaration_detail", "number", 695),
            ("prisoners:detainee_detail", "slug", "jan-kowalski"),
            ("signatories:country_detail", "code", "fr"),
        ]:
            assert url_maker(name, kwarg)(value) == reverse(name, kwargs={kwarg: value})


@pytest.mark.parametrize("language", ["en", "fr"])
def test_numbers_and_dates_read_as_the_template_filters_write_them(language):
    with translation.override(language):
        for number in (0, 7, 999, 1000, 20369, 1234567):
            assert number_text(number) == intcomma(number)
        for day in (datetime.date(2009, 1, 5), datetime.date(2024, 12, 31)):
            assert date_text(day) == date(day)


def test_signatory_rows_escape_names_and_link_each_signatory(client):
    declaration = make_declaration()
    signatory = make_signatory(family_name="<b>BOLD</b>", given_name="Ann & Co")
    make_signature(declaration, signatory)
    response = client.get("/signatories/")
    page = response.content.decode()
    assert "<b>BOLD</b>" not in page
    assert "Ann &amp; Co &lt;b&gt;BOLD&lt;/b&gt;" in page
    assert f'<a href="{signatory.get_absolute_url()}">' in page
    assert ["Ann & Co <b>BOLD</b>", "France", "SOC", "1"] in rows(response)


def test_french_rows_show_french_country_group_and_dates(client):
    declaration = make_declaration(date=datetime.date(2021, 2, 3), title_fr="Titre français")
    signatory = make_signatory(country="DE", political_group=group("EPP/CD"))
    make_signature(declaration, signatory)
    signatories = rows(client.get("/fr/signatories/"))
    assert ["Jane DOE", "Allemagne", "PPE/DC", "1"] in signatories
    declarations = rows(client.get("/fr/declarations/"))
    assert [str(declaration.number), "3 février 2021", "Titre français", "1"] in declarations
    assert (
        f'href="/fr/declarations/{declaration.number}/"'
        in client.get("/fr/declarations/").content.decode()
    )


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_a_signatory_reads_alike_on_the_list_their_country_and_the_search(client, prefix):
    declaration = make_declaration()
    grouped = make_signatory(family_name="GROUPED", country="DE", political_group=group("EPP/CD"))
    alone = make_signatory(family_name="ALONE", country="DE")
    for signatory in (grouped, alone):
        make_signature(declaration, signatory)
    # Left without a group by a curator (the affiliation set by hand).
    alone.refresh_from_db()
    alone.political_group, alone.affiliation_is_manual = None, True
    alone.save()
    pages = [
        client.get(f"{prefix}/signatories/?country=de"),
        client.get(f"{prefix}/countries/de/"),
        client.get(f"{prefix}/search/?q=e"),
    ]
    country = "Allemagne" if prefix else "Germany"
    group_shown = "PPE/DC" if prefix else "EPP/CD"
    for response in pages:
        assert ["Jane GROUPED", country, group_shown, "1"] in rows(response)
        assert ["Jane ALONE", country, "—", "1"] in rows(response)
        page = response.content.decode()
        title = "Groupe du Parti populaire" if prefix else "Group of the European People"
        assert f'<abbr title="{title}' in page


def test_a_declaration_lists_its_signatures_in_order_with_the_author_marked(client):
    declaration = make_declaration()
    first = make_signatory(family_name="FIRST")
    second = make_signatory(family_name="SECOND", country="IT", political_group=group("EPP/CD"))
    make_signature(declaration, first)
    make_signature(declaration, second)
    table = rows(client.get(declaration.get_absolute_url()))
    assert ["1", "Jane FIRST author", "France", "SOC"] in table
    assert ["2", "Jane SECOND", "Italy", "EPP/CD"] in table


def test_detainee_rows_show_where_held_and_status_in_the_page_language(client):
    declaration = make_declaration()
    detainee = make_detainee(name="Jan <Kowalski>", country="BY")
    make_mention(declaration, detainee)
    english = rows(client.get("/detainees/"))
    french = rows(client.get("/fr/detainees/"))
    assert english[1][:2] == ["Jan <Kowalski>", "Belarus"]
    assert french[1][:2] == ["Jan <Kowalski>", "Biélorussie"]
    with translation.override("en"):
        assert english[1][2] == detainee.get_status_display()
    with translation.override("fr"):
        assert french[1][2] == detainee.get_status_display()


def test_the_fixed_parts_of_the_page_frame_take_no_variable():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load site_nav %}{% same_every_page %}{{ user }}{% end_same_every_page %}")
    with pytest.raises(TemplateSyntaxError):
        Template(
            "{% load site_nav i18n %}{% same_every_page %}{% translate title %}"
            "{% end_same_every_page %}"
        )
    fixed = Template(
        '{% load site_nav i18n %}{% same_every_page %}{% translate "Search" %} '
        '{% url "home" %}{% end_same_every_page %}'
    )
    assert fixed.render(Context()) == "Search /"
    with translation.override("fr"):
        assert fixed.render(Context()) == "Rechercher /fr/"
