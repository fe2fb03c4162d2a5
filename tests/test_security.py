"""Production security: the secret key, HTTPS, the Content-Security-Policy the pages and the
admin work under, login throttling and the admin's address."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from .factories import load_demo
from .test_settings import production_env, run_manage

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

PASSWORD = "correct horse battery staple"


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_superuser("curator", "c@example.org", PASSWORD)


def log_in(client, password, *, address="192.0.2.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "curator", "password": password},
        REMOTE_ADDR=address,
    )


def test_production_refuses_a_development_secret_key():
    key = "django-insecure-" + "x7Qm2pLz9vRt4sWb8nYc3kJh6fGd1aEo5uIy0TrXwZq"
    result = run_manage("check", **production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert "django-insecure" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_pages_forbid_inline_and_foreign_scripts(client, demo):
    directives = policy(client.get("/declarations/695/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", ["/api/", "/api/declarations/?format=api", "/api/popolo.json"])
def test_the_api_is_served_under_the_same_policy(client, demo, url):
    response = client.get(url, headers={"accept": "text/html"})
    response.getvalue()  # Popolo is served from its file: reading it to the end closes it
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]


def test_https_responses_carry_hsts_and_a_referrer_policy(client, db):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_unless_the_proxy_says_https(client, db):
    response = client.get("/declarations/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/declarations/"
    assert client.get("/declarations/", headers={"x-forwarded-proto": "https"}).status_code == 200


def test_the_session_cookie_is_sent_over_https_only(client, curator):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]


def test_admin_login_locks_out_after_five_failures_even_with_the_right_password(
    client, curator, caplog
):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    with caplog.at_level(logging.WARNING, logger="axes"):
        assert log_in(client, "wrong").status_code == 429
    assert any("locking out" in record.getMessage().lower() for record in caplog.records)
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_stop_the_same_curator_at_another_address(client, curator):
    for _ in range(5):
        log_in(client, "wrong", address="192.0.2.1")
    assert log_in(client, PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, curator):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200


ADMIN_PROBE = (
    "from django.test import Client; c = Client(); "
    "print(c.get('/curation-7f3a/login/').status_code, c.get('/admin/login/').status_code)"
)


def test_the_admin_moves_to_the_address_in_django_admin_url(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        ADMIN_PROBE,
        **production_env(
            DJANGO_ADMIN_URL="curation-7f3a/",
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_STATIC_MANIFEST="false",
            DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["200", "404"]


@pytest.mark.parametrize("value", ["/curation/", "curation", "a//b/"])
def test_a_malformed_admin_url_stops_startup_with_its_name(value):
    result = run_manage("check", **production_env(DJANGO_ADMIN_URL=value))
    assert result.returncode != 0
    assert "DJANGO_ADMIN_URL must be a path such as 'curation/'" in result.stderr
    assert repr(value) in result.stderr


# One of each kind of page, the API's browsable pages, and the admin.
CSP_PAGES = [
    "/",
    "/declarations/",
    "/declarations/695/",
    "/signatories/?country=it&group=soc",
    "/signatories/boriana-aberg/",
    "/groups/",
    "/groups/ec-da/",
    "/countries/",
    "/countries/gb/",
    "/detainees/",
    "/detainees/maks-bokayev/",
    "/search/?q=bokayev",
    "/no-such-page/",
    "/api/",
    "/api/declarations/",
    "/api/docs/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/signatories/declaration/",
    "/admin/signatories/declaration/?q=695",
    "/admin/signatories/declaration/add/",
    "/admin/prisoners/detainee/add/",
    "/admin/signatories/declaration/import/",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_kind_of_page_and_the_admin_work_under_the_policy(site, page):
    load_demo()
    get_user_model().objects.create_superuser("curator", "c@example.org", PASSWORD)
    declaration_pk = load_demo().pk
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))
    for url in CSP_PAGES:
        response = page.goto(site.url + url)
        assert "script-src 'self'" in response.headers["content-security-policy"]

    page.goto(site.url + "/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in")).click()
    page.wait_for_url(site.url + "/admin/")
    for url in [*ADMIN_PAGES, f"/admin/signatories/declaration/{declaration_pk}/change/"]:
        page.goto(site.url + url)
        page.wait_for_load_state("networkidle")
    # The admin's scripts ran: the inline signature rows can be added to.
    assert page.get_by_role("link", name=re.compile("Add another")).first.is_visible()
    assert violations == []


# The policy's headers, built once by django-csp for the responses nothing changes


def _django_csp_headers(request, response):
    """The headers django-csp's own middleware writes on `response`."""
    from csp.middleware import CSPMiddleware

    written = CSPMiddleware(lambda request: response).process_response(request, response)
    return {
        name: written[name]
        for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
        if name in written
    }


def test_the_policy_kept_is_the_one_django_csp_writes_and_follows_the_settings(client, db):
    from django.http import HttpRequest, HttpResponse

    response = client.get("/search/")
    assert (
        response["Content-Security-Policy"]
        == _django_csp_headers(HttpRequest(), HttpResponse())["Content-Security-Policy"]
    )
    assert "Content-Security-Policy-Report-Only" not in response
    changed = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["https://example.org"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=changed, CONTENT_SECURITY_POLICY_REPORT_ONLY=changed
    ):
        response = client.get("/search/")
        assert policy(response)["img-src"] == ["https://example.org"]
        assert "img-src https://example.org" in response["Content-Security-Policy-Report-Only"]
    assert "example.org" not in client.get("/search/")["Content-Security-Policy"]


def test_a_response_that_changes_its_policy_gets_django_csp_s_own(rf, db):
    from csp.constants import NONCE
    from django.http import HttpResponse

    from declaration_site.middleware import PolicyOnceCSPMiddleware

    def updated(request):
        response = HttpResponse()
        response._csp_update = {"img-src": ["https://example.org"]}
        return response

    def exempt(request):
        response = HttpResponse()
        response._csp_exempt = True
        return response

    def with_nonce(request):
        str(request.csp_nonce)  # a page that writes the nonce into a script tag
        return HttpResponse()

    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    ):
        for view in (updated, exempt, with_nonce):
            middleware = PolicyOnceCSPMiddleware(view)
            request = rf.get("/")
            middleware.process_request(request)
            response = middleware.process_response(request, view(request))
            expected = _django_csp_headers(request, view(request))
            if view is with_nonce:
                assert f"'nonce-{request._csp_nonce}'" in response["Content-Security-Policy"]
            else:
                assert {
                    name: response[name]
                    for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
                    if name in response
                } == expected
    assert (
        "example.org" in _django_csp_headers(rf.get("/"), updated(None))["Content-Security-Policy"]
    )
