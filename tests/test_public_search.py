"""One search over declarations, signatories and detainees (/search/?q=)."""

import pytest
from django.urls import reverse

from .factories import make_declaration, make_detainee, make_signatory, make_signature

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

SEARCH = reverse("search")


def found(client, query):
    """{kind: names found} for a query."""
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    return {
        "declarations": {d.number for d in results["declarations"]["rows"]},
        "signatories": {s.family_name for s in results["signatories"]["rows"]},
        "detainees": {d.name for d in results["detainees"]["rows"]},
    }


def test_search_finds_a_declaration_by_number_title_or_text(client, demo):
    assert found(client, "695")["declarations"] == {695}
    assert found(client, "mass arrests")["declarations"] == {695}
    assert found(client, "anti-government protests")["declarations"] == {695}
    assert found(client, "unrelated words")["declarations"] == set()


def test_search_finds_signatories_whatever_the_accents(client, demo):
    assert found(client, "aberg")["signatories"] == {"ÅBERG"}
    assert found(client, "Kopriva")["signatories"] == {"KOPŘIVA"}
    assert found(client, "andré gattolin")["signatories"] == {"GATTOLIN"}


def test_search_finds_detainees_by_any_of_their_names(client, demo):
    assert found(client, "Max Bokayev")["detainees"] == {"Maks Bokayev"}
    assert found(client, "Мухтар")["detainees"] == {"Mukhtar Dzhakishev"}


def test_search_groups_results_by_kind(client, demo):
    # "Kazakhstan" is in the declaration and in the detainees' summaries, but only names
    # are searched for people.
    assert found(client, "kazakhstan") == {
        "declarations": {695},
        "signatories": set(),
        "detainees": set(),
    }
    html = client.get(SEARCH, {"q": "bokayev"}).content.decode()
    assert '<h2 id="declarations-heading">Declarations <span class="count">1</span></h2>' in html
    assert '<h2 id="signatories-heading">Signatories <span class="count">0</span></h2>' in html
    assert '<h2 id="detainees-heading">Detainees <span class="count">1</span></h2>' in html
    assert '<a href="/detainees/maks-bokayev/">Maks Bokayev</a>' in html


def test_search_leaves_out_drafts_and_unpublished_detainees(client, demo):
    draft = make_declaration(number=901, status="draft", title="Hidden Bokayev appeal")
    make_signature(draft, make_signatory(family_name="BOKAYEVA"))
    make_detainee(name="Aigul Bokayeva", is_published=False)
    assert found(client, "bokayev") == {
        "declarations": {695},
        "signatories": set(),
        "detainees": {"Maks Bokayev"},
    }
    assert found(client, "901")["declarations"] == set()


def test_search_links_to_the_full_list_when_there_are_more_results(client, demo):
    for number in range(25):
        make_signature(demo, make_signatory(family_name=f"ABERGSON{number:02}"))
    response = client.get(SEARCH, {"q": "aberg"})
    assert response.context["results"]["signatories"]["count"] == 26
    assert len(response.context["results"]["signatories"]["rows"]) == 20
    assert 'href="/signatories/?q=aberg">All 26 signatories in the list</a>' in (
        response.content.decode()
    )


def test_empty_search_shows_only_the_form(client, demo):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'name="q"' in response.content.decode()
    assert client.get(SEARCH, {"q": "   "}).context["results"] is None


def test_overlong_search_shows_the_error(client, demo):
    response = client.get(SEARCH, {"q": "x" * 201})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_search_finds_a_declaration_by_words_of_its_french_title(client, demo):
    from signatories.models import Declaration

    Declaration.objects.filter(number=695).update(
        title_fr="La communauté internationale doit réagir aux arrestations massives"
    )
    assert found(client, "arrestations massives")["declarations"] == {695}
    assert found(client, "réagir")["declarations"] == {695}


def test_search_finds_a_person_by_any_spelling_folded(client, demo):
    assert found(client, "Thorhildur")["signatories"] == {"ÆVARSDÓTTIR"}
    assert found(client, "Thórhildur aevarsdottir")["signatories"] == {"ÆVARSDÓTTIR"}


QUERIES = [
    "bokayev",
    "BOKAYEV",
    "Bokayev Maks",
    "aberg",
    "695",
    "69",
    "0695",
    "99999999999999999999999",
    "²",
    "100% sure",
    "50%",
    "under_score",
    "under score",
    "back\\slash",
    "o'brien",
    "Kazakhstan",
    "zzz",
]


@pytest.mark.parametrize("query", QUERIES)
def test_each_search_finds_what_the_lists_search_finds(client, demo, query):
    """Each section of the page finds the same rows as the list of its kind, in the same
    order, and counts them alike, whatever the words (wildcards of LIKE, quotes, numbers out
    of range, a digit that is not a number)."""
    from prisoners.models import Detainee
    from signatories.models import Declaration, Signatory

    make_declaration(number=7001, title="We are 100% sure of the under_score case")
    make_declaration(number=7002, title="Under score, a backslash\\slash and 50 per cent")
    make_declaration(number=7003, title="Nothing ²", text="O'Brien wrote")
    make_signatory(family_name="O'BRIEN", given_name="Pat")
    make_signature(make_declaration(number=7004), make_signatory(family_name="UNDER_SCORE"))
    make_detainee(name="Under Score")
    make_detainee(name="Back\\slash 50%")
    # Four declarations more than a section shows, each found by "declaration".
    for number in range(7100, 7125):
        make_declaration(number=number)

    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    query = " ".join(query.split())
    expected = {
        "declarations": Declaration.objects.public().search(query).order_by("-date", "-number"),
        "signatories": Signatory.objects.public().search(query).order_by("sort_name", "country"),
        "detainees": Detainee.objects.public().search(query).order_by("sort_name", "name"),
    }
    for kind, queryset in expected.items():
        key = "number" if kind == "declarations" else "slug"
        assert results[kind]["count"] == queryset.count()
        shown = [getattr(row, key) for row in results[kind]["rows"]]
        assert shown == [getattr(row, key) for row in queryset[:20]]


def test_a_section_counts_all_its_rows_beyond_those_shown(client, demo):
    for number in range(7100, 7125):
        make_declaration(number=number, title="Declaration on declarations")
    results = client.get(SEARCH, {"q": "declaration"}).context["results"]
    assert results["declarations"]["count"] == 25
    assert len(results["declarations"]["rows"]) == 20
    assert found(client, "7124")["declarations"] == {7124}


def test_search_rows_carry_a_missing_group_as_none(client, demo):
    signatory = make_signatory(family_name="GROUPLESS")
    make_signature(make_declaration(number=7005), signatory)
    type(signatory).objects.filter(pk=signatory.pk).update(political_group=None)
    response = client.get(SEARCH, {"q": "groupless"})
    (row,) = response.context["results"]["signatories"]["rows"]
    assert row.political_group_id is None
    assert "<td>—</td>" in response.content.decode()
