"""The read-only JSON API under /api/: what each endpoint lists, its filters, what stays hidden,
its errors, its query counts and its OpenAPI description."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_countries import countries

from signatories.models import PoliticalGroup

from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

LISTS = {
    "declarations": reverse("api:declaration-list"),
    "signatories": reverse("api:signatory-list"),
    "groups": reverse("api:group-list"),
    "countries": reverse("api:country-list"),
    "detainees": reverse("api:detainee-list"),
}
PATHS = {
    "/api/declarations/",
    "/api/declarations/{number}/",
    "/api/signatories/",
    "/api/signatories/{slug}/",
    "/api/groups/",
    "/api/groups/{slug}/",
    "/api/countries/",
    "/api/detainees/",
    "/api/detainees/{slug}/",
    "/api/statistics/",
}


def get(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def family_names(client, **params):
    return {row["family_name"] for row in get(client, LISTS["signatories"], **params)["results"]}


@pytest.fixture
def draft(demo):
    """Hidden rows: a draft declaration, newer than 695, signed by GATTOLIN (as EC/DA, from
    Liechtenstein) and by DRAFTONLY, who signed nothing else; an unpublished detainee named in
    695 and in the draft; a published detainee named only in the draft."""
    declaration = make_declaration(
        number=900, status="draft", title="Unpublished concerns", date=datetime.date(2024, 5, 1)
    )
    gattolin = demo.signatures.get(position=1).signatory
    make_signature(declaration, gattolin, country="LI", political_group=group("EC/DA"))
    make_signature(
        declaration,
        make_signatory(family_name="DRAFTONLY", country="MT", political_group=group("EC/DA")),
    )
    hidden = make_detainee(name="Hidden Person", is_published=False, country="MT")
    make_mention(demo, hidden)
    make_mention(declaration, hidden)
    make_mention(declaration, make_detainee(name="Only In Draft", country="KZ"))
    return declaration


# Signatories


def test_signatories_filtered_by_country_are_the_italian_delegation(client, demo):
    data = get(client, LISTS["signatories"], country="IT")
    assert data["count"] == 5
    assert [row["family_name"] for row in data["results"]] == [
        "BERLINGHIERI",
        "BUCCARELLA",
        "MANIERO",
        "MARILOTTI",
        "RAMPI",
    ]


def test_signatories_country_filter_ignores_case_and_can_be_repeated(client, demo):
    assert family_names(client, country=["it", "FR"]) == {
        "BERLINGHIERI",
        "BUCCARELLA",
        "MANIERO",
        "MARILOTTI",
        "RAMPI",
        "GATTOLIN",
        "MAIRE",
    }


def test_signatories_filtered_by_group_are_its_members(client, demo):
    assert family_names(client, group="uel") == {"GAVAN", "HUNKO", "JALLOW", "PRINGLE"}
    assert family_names(client, group=["uel", "alde"]) == {
        "GAVAN",
        "HUNKO",
        "JALLOW",
        "PRINGLE",
        "GATTOLIN",
        "KOPŘIVA",
        "MAIRE",
    }


def test_signatory_search_ignores_accents_and_case(client, demo):
    assert family_names(client, q="aberg") == {"ÅBERG"}
    assert family_names(client, q="Boriana ÅBERG") == {"ÅBERG"}


def test_signatories_with_a_declaration_match_the_affiliation_as_of_signing(client, demo):
    maire = demo.signatures.get(signatory__family_name="MAIRE").signatory
    earlier = make_declaration(number=660, date=datetime.date(2018, 1, 25))
    make_signature(earlier, maire, political_group=group("NR"))
    assert "MAIRE" not in family_names(client, group="nr")
    assert family_names(client, group="nr", declaration=660) == {"MAIRE"}
    assert family_names(client, group="alde", declaration=695) == {"GATTOLIN", "KOPŘIVA", "MAIRE"}
    assert family_names(client, group="alde", declaration=660) == set()


def test_signatory_list_shows_the_current_affiliation_and_the_count_signed(client, demo):
    [row] = get(client, LISTS["signatories"], q="gattolin")["results"]
    assert row == {
        "slug": "andre-gattolin",
        "honorific": "Mr",
        "given_name": "André",
        "family_name": "GATTOLIN",
        "name": "André GATTOLIN",
        "country": "FR",
        "country_name": "France",
        "group": "ALDE",
        "group_slug": "alde",
        "declarations_signed": 1,
        "url": "http://testserver/signatories/andre-gattolin/",
    }


def test_signatories_are_listed_by_name_or_by_declarations_signed(client, demo):
    second = make_declaration(number=700)
    make_signature(second, demo.signatures.get(signatory__family_name="SCHWABE").signatory)
    rows = get(client, LISTS["signatories"])["results"]
    assert [row["family_name"] for row in rows[:3]] == ["ÅBERG", "ÆVARSDÓTTIR", "BAYR"]
    rows = get(client, LISTS["signatories"], sort="signed")["results"]
    assert (rows[0]["family_name"], rows[0]["declarations_signed"]) == ("SCHWABE", 2)


def test_signatory_detail_lists_declarations_with_the_affiliation_as_of_signing(client, demo):
    maire = demo.signatures.get(signatory__family_name="MAIRE").signatory
    earlier = make_declaration(number=660, date=datetime.date(2018, 1, 25), title="Earlier")
    make_signature(earlier, maire, political_group=group("NR"))
    data = get(client, reverse("api:signatory-detail", args=[maire.slug]))
    assert (data["group"], data["declarations_signed"]) == ("ALDE", 2)
    assert [
        (row["declaration"], row["date"], row["country"], row["group"])
        for row in data["signatures"]
    ] == [(695, "2019-10-04", "FR", "ALDE"), (660, "2018-01-25", "FR", "NR")]


# Declarations


def test_declaration_detail_lists_the_signatures_in_order_and_the_detainees(client, demo):
    data = get(client, reverse("api:declaration-detail", args=[695]))
    assert (data["number"], data["document_reference"], data["date"]) == (
        695,
        "14983",
        "2019-10-04",
    )
    assert data["signature_count"] == 25
    assert data["url"] == "http://testserver/declarations/695/"
    signatures = data["signatures"]
    assert [row["position"] for row in signatures] == list(range(1, 26))
    assert signatures[0] == {
        "position": 1,
        "signatory": {
            "slug": "andre-gattolin",
            "name": "André GATTOLIN",
            "url": "http://testserver/signatories/andre-gattolin/",
        },
        "country": "FR",
        "group": "ALDE",
    }
    assert signatures[1]["signatory"]["name"] == "Boriana ÅBERG"
    assert signatures[-1]["signatory"]["name"] == "Frank SCHWABE"
    assert len(data["detainees"]) == 9
    assert {"slug", "name", "name_as_written", "url"} == set(data["detainees"][0])
    assert "Maks Bokayev" in {row["name"] for row in data["detainees"]}


def test_declaration_detail_keeps_the_group_as_of_signing_after_a_change(client, demo):
    signature = demo.signatures.get(signatory__family_name="MAIRE")
    signature.signatory.political_group = group("EPP/CD")
    signature.signatory.save()
    data = get(client, reverse("api:declaration-detail", args=[695]))
    [row] = [row for row in data["signatures"] if row["signatory"]["slug"] == "jacques-maire"]
    assert row["group"] == "ALDE"


def test_declarations_are_newest_first_then_by_number(client, demo):
    for number in (700, 702, 701):
        make_declaration(number=number, date=datetime.date(2020, 3, 1))
    rows = get(client, LISTS["declarations"])["results"]
    assert [row["number"] for row in rows] == [702, 701, 700, 695]


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"year": "2019"}, [695]),
        ({"year": "2020"}, [700]),
        ({"group": "uel"}, [695]),
        ({"group": "soc"}, [700, 695]),
        ({"country": "it"}, [695]),
        ({"country": "MT"}, [700]),
        ({"q": "Kazakhstan"}, [695]),
        ({"q": "695"}, [695]),
        ({"q": "nothing like this"}, []),
    ],
)
def test_declaration_filters(client, demo, params, numbers):
    other = make_declaration(number=700, date=datetime.date(2020, 3, 1), title="Malta")
    make_signature(other, make_signatory(family_name="VELLA", country="MT"))
    rows = get(client, LISTS["declarations"], **params)["results"]
    assert [row["number"] for row in rows] == numbers


# Groups and countries


def test_groups_list_every_group_with_its_successor_and_signatories(client, demo):
    data = get(client, LISTS["groups"])
    rows = {row["slug"]: row for row in data["results"]}
    assert data["count"] == PoliticalGroup.objects.count()
    assert [row["abbreviation"] for row in data["results"]] == sorted(
        row["abbreviation"] for row in data["results"]
    )
    assert rows["ec"]["successor"] == "ec-da"
    assert rows["ec-da"]["successor"] is None
    assert (rows["alde"]["signatory_count"], rows["uel"]["signatory_count"]) == (3, 4)
    assert rows["ec-da"]["signatory_count"] == 0


def test_group_detail(client, demo):
    data = get(client, reverse("api:group-detail", args=["epp-cd"]))
    assert {key: data[key] for key in ("abbreviation", "slug", "signatory_count", "url")} == {
        "abbreviation": "EPP/CD",
        "slug": "epp-cd",
        "signatory_count": 3,
        "url": "http://testserver/groups/epp-cd/",
    }
    assert {"name", "abbreviation_fr", "name_fr", "founded", "dissolved", "successor"} < set(data)


def test_countries_are_the_delegations_with_public_signatories(client, demo):
    data = get(client, LISTS["countries"])
    assert data["count"] == 11
    codes = [row["code"] for row in data["results"]]
    assert codes == sorted(codes)
    rows = {row["code"]: row for row in data["results"]}
    assert rows["IT"] == {
        "code": "IT",
        "name": "Italy",
        "signatory_count": 5,
        "url": "http://testserver/countries/it/",
    }
    assert rows["MD"]["name"] == "Republic of Moldova"


# Detainees


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 9),
        ({"status": "detained"}, 3),
        ({"country": "kz"}, 9),
        ({"declaration": "695"}, 9),
        ({"q": "max bokayev"}, 1),
        ({"q": "бокаев"}, 1),
        ({"q": "nobody"}, 0),
    ],
)
def test_detainee_filters(client, demo, params, count):
    assert get(client, LISTS["detainees"], **params)["count"] == count


def test_detainee_detail_lists_the_declarations_that_name_them(client, demo):
    [row] = get(client, LISTS["detainees"], q="bokayev")["results"]
    assert row["other_names"] == ["Max Bokayev", "Maks Bokaev", "Макс Бокаев"]
    assert (row["country"], row["status"], row["declaration_count"]) == ("KZ", "detained", 1)
    data = get(client, reverse("api:detainee-detail", args=[row["slug"]]))
    assert data["name"] == "Maks Bokayev"
    assert [(m["number"], m["name_as_written"]) for m in data["mentions"]] == [
        (695, "Maks Bokayev")
    ]
    assert data["mentions"][0]["title"].startswith("The international community must respond")


def test_detainee_without_a_country_has_a_null_country(client, db):
    make_detainee(name="Nowhere Known")
    [row] = get(client, LISTS["detainees"])["results"]
    assert (row["country"], row["country_name"]) == (None, "")


# What stays hidden


def values(data):
    """Every value in a JSON document, however deep."""
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [value for item in data for value in values(item)]
    return [data]


def test_drafts_and_unpublished_detainees_appear_in_no_list(client, draft):
    hidden = {900, "DRAFTONLY", "Hidden Person", "MT", "LI"}
    for url in LISTS.values():
        shown = values(get(client, url))
        assert not hidden & set(shown), url
        addresses = [value for value in shown if isinstance(value, str) and "/" in value]
        assert not [a for a in addresses if "/900/" in a or "draftonly" in a or "hidden" in a]
    assert get(client, LISTS["declarations"])["count"] == 1
    assert get(client, LISTS["signatories"])["count"] == 25
    assert get(client, LISTS["countries"])["count"] == 11


def test_drafts_and_unpublished_detainees_have_no_detail(client, draft):
    get(client, reverse("api:declaration-detail", args=[900]), expect=404)
    get(client, reverse("api:signatory-detail", args=["jane-draftonly"]), expect=404)
    get(client, reverse("api:detainee-detail", args=["hidden-person"]), expect=404)


def test_draft_signatures_and_mentions_are_not_counted(client, draft):
    gattolin = get(client, reverse("api:signatory-detail", args=["andre-gattolin"]))
    assert gattolin["declarations_signed"] == 1
    assert [row["declaration"] for row in gattolin["signatures"]] == [695]
    groups = {row["slug"]: row for row in get(client, LISTS["groups"])["results"]}
    assert groups["ec-da"]["signatory_count"] == 0
    assert groups["alde"]["signatory_count"] == 3
    declaration = get(client, reverse("api:declaration-detail", args=[695]))
    assert len(declaration["detainees"]) == 9
    only_in_draft = get(client, reverse("api:detainee-detail", args=["only-in-draft"]))
    assert (only_in_draft["declaration_count"], only_in_draft["mentions"]) == (0, [])


def test_filters_do_not_reach_drafts(client, draft):
    assert get(client, LISTS["signatories"], declaration=900)["count"] == 0
    assert get(client, LISTS["signatories"], q="draftonly")["count"] == 0
    assert get(client, LISTS["detainees"], declaration=900)["count"] == 0
    assert get(client, LISTS["detainees"], q="hidden")["count"] == 0
    assert "country" in get(client, LISTS["signatories"], expect=400, country="LI")
    assert "year" in get(client, LISTS["declarations"], expect=400, year="2024")
    assert "group" in get(client, LISTS["declarations"], expect=400, group="ec-da")


# Errors


@pytest.mark.parametrize(
    ("endpoint", "params", "field"),
    [
        ("signatories", {"country": "ZZ"}, "country"),
        ("signatories", {"country": ["IT", "ZZ"]}, "country"),
        ("signatories", {"declaration": "abc"}, "declaration"),
        ("signatories", {"declaration": "0"}, "declaration"),
        ("signatories", {"group": "nope"}, "group"),
        ("signatories", {"sort": "bogus"}, "sort"),
        ("signatories", {"q": "nul\x00"}, "q"),
        ("declarations", {"year": "abc"}, "year"),
        ("declarations", {"country": "ZZ"}, "country"),
        ("declarations", {"group": "nope"}, "group"),
        ("detainees", {"status": "bogus"}, "status"),
        ("detainees", {"country": "ZZ"}, "country"),
        ("detainees", {"declaration": "-1"}, "declaration"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(client, demo, endpoint, params, field):
    errors = get(client, LISTS[endpoint], expect=400, **params)
    assert list(errors) == [field]
    assert errors[field] and all(isinstance(message, str) for message in errors[field])


def test_a_huge_declaration_number_is_no_error(client, demo):
    assert get(client, LISTS["signatories"], declaration=2**70)["count"] == 0


@pytest.mark.parametrize("page", ["2", "0", "abc"])
def test_a_page_that_does_not_exist_is_a_404_in_json(client, demo, page):
    assert "detail" in get(client, LISTS["signatories"], expect=404, page=page)


@pytest.mark.parametrize(
    "url",
    [
        "/api/declarations/1/",
        "/api/declarations/abc/",
        "/api/declarations/99999999999999999999999/",
        "/api/signatories/nobody/",
        "/api/groups/nope/",
        "/api/detainees/nobody/",
        "/api/countries/it/",
        "/api/nothing/",
    ],
)
def test_an_unknown_record_or_address_is_a_404_in_json(client, demo, url):
    assert "detail" in get(client, url, expect=404)


def test_the_api_is_read_only(client, demo):
    for url in [*LISTS.values(), reverse("api:declaration-detail", args=[695])]:
        assert client.post(url, {}).status_code == 405
        assert client.delete(url).status_code == 405


def test_filters_do_not_apply_to_a_detail(client, demo):
    get(client, reverse("api:declaration-detail", args=[695]), country="ZZ")


# A fixed number of queries


def populate(count):
    """`count` more of every kind of public row: declarations, each signed by a new member of a
    new group from another country, and naming a new detainee."""
    codes = [code for code, _name in countries]
    start = PoliticalGroup.objects.filter(abbreviation__startswith="G-").count()
    previous = PoliticalGroup.objects.filter(abbreviation__startswith="G-").last()
    for index in range(start, start + count):
        new_group = PoliticalGroup.objects.create(
            abbreviation=f"G-{index:03}",
            name=f"Group {index}",
            slug=f"g-{index:03}",
            successor=previous,
        )
        declaration = make_declaration(number=1000 + index)
        signatory = make_signatory(
            family_name=f"MEMBER{index:03}", country=codes[index], political_group=new_group
        )
        make_signature(declaration, signatory)
        make_signature(declaration, make_signatory(family_name=f"SECOND{index:03}", country="IT"))
        make_mention(declaration, make_detainee(name=f"Detainee {index:03}", country="KZ"))
        previous = new_group


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        *LISTS.values(),
        LISTS["signatories"] + "?sort=signed&country=it",
        LISTS["declarations"] + "?q=number",
        LISTS["detainees"] + "?country=kz",
    ],
)
def test_a_list_runs_the_same_queries_for_1_row_and_50(client, db, url):
    populate(1)
    few = queries(client, url)
    populate(49)
    with CaptureQueriesContext(connection) as captured:
        assert len(get(client, url)["results"]) == 50
    assert len(captured) == few
    assert few <= 5


def test_details_run_the_same_queries_for_1_signature_and_50(client, db):
    populate(1)
    declaration = make_declaration(number=5000)
    signatory = make_signatory(family_name="FREQUENT")
    make_signature(declaration, signatory)
    make_mention(declaration, make_detainee(name="Named Often"))
    urls = [
        reverse("api:declaration-detail", args=[5000]),
        reverse("api:signatory-detail", args=[signatory.slug]),
        reverse("api:detainee-detail", args=["named-often"]),
    ]
    few = [queries(client, url) for url in urls]
    populate(49)
    for index in range(49):
        other = make_declaration(number=6000 + index)
        make_signature(other, signatory)
        make_mention(other, make_detainee(name=f"Also Named {index}"))
        make_signature(declaration, make_signatory(family_name=f"COSIGNER{index}"))
        make_mention(declaration, make_detainee(name=f"Named Too {index}"))
    assert [queries(client, url) for url in urls] == few


# Description and documentation


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"format": "json"}, {}),
        ({}, {"Accept": "application/vnd.oai.openapi+json"}),
    ],
)
def test_schema_is_openapi_3_and_lists_every_endpoint(client, db, params, headers):
    response = client.get(reverse("api:schema"), params, headers=headers)
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS
    assert all(list(operations) == ["get"] for operations in schema["paths"].values())


def test_api_root_links_every_list(client, db):
    data = get(client, reverse("api:api-root"))
    assert set(data) == set(LISTS)


def test_browsable_api_needs_no_outside_assets(client, demo):
    response = client.get(LISTS["signatories"], headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert 'src="http' not in response.content.decode()
    assert 'href="http' not in response.content.decode().replace('href="http://testserver', "")


def test_docs_page_lists_every_endpoint_with_its_filters_and_an_example(client, demo):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    for path in PATHS:
        assert f"GET {path}" in page
    for name in ("country", "group", "declaration", "q", "year", "status", "page"):
        assert f"<code>{name}</code>" in page
    assert 'href="/api/declarations/695/"' in page
    assert 'href="/api/signatories/?declaration=695"' in page
    assert "<script" not in page


@pytest.mark.django_db
def test_a_list_s_size_is_not_counted_again_where_it_is_known(client, demo):
    """Without a filter, the whole list's size is counted once until the next change; the
    signatories' filters give theirs from the counts by country and group."""
    for address, count in [
        (LISTS["signatories"], 25),
        (LISTS["signatories"] + "?country=it&group=soc", 2),
        (LISTS["declarations"], 1),
        (LISTS["detainees"], 9),
    ]:
        assert client.get(address).json()["count"] == count  # the first request counts
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).json()["count"] == count
        assert len(queries) == 1, address  # the rows only

    make_signature(make_declaration(), make_signatory(family_name="ADDED", country="IT"))
    assert client.get(LISTS["signatories"]).json()["count"] == 26
    assert client.get(LISTS["signatories"] + "?country=it&group=soc").json()["count"] == 3
