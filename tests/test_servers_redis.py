"""Several app servers on one PostgreSQL database and one Redis (DJANGO_CACHE_URL): a page
one server cached is served by the other, and a change made by a third process (an import, a
restore) shows on both at the next request. A Redis that does not answer is a cache that holds
nothing: pages still come from the database, and a change made meanwhile is not lost."""

import json
import logging
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from declaration_site.lib import cache as cache_module
from declaration_site.lib.cache import ForgivingRedisCache, bump, generation, memoise
from declaration_site.settings import env_cache

from .conftest import restore_pace_groups
from .factories import load_demo
from .servers import (
    REDIS_URL,
    database_url_of_the_tests,
    free_port,
    get,
    gunicorn,
    manage,
    redis_server,
)

DATA = Path(__file__).parent / "data"
SHARED_CACHE = {"DJANGO_CACHE_URL": REDIS_URL}
# What a proxy in front of both servers sends: the page cache keys on the site's address.
SITE = {"Host": "127.0.0.1"}
PAST_THE_PAGE_CACHE = {**SITE, "Cookie": "sessionid=none"}
PAGES = [
    "/",
    "/declarations/",
    "/declarations/695/",
    "/signatories/",
    "/statistics/",
    "/api/declarations/",
    "/fr/",
]


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
        # Past the page cache (a visitor with a session cookie): the memoised totals.
        "totals": "2 published declarations" in get(port, "/", headers=PAST_THE_PAGE_CACHE)[2],
        "list": 'href="/declarations/682/"' in body["/declarations/"],
        "signatories": "SUTTER" in body["/signatories/"],
        "statistics": "2 published declarations" in body["/statistics/"],
        "api": json.loads(body["/api/declarations/"])["count"] == 2,
        "french home": "2 déclarations publiées" in body["/fr/"],
        "682": get(port, "/declarations/682/", headers=SITE)[0] == 200,
    }


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_servers_on_one_redis_show_an_import_and_a_restore_at_once(redis_database, tmp_path):
    restore_pace_groups()
    load_demo()
    database_url = database_url_of_the_tests(tmp_path)
    copy = tmp_path / "copies" / "before.dump"
    made = manage(database_url, "backup", "--output", copy, **SHARED_CACHE)
    assert made.returncode == 0, made.stderr
    only_695 = dict.fromkeys(
        ["home", "totals", "list", "signatories", "statistics", "api", "french home", "682"],
        False,
    )
    with_682 = dict.fromkeys(only_695, True)

    with (
        gunicorn(database_url, **SHARED_CACHE) as first,
        gunicorn(database_url, **SHARED_CACHE) as second,
    ):
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


# When Redis does not answer.


@pytest.fixture
def redis_cache(settings, monkeypatch):
    """Returns a function that makes `redis://127.0.0.1:PORT/0` the site's cache, configured
    as DJANGO_CACHE_URL would; Redis is asked again one second after an error."""
    monkeypatch.setattr(ForgivingRedisCache, "RETRY_SECONDS", 1)
    monkeypatch.setattr(ForgivingRedisCache, "_down_until", {})

    def use(port):
        monkeypatch.setenv("DW_TEST_CACHE_URL", f"redis://127.0.0.1:{port}/0")
        settings.CACHES = {"default": env_cache("DW_TEST_CACHE_URL")}

    yield use
    settings.CACHES = {"default": env_cache("DW_TEST_NO_CACHE_URL")}
    cache_module._unwritten_bump.clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute


def test_a_redis_that_does_not_answer_is_a_cache_that_holds_nothing(redis_cache, caplog):
    redis_cache(free_port())  # nothing listens there
    compute = counter()
    with caplog.at_level(logging.WARNING, logger="declaration_site.lib.cache"):
        assert cache.set("page", "content") is False
        assert cache.get("page") is None
        assert cache.add("page", "content") is False
        assert cache.get_many(["page", "other"]) == {}
        assert [memoise("n", compute), memoise("n", compute)] == [1, 2]
        # Nothing stored under a generation that cannot be read is ever read back.
        assert generation() != generation()
    warnings = [record.getMessage() for record in caplog.records]
    assert "does not answer" in warnings[0]
    assert "pages come from the database" in warnings[0]


@pytest.mark.django_db
def test_a_change_made_while_redis_hangs_is_written_when_it_answers_again(redis_cache, caplog):
    if not shutil.which("redis-server") and not os.environ.get("DW_REQUIRE_REDIS"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    compute = counter()
    with redis_server() as (server, port):
        redis_cache(port)
        before = generation()
        assert [memoise("n", compute), memoise("n", compute)] == [1, 1]

        os.kill(server.pid, signal.SIGSTOP)  # it accepts connections but answers nothing
        try:
            with caplog.at_level(logging.WARNING, logger="declaration_site.lib.cache"):
                assert memoise("n", compute) == 2
                bump()
        finally:
            os.kill(server.pid, signal.SIGCONT)
        assert "The record changed but the shared cache did not answer" in caplog.text

        time.sleep(ForgivingRedisCache.RETRY_SECONDS)  # this process asks Redis again
        # Redis still holds the old generation and the old total; the change is written
        # before anything is read.
        after = generation()
        assert after != before
        assert generation() == after
        assert memoise("n", compute) == 3
        assert memoise("n", compute) == 3


@pytest.mark.django_db(transaction=True)
def test_a_server_whose_redis_is_down_serves_pages_from_the_database(tmp_path):
    restore_pace_groups()
    load_demo()
    down = {"DJANGO_CACHE_URL": f"redis://127.0.0.1:{free_port()}/9"}
    with gunicorn(database_url_of_the_tests(tmp_path), **down) as port:
        for _ in range(2):
            pages = {path: visit(port, path) for path in PAGES}
            assert {path: page[0] for path, page in pages.items()} == dict.fromkeys(PAGES, 200)
            assert "1 published declaration" in pages["/"][2]
            assert "Written declaration No. 695" in pages["/declarations/695/"][2]
            assert json.loads(pages["/api/declarations/"][2])["count"] == 1
