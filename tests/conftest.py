import importlib
import os
import shutil

import pytest
from django.apps import apps
from django.db import connections

from .factories import load_demo
from .servers import REDIS_URL

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def demo(db):
    """The demo data: written declaration No. 695, published, with its nine detainees."""
    return load_demo()


# What this process collected, and what the reports it receives say: with pytest-xdist the
# workers collect and run, and the controller (which collects nothing) receives every report.
_browser_tests = {"collected": 0, "reported": 0, "passed": 0}
_redis_tests = {"collected": 0, "reported": 0, "passed": 0}


def _why_redis_tests_cannot_run():
    """None when the tests marked `redis` can run: PostgreSQL is the database and the Redis
    at REDIS_URL answers; otherwise why not."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "several servers on one database need PostgreSQL (DATABASE_URL=postgres://...)"
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis does not answer at {REDIS_URL} ({error})"
    finally:
        client.close()
    return None


def _skip_redis_tests_without_redis(items):
    """The tests marked `redis` are skipped without PostgreSQL or Redis, unless
    DW_REQUIRE_REDIS is set (as CI sets it for its PostgreSQL run): then the run fails."""
    marked = [item for item in items if "redis" in item.keywords]
    _redis_tests["collected"] = len(marked)
    reason = _why_redis_tests_cannot_run() if marked else None
    if reason is None:
        return
    if os.environ.get("DW_REQUIRE_REDIS"):
        raise pytest.UsageError(f"DW_REQUIRE_REDIS is set but {reason}")
    for item in marked:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: they use the live server, so their database is emptied after
    each of them, data migrations' rows included, and no other test should come after that.

    They need Debian's Chromium. Without it they are skipped, unless DW_REQUIRE_BROWSER is set
    (as CI sets it), in which case the run fails."""
    _skip_redis_tests_without_redis(items)
    items.sort(key=lambda item: "browser" in item.keywords)
    _browser_tests["collected"] = sum("browser" in item.keywords for item in items)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("DW_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"DW_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# The screenshots the browser tests took (`record_property("screenshot", path)`), listed at the
# end of the run for a human to look at.
_screenshots = set()


def pytest_terminal_summary(terminalreporter):
    if _screenshots:
        terminalreporter.section("screenshots")
        for path in sorted(_screenshots):
            terminalreporter.line(path)


def pytest_runtest_logreport(report):
    if report.when == "call":
        _screenshots.update(value for name, value in report.user_properties if name == "screenshot")
    for marker, counts in (("browser", _browser_tests), ("redis", _redis_tests)):
        if marker not in report.keywords:
            continue
        if report.when == "setup":
            counts["reported"] += 1
        if report.when == "call" and report.passed:
            counts["passed"] += 1


def _expected(counts):
    return max(counts["collected"], counts["reported"], 1)


def _is_xdist_worker(session):
    """A worker of pytest-xdist runs a share of the tests: the controller judges the run."""
    return hasattr(session.config, "workerinput")


def _fail_unless_required_tests_passed(session, variable, counts, kind):
    """With `variable` set (as CI sets it), a run whose `kind` tests did not all pass (or that
    ran none) fails."""
    if not os.environ.get(variable) or session.config.option.collectonly:
        return
    if counts["passed"] < _expected(counts):
        session.config.get_terminal_writer().line(
            f"\n{variable}: {counts['passed']} of {_expected(counts)} {kind} tests passed; "
            "failing the run.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_sessionfinish(session, exitstatus):
    """With DW_REQUIRE_BROWSER, a run whose browser tests did not all pass fails; likewise
    with DW_REQUIRE_REDIS and the Redis tests."""
    if _is_xdist_worker(session):
        return
    _fail_unless_required_tests_passed(session, "DW_REQUIRE_REDIS", _redis_tests, "Redis")
    _fail_unless_required_tests_passed(session, "DW_REQUIRE_BROWSER", _browser_tests, "browser")


def restore_pace_groups():
    """Put back the political groups that the data migration creates (idempotent)."""
    migration = importlib.import_module("signatories.migrations.0002_pace_political_groups")
    migration.create_groups(apps, schema_editor=None)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server, on a database holding what the migrations put there."""
    restore_pace_groups()
    return live_server


@pytest.fixture(scope="module", autouse=True)
def _close_connections_left_by_browser_tests(request):
    """While Playwright's event loop runs, the ORM in the test thread opens connections of its
    own, which the test database's teardown would not close; close them with the module."""
    yield
    module = request.module
    if any("browser" in item.keywords and item.module is module for item in request.session.items):
        connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request to a French page activates
    French in the thread, and it would otherwise stay active for the next test."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _own_export_dir(settings, tmp_path):
    """Each test builds its exports (Popolo, the sitemap) into a directory of its own, so that
    files built from one test's database never serve another."""
    settings.EXPORT_DIR = tmp_path / "exports"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache, so that totals kept by one test do not outlive its
    database; the page cache is off but in the tests that turn it on (tests/test_caching.py)."""
    from django.core.cache import cache

    from declaration_site.lib.cache import in_process_memo

    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    in_process_memo.clear()
    yield
    cache.clear()
    in_process_memo.clear()
