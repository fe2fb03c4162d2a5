"""Two app servers on one PostgreSQL database and one Redis (DJANGO_CACHE_URL): a page one
server cached is served by the other, and a change made by a third process (an import, a
restore) shows on both at the next request."""

import json
from pathlib import Path

import pytest

from .conftest import restore_pace_groups
from .factories import load_demo
from .servers import REDIS_URL, database_url_of_the_tests, get, gunicorn, manage

DATA = Path(__file__).parent / "data"
SHARED_CACHE = {"DJANGO_CACHE_URL": REDIS_URL}
# What a proxy in front of both servers sends: the page cache keys on the site's address.
SITE = {"Host": "127.0.0.1"}
PAGES = [
    "/",
    "/declarations/",
    "/declarations/695/",
    "/signatories/",
    "/statistics/",
    "/api/declarations/",
    "/fr/",
]

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_database():
    """REDIS_URL's database, empty (tests/conftest.py skips these tests without Redis)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def visit(port, path):
    """(status, X-Page-Cache, body) of an anonymous visit to `path` on the server at `port`."""
    status, headers, body = get(port, path, headers=SITE)
    return status, headers.get("X-Page-Cache"), body


def what_the_pages_say(port):
    """The facts each page shows about the record, as an anonymous visitor reads them."""
    pages = {path: visit(port, path) for path in PAGES}
    assert {path: status for path, (status, _, _) in pages.items()} == dict.fromkeys(PAGES, 200)
    body = {path: text for path, (_, _, text) in pages.items()}
    return {
        "home": "2 published declarations" in body["/"],
        "list": 'href="/declarations/682/"' in body["/declarations/"],
        "signatories": "SUTTER" in body["/signatories/"],
        "statistics": "2 published declarations" in body["/statistics/"],
        "api": json.loads(body["/api/declarations/"])["count"] == 2,
        "french home": "2 déclarations publiées" in body["/fr/"],
        "682": get(port, "/declarations/682/", headers=SITE)[0] == 200,
    }


def test_two_servers_on_one_redis_show_an_import_and_a_restore_at_once(
    redis_database, tmp_path
):
    restore_pace_groups()
    load_demo()
    database_url = database_url_of_the_tests(tmp_path)
    copy = tmp_path / "copies" / "before.dump"
    made = manage(database_url, "backup", "--output", copy, **SHARED_CACHE)
    assert made.returncode == 0, made.stderr
    only_695 = dict.fromkeys(
        ["home", "list", "signatories", "statistics", "api", "french home", "682"], False
    )
    with_682 = dict.fromkeys(only_695, True)

    with gunicorn(database_url, **SHARED_CACHE) as first, gunicorn(
        database_url, **SHARED_CACHE
    ) as second:
        # What one server renders, the other serves from Redis.
        for path in PAGES:
            assert visit(first, path)[:2] == (200, "miss")
            assert visit(second, path)[:2] == (200, "hit")
        assert what_the_pages_say(first) == what_the_pages_say(second) == only_695

        imported = manage(
            database_url,
            "import_declaration",
            DATA / "wd-682.txt",
            "--publish",
            **SHARED_CACHE,
        )
        assert imported.returncode == 0, imported.stderr
        assert "Written declaration No. 682" in imported.stdout
        assert what_the_pages_say(second) == with_682
        assert what_the_pages_say(first) == with_682

        restored = manage(database_url, "restore", copy, "--no-input", **SHARED_CACHE)
        assert restored.returncode == 0, restored.stderr
        assert what_the_pages_say(first) == only_695
        assert what_the_pages_say(second) == only_695
