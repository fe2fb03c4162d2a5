"""The page cache: anonymous visitors get cached pages, any curator's change shows on the next
request, and neither staff pages nor drafts ever enter the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signatories.models import Declaration

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
