"""The rows and counts of the search and of the list of detainees: each section of the search
reads its first rows and its count in one query, and the list reads only what its table shows;
the rows, their order and the counts are those of the whole record."""

import datetime
import re

import pytest
from django.urls import reverse

from prisoners.models import Detainee
from signatories.models import Declaration, Signatory

from .factories import make_declaration, make_detainee, make_mention, make_signatory, make_signature

pytestmark = [
    pytest.mark.django_db,
    # Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SEARCH = reverse("search")
LIST = reverse("prisoners:detainee_list")


def record(count):
    """`count` published declarations, each signed by its own signatory and naming its own
    detainee, all of them matching "orchid"; and a draft, an unpublished detainee and a
    signatory of the draft only, matching it too."""
    for n in range(count):
        declaration = make_declaration(
            number=100 + n,
            date=datetime.date(2000 + n % 7, 1 + n % 12, 1),
            title=f"Orchid appeal {n}",
        )
        signatory = make_signatory(
            family_name=f"ORCHIDSON{(n * 11 + 3) % count:02}", country=("FR", "IT", "DE")[n % 3]
        )
        make_signature(declaration, signatory)
        detainee = make_detainee(
            name=f"Orchid Prisoner{count - n:02}",
            country=("BY", "TR", "")[n % 3],
            status=("detained", "released")[n % 2],
        )
        make_mention(declaration, detainee)
        if n % 4 == 0:  # named twice
            make_mention(make_declaration(number=500 + n, title="Another"), detainee)
    draft = make_declaration(number=999, status="draft", title="Orchid draft")
    make_signature(draft, make_signatory(family_name="ORCHIDDRAFT"))
    make_detainee(name="Orchid Unpublished", is_published=False)


def search(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response.context["results"]


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 26])
def test_each_section_shows_its_first_rows_in_order_and_counts_them_all(client, count):
    record(count)
    results = search(client, "orchid")
    declarations = Declaration.objects.public().search("orchid").order_by("-date", "-number")
    signatories = Signatory.objects.public().search("orchid").order_by("sort_name", "country")
    detainees = Detainee.objects.public().search("orchid").order_by("sort_name", "name")
    assert results["declarations"]["count"] == count == declarations.count()
    assert results["signatories"]["count"] == count == signatories.count()
    assert results["detainees"]["count"] == count == detainees.count()
    assert [d.number for d in results["declarations"]["rows"]] == [
        d.number for d in declarations[:20]
    ]
    assert [s.slug for s in results["signatories"]["rows"]] == [s.slug for s in signatories[:20]]
    assert [d.slug for d in results["detainees"]["rows"]] == [d.slug for d in detainees[:20]]


def test_search_rows_carry_their_counts(client):
    record(8)
    results = search(client, "orchid")
    counted = dict(Detainee.objects.public().with_counts().values_list("slug", "declaration_count"))
    assert {d.slug: d.declaration_count for d in results["detainees"]["rows"]} == {
        slug: count for slug, count in counted.items() if slug.startswith("orchid")
    }
    assert {d.declaration_count for d in results["detainees"]["rows"]} == {1, 2}
    assert {d.signature_count for d in results["declarations"]["rows"]} == {1}
    assert {s.declaration_count for s in results["signatories"]["rows"]} == {1}


def test_search_counts_in_the_headings_and_links_to_the_lists(client):
    record(23)
    html = client.get(SEARCH, {"q": "orchid"}).content.decode()
    for kind in ("declarations", "signatories", "detainees"):
        assert re.search(rf'id="{kind}-heading">\w+ <span class="count">23</span>', html)
        assert f"All 23 {kind} in the list" in html
    assert "Orchid draft" not in html
    assert "Orchid Unpublished" not in html


def list_rows(response):
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)
    ]


@pytest.mark.parametrize("query", ["", "?status=released", "?country=tr", "?page=2"])
def test_the_list_shows_every_detainee_by_name_with_status_place_and_count(client, query):
    record(60)
    response = client.get(LIST + query)
    expected = Detainee.objects.public().with_counts().order_by("sort_name", "name", "slug")
    if "status" in query:
        expected = expected.filter(status="released")
    if "country" in query:
        expected = expected.filter(country="TR")
    expected = list(expected)[50:] if "page" in query else list(expected)[:50]
    names = {"detained": "Detained", "released": "Released"}
    places = {"BY": "Belarus", "TR": "Türkiye", "": "—"}
    assert list_rows(response) == [
        [d.name, places[d.country.code], names[d.status], str(d.declaration_count)]
        for d in expected
    ]
    assert [d.slug for d in response.context["object_list"]] == [d.slug for d in expected]


def test_counts_stay_right_from_one_query_to_the_next():
    record(4)
    first = dict(Detainee.objects.public().with_counts().values_list("name", "declaration_count"))
    narrowed = dict(
        Detainee.objects.public()
        .filter(country="BY")
        .with_counts()
        .values_list("name", "declaration_count")
    )
    again = dict(Detainee.objects.public().with_counts().values_list("name", "declaration_count"))
    assert first == again
    assert narrowed == {name: count for name, count in first.items() if name in narrowed}
    assert sorted(first.values()) == [1, 1, 1, 2]


def test_the_detainee_csv_has_every_field_of_every_matching_detainee(client):
    record(5)
    make_detainee(
        name="Orchid Complete",
        other_names="Orchid  Complete\nOrkid Komplete\n\n Орхид ",
        country="AZ",
        status="sentenced",
        detained_on=datetime.date(2019, 3, 4),
        released_on=datetime.date(2021, 5, 6),
        charges="=Treason",
        sentence="Nine years",
        place_of_detention="Baku, prison No. 1",
    )
    response = client.get("/detainees.csv?q=orchid")
    text = b"".join(response.streaming_content).decode()
    expected = [
        ",".join(
            (
                d.slug,
                d.name,
                "; ".join(d.all_names()[1:]),
                d.country.code,
                d.status,
                d.detained_on.isoformat() if d.detained_on else "",
                d.released_on.isoformat() if d.released_on else "",
                "'" + d.charges if d.charges.startswith("=") else d.charges,
                d.sentence,
                f'"{d.place_of_detention}"' if "," in d.place_of_detention else "",
                str(d.declaration_count),
                f"http://testserver{d.get_absolute_url()}",
            )
        )
        for d in Detainee.objects.public()
        .search("orchid")
        .with_counts()
        .order_by("sort_name", "name", "slug")
    ]
    assert text.splitlines()[1:] == expected
    assert "Orkid Komplete; Орхид" in text
