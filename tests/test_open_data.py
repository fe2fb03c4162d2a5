"""CSV downloads, the Popolo file, the Atom feeds, the sitemap and robots.txt: the same public
records the pages show, and nothing else."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declaration_site.lib.csv import neutralise

from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def hidden(demo):
    """A draft declaration signed by a demo signatory and by someone who signed only it, naming
    a published and an unpublished detainee. None of it may appear anywhere public."""
    draft = make_declaration(number=999, status="draft", title="Zanzibar draft title")
    make_signature(draft, make_signatory(given_name="Hidden", family_name="DRAFTONLY"))
    make_signature(draft, demo.signatures.get(position=2).signatory)
    make_mention(draft, make_detainee(name="Unpublished Prisoner", is_published=False))
    return draft


def test_signatory_csv_takes_the_page_filters_and_has_every_row(client, demo):
    rows = read_csv(client.get("/signatories.csv?group=uel"))
    assert [row["family_name"] for row in rows] == ["GAVAN", "HUNKO", "JALLOW", "PRINGLE"]
    assert rows[2]["given_name"] == "Momodou Malcolm"
    assert rows[2]["political_group"] == "UEL"
    assert rows[2]["url"] == "http://testserver/signatories/momodou-malcolm-jallow/"


def test_signatory_csv_keeps_accents_through_a_round_trip(client, demo):
    rows = read_csv(client.get("/signatories.csv?country=se"))
    assert {row["family_name"] for row in rows} == {"ÅBERG", "JALLOW", "OHLSSON"}


def test_signatory_csv_is_not_limited_to_one_page(client, demo):
    declaration = make_declaration(number=1)
    for index in range(60):
        make_signature(declaration, make_signatory(family_name=f"MEMBER{index:02d}", country="MT"))
    assert len(read_csv(client.get("/signatories.csv?country=MT"))) == 60


@pytest.mark.parametrize("url", ["/signatories.csv", "/declarations.csv", "/detainees.csv"])
def test_a_csv_runs_the_same_queries_for_one_row_and_for_many(client, db, url):
    def queries_of_download():
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(client.get(url))
        return len(queries), len(rows)

    make_signature(make_declaration(number=1), make_signatory(family_name="ONE"))
    make_detainee(name="One Detainee")
    few, rows = queries_of_download()
    assert rows == 1
    for number in range(2, 40):
        declaration = make_declaration(number=number)
        make_signature(declaration, make_signatory(family_name=f"MANY{number}", country="MT"))
        make_detainee(name=f"Detainee {number}")
    many, rows = queries_of_download()
    assert (many, rows) == (few, 39)


def test_a_csv_sends_its_header_at_once_then_its_rows_in_large_pieces(client, db):
    declaration = make_declaration(number=1)
    for index in range(1000):
        make_signature(declaration, make_signatory(family_name=f"MEMBER{index:04d}"))
    pieces = list(client.get("/signatories.csv").streaming_content)
    assert pieces[0].startswith(b"slug,honorific,given_name") and pieces[0].count(b"\n") == 1
    assert 1 < len(pieces) < 10
    assert sum(piece.count(b"\n") for piece in pieces) == 1001


def test_a_bad_filter_value_answers_400_with_the_field(client, demo):
    response = client.get("/signatories.csv?country=ZZ")
    assert response.status_code == 400
    assert "country" in response.content.decode()


def test_declaration_csv_lists_public_declarations_with_signature_counts(client, hidden):
    rows = read_csv(client.get("/declarations.csv"))
    assert [(row["number"], row["signatures"]) for row in rows] == [("695", "25")]


def test_signatures_csv_follows_list_order_with_the_affiliation_as_of_signing(client, demo):
    rows = read_csv(client.get("/declarations/695/signatures.csv"))
    assert len(rows) == 25
    assert [rows[0][k] for k in ("position", "family_name", "country_code", "political_group")] == [
        "1",
        "GATTOLIN",
        "FR",
        "ALDE",
    ]
    assert [int(row["position"]) for row in rows] == list(range(1, 26))


def test_signatures_csv_of_a_draft_is_not_found(client, hidden):
    assert client.get("/declarations/999/signatures.csv").status_code == 404


def test_detainee_csv_lists_published_detainees_with_their_other_names(client, hidden):
    rows = read_csv(client.get("/detainees.csv?q=bokayev"))
    assert [row["name"] for row in rows] == ["Maks Bokayev"]
    assert "Max Bokayev" in rows[0]["other_names"]
    assert "Unpublished Prisoner" not in {
        row["name"] for row in read_csv(client.get("/detainees.csv"))
    }


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("ÅBERG", "ÅBERG"),
        (None, ""),
        (25, "25"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_a_formula_in_a_name_reaches_the_csv_defused(client, db):
    declaration = make_declaration(number=1)
    make_signature(declaration, make_signatory(given_name="=cmd|' /C calc'!A0", family_name="EVIL"))
    [row] = read_csv(client.get("/signatories.csv"))
    assert row["given_name"] == "'=cmd|' /C calc'!A0"


def body(response):
    """The body of a response, streamed (CSV, the exports served from their files) or not."""
    # Read to the end, a streamed response closes its file.
    return response.getvalue()


def popolo(client):
    response = client.get("/api/popolo.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def test_popolo_persons_organizations_and_memberships_have_the_required_shapes(client, demo):
    document = popolo(client)
    assert set(document) == {"persons", "organizations", "memberships", "motions"}
    ids = set()
    for person in document["persons"]:
        assert isinstance(person["id"], str) and person["id"]
        assert isinstance(person["name"], str) and person["name"]
        for other in person.get("other_names", []):
            assert isinstance(other["name"], str)
        ids.add(person["id"])
    organizations = {organization["id"]: organization for organization in document["organizations"]}
    for organization in organizations.values():
        assert isinstance(organization["name"], str) and organization["name"]
        for key in ("founding_date", "dissolution_date"):
            if key in organization:
                assert len(organization[key]) == 4 and organization[key].isdigit()
    for membership in document["memberships"]:
        assert membership["person_id"] in ids
        assert membership["organization_id"] in organizations
        assert membership["start_date"] <= membership["end_date"]
    assert len(document["persons"]) == 25
    assert len(document["memberships"]) == 25


def test_popolo_groups_carry_their_rename_history(client, demo):
    organizations = {o["id"]: o for o in popolo(client)["organizations"]}
    assert organizations["pace"]["classification"] == "legislature"
    assert organizations["group/edg"]["successor_id"] == "group/ec"
    assert organizations["group/ec"]["predecessor_ids"] == ["group/edg"]
    assert organizations["group/ec"]["successor_id"] == "group/ec-da"
    assert organizations["group/ec-da"]["parent_id"] == "pace"


def test_popolo_motion_signatures_record_the_group_as_of_signing(client, demo):
    older = make_declaration(number=660, date="2018-06-01")
    maire = demo.signatures.get(signatory__family_name="MAIRE").signatory
    make_signature(older, maire, political_group=group("NR"))
    document = popolo(client)
    motions = {motion["id"]: motion for motion in document["motions"]}
    assert [s["organization_id"] for s in motions["motion/660"]["signatures"]] == ["group/nr"]
    first = motions["motion/695"]["signatures"][0]
    assert first == {
        "position": 1,
        "person_id": "person/andre-gattolin",
        "organization_id": "group/alde",
        "area": "FR",
    }
    assert motions["motion/695"]["creator_id"] == "person/andre-gattolin"
    spans = [m for m in document["memberships"] if m["person_id"] == "person/jacques-maire"]
    assert {(m["organization_id"], m["start_date"]) for m in spans} == {
        ("group/nr", "2018-06-01"),
        ("group/alde", "2019-10-04"),
    }


def parse_atom(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_declarations_feed_is_atom_with_the_published_declarations(client, hidden):
    feed = parse_atom(client.get("/feeds/declarations/"))
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 1
    assert titles[0].startswith("Written declaration No. 695")


def test_detainees_feed_lists_published_detainees_only(client, hidden):
    feed = parse_atom(client.get("/feeds/detainees/"))
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 9
    assert not any("Unpublished" in title for title in titles)


def sitemap_locations(client):
    """Every address of the sitemap: /sitemap.xml is an index of the files that list them."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    index = ElementTree.fromstring(body(response))
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = set()
    for page in index.iter(f"{SITEMAP}loc"):
        assert page.text.startswith("http://testserver/sitemap-")
        response = client.get(page.text.removeprefix("http://testserver"))
        assert response.status_code == 200
        urlset = ElementTree.fromstring(body(response))
        locations |= {loc.text for loc in urlset.iter(f"{SITEMAP}loc")}
    return locations


def test_sitemap_lists_every_public_page_and_no_draft(client, hidden):
    locations = sitemap_locations(client)
    assert "http://testserver/declarations/695/" in locations
    assert "http://testserver/signatories/andre-gattolin/" in locations
    assert "http://testserver/countries/it/" in locations
    assert "http://testserver/groups/ec-da/" in locations
    assert "http://testserver/detainees/maks-bokayev/" in locations
    assert "http://testserver/declarations/999/" not in locations
    assert not any("draftonly" in location for location in locations)
    assert not any("unpublished" in location for location in locations)
    # 1 home + 5 lists + 1 declaration + 25 signatories + 10 groups + 11 countries + 9 detainees,
    # each in English and in French (/fr/)
    assert len(locations) == 2 * 62


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_no_export_mentions_what_is_not_public(client, hidden):
    for url in [
        "/signatories.csv",
        "/declarations.csv",
        "/detainees.csv",
        "/api/popolo.json",
        "/feeds/declarations/",
        "/feeds/detainees/",
        "/sitemap.xml",
    ]:
        text = body(client.get(url)).decode()
        for marker in ("DRAFTONLY", "draftonly", "Zanzibar", "Unpublished Prisoner", "/999/"):
            assert marker not in text, (url, marker)
    sitemap = "\n".join(sitemap_locations(client))
    for marker in ("draftonly", "/999/", "unpublished"):
        assert marker not in sitemap, marker


def test_popolo_is_built_once_per_change_to_the_record(client, demo, django_assert_num_queries):
    first = popolo(client)
    with django_assert_num_queries(0):
        assert popolo(client) == first
    demo.title = "A corrected title"
    demo.save()
    assert popolo(client)["motions"][0]["text"] == "A corrected title"


def test_popolo_links_start_with_the_site_address_whatever_the_host_asked(client, demo, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    document = json.loads(body(client.get("/api/popolo.json", HTTP_HOST="other.example")))
    [person] = [p for p in document["persons"] if p["id"] == "person/andre-gattolin"]
    assert person["links"][0]["url"] == "http://testserver/signatories/andre-gattolin/"
