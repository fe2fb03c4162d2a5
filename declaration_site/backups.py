"""Copies of the whole database, and putting one back: `manage.py backup` and `restore`.

PostgreSQL is dumped with pg_dump in its custom format and restored with pg_restore; SQLite is
copied with its online backup API, which gives a consistent copy while the site runs. Both use
the connection settings Django is running with.

A backup holds everything: password hashes, live session keys, drafts. It is created readable
by its owner only (0600), before any data is written into it, in a folder only its owner can
enter (0700); a restore refuses a file that other users can read or change, since anyone who
could change it could put their own records, or their own administrator, on the site.

A restore changes every table without a single model signal: it starts a new generation of the
cache (`lib.cache.bump()`), so that every page, total and export cached by any worker or server
is rebuilt from the restored record on the next request.
"""

import datetime
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from .lib.cache import bump

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def default_folder():
    return settings.BASE_DIR / "backups"


def default_path(connection, *, now=None):
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return default_folder() / f"declarations-{stamp}{SUFFIXES[connection.vendor]}"


def _private_folder(folder):
    """Create `folder` (with any missing parents) so that only its owner can enter it.

    The site's own backups/ folder is made private even when it exists already (it used to be
    created open to everyone); a folder chosen with --output that exists is left as it is: the
    file itself is private.
    """
    existed = folder.is_dir()
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if not existed or folder.resolve() == default_folder().resolve():
        folder.chmod(PRIVATE_FOLDER)


def _private_file(path):
    """Create `path` empty and readable by its owner only, before a byte of data goes into
    it; a file already there is emptied and made private the same way."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    finally:
        os.close(descriptor)


def check_private(path):
    """BackupError unless `path` is a file that only its owner can read and change."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise BackupError(
            f"{path} is open to other users (mode {mode:04o}, {stat.filemode(mode)[1:]}). A backup "
            "holds password hashes, sessions and drafts, and whoever can change it can change "
            f"what a restore puts on the site. Make it private with `chmod 600 {path}` and run "
            "the restore again, or pass --force (make restore FORCE=1) to restore it as it is."
        )


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


def _run(arguments, environment, *, path):
    """Run a PostgreSQL client tool on the backup at `path`; BackupError naming it if it fails."""
    # umask: whatever file the tool creates is its owner's only.
    result = subprocess.run(  # noqa: S603
        arguments, env=environment, capture_output=True, text=True, check=False, umask=0o077
    )
    if result.returncode != 0:
        raise BackupError(f"{path}: {result.stderr.strip() or f'{arguments[0]} failed'}")


def _sqlite_connection(connection):
    connection.ensure_connection()
    return connection.connection


def backup(path, *, using="default"):
    """Write a copy of the database to `path`, readable by its owner only, in a folder only
    its owner can enter, and return the path. A copy that fails is removed."""
    connection = connections[using]
    if connection.vendor not in SUFFIXES:
        raise ImproperlyConfigured(f"No backup method for {connection.vendor}.")
    path = Path(path)
    _private_folder(path.parent)
    _private_file(path)
    try:
        if connection.vendor == "postgresql":
            arguments, environment = _postgresql(connection, "pg_dump")
            _run(
                [*arguments, "--format=custom", "--no-owner", "--file", str(path)],
                environment,
                path=path,
            )
        else:
            # SQLite gives its journal the database file's mode: private too.
            target = sqlite3.connect(path)
            try:
                _sqlite_connection(connection).backup(target)
            finally:
                target.close()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def restore(path, *, using="default", force=False):
    """Replace every table of the database with those of the copy at `path`, then start a new
    cache generation so that nothing cached from the record before shows again.

    Refuses (BackupError) a file that other users can read or change, unless `force`.
    """
    connection = connections[using]
    path = Path(path)
    if force:
        if not path.is_file():
            raise BackupError(f"{path} is not a file.")
    else:
        check_private(path)
    _restore(connection, path)
    bump()


def _restore(connection, path):
    if connection.vendor == "postgresql":
        # Our own open connection would hold locks that the restore waits for.
        connection.close()
        arguments, environment = _postgresql(connection, "pg_restore")
        _run(
            [*arguments, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)],
            environment,
            path=path,
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
