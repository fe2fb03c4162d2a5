"""The exports built outside the request (Popolo, the sitemap): rebuilt after each change in a
background thread, the previous file served while a rebuild runs, never a draft in a file."""

import io
import json
import threading
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from declaration_site import sitemaps
from declaration_site.lib.cache import bump
from declaration_site.lib.exports import wait_for_builds
from signatories.exports import POPOLO
from signatories.models import Declaration

from .conftest import restore_pace_groups
from .factories import make_declaration, make_signatory, make_signature

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def body(response):
    assert response.status_code == 200
    return response.getvalue()  # read to the end, the file is closed


def motion_texts(client):
    document = json.loads(body(client.get("/api/popolo.json")))
    return {motion["id"]: motion["text"] for motion in document["motions"]}


def file_text(settings, name="popolo.json"):
    return (settings.EXPORT_DIR / name).read_text(encoding="utf-8")


@pytest.fixture
def background(settings, transactional_db):
    """Exports rebuilt by the background thread, as in production, with a shorter wait, on a
    database whose commits the thread sees."""
    restore_pace_groups()
    settings.EXPORT_BACKGROUND = True
    settings.EXPORT_DEBOUNCE_SECONDS = 0.1
    yield
    assert wait_for_builds(timeout=30)


@pytest.fixture
def held_build(monkeypatch):
    """A Popolo build that starts but does not finish until the test releases it."""
    started, release = threading.Event(), threading.Event()
    write = POPOLO.write

    def held(out):
        started.set()
        assert release.wait(timeout=30)
        write(out)

    monkeypatch.setattr(POPOLO, "write", held)
    yield started, release
    release.set()


def test_the_command_builds_every_export_into_the_export_directory(demo, settings):
    out = io.StringIO()
    call_command("build_exports", stdout=out)
    assert "popolo.json: " in out.getvalue()
    assert "sitemap.xml: " in out.getvalue()
    document = json.loads(file_text(settings))
    assert len(document["persons"]) == 25
    assert "http://testserver/declarations/695/" in file_text(
        settings, "sitemap-declarations-1.xml"
    )
    out = io.StringIO()
    call_command("build_exports", if_stale=True, stdout=out)
    assert out.getvalue() == "popolo.json: up to date\nsitemap.xml: up to date\n"


def test_the_served_file_has_its_length_type_and_validators(client, demo, settings):
    response = client.get("/api/popolo.json")
    content = body(response)
    assert response["Content-Type"] == "application/json"
    assert (
        int(response["Content-Length"])
        == len(content)
        == ((settings.EXPORT_DIR / "popolo.json").stat().st_size)
    )
    assert response["Last-Modified"].endswith(" GMT")
    again = client.get("/api/popolo.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_change_is_in_the_file_rebuilt_after_it_commits(client, background, settings):
    declaration = make_declaration(number=1, title="The first title")
    make_signature(declaration, make_signatory(family_name="FIRST"))
    call_command("build_exports", stdout=io.StringIO())

    declaration.title = "A corrected title"
    declaration.save()
    assert wait_for_builds(timeout=30)

    assert json.loads(file_text(settings))["motions"][0]["text"] == "A corrected title"
    assert motion_texts(client) == {"motion/1": "A corrected title"}


def test_after_a_change_the_statistics_are_counted_before_any_visitor_asks(
    client, background, django_assert_num_queries
):
    declaration = make_declaration(number=1, title="Counted")
    make_signature(declaration, make_signatory(family_name="FIRST", country="IT"))
    make_signature(declaration, make_signatory(family_name="SECOND", country="FR"))
    assert wait_for_builds(timeout=30)
    # Counted by the background thread, with the choices of the filters: the visitor's
    # request reads them and asks the database nothing.
    with django_assert_num_queries(0):
        response = client.get("/api/statistics/")
    assert response.json()["signatures_by_country"] == {"FR": 1, "IT": 1}


def test_while_a_rebuild_runs_the_previous_file_is_served(client, background, held_build):
    started, release = held_build
    declaration = make_declaration(number=1, title="The first title")
    make_signature(declaration, make_signatory(family_name="FIRST"))
    release.set()
    call_command("build_exports", stdout=io.StringIO())
    release.clear()

    declaration.title = "A corrected title"
    declaration.save()
    assert started.wait(timeout=30)
    for _ in range(2):
        assert motion_texts(client) == {"motion/1": "The first title"}

    release.set()
    assert wait_for_builds(timeout=30)
    assert motion_texts(client) == {"motion/1": "A corrected title"}


def test_a_file_older_than_the_record_is_served_and_rebuilt_in_the_background(
    client, background, settings
):
    """A change made by another process (or on another server) leaves this server's file out
    of date: the next request gets the old file and starts a rebuild."""
    declaration = make_declaration(number=1, title="The first title")
    make_signature(declaration, make_signatory(family_name="FIRST"))
    call_command("build_exports", stdout=io.StringIO())
    # The builds the new rows asked for, done before the change "elsewhere": else one still
    # waiting would build the changed record before the request below. And a pause long
    # enough that the rebuild the request asks for cannot finish before it reads the file,
    # however busy the machine.
    assert wait_for_builds(timeout=30)
    settings.EXPORT_DEBOUNCE_SECONDS = 1
    Declaration.objects.filter(pk=declaration.pk).update(title="Changed elsewhere")
    bump()

    assert motion_texts(client) == {"motion/1": "The first title"}
    assert wait_for_builds(timeout=30)
    assert motion_texts(client) == {"motion/1": "Changed elsewhere"}


def test_the_first_request_of_a_fresh_install_waits_for_a_short_build(client, background):
    make_signature(make_declaration(number=1), make_signatory(family_name="FIRST"))
    assert list(motion_texts(client)) == ["motion/1"]


def test_the_first_request_answers_503_while_a_long_first_build_runs(
    client, background, held_build, settings
):
    settings.EXPORT_FIRST_BUILD_WAIT = 0
    make_signature(make_declaration(number=1), make_signatory(family_name="FIRST"))
    response = client.get("/api/popolo.json")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    held_build[1].set()
    assert wait_for_builds(timeout=30)
    assert list(motion_texts(client)) == ["motion/1"]


def test_a_draft_is_never_in_a_file_and_leaves_it_when_unpublished(client, background, settings):
    public = make_declaration(number=1, title="Public declaration")
    make_signature(public, make_signatory(family_name="PUBLICSIGNER"))
    draft = make_declaration(number=2, status="draft", title="Zanzibar draft")
    make_signature(draft, make_signatory(family_name="DRAFTONLY"))
    call_command("build_exports", stdout=io.StringIO())
    files = "".join(path.read_text() for path in settings.EXPORT_DIR.glob("*.*"))
    assert "PUBLICSIGNER" in files
    assert "/declarations/1/" in files
    for marker in ("Zanzibar", "DRAFTONLY", "draftonly", "/declarations/2/"):
        assert marker not in files, marker

    public.status = "draft"
    public.save()
    assert wait_for_builds(timeout=30)
    files = "".join(path.read_text() for path in settings.EXPORT_DIR.glob("*.*"))
    assert "/declarations/1/" not in files
    assert motion_texts(client) == {}


def test_the_sitemap_is_an_index_of_pages_that_a_smaller_record_drops(
    client, demo, settings, monkeypatch
):
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 20)
    index = ElementTree.fromstring(body(client.get("/sitemap.xml")))
    pages = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    # 25 signatories, each in English and French: 50 addresses in three files of 20.
    assert [page for page in pages if "-signatories-" in page] == [
        f"http://testserver/sitemap-signatories-{page}.xml" for page in (1, 2, 3)
    ]
    third = client.get("/sitemap-signatories-3.xml")
    assert len(ElementTree.fromstring(body(third)).findall(f"{SITEMAP}url")) == 10

    demo.signatures.filter(position__gt=5).delete()
    index = ElementTree.fromstring(body(client.get("/sitemap.xml")))
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc") if "-signatories-" in loc.text] == [
        "http://testserver/sitemap-signatories-1.xml"
    ]
    assert client.get("/sitemap-signatories-3.xml").status_code == 404
    assert client.get("/sitemap-nothing-1.xml").status_code == 404
    assert client.get("/sitemap.xml.generation").status_code == 404


def test_the_sitemap_files_say_what_djangos_sitemap_template_says(demo):
    """The files are written without the template engine; they hold the same elements."""

    def elements(xml):
        return [
            (element.tag, element.attrib, (element.text or "").strip())
            for element in ElementTree.fromstring(xml).iter()
        ]

    site = SimpleNamespace(domain="testserver")
    for section, sitemap_class in sitemaps.SITEMAPS.items():
        urls = sitemap_class().get_urls(site=site, protocol="http")
        assert urls, section
        assert elements(sitemaps._urlset(urls)) == elements(
            render_to_string("sitemap.xml", {"urlset": urls})
        ), section


@pytest.mark.parametrize("value", ["declarations.example.org", "https://example.org/site"])
def test_a_site_address_that_is_not_a_scheme_and_a_host_stops_the_start(value):
    from .test_settings import production_env, run_manage

    result = run_manage("check", **production_env(DJANGO_SITE_URL=value))
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be a scheme and a host" in result.stderr


def test_the_site_address_may_end_with_a_slash(tmp_path):
    from .test_settings import production_env, run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL, settings.EXPORT_DIR)",
        **production_env(
            DJANGO_SITE_URL="https://declarations.example.org/", DJANGO_EXPORT_DIR=str(tmp_path)
        ),
    )
    assert result.stdout.split()[-2:] == ["https://declarations.example.org", str(tmp_path)]


def test_a_build_that_fails_is_tried_again_and_the_previous_file_kept(
    client, background, settings, monkeypatch
):
    make_signature(make_declaration(number=1, title="The first title"), make_signatory())
    call_command("build_exports", stdout=io.StringIO())
    assert wait_for_builds(timeout=30)  # as above: no build left from the new rows
    settings.EXPORT_DEBOUNCE_SECONDS = 1
    Declaration.objects.filter(number=1).update(title="Changed elsewhere")
    bump()
    write, attempts = POPOLO.write, []

    def failing_once(out):
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("No space left on device")
        write(out)

    monkeypatch.setattr(POPOLO, "write", failing_once)
    assert motion_texts(client) == {"motion/1": "The first title"}
    assert wait_for_builds(timeout=30)
    assert len(attempts) == 2
    assert not list(settings.EXPORT_DIR.glob(".*.tmp"))
    assert motion_texts(client) == {"motion/1": "Changed elsewhere"}


def test_a_data_migration_starts_no_build(background, monkeypatch):
    """Migrations write through historical models while the schema still changes: the build
    waits for a change made through the site's own models."""
    from django.apps import apps as live_apps
    from django.db.migrations.state import ProjectState

    from declaration_site import exports

    asked = []
    monkeypatch.setattr(exports, "schedule", lambda *items, **kwargs: asked.append(items))
    historical = ProjectState.from_apps(live_apps).apps.get_model("signatories", "PoliticalGroup")
    assert historical.__module__ == "__fake__"
    historical.objects.filter(abbreviation="SOC").update(name="Socialists")
    historical.objects.get(abbreviation="SOC").save()
    assert asked == []
    Declaration.objects.create(
        number=9001, document_reference="1", date="2020-01-01", title="A title", text="A text"
    )
    assert asked  # the site's own model: a build is asked for
