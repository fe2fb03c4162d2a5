"""Nothing a curator has not published is public: not on a page reachable from the home page,
not in the sitemap, the API, the CSV and Popolo downloads, the feeds or any search.

A draft declaration, the signatures on it, a signatory who signed only it and an unpublished
detainee each carry a marker; the whole public site is crawled and the markers never show."""

import html
import re
from collections import deque
from urllib.parse import urlencode, urlsplit

import pytest

from .factories import (
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# Every marker contains this, in any case: the page text, slugs and URLs are all checked for it.
MARKER = "zqxleak"
# Searches use parts of the markers, so that a page repeating the query is no false alarm.
PART = MARKER[1:-1]
DRAFT_NUMBER = 998
MAX_URLS = 2000

SEEDS = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/api/",
    "/api/popolo.json",
    "/api/schema/?format=json",
    "/feeds/declarations/",
    "/feeds/detainees/",
    "/declarations.csv",
    "/signatories.csv",
    "/detainees.csv",
    "/declarations/695/signatures.csv",
]
SEARCHABLE = [
    "/search/",
    "/declarations/",
    "/signatories/",
    "/detainees/",
    "/declarations.csv",
    "/signatories.csv",
    "/detainees.csv",
    "/api/declarations/",
    "/api/signatories/",
    "/api/detainees/",
]
SEARCHES = [PART, f"{PART}ktitle", f"{PART}ksignatory", f"{PART}kdetainee", f"{PART}kalias"]
# Links into these are not public pages.
SKIPPED_PREFIXES = ("/admin/", "/static/")

_HREF = re.compile(r"""(?:href|src|action)=["']([^"']+)["']""")
_ABSOLUTE = re.compile(r"""https?://testserver(/[^\s"'<>\\]*)""")
# A public page's record in the API: /declarations/695/ -> /api/declarations/695/.
_DETAIL = re.compile(r"^/(?:declarations|signatories|detainees|groups)/[^/?]+/$")


@pytest.fixture
def hidden(demo):
    """The unpublished records, each named with the marker, tied to the public ones where a
    careless query would let them through."""
    draft = make_declaration(
        number=DRAFT_NUMBER,
        status="draft",
        title=f"{MARKER}title: a draft on arrests",
        text=f"The {MARKER}text body of a draft that names Qzx {MARKER.upper()}DETAINEE.",
        source_url=f"https://example.org/{MARKER}source",
    )
    only_draft = make_signatory(
        given_name=f"{MARKER.capitalize()}given",
        family_name=f"{MARKER.upper()}SIGNATORY",
        country="MT",
    )
    make_signature(draft, only_draft)
    public_signatory = demo.signatures.get(position=2).signatory
    make_signature(draft, public_signatory, country="MT")
    detainee = make_detainee(
        name=f"Qzx {MARKER.capitalize()}detainee",
        other_names=f"{MARKER}alias",
        is_published=False,
        country="KZ",
        charges=f"{MARKER}charges",
        summary=f"{MARKER}summary",
    )
    make_mention(draft, detainee)
    make_mention(demo, detainee, name_as_written=f"{MARKER}written")
    return {"draft": draft, "signatory": only_draft, "detainee": detainee}


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def links_in(text):
    """Same-site paths named in a page, a JSON document, a feed or a sitemap."""
    found = {html.unescape(link) for link in _HREF.findall(text)}
    found |= set(_ABSOLUTE.findall(text.replace("\\/", "/")))
    paths = set()
    for link in found:
        parts = urlsplit(link)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue
        if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def crawl(client, seeds):
    """{url: (status, body)} of every same-site URL reachable from the seeds, breadth first."""
    queue, seen, visited = deque(seeds), set(seeds), {}
    while queue and len(visited) < MAX_URLS:
        url = queue.popleft()
        response = client.get(url)
        text = body_of(response)
        visited[url] = (response.status_code, text)
        if response.status_code in (301, 302):
            location = response["Location"]
            targets = {urlsplit(location)._replace(scheme="", netloc="").geturl()}
        else:
            targets = links_in(text)
        if _DETAIL.match(url):
            targets.add(f"/api{url}")
        for target in sorted(targets - seen):
            seen.add(target)
            queue.append(target)
    return visited


def test_a_crawl_of_the_public_site_finds_no_marker_no_server_error_and_every_kind_of_resource(
    client, hidden
):
    """One crawl (it is the longest part of the suite), three findings."""
    searches = [f"{path}?{urlencode({'q': search})}" for path in SEARCHABLE for search in SEARCHES]
    by_declaration = [
        f"{path}?declaration={DRAFT_NUMBER}"
        for path in ("/signatories/", "/detainees/", "/api/signatories/", "/api/detainees/")
    ]
    crawled = crawl(client, SEEDS + searches + by_declaration)

    # The markers appear nowhere on the public site, neither in a page nor in an address.
    leaks = sorted(url for url, (_, text) in crawled.items() if MARKER in text.lower())
    assert leaks == []
    assert not [url for url in crawled if MARKER in url.lower()]

    # No public address answers a server error.
    errors = sorted(url for url, (status, _) in crawled.items() if status >= 500)
    assert errors == []

    # The crawl reached every kind of public resource, so that the two findings above mean
    # something.
    ok = {url for url, (status, _) in crawled.items() if status == 200}
    for expected in [
        "/declarations/695/",
        "/signatories/boriana-aberg/",
        "/detainees/maks-bokayev/",
        "/groups/ec-da/",
        "/countries/se/",
        "/api/declarations/695/",
        "/api/signatories/boriana-aberg/",
        "/api/detainees/maks-bokayev/",
        "/feeds/declarations/",
        "/sitemap.xml",
        "/api/popolo.json",
        "/declarations/695/signatures.csv",
    ]:
        assert expected in ok, expected
    assert len(ok) > 100


def test_the_hidden_records_answer_404_at_their_own_addresses(client, hidden):
    signatory, detainee = hidden["signatory"].slug, hidden["detainee"].slug
    for url in [
        f"/declarations/{DRAFT_NUMBER}/",
        f"/declarations/{DRAFT_NUMBER}/signatures.csv",
        f"/signatories/{signatory}/",
        f"/detainees/{detainee}/",
        f"/api/declarations/{DRAFT_NUMBER}/",
        f"/api/signatories/{signatory}/",
        f"/api/detainees/{detainee}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_markers_are_found_where_staff_preview_drafts(admin_client, hidden):
    """The check above would see a leak: the marker is on the staff preview of the draft."""
    response = admin_client.get(f"/declarations/{DRAFT_NUMBER}/")
    assert response.status_code == 200
    assert MARKER in body_of(response).lower()
