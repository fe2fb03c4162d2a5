"""Exports built outside the request into files, and served from those files.

Some downloads cost seconds to build on a large record (the Popolo document, the sitemap), so
no request builds them. An `Export` writes its files into `settings.EXPORT_DIR`, each first to
a temporary file that `os.replace()` then moves into place: a reader always gets a whole file,
the previous one until the new one is ready. Beside them, `<name>.generation` holds the
generation of the record (`lib/cache.py`) the files were built from; it is read before the
build starts, so a change made during a build leaves the files out of date, and they are built
again.

When an export is rebuilt:

- **after each change to the record**, in a background thread of the process that made the
  change: the site layer calls `schedule()` when the change's transaction commits. The thread
  waits `EXPORT_DEBOUNCE_SECONDS` (changes in quick succession, an import's hundreds of rows,
  make one build), then builds every export asked for, one at a time; what is asked for
  meanwhile is built after. A lock file in the directory lets one process of the machine build
  an export at a time; the others find the files up to date when they get the lock.
- **whenever a request finds the files older than the record's generation**: a change made by
  another process (the import command) or on another server, each server keeping its own
  directory. The request starts the same background build and is served the previous files.

A build that fails (the database gone for a moment, a full disk) leaves the previous files in
place and is tried again after the next pause, up to `RETRIES` times.

A thread rather than a job queue on the database: a build always starts from the current record
and is idempotent, so a build that never ran (the process exited, a command's thread was cut
short) costs nothing: the next request to find the files out of date starts it again. That
generation check already gives what a queue's durability would; a thread needs no table, no
worker process to deploy and watch, and nothing more to back up.

On a fresh install no file exists yet: the request starts the build and waits for it up to
`EXPORT_FIRST_BUILD_WAIT` seconds (the demo's exports take a few milliseconds), then answers
503 with `Retry-After` rather than hold a worker for the length of a large build; run
`manage.py build_exports` at deployment so that no visitor ever sees that. With
`EXPORT_BACKGROUND` off (the tests) a request that finds the files missing or out of date
builds them itself before answering.
"""

import fcntl
import glob
import logging
import os
import re
import threading
import time
from email.utils import formatdate

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import FileResponse, Http404, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from .cache import generation

logger = logging.getLogger(__name__)

_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Export:
    """A download built into files by `write(out)`: `out.open(filename)` gives a text file to
    write, which replaces the served one once every file of the build is written (in the order
    they were opened, so that an index opened last never names a missing page). Files that
    match the glob `pattern` and that a build did not write are removed after it (the pages a
    shorter sitemap no longer has). The build runs in the site's default language.

    >>> numbers = Export("numbers.txt", "text/plain", lambda out: out.open("numbers.txt"))
    >>> numbers.path().endswith("/numbers.txt"), numbers.path("numbers.txt.generation")[-11:]
    (True, '.generation')
    """

    def __init__(self, name, content_type, write, *, pattern=None):
        self.name = name
        self.content_type = content_type
        self.write = write
        self.pattern = pattern

    def __repr__(self):
        return f"<Export {self.name}>"

    def directory(self):
        return str(settings.EXPORT_DIR)

    def path(self, filename=None):
        return os.path.join(self.directory(), filename or self.name)

    def built_generation(self):
        """The generation the served files were built from; None before the first build."""
        try:
            with open(self.path(f"{self.name}.generation"), encoding="ascii") as stamp:
                return stamp.read().strip() or None
        except FileNotFoundError:
            return None

    def is_current(self):
        return self.built_generation() == generation()

    def build(self, *, force=True):
        """Write the files now, unless `force` is off and they are up to date. Returns True
        if it built them."""
        os.makedirs(self.directory(), exist_ok=True)
        with open(self.path(f".{self.name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # Another process of the machine may have built them while this one waited.
            if not force and self.is_current():
                return False
            for leftover in glob.glob(glob.escape(self.path(f".{self.name}.")) + "*.tmp"):
                os.remove(leftover)  # from a build cut short: nobody else builds it now
            built_from = generation()
            out = _Output(self)
            try:
                with translation.override(settings.LANGUAGE_CODE):
                    self.write(out)
                out.open(f"{self.name}.generation", encoding="ascii").write(built_from)
                written = out.commit()
            finally:
                out.discard()
            if self.pattern:
                for path in glob.glob(os.path.join(glob.escape(self.directory()), self.pattern)):
                    if path not in written:
                        os.remove(path)
            return True


class _Output:
    """The temporary files of one build, moved into place by `commit()`."""

    def __init__(self, export):
        self.export = export
        self.files = []

    def open(self, filename, encoding="utf-8"):
        if not _SAFE_NAME.match(filename):
            raise ValueError(f"not a file name for an export: {filename!r}")
        temporary = self.export.path(f".{self.export.name}.{os.getpid()}.{len(self.files)}.tmp")
        stream = open(temporary, "w", encoding=encoding, newline="")  # noqa: SIM115
        self.files.append((stream, temporary, self.export.path(filename)))
        return stream

    def commit(self):
        """Move every file into place; returns their paths."""
        for stream, _, _ in self.files:
            stream.close()
        for _, temporary, final in self.files:
            os.replace(temporary, final)
        written = {final for _, _, final in self.files}
        self.files = []
        return written

    def discard(self):
        for stream, temporary, _ in self.files:
            stream.close()
            if os.path.exists(temporary):
                os.remove(temporary)
        self.files = []


# The background builder of this process: what is asked for, and the thread building it.
_lock = threading.Lock()
_wanted = {}
_failures = {}
_thread = None
RETRIES = 3


def schedule(*exports, delay=None):
    """Build `exports` in this process's background thread, after `delay` seconds
    (`EXPORT_DEBOUNCE_SECONDS` by default); returns the thread."""
    global _thread
    with _lock:
        for export in exports:
            _wanted[export.name] = export
        if _thread is None:
            wait = settings.EXPORT_DEBOUNCE_SECONDS if delay is None else delay
            _thread = threading.Thread(
                target=_build_wanted, args=(wait,), name="exports", daemon=True
            )
            _thread.start()
        return _thread


def wait_for_builds(timeout=None):
    """Wait until this process's background builds are done (or `timeout` seconds); True if
    none is left."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _lock:
            thread = _thread
        if thread is None:
            return True
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return False
        thread.join(remaining)


def _build_wanted(wait):
    global _thread
    try:
        while True:
            time.sleep(wait)
            with _lock:
                if not _wanted:
                    _thread = None
                    return
                todo = list(_wanted.values())
                _wanted.clear()
            for export in todo:
                started = time.monotonic()
                try:
                    close_old_connections()
                    if export.build(force=False):
                        logger.info("built %s in %.1f s", export.name, time.monotonic() - started)
                    _failures.pop(export.name, None)
                except Exception:
                    logger.exception("building the export %s failed", export.name)
                    # Tried again after the next pause, a few times; after that, the next
                    # request to find the files out of date asks again.
                    with _lock:
                        _failures[export.name] = _failures.get(export.name, 0) + 1
                        if _failures[export.name] <= RETRIES:
                            _wanted.setdefault(export.name, export)
                        else:
                            del _failures[export.name]
            wait = settings.EXPORT_DEBOUNCE_SECONDS
    finally:
        with _lock:
            if _thread is threading.current_thread():
                _thread = None
        _close_connections()


def _close_connections():
    """Close this thread's database connections. Django keeps an in-memory SQLite database's
    connection open on close() (the tests' database would vanish with it); a thread's own one
    is closed for real, the database living on in the other threads' connections."""
    for connection in connections.all(initialized_only=True):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            BaseDatabaseWrapper.close(connection)
        else:
            connection.close()


def serve(request, export, filename=None):
    """The export's file (`filename`, by default the export's own name) as a response, with
    its length, `Last-Modified` and `ETag`; see the module's docstring for when it is built."""
    if not export.is_current():
        if not settings.EXPORT_BACKGROUND:
            export.build(force=False)
        elif export.built_generation() is None:
            schedule(export, delay=0)
            deadline = time.monotonic() + settings.EXPORT_FIRST_BUILD_WAIT
            while export.built_generation() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        else:
            schedule(export)
    path = export.path(filename)
    try:
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        if export.built_generation() is not None:
            raise Http404("No such file in this export.") from None
        response = HttpResponse(
            "This download is being prepared; try again in a minute.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    stat = os.fstat(stream.fileno())
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    conditional = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if conditional is not None:
        stream.close()
        conditional["ETag"] = etag  # a 304 names what the client may keep using
        return conditional
    response = FileResponse(stream, content_type=export.content_type)
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(stat.st_mtime, usegmt=True)
    return response
