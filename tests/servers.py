"""Start the site under gunicorn, as production runs it, for tests that need a real server."""

import contextlib
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# The Redis the tests of several servers share: a database number of their own, emptied
# before and after each test.
REDIS_URL = os.environ.get("DW_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, *, timeout=15, headers=None):
    """(status, headers, body) of GET path, on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def database_url_of_the_tests(tmp_path):
    """An address at which a server or command reaches the test database: the test database
    itself on PostgreSQL (the test must commit: `transaction=True`); on SQLite, in memory in
    tests, a file copy of it."""
    from django.db import connection

    from declaration_site.backups import backup

    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "")
        password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"
    copy = tmp_path / "database.sqlite3"
    backup(copy)
    return f"sqlite:///{copy}"


def production_environment(database_url, **environment):
    """The environment of a process of the site in production (no DJANGO_* variable of the
    test run, a random secret key) on `database_url`, plus `environment`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_MANIFEST="false",
        **environment,
    )
    return env


def manage(database_url, *args, **environment):
    """Run `manage.py ARGS` in a process of its own with production settings, as an operator
    would on the server; the CompletedProcess, with its output as text."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=production_environment(database_url, **environment),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextlib.contextmanager
def gunicorn(database_url, **environment):
    """gunicorn with gunicorn.conf.py and production settings on a free port of 127.0.0.1,
    serving `database_url`; yields the port and stops the server by its own PID."""
    port = free_port()
    env = production_environment(
        database_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        GUNICORN_ACCESS_LOG="/dev/null",
        **environment,
    )
    server = subprocess.Popen(  # noqa: S603
        [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "gunicorn did not start:\n" + server.stderr.read().decode()
                    ) from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()


@contextlib.contextmanager
def redis_server():
    """A Redis of the test's own on a free port of 127.0.0.1, keeping nothing on disk (so that
    it can be paused, stopped and started without touching anyone else's); yields its process
    and port, and stops it by its own PID."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            executable,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield server, port
    finally:
        server.kill()
        server.wait()
