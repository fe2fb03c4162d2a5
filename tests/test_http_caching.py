"""What browsers and proxies may keep: public pages say so with a short max-age and a strong
ETag and answer 304; anything for a curator, the admin, and every response that sets a cookie
says private, no-store; a proxy that honours the headers never gives the public a draft. And the
page cache keeps canonical addresses only, so junk query strings cannot fill it."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from declaration_site.caching import QUERY_PARAMETERS
from signatories.models import Declaration

from .factories import make_declaration, make_signatory, make_signature
from .test_settings import production_env, run_manage

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

PUBLIC = "public, max-age=30, stale-while-revalidate=30"
PRIVATE = "private, no-store"


@pytest.fixture(autouse=True)
def http_settings(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.HTTP_MAX_AGE = 30
    settings.HTTP_STALE_SECONDS = 30


@pytest.fixture
def declaration(db):
    declaration = make_declaration(number=700, title="Free the journalists")
    make_signature(declaration, make_signatory(family_name="ÅBERG", country="IT"))
    return declaration


def vary(response):
    return {header.strip().lower() for header in response.get("Vary", "").split(",")}


# -- Public and private ------------------------------------------------------------------------

PUBLIC_PAGES = [
    "/",
    "/declarations/",
    "/declarations/700/",
    "/fr/declarations/700/",
    "/signatories/",
    "/signatories/?country=IT",
    "/statistics/",
    "/search/?q=journalists",
    "/api/declarations/",
    "/api/declarations/700/",
    "/api/popolo.json",
    "/feeds/declarations/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_may_be_kept_by_any_cache_for_a_short_while(client, declaration, url):
    response = client.get(url)
    assert response.status_code == 200
    response.getvalue()  # read to the end: an export is a file
    assert response["Cache-Control"] == PUBLIC
    assert "cookie" in vary(response)
    # Strong (no W/ prefix): a hash of the body, or an export file's size and time.
    assert re.fullmatch(r'"[0-9a-f]{40}"|"[0-9a-f]+-[0-9a-f]+"', response["ETag"])
    assert not response.cookies


@pytest.mark.parametrize("url", ["/declarations.csv", "/declarations/700/signatures.csv"])
def test_csv_downloads_are_public_without_an_etag(client, declaration, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Cache-Control"] == PUBLIC
    assert "cookie" in vary(response)
    assert "ETag" not in response


@pytest.mark.parametrize(
    ("url", "status"),
    [("/declarations/999/", 404), ("/countries/IT/", 301), ("/no-such-page/", 404)],
)
def test_redirects_and_missing_pages_are_public_too(client, declaration, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Cache-Control"] == PUBLIC
    assert "cookie" in vary(response)


def test_the_api_says_it_varies_on_accept(client, declaration):
    response = client.get("/api/declarations/", HTTP_ACCEPT="application/json")
    assert response["Cache-Control"] == PUBLIC
    assert {"accept", "cookie"} <= vary(response)


@pytest.mark.parametrize(
    "url", ["/", "/declarations/", "/declarations/700/", "/api/declarations/", "/declarations.csv"]
)
def test_pages_for_a_signed_in_curator_are_private(admin_client, declaration, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    assert "ETag" not in response


@pytest.mark.parametrize("url", ["/admin/", "/admin/signatories/declaration/"])
def test_the_admin_is_private(admin_client, declaration, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_login_page_which_sets_a_cookie_is_private(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == PRIVATE
    assert "ETag" not in response


def test_a_public_page_that_sets_a_cookie_is_private(client, declaration):
    """The API's browsable page carries a CSRF token, and so sets the CSRF cookie: the
    cookie is the visitor's own, so the page is too."""
    response = client.get("/api/declarations/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == PRIVATE
    assert "X-Page-Cache" not in response


def test_a_request_with_a_session_cookie_gets_a_private_answer(client, declaration):
    """Even an expired or forged session: the proxy cannot tell, and neither may it."""
    client.cookies["sessionid"] = "not-a-session"
    response = client.get("/declarations/700/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_cookie_without_a_session_still_gets_the_public_page(client, declaration):
    client.cookies["csrftoken"] = "x" * 32
    response = client.get("/declarations/700/")
    assert response["Cache-Control"] == PUBLIC


def test_the_health_check_is_never_kept(client, db):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]


def test_the_lifetimes_come_from_the_settings(client, declaration, settings):
    settings.HTTP_MAX_AGE = 10
    settings.HTTP_STALE_SECONDS = 50
    assert client.get("/").get("Cache-Control") == ("public, max-age=10, stale-while-revalidate=50")
    settings.HTTP_MAX_AGE = 0
    assert client.get("/declarations/").get("Cache-Control") == "public, no-cache"


def test_the_settings_are_read_from_the_environment():
    script = (
        "from django.conf import settings as s; "
        "print(s.HTTP_MAX_AGE, s.HTTP_STALE_SECONDS, s.PAGE_CACHE_MAX_BYTES)"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        **production_env(
            DJANGO_HTTP_MAX_AGE="45",
            DJANGO_HTTP_STALE_SECONDS="15",
            DJANGO_PAGE_CACHE_MAX_BYTES="1000",
        ),
    )
    assert result.stdout.split()[-3:] == ["45", "15", "1000"], result.stderr
    refused = run_manage("check", **production_env(DJANGO_HTTP_MAX_AGE="soon"))
    assert refused.returncode != 0
    assert "DJANGO_HTTP_MAX_AGE must be a whole number" in refused.stderr


def test_a_head_request_gets_the_headers_of_the_page(client, declaration):
    page = client.get("/declarations/700/")
    head = client.head("/declarations/700/")
    assert head.status_code == 200
    assert head["Cache-Control"] == PUBLIC
    assert head["ETag"] == page["ETag"]
    assert client.head("/declarations/700/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304


# -- Conditional GET ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/declarations/700/", "/api/declarations/", "/sitemap.xml", "/api/popolo.json"]
)
def test_a_matching_if_none_match_is_answered_304_without_a_body(client, declaration, url):
    first = client.get(url)
    first.getvalue()  # read to the end: an export is a file
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == PUBLIC
    assert "cookie" in vary(again)


def test_a_weak_etag_from_a_compressing_proxy_still_matches(client, declaration):
    """nginx with gzip on hands browsers W/"..." for the site's strong ETag."""
    etag = client.get("/declarations/700/")["ETag"]
    assert client.get("/declarations/700/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_a_page_cache_hit_answers_304_without_rendering(client, declaration):
    etag = client.get("/declarations/700/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/declarations/700/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) == 0


def test_a_page_cache_hit_carries_the_same_headers(client, declaration):
    miss = client.get("/declarations/700/")
    hit = client.get("/declarations/700/")
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in ("Cache-Control", "ETag", "Vary", "Content-Security-Policy"):
        assert hit[header] == miss[header]
    # Every other header too: the security middleware's, the language's.
    assert {k: v for k, v in hit.items() if k != "X-Page-Cache"} == {
        k: v for k, v in miss.items() if k != "X-Page-Cache"
    }
    assert hit.content == miss.content


def test_pages_asked_to_be_revalidated_every_time_are_still_page_cached(
    client, declaration, settings
):
    settings.HTTP_MAX_AGE = 0
    miss = client.get("/declarations/700/")
    hit = client.get("/declarations/700/")
    assert hit["Cache-Control"] == "public, no-cache"
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert client.get("/declarations/700/", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304


def test_plain_http_is_redirected_even_when_the_page_is_cached(client, declaration, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/declarations/700/", secure=True)["X-Page-Cache"] == "miss"
    assert client.get("/declarations/700/", secure=True)["X-Page-Cache"] == "hit"
    response = client.get("/declarations/700/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/declarations/700/"
    assert client.get("/declarations/700/")["Location"] == "https://testserver/declarations/700/"


def test_after_a_change_the_old_etag_gets_the_new_page(client, declaration):
    etag = client.get("/declarations/700/")["ETag"]
    Declaration.objects.filter(pk=declaration.pk).update(title="Free the lawyers")
    Declaration.objects.get(pk=declaration.pk).save()
    response = client.get("/declarations/700/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"Free the lawyers" in response.content


def test_a_curator_never_gets_a_304(admin_client, client, declaration):
    etag = client.get("/declarations/700/")["ETag"]
    response = admin_client.get("/declarations/700/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


# -- A proxy in front --------------------------------------------------------------------------


def directives(response):
    """Cache-Control as {directive: value or True}."""
    result = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            result[name.lower()] = int(value) if value.isdigit() else True
    return result


def cookie_header(client):
    return "; ".join(f"{name}={morsel.value}" for name, morsel in sorted(client.cookies.items()))


class SharedCache:
    """A shared cache (a reverse proxy, a CDN) as RFC 9111 and 5861 describe it, cut down to
    what the site needs: it keeps the response to a GET when its Cache-Control allows a shared
    cache (public, not private nor no-store), under the address and the values of the request
    headers its Vary names; gives it back while fresh; while stale within
    stale-while-revalidate gives it back and fetches a new one; after that asks the site again
    with If-None-Match. Its clock only moves when the test moves it."""

    STORABLE = {200, 203, 300, 301, 302, 307, 308, 404, 410}

    def __init__(self):
        self.now = 0
        self.entries = {}  # address -> [(varied request headers, response, stored at)]
        self.fetches = 0

    def request_headers(self, client, accept):
        return {"cookie": cookie_header(client), "accept": accept}

    def lookup(self, url, headers):
        for index, (varied, response, stored_at) in enumerate(self.entries.get(url, [])):
            if all(headers.get(name, "") == value for name, value in varied.items()):
                return index, response, stored_at
        return None

    def store(self, url, headers, response):
        control = directives(response)
        if response.status_code not in self.STORABLE or "public" not in control:
            return False
        if "private" in control or "no-store" in control or "*" in vary(response):
            return False
        varied = {name: headers.get(name, "") for name in vary(response) if name}
        entries = [
            entry for entry in self.entries.get(url, []) if entry[0] != varied
        ]  # a new variant replaces the old one
        self.entries[url] = [*entries, (varied, response, self.now)]
        return True

    def fetch(self, client, url, headers, etag=None):
        self.fetches += 1
        extra = {"HTTP_ACCEPT": headers["accept"]}
        if etag:
            extra["HTTP_IF_NONE_MATCH"] = etag
        return client.get(url, **extra)

    def get(self, client, url, accept="text/html"):
        headers = self.request_headers(client, accept)
        found = self.lookup(url, headers)
        if found is None:
            response = self.fetch(client, url, headers)
            self.store(url, headers, response)
            return response
        _index, stored, stored_at = found
        control = directives(stored)
        age = self.now - stored_at
        max_age = control.get("max-age", 0) if "no-cache" not in control else 0
        if age <= max_age:
            return stored
        if age <= max_age + control.get("stale-while-revalidate", 0):
            self.refresh(client, url, headers, stored)  # "in the background"
            return stored
        return self.refresh(client, url, headers, stored)

    def refresh(self, client, url, headers, stored):
        response = self.fetch(client, url, headers, etag=stored.get("ETag"))
        if response.status_code == 304:
            self.store(url, headers, stored)  # fresh again
            return stored
        self.store(url, headers, response)
        return response


def test_a_proxy_never_gives_the_public_a_draft_or_a_staff_preview(
    client, admin_client, declaration
):
    proxy = SharedCache()
    make_declaration(number=701, title="A draft appeal", status=Declaration.Status.DRAFT)
    url = "/declarations/701/"

    # The curator previews the draft first: the proxy passes the page on but keeps nothing.
    preview = proxy.get(admin_client, url)
    assert preview.status_code == 200
    assert b"A draft appeal" in preview.content
    assert url not in proxy.entries

    # The public asks the same address: the site's own answer, a 404, which the proxy keeps.
    for _ in range(2):
        public = proxy.get(client, url)
        assert public.status_code == 404
        assert b"A draft appeal" not in public.content
    assert proxy.fetches == 2  # the second anonymous request came from the proxy

    # The curator again: not the public's 404 (their cookie differs), their preview.
    assert proxy.get(admin_client, url).status_code == 200
    assert proxy.get(client, url).status_code == 404

    # Published: within max-age the public may still get the 404; by max-age plus the
    # stale-while-revalidate window, never.
    Declaration.objects.filter(number=701).update(status=Declaration.Status.PUBLISHED)
    Declaration.objects.get(number=701).save()
    proxy.now += 30 + 30 + 1
    published = proxy.get(client, url)
    assert published.status_code == 200
    assert b"A draft appeal" in published.content


def test_within_the_stale_window_the_next_visitor_gets_the_published_page(client, declaration):
    proxy = SharedCache()
    make_declaration(number=701, title="A draft appeal", status=Declaration.Status.DRAFT)
    assert proxy.get(client, "/declarations/701/").status_code == 404
    Declaration.objects.filter(number=701).update(status=Declaration.Status.PUBLISHED)
    Declaration.objects.get(number=701).save()
    proxy.now += 31  # stale, within stale-while-revalidate: the old answer, then the new one
    assert proxy.get(client, "/declarations/701/").status_code == 404
    assert proxy.get(client, "/declarations/701/").status_code == 200


def test_a_proxy_never_keeps_a_curators_page_of_a_public_record(client, admin_client, declaration):
    proxy = SharedCache()
    for url in ("/", "/declarations/", "/declarations/700/", "/api/declarations/"):
        proxy.get(admin_client, url, accept="*/*")
        assert url not in proxy.entries
        anonymous = proxy.get(client, url, accept="*/*")
        assert anonymous["Cache-Control"] == PUBLIC
        assert [varied["cookie"] for varied, _, _ in proxy.entries[url]] == [""]


def test_a_proxy_revalidates_with_the_etag_and_gets_a_304(client, declaration):
    proxy = SharedCache()
    first = proxy.get(client, "/declarations/700/")
    proxy.now += 61
    again = proxy.get(client, "/declarations/700/")
    assert again is first  # the site answered 304: the kept copy was served
    assert proxy.fetches == 2


def test_a_proxy_keeps_the_api_as_json_and_as_a_page_apart(client, declaration):
    proxy = SharedCache()
    json_response = proxy.get(client, "/api/declarations/", accept="application/json")
    html_response = proxy.get(client, "/api/declarations/", accept="text/html")
    assert json_response["Content-Type"].startswith("application/json")
    assert html_response["Content-Type"].startswith("text/html")


# -- A bounded page cache: canonical addresses only ---------------------------------------------


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


@pytest.mark.parametrize("url", ["/", "/signatories/", "/declarations/700/", "/api/signatories/"])
def test_parameters_no_page_reads_share_the_pages_cache_entry(client, declaration, url):
    client.get(url)
    for junk in ("cb=1", "cb=2", "utm_source=newsletter&fbclid=abc"):
        response, queries = get(client, f"{url}?{junk}")
        assert response["X-Page-Cache"] == "hit"
        assert queries == 0


def test_parameters_are_sorted_by_name(client, declaration):
    client.get("/signatories/?sort=signed&country=IT")
    response, queries = get(client, "/signatories/?country=IT&sort=signed&cb=9")
    assert response["X-Page-Cache"] == "hit"
    assert queries == 0


def test_the_canonical_queries_remembered_stay_few_and_right(rf):
    from declaration_site.caching import canonical_queries, canonicalise

    for number in range(3 * canonical_queries.size):
        request = rf.get(f"/signatories/?cb={number}&page={number}&country=it")
        assert canonicalise(request) == f"country=it&page={number}"
        assert request.GET.getlist("page") == [str(number)]
        assert "cb" not in request.GET
        assert len(canonical_queries._entries) <= canonical_queries.size
    # The same query string, seen again, gives the same canonical query.
    assert canonicalise(rf.get("/?page=1&cb=1&country=it")) == "country=it&page=1"
    assert canonicalise(rf.get("/?page=1&cb=1&country=it")) == "country=it&page=1"


def test_the_view_never_sees_a_parameter_it_does_not_read(client, declaration):
    """Nobody can plant a parameter in the links of a page that everybody else then gets."""
    response = client.get("/signatories/?country=IT&planted=evil&page=1")
    page = response.content.decode()
    assert "country=IT" in page  # the filter's "remove" chip and the form keep the filter
    assert "planted" not in page
    assert "evil" not in page


def test_responses_over_the_size_limit_are_not_page_cached(client, declaration, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    client.get("/declarations/700/")
    response, queries = get(client, "/declarations/700/")
    assert "X-Page-Cache" not in response
    assert queries > 0
    # Still public for proxies, with its ETag.
    assert response["Cache-Control"] == PUBLIC
    assert response.has_header("ETag")


# -- Every parameter a page reads is part of the canonical address ------------------------------


class ReadQueryDict(QueryDict):
    """request.GET that writes down every parameter asked for by name, present or not."""

    names = set()

    def __getitem__(self, key):
        ReadQueryDict.names.add(key)
        return super().__getitem__(key)

    def _getlist(self, key, *args, **kwargs):
        ReadQueryDict.names.add(key)
        return super()._getlist(key, *args, **kwargs)

    def __contains__(self, key):
        ReadQueryDict.names.add(key)
        return super().__contains__(key)


def record_reads(get_response):
    """Middleware placed just inside the page cache: the view's request.GET records reads."""

    def middleware(request):
        query = QueryDict(request.META.get("QUERY_STRING", ""), encoding="utf-8")
        query.__class__ = ReadQueryDict  # built first: building it reads every name
        request.GET = query
        return get_response(request)

    return middleware


def every_public_address(demo):
    """(URL name, kwargs) of every public address, filled from the demo data."""
    from declaration_site.statistics import CSV_CHARTS
    from prisoners.models import Detainee

    signature = demo.signatures.select_related("signatory", "political_group").first()
    signatory = {"slug": signature.signatory.slug}
    group = {"slug": signature.political_group.slug}
    country = {"code": signature.country.code.lower()}
    detainee = {"slug": Detainee.objects.public().first().slug}
    number = {"number": demo.number}
    return [
        ("home", {}),
        ("search", {}),
        ("statistics", {}),
        *(("statistics_csv", {"chart": chart}) for chart in CSV_CHARTS),
        ("declaration_feed", {}),
        ("detainee_feed", {}),
        ("popolo", {}),
        ("sitemap", {}),
        ("sitemap_page", {"filename": "sitemap-declarations-1.xml"}),
        ("robots", {}),
        ("signatories:declaration_list", {}),
        ("signatories:declaration_detail", number),
        ("signatories:declaration_csv", {}),
        ("signatories:signature_csv", number),
        ("signatories:signatory_list", {}),
        ("signatories:signatory_detail", signatory),
        ("signatories:signatory_feed", signatory),
        ("signatories:signatory_csv", {}),
        ("signatories:group_list", {}),
        ("signatories:group_detail", group),
        ("signatories:group_feed", group),
        ("signatories:country_list", {}),
        ("signatories:country_detail", country),
        ("signatories:country_feed", country),
        ("prisoners:detainee_list", {}),
        ("prisoners:detainee_detail", detainee),
        ("prisoners:detainee_record_feed", detainee),
        ("prisoners:detainee_csv", {}),
        ("api:api-root", {}),
        ("api:schema", {}),
        ("api:docs", {}),
        ("api:statistics", {}),
        ("api:declaration-list", {}),
        ("api:declaration-detail", number),
        ("api:signatory-list", {}),
        ("api:signatory-detail", signatory),
        ("api:group-list", {}),
        ("api:group-detail", group),
        ("api:country-list", {}),
        ("api:detainee-list", {}),
        ("api:detainee-detail", detainee),
    ]


def url_names(patterns, namespace=""):
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_public_address_is_checked_for_the_parameters_it_reads(demo, settings):
    from django.urls import get_resolver

    not_public = {"favicon", "healthz"}  # a redirect to a static file; the load balancer's
    names = {
        name
        for name in url_names(get_resolver().url_patterns)
        if not name.startswith("admin:") and name not in not_public
    }
    assert names == {name for name, _kwargs in every_public_address(demo)}


def test_every_parameter_a_page_reads_is_kept_in_the_canonical_address(client, demo, settings):
    from django.urls import reverse

    inside = settings.MIDDLEWARE.index("declaration_site.caching.PageCacheMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:inside],
        "tests.test_http_caching.record_reads",
        *settings.MIDDLEWARE[inside:],
    ]
    ReadQueryDict.names = set()
    for name, kwargs in every_public_address(demo):
        url = reverse(name, kwargs=kwargs)
        for query in ("", "?q=a&page=1&junk=1"):
            # The API answers JSON or its browsable page; the schema refuses text/html (406).
            for accept in ("*/*", "text/html", "application/json"):
                client.cookies.clear()  # an anonymous visitor each time
                response = client.get(url + query, HTTP_ACCEPT=accept)
                response.getvalue()  # read to the end: an export is a file
                assert response.status_code in (200, 301, 404, 406), url + query
    read = ReadQueryDict.names
    assert {"q", "page", "country", "format"} <= read  # the recording works
    assert "junk" not in read
    assert read <= QUERY_PARAMETERS, f"read but dropped: {sorted(read - QUERY_PARAMETERS)}"


def offered_parameters(url):
    """The parameters a list offers, from its view: its FilterSet's filters, its form's
    fields, the page; the API's format."""
    from django.urls import resolve

    from declaration_site.lib.forms import SearchForm
    from declaration_site.statistics import StatisticsForm

    match = resolve(url.removeprefix("/fr"))  # the same view in either language
    view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    forms = {"search": SearchForm, "statistics": StatisticsForm, "api:statistics": StatisticsForm}
    names = set()
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        names |= set(filterset_class.base_filters)
    if match.view_name in forms:
        names |= set(forms[match.view_name].base_fields)
    if getattr(view, "paginate_by", None) or getattr(view, "pagination_class", None):
        names.add("page")
    if match.view_name.startswith("api:"):
        names.add("format")
    return filterset_class, names


LISTS = [
    "/declarations/",
    "/signatories/",
    "/detainees/",
    "/fr/signatories/",
    "/search/",
    "/statistics/",
    "/api/declarations/",
    "/api/signatories/",
    "/api/detainees/",
    "/api/groups/",
    "/api/countries/",
    "/api/statistics/",
]


def two_values(name, filterset_class):
    """Two values of the parameter, the first one valid with the demo data."""
    from declaration_site.statistics import StatisticsForm

    fixed = {
        "q": ("a", "b"),
        "page": ("1", "2"),
        "declaration": ("695", "696"),
        "format": ("json", "api"),
        "sort": ("name", "signed"),
    }
    if name in fixed:
        return fixed[name]
    choices = []
    if filterset_class is not None and name in filterset_class.base_filters:
        choices = filterset_class().filters[name].extra.get("choices") or []
    elif name in StatisticsForm.base_fields:
        choices = StatisticsForm().fields[name].choices
    values = [str(value) for value, _label in choices if value not in ("", None)]
    assert values, f"no value to try for {name}"
    return values[0], (values[1] if len(values) > 1 else "zz")


@pytest.mark.parametrize("url", LISTS)
def test_each_parameter_a_list_offers_is_a_cache_entry_of_its_own(client, demo, url):
    filterset_class, names = offered_parameters(url)
    assert names, url
    for name in sorted(names):
        first, second = two_values(name, filterset_class)
        response = client.get(f"{url}?{name}={first}", HTTP_ACCEPT="*/*")
        assert response.status_code == 200, (name, first)
        assert response["X-Page-Cache"] == "miss", name
        # Were `name` dropped from the key, this would be served the first value's page.
        other = client.get(f"{url}?{name}={second}", HTTP_ACCEPT="*/*")
        assert other.get("X-Page-Cache") != "hit", name
        client.cookies.clear()  # the browsable API's page sets the CSRF cookie
        assert client.get(f"{url}?{name}={first}", HTTP_ACCEPT="*/*")["X-Page-Cache"] == "hit"
