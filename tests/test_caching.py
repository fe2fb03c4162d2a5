"""The page cache: anonymous visitors get cached pages, any curator's change shows on the next
request, and neither staff pages nor drafts ever enter the cache."""

import http.client
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declaration_site import caching
from signatories.models import Declaration

from . import servers
from .factories import make_declaration, make_signatory, make_signature
from .test_admin import admin_url, form_data

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def declaration(db):
    declaration = make_declaration(number=700, title="Free the journalists")
    make_signature(declaration, make_signatory(family_name="ÅBERG"))
    return declaration


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


@pytest.mark.parametrize(
    "url", ["/", "/declarations/", "/declarations/700/", "/signatories/", "/api/signatories/"]
)
def test_the_second_anonymous_request_is_served_from_the_cache(client, declaration, url):
    first, first_queries = get(client, url)
    second, second_queries = get(client, url)
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content


def test_the_api_and_its_browsable_page_are_cached_apart(client, declaration):
    json_response, _ = get(client, "/api/signatories/", HTTP_ACCEPT="application/json")
    html_response, _ = get(client, "/api/signatories/", HTTP_ACCEPT="text/html")
    assert json_response["Content-Type"].startswith("application/json")
    assert html_response["Content-Type"].startswith("text/html")


def test_a_query_string_is_a_page_of_its_own(client, declaration):
    get(client, "/signatories/")
    response, queries = get(client, "/signatories/?q=aberg")
    assert response["X-Page-Cache"] == "miss"
    assert queries > 0


def test_an_edit_in_the_admin_shows_on_the_next_anonymous_request(
    client, admin_client, declaration
):
    assert b"Free the journalists" in client.get("/declarations/700/").content
    assert client.get("/declarations/700/")["X-Page-Cache"] == "hit"
    change_url = admin_url(Declaration, "change", declaration.pk)
    response = admin_client.post(
        change_url, form_data(admin_client.get(change_url), title="Free the lawyers")
    )
    assert response.status_code == 302
    after = client.get("/declarations/700/")
    assert after["X-Page-Cache"] == "miss"
    assert b"Free the lawyers" in after.content
    assert b"Free the journalists" not in after.content


def test_publishing_in_the_admin_shows_on_the_next_anonymous_request(
    client, admin_client, declaration
):
    draft = make_declaration(number=701, title="A new appeal", status=Declaration.Status.DRAFT)
    assert b"A new appeal" not in client.get("/declarations/").content
    assert client.get("/declarations/")["X-Page-Cache"] == "hit"
    admin_client.post(
        admin_url(Declaration, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert b"A new appeal" in client.get("/declarations/").content


def test_a_change_anywhere_empties_every_page(client, declaration):
    client.get("/")
    Declaration.objects.get(number=700).save()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_staff_never_get_or_fill_cached_pages(client, admin_client, declaration):
    anonymous = client.get("/declarations/")
    assert anonymous["X-Page-Cache"] == "miss"
    for _ in range(2):
        response, queries = get(admin_client, "/declarations/")
        assert "X-Page-Cache" not in response
        assert queries > 0
    assert client.get("/declarations/")["X-Page-Cache"] == "hit"


def test_drafts_never_enter_the_cache(client, admin_client, declaration):
    make_declaration(number=701, title="A draft appeal", status=Declaration.Status.DRAFT)
    preview = admin_client.get("/declarations/701/")
    assert b"A draft appeal" in preview.content
    assert client.get("/declarations/701/").status_code == 404
    assert client.get("/declarations/701/").status_code == 404
    for _ in range(2):
        assert b"A draft appeal" not in client.get("/declarations/").content


def test_pages_that_set_a_cookie_are_not_cached(client, declaration):
    client.get("/admin/login/")
    response, _ = get(client, "/admin/login/")
    assert "X-Page-Cache" not in response
    client.cookies.clear()


def test_zero_seconds_turns_the_cache_off(client, declaration, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    response, queries = get(client, "/")
    assert "X-Page-Cache" not in response
    assert queries > 0


def test_large_pages_are_kept_compressed_and_served_whole(client, declaration, monkeypatch):
    monkeypatch.setattr(caching, "COMPRESS_FROM_BYTES", 1000)
    first = client.get("/declarations/700/")
    assert len(caching.freeze(first).content) < len(first.content) / 2
    second = client.get("/declarations/700/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_large_page_is_decompressed_once_for_its_hits_and_a_change_gives_the_new_one(
    client, declaration, monkeypatch
):
    monkeypatch.setattr(caching, "COMPRESS_FROM_BYTES", 1000)
    decompressed = []
    real = caching.zlib.decompress
    monkeypatch.setattr(
        caching.zlib, "decompress", lambda data: decompressed.append(1) or real(data)
    )
    first = client.get("/declarations/700/")
    hits = [client.get("/declarations/700/") for _ in range(3)]
    assert [hit["X-Page-Cache"] for hit in hits] == ["hit"] * 3
    assert all(hit.content == first.content for hit in hits)
    assert len(decompressed) == 1
    declaration.title = "A title changed by a curator"
    declaration.save()
    changed = client.get("/declarations/700/")
    again = client.get("/declarations/700/")
    assert b"A title changed by a curator" in changed.content
    assert again["X-Page-Cache"] == "hit" and again.content == changed.content


def test_the_decompressed_bodies_kept_are_few_and_each_its_own():
    bodies = caching.ThawedBodies()
    pages = {f"page:{n}": f"body {n}".encode() * 100 for n in range(bodies.SIZE + 5)}
    for key, body in pages.items():
        assert bodies.get(key, caching.zlib.compress(body)) == body
    assert len(bodies._bodies) == bodies.SIZE
    assert bodies.get("page:3", caching.zlib.compress(b"kept no longer")) == b"kept no longer"


def test_the_api_is_kept_as_its_rendered_body_only(client, declaration):
    """Not the serialised data beside it, which a hit does not need."""
    first = client.get("/api/signatories/", HTTP_ACCEPT="application/json")
    assert not hasattr(caching.freeze(first), "data")
    second = client.get("/api/signatories/", HTTP_ACCEPT="application/json")
    assert second["X-Page-Cache"] == "hit"
    assert second.json() == first.json()


# -- Bounded: junk query strings cannot fill a worker's memory ---------------------------------

BIG_PAGES = [
    "/api/popolo.json",
    "/signatories/",
    "/statistics/",
    "/declarations/",
    "/detainees/",
    "/api/signatories/",
    "/api/declarations/",
    "/",
]


def sample_database(directory):
    """A SQLite file with a fifth of PACE's record of invented data (140 declarations, 400
    signatories, 400 detainees): full list pages and a Popolo document of about 1 MB."""
    url = f"sqlite:///{directory / 'sample.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    manage = [sys.executable, str(servers.ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=servers.ROOT)  # noqa: S603
    script = (
        "from declaration_site import sample_data as s\n"
        "s.DECLARATIONS_PER_SCALE, s.SIGNATORIES_PER_SCALE, s.DETAINEES_PER_SCALE = 140, 400, 400\n"
        "s.generate(scale=1)\n"
    )
    subprocess.run([*manage, "shell", "-c", script], env=env, check=True, cwd=servers.ROOT)  # noqa: S603
    return url


def gunicorn_worker(port):
    """The PID of the worker of the gunicorn bound to `port`: the child of the process that
    was started with that binding."""
    started = set()
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if f"GUNICORN_BIND=127.0.0.1:{port}".encode() in environ:
            started.add(int(entry.name))
    for pid in started:
        status = Path(f"/proc/{pid}/status").read_text()
        parent = int(re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE).group(1))
        if parent in started:
            return pid
    raise AssertionError(f"no gunicorn worker on port {port}")


def resident_megabytes(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_two_thousand_junk_query_strings_leave_a_workers_memory_under_150_mb(tmp_path):
    url = sample_database(tmp_path)
    # One worker that is never recycled, so that nothing hides growth.
    with servers.gunicorn(url, GUNICORN_MAX_REQUESTS="0", DJANGO_PAGE_CACHE_SECONDS="300") as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sizes = {}
        for page in BIG_PAGES:
            connection.request("GET", page)
            response = connection.getresponse()
            sizes[page] = len(response.read())
            assert response.status == 200, page
        assert sizes["/api/popolo.json"] > 500_000  # larger than the page cache takes
        worker = gunicorn_worker(port)
        warm = resident_megabytes(worker)
        for number in range(2000):
            connection.request("GET", f"{BIG_PAGES[number % len(BIG_PAGES)]}?cb={number}")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
        connection.close()
        after = resident_megabytes(worker)
        assert gunicorn_worker(port) == worker  # the same worker all along
    assert after < 150, f"worker at {after:.0f} MB after the junk, {warm:.0f} MB before"


def test_page_numbers_past_the_end_are_not_each_kept(client, page_cache, declaration):
    for number in (1, 2, 3):
        client.get(f"/declarations/?page={number + 1000}")
        client.get("/declarations/?page=abc")

    assert "X-Page-Cache" not in client.get("/declarations/?page=1001")
    assert "X-Page-Cache" not in client.get("/declarations/?page=abc")
    assert "Free the journalists" in client.get("/declarations/?page=1001").content.decode()
    client.get("/declarations/?page=1")
    assert client.get("/declarations/?page=1")["X-Page-Cache"] == "hit"
