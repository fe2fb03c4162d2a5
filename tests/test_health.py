"""/healthz tells a load balancer whether the site can serve, and an unreachable database
shows visitors a short "back in a moment" page rather than a server error."""

import contextlib
import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from .servers import get, gunicorn

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@contextlib.contextmanager
def database_down():
    """Every use of the database fails as it does when the server refuses connections."""
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        yield


def test_health_check_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_does_not(client, db):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"
    assert "no-cache" in response["Cache-Control"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_check_is_not_redirected_to_https_but_pages_are(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get("/declarations/").status_code == 301


@pytest.mark.parametrize(
    "url",
    ["/", "/declarations/", "/declarations/695/", "/signatories/", "/detainees/", "/api/groups/"],
)
def test_pages_show_a_friendly_503_while_the_database_is_down(client, demo, url):
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "Traceback" not in page
    assert "OperationalError" not in page


def test_a_server_whose_database_cannot_be_reached_answers_503_not_500(tmp_path):
    # Nothing listens on port 1: every connection is refused at once.
    with gunicorn("postgres://postgres@127.0.0.1:1/declarations") as port:
        status, _, body = get(port, "/healthz")
        assert status == 503
        assert json.loads(body)["status"] == "unavailable"
        status, headers, body = get(port, "/declarations/695/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Back in a moment" in body


@pytest.mark.django_db(transaction=True)
def test_a_server_survives_its_database_connections_being_cut():
    if connection.vendor != "postgresql":
        pytest.skip("persistent connections are a PostgreSQL matter")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    with gunicorn(url, DJANGO_CONN_MAX_AGE="600") as port:
        assert get(port, "/healthz")[0] == 200
        assert get(port, "/declarations/")[0] == 200
        # What a PostgreSQL restart does to the connections the server keeps open.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        statuses = [get(port, "/declarations/")[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 200]
        assert get(port, "/healthz")[0] == 200
