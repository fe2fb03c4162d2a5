"""Copies of the whole database, and putting one back: `manage.py backup` and `restore`.

PostgreSQL is dumped with pg_dump in its custom format and restored with pg_restore; SQLite is
copied with its online backup API, which gives a consistent copy while the site runs. Both use
the connection settings Django is running with.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def default_path(connection, *, now=None):
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return settings.BASE_DIR / "backups" / f"declarations-{stamp}{SUFFIXES[connection.vendor]}"


def _postgresql(connection, tool):
    """The command-line arguments and environment that reach the database Django uses."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed (apt-get install postgresql-client).")
    options = connection.settings_dict
    arguments = [executable, "--no-password", "--dbname", options["NAME"]]
    if options.get("HOST"):
        arguments += ["--host", options["HOST"]]
    if options.get("PORT"):
        arguments += ["--port", str(options["PORT"])]
    if options.get("USER"):
        arguments += ["--username", options["USER"]]
    environment = dict(os.environ)
    if options.get("PASSWORD"):
        environment["PGPASSWORD"] = options["PASSWORD"]
    return arguments, environment


def _run(arguments, environment):
    result = subprocess.run(  # noqa: S603
        arguments, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{arguments[0]} failed")


def _sqlite_connection(connection):
    connection.ensure_connection()
    return connection.connection


def backup(path, *, using="default"):
    """Write a copy of the database to `path` and return the path."""
    connection = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        arguments, environment = _postgresql(connection, "pg_dump")
        _run([*arguments, "--format=custom", "--no-owner", "--file", str(path)], environment)
    elif connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            _sqlite_connection(connection).backup(target)
        finally:
            target.close()
    else:
        raise ImproperlyConfigured(f"No backup method for {connection.vendor}.")
    return path


def restore(path, *, using="default"):
    """Replace every table of the database with those of the copy at `path`."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if connection.vendor == "postgresql":
        # Our own open connection would hold locks that the restore waits for.
        connection.close()
        arguments, environment = _postgresql(connection, "pg_restore")
        _run(
            [*arguments, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)],
            environment,
        )
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not a sound SQLite database.")
            source.backup(_sqlite_connection(connection))
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path}: {error}") from error
        finally:
            source.close()
    else:
        raise ImproperlyConfigured(f"No restore method for {connection.vendor}.")
