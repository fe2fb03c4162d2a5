"""The public list of signatories (/signatories/) and a signatory's page."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.urls import reverse

from signatories.models import Declaration

from .factories import group, make_declaration, make_signatory, make_signature

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

LIST = reverse("signatories:signatory_list")


class _RowHeaders(HTMLParser):
    """The text of every <th scope="row">: the first cell of each table row."""

    def __init__(self):
        super().__init__()
        self.rows = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "th" and ("scope", "row") in attrs:
            self._inside = True
            self.rows.append("")

    def handle_endtag(self, tag):
        if tag == "th":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.rows[-1] += data


def row_headers(response):
    parser = _RowHeaders()
    parser.feed(response.content.decode())
    return [" ".join(row.split()) for row in parser.rows]


def listed(client, query):
    """The family names a filter lists, checked against the rows of the HTML table."""
    response = client.get(LIST + query)
    assert response.status_code == 200
    signatories = list(response.context["object_list"])
    assert row_headers(response) == [signatory.full_name for signatory in signatories]
    return {signatory.family_name for signatory in signatories}


def test_country_filter_lists_the_italian_delegation(client, demo):
    assert listed(client, "?country=IT") == {
        "BERLINGHIERI",
        "BUCCARELLA",
        "MANIERO",
        "MARILOTTI",
        "RAMPI",
    }


def test_country_filter_ignores_case_and_can_be_repeated(client, demo):
    assert listed(client, "?country=it&country=FR") == {
        "BERLINGHIERI",
        "BUCCARELLA",
        "MANIERO",
        "MARILOTTI",
        "RAMPI",
        "GATTOLIN",
        "MAIRE",
    }


def test_group_filter_lists_the_members_of_the_group(client, demo):
    assert listed(client, "?group=uel") == {"GAVAN", "HUNKO", "JALLOW", "PRINGLE"}


def test_country_and_group_filters_combine(client, demo):
    assert listed(client, "?country=gb&group=soc") == {"COAKER", "FOULKES", "JONES", "MURRAY"}


def test_group_filter_can_be_repeated(client, demo):
    assert listed(client, "?group=uel&group=alde") == {
        "GAVAN",
        "HUNKO",
        "JALLOW",
        "PRINGLE",
        "GATTOLIN",
        "KOPŘIVA",
        "MAIRE",
    }


@pytest.mark.parametrize(
    ("query", "family_name"),
    [("aberg", "ÅBERG"), ("cilevics", "CILEVIČS"), ("AEVARSDOTTIR", "ÆVARSDÓTTIR")],
)
def test_name_search_ignores_case_and_accents(client, demo, query, family_name):
    assert listed(client, f"?q={query}") == {family_name}


def test_name_search_matches_given_and_family_names_in_any_order(client, demo):
    assert listed(client, "?q=gattolin+andre") == {"GATTOLIN"}


def test_declaration_filter_lists_who_signed_it(client, demo):
    assert len(listed(client, "?declaration=695")) == 25
    other = make_declaration(number=700)
    make_signature(other, make_signatory(family_name="OTHER"))
    assert listed(client, "?declaration=700") == {"OTHER"}


@pytest.fixture
def group_changer(db):
    """Signed declaration 600 as SOC for Austria, then 601 as ALDE for Germany (now current)."""
    first = make_declaration(number=600, date=datetime.date(2018, 1, 1))
    second = make_declaration(number=601, date=datetime.date(2019, 1, 1))
    changer = make_signatory(family_name="CHANGER", country="DE", political_group=group("ALDE"))
    make_signature(first, changer, country="AT", political_group=group("SOC"))
    make_signature(second, changer)
    steady = make_signatory(family_name="STEADY", country="AT", political_group=group("SOC"))
    make_signature(first, steady)
    make_signature(second, steady)
    return changer


def test_group_filter_matches_the_current_group(client, group_changer):
    assert listed(client, "?group=soc") == {"STEADY"}
    assert listed(client, "?group=alde") == {"CHANGER"}


def test_group_filter_with_a_declaration_matches_the_group_as_of_signing_it(client, group_changer):
    assert listed(client, "?declaration=600&group=soc") == {"CHANGER", "STEADY"}
    assert listed(client, "?declaration=601&group=soc") == {"STEADY"}
    assert listed(client, "?declaration=600&group=alde") == set()


def test_country_filter_with_a_declaration_matches_the_country_as_of_signing_it(
    client, group_changer
):
    assert listed(client, "?country=at") == {"STEADY"}
    assert listed(client, "?declaration=600&country=at") == {"CHANGER", "STEADY"}
    assert listed(client, "?declaration=601&country=de") == {"CHANGER"}


def test_list_says_how_many_signatories_match(client, demo):
    response = client.get(LIST + "?country=it")
    assert "5 signatories match" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?sort=signed",
        "?country=it",
        "?country=it&country=gb&country=it",
        "?group=soc",
        "?group=soc&group=epp-cd&country=gb",
        "?q=an&group=soc",
        "?q=an&country=it&country=fr",
        "?country=fr&group=uel",
        "?declaration=695&country=it",
        "?declaration=695&group=soc&q=an",
        "?country=it&declaration=abc",
    ],
)
def test_the_total_a_list_states_is_the_number_of_rows_it_lists(client, demo, query):
    # Two pages of French members, and one who signed only a draft, to be left out.
    for number in range(55):
        make_signature(demo, make_signatory(family_name=f"ZED{number:02}", country="FR"))
    make_signature(make_declaration(number=800, status="draft"), make_signatory(country="IT"))
    response = client.get(LIST + query)
    listed_everywhere = [row.slug for row in response.context["object_list"]]
    page = 2
    while response.context["page_obj"].has_next():
        response = client.get(LIST + query + f"&page={page}")
        listed_everywhere += [row.slug for row in response.context["object_list"]]
        page += 1
    count = response.context["paginator"].count
    assert count == len(listed_everywhere) == len(set(listed_everywhere))
    shown = f"{count} signator{'y matches' if count == 1 else 'ies match'}"
    assert shown in response.content.decode()


def test_any_choice_of_countries_and_groups_reads_only_its_rows(
    client, demo, django_assert_num_queries
):
    client.get(LIST)  # the filters' choices and the counts by affiliation, kept until a change
    # The facets and the list's size are sums of the counts kept: one query, for the rows.
    with django_assert_num_queries(1):
        response = client.get(LIST + "?country=it&group=soc")
    assert response.context["paginator"].count == 2
    with django_assert_num_queries(1):
        response = client.get(LIST + "?country=gb&country=it&group=nr&sort=signed")
    assert response.context["paginator"].count == 3
    # A name or a declaration changes the counts: counted once, then the rows.
    with django_assert_num_queries(2):
        response = client.get(LIST + "?country=it&group=soc&declaration=695")
    assert response.context["paginator"].count == 2


@pytest.mark.parametrize("extra", ["", "&q=an", "&declaration=600", "&declaration=601&q=ch"])
def test_facet_counts_are_the_rows_each_choice_would_list(client, group_changer, extra):
    for number, (country, abbreviation) in enumerate(
        [("IT", "SOC"), ("IT", "EPP/CD"), ("FR", "SOC"), ("DE", "ALDE"), ("AT", "SOC")]
    ):
        signatory = make_signatory(
            family_name=f"ZANNA{number}", country=country, political_group=group(abbreviation)
        )
        make_signature(Declaration.objects.get(number=600), signatory)
    for query in ["?x=1", "?country=it", "?group=soc", "?country=it&country=at&group=soc"]:
        response = client.get(LIST + query + extra)
        for field, _label, _errors, choices in response.context["facets"]:
            chosen = [
                (name, value)
                for name, value in QueryDict(query[1:]).lists()
                if name != field.name and name in ("country", "group")
            ]
            for value, _label, count, _selected in choices:
                narrower = "&".join(f"{name}={v}" for name, values in chosen for v in values)
                address = f"{LIST}?{field.name}={value}&{narrower}{extra}"
                listed_rows = client.get(address).context["object_list"]
                assert count == len(listed_rows) < 50, (query + extra, field.name, value)


def test_facet_counts_count_the_signatories_the_other_filters_keep(client, demo):
    response = client.get(LIST + "?group=soc&country=it")
    facets = {facet.field.name: facet.choices for facet in response.context["facets"]}
    countries = {value: (count, selected) for value, _label, count, selected in facets["country"]}
    groups = {value: (count, selected) for value, _label, count, selected in facets["group"]}
    # Country counts under group=soc; group counts under country=it.
    assert countries["IT"] == (2, True)
    assert countries["GB"] == (4, False)
    assert countries["FR"] == (0, False)
    assert groups["soc"] == (2, True)
    assert groups["nr"] == (3, False)
    assert groups["uel"] == (0, False)


def test_facet_counts_with_a_declaration_count_the_affiliation_as_of_signing(client, group_changer):
    response = client.get(LIST + "?declaration=600")
    facets = {facet.field.name: facet.choices for facet in response.context["facets"]}
    groups = {value: count for value, _label, count, _selected in facets["group"]}
    assert groups["soc"] == 2
    assert groups["alde"] == 0


def test_sort_by_declarations_signed_puts_the_most_active_first(client, demo):
    busiest = demo.signatures.get(signatory__family_name="SCHWABE").signatory
    make_signature(make_declaration(number=701), busiest)
    response = client.get(LIST + "?sort=signed")
    rows = list(response.context["object_list"])
    assert rows[0].slug == busiest.slug
    assert rows[0].declaration_count == 2
    assert client.get(LIST).context["object_list"][0].family_name == "ÅBERG"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?country=ZZ", "Select a valid choice. ZZ is not one of the available choices."),
        ("?group=nope", "Select a valid choice. nope is not one of the available choices."),
        ("?declaration=abc", "Enter a whole number."),
        ("?sort=bogus", "Select a valid choice. bogus is not one of the available choices."),
        ("?country=it&declaration=abc", "Enter a whole number."),
    ],
)
def test_bad_filter_values_show_the_error_and_no_rows(client, demo, query, message):
    response = client.get(LIST + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert list(response.context["object_list"]) == []
    assert row_headers(response) == []
    assert "0 signatories match" in html


def test_a_page_past_the_end_shows_the_last_page(client, demo):
    for number in range(30):
        make_signatory(family_name=f"ZED{number:02}", country="FR").signatures.create(
            declaration=demo, position=26 + number, country="FR", political_group=group("SOC")
        )
    response = client.get(LIST + "?page=999")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["object_list"]) == 5
    assert client.get(LIST + "?page=abc").context["page_obj"].number == 1


def test_page_links_keep_the_filters(client, demo):
    for number in range(60):
        make_signature(demo, make_signatory(family_name=f"ZED{number:02}", country="FR"))
    response = client.get(LIST + "?country=fr&sort=name")
    assert response.context["paginator"].count == 62
    assert "?country=fr&amp;sort=name&amp;page=2" in response.content.decode()


def test_list_hides_signatories_who_signed_only_drafts(client, demo):
    draft = make_declaration(number=800, status="draft")
    hidden = make_signatory(family_name="HIDDEN", country="IT")
    make_signature(draft, hidden)
    make_signature(draft, demo.signatures.get(position=1).signatory)
    assert "HIDDEN" not in listed(client, "")
    assert "HIDDEN" not in listed(client, "?country=it")
    response = client.get(LIST + "?country=it")
    facets = {facet.field.name: facet.choices for facet in response.context["facets"]}
    assert ("IT", "Italy", 5, True) in facets["country"]
    assert "HIDDEN" not in response.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert listed(client, "?declaration=800") == set()


def test_declarations_signed_counts_only_published_declarations(client, demo):
    gattolin = demo.signatures.get(position=1).signatory
    make_signature(make_declaration(number=801, status="draft"), gattolin)
    response = client.get(LIST + "?q=gattolin")
    [row] = response.context["object_list"]
    assert row.declaration_count == 1


def test_signatory_page_shows_each_declaration_with_the_affiliation_of_the_day(
    client, group_changer
):
    response = client.get(group_changer.get_absolute_url())
    assert response.status_code == 200
    signatures = list(response.context["signatures"])
    assert [s.declaration.number for s in signatures] == [601, 600]
    assert [(s.country.code, s.political_group.abbreviation) for s in signatures] == [
        ("DE", "ALDE"),
        ("AT", "SOC"),
    ]
    html = response.content.decode()
    assert "Austria, <abbr" in html
    assert "Germany" in html


def test_signatory_page_hides_draft_declarations(client, demo):
    gattolin = demo.signatures.get(position=1).signatory
    make_signature(make_declaration(number=802, status="draft", title="Secret draft"), gattolin)
    response = client.get(gattolin.get_absolute_url())
    assert [s.declaration.number for s in response.context["signatures"]] == [695]
    assert "Secret draft" not in response.content.decode()


def test_signatory_page_lists_the_most_frequent_co_signers_first(client, group_changer):
    response = client.get(group_changer.get_absolute_url())
    co_signers = list(response.context["co_signers"])
    assert [(s.family_name, s.shared_count) for s in co_signers] == [("STEADY", 2)]


def test_co_signers_who_share_a_single_declaration_are_not_listed(client, demo):
    response = client.get(demo.signatures.get(position=1).signatory.get_absolute_url())
    assert list(response.context["co_signers"]) == []
    html = response.content.decode()
    assert "Signed most often with" in html
    assert "No one signed more than one declaration with them." in html


@pytest.mark.parametrize(
    ("query", "legend", "message"),
    [
        ("?country=ZZ", "Country", "ZZ is not one of the available choices."),
        ("?group=nope", "Political group", "nope is not one of the available choices."),
    ],
)
def test_a_facet_shows_its_own_error_under_its_legend(client, demo, query, legend, message):
    html = client.get(LIST + query).content.decode()
    facets = re.findall(r'<fieldset class="facet">(.*?)</fieldset>', html, flags=re.DOTALL)
    [facet] = [facet for facet in facets if f"<legend>{legend}</legend>" in facet]
    assert message in facet
    assert all(message not in other for other in facets if other != facet)
