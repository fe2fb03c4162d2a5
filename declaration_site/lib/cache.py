"""The generation of the record, and results kept until it changes.

Every change to the record starts a new generation (`bump()`); anything cached under the
current generation (`memoise()`, the page cache) is then out of date, without anyone having to
find and delete it. With a cache shared between processes (Redis, Memcached) the generation
lives in that cache; with the local-memory cache, which each process keeps for itself, it lives
in a small file in the temporary directory that every process of the site on the machine reads.

A shared cache that does not answer is a cache that holds nothing: `ForgivingRedisCache` (what
`DJANGO_CACHE_URL=redis://...` uses) logs the failure and answers "not found", so pages are
rendered from the database; while the generation cannot be read, every call of `generation()`
gives a new one, so nothing stored meanwhile is ever read back; a `bump()` that could not
reach the cache is logged as an error and tried again by the same process.
"""

import collections
import functools
import hashlib
import logging
import os
import tempfile
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"


def _stamp_path():
    """One file per site and database, so that a test run never empties the pages of a
    server on the same machine."""
    connection = connections["default"]
    database = connection.settings_dict
    where = f"{settings.BASE_DIR}|{database['ENGINE']}|{database['HOST']}|{database['NAME']}"
    if getattr(connection, "is_in_memory_db", lambda: False)():
        where += f"|{os.getpid()}"  # an in-memory database belongs to one process
    return _stamp_path_of(where)


@functools.lru_cache(maxsize=8)
def _stamp_path_of(where):
    digest = hashlib.sha256(where.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"declaration-watch-{digest}.generation")


class _StampReader:
    """The generation in the stamp file, read again only when the file is another.

    Every bump writes a new file and moves it over the old one, so while a stat() of the path
    finds the file last read (same device and inode, modification time and size), the
    generation is the same, and a stat() costs a fraction of the open and read that every
    request used to do. The file last read is held open, so that its inode cannot be given
    to a newer file while it is the one compared against.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._descriptor = None
        self._path = self._identity = self._value = None

    @staticmethod
    def _identity_of(found):
        return (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)

    def read(self, path):
        with self._lock:
            try:
                identity = self._identity_of(os.stat(path))
            except FileNotFoundError:
                return "0"
            if path == self._path and identity == self._identity:
                return self._value
            try:
                descriptor = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                return "0"
            value = os.read(descriptor, 256).decode("ascii").strip() or "0"
            if self._descriptor is not None:
                os.close(self._descriptor)
            self._descriptor, self._path, self._value = descriptor, path, value
            self._identity = self._identity_of(os.fstat(descriptor))
            return value


_stamp_reader = _StampReader()


def _process_local():
    return isinstance(caches["default"], LocMemCache)


def _new_generation():
    return f"{time.time_ns():x}{os.getpid():x}"


# A bump this process could not write to the shared cache, written before anything is read.
_unwritten_bump = threading.Event()

# The generation a request read first, which the rest of that request uses (see
# pin_generation()). Per thread: each of a worker's threads serves its own request.
_pinned = threading.local()


def pin_generation(**kwargs):
    """From now until `unpin_generation()`, this thread reads the generation once and keeps it.

    Connected to `request_started`: one page asks for the generation several times (its page
    cache key, each memoised total, each form), and each time it is a file read or a trip to
    the shared cache. A page also stays one whole: every part of it belongs to the same
    generation, even if a curator's change lands while it is being rendered. A `bump()` in
    the same thread (a curator's own request) forgets the pinned value at once.
    """
    _pinned.active = True
    _pinned.value = None


def unpin_generation(**kwargs):
    """Connected to `request_finished`: outside requests, every call reads the generation."""
    _pinned.active = False
    _pinned.value = None


def generation():
    """The current generation: a short string that changes whenever a curator changes data.

    In a shared cache, the first process to find none there stores one (`add()`: only one
    wins, and every process then reads the winner's). When the cache cannot be read, each call
    gives a generation of its own, under which nothing can be found again. Within a request,
    the first value read is kept (`pin_generation()`).
    """
    value = getattr(_pinned, "value", None)
    if value is None:
        value = _read_generation()
        if getattr(_pinned, "active", False):
            _pinned.value = value
    return value


def _read_generation():
    if _process_local():
        return _stamp_reader.read(_stamp_path())
    if _unwritten_bump.is_set():
        _bump()
    value = cache.get(GENERATION_KEY)
    if value is None:
        candidate = _new_generation()
        if cache.add(GENERATION_KEY, candidate, None):
            return candidate
        value = cache.get(GENERATION_KEY)
        if value is None:  # unreachable, or emptied again in between
            return _new_generation()
    return str(value)


def _bump():
    _pinned.value = None
    if _process_local():
        path = _stamp_path()
        # A temporary file of its own for each bump, so that two threads of one process
        # bumping at once (two curators' saves) never move the same file.
        descriptor, temporary = tempfile.mkstemp(
            dir=os.path.dirname(path), prefix=f"{os.path.basename(path)}."
        )
        with open(descriptor, "w", encoding="ascii") as stamp:
            stamp.write(_new_generation())
        os.replace(temporary, path)
    elif cache.set(GENERATION_KEY, _new_generation(), None) is False:
        if not _unwritten_bump.is_set():
            logger.error(
                "The record changed but the shared cache did not answer: servers that still "
                "reach it may show pages and totals from before the change for up to "
                "DJANGO_MEMO_CACHE_SECONDS. This process tries again at its next request; "
                "after a command, empty the cache (redis-cli -n N FLUSHDB) once it answers."
            )
        _unwritten_bump.set()
    else:
        _unwritten_bump.clear()


def bump():
    """Start a new generation now, and again when the current transaction commits, so that a
    page rendered from the data before the commit cannot stay cached under the new one."""
    _bump()
    transaction.on_commit(_bump)


class InProcessMemo:
    """What `memoise(..., in_process=True)` keeps in this process's memory as well: the most
    recently used `size` values, each for as long as the cache keeps it.

    The keys name a generation, so a value is never read after the record changes. Read from
    the cache, a value is a fresh copy each time (unpickled from local memory or fetched from
    Redis): for the choices of a filter form and the counts its facets are made of, that is a
    tenth of a list page. Here every request gets the same object, so it is only for values
    nobody changes in place.
    """

    def __init__(self, size=64):
        self.size = size
        self._entries = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, expires = entry
            if expires is not None and expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key, value, timeout):
        expires = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._entries[key] = (value, expires)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


in_process_memo = InProcessMemo()


def memoise(name, compute, *, timeout=None, in_process=False):
    """`compute()`, kept in the cache under `name` until the next generation; with
    `in_process`, also in this process's memory (`InProcessMemo`), for values that no caller
    changes.

    >>> memoise("home-totals", lambda: Declaration.objects.public().count())  # doctest: +SKIP
    1
    """
    key = f"memo:{generation()}:{name}"
    if in_process and (value := in_process_memo.get(key)) is not None:
        return value
    timeout = settings.MEMO_CACHE_SECONDS if timeout is None else timeout
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    if in_process:
        in_process_memo.set(key, value, timeout)
    return value


class ForgivingRedisCache(RedisCache):
    """Django's `RedisCache`, for which a Redis that does not answer is an empty cache.

    Every error of the `redis` client (refused or cut connection, time-out, out of memory) is
    logged once per outage and answered as a miss: `get()` gives the default, `add()` and
    `touch()` False, `set()` False (where Django's gives None), `get_many()` nothing. For
    `RETRY_SECONDS` after an error, this process does not ask Redis at all, so that a Redis
    that hangs costs one time-out every few seconds instead of one per cache call.
    """

    RETRY_SECONDS = 5
    # Per server address and process: Django makes one backend object per thread.
    _down_until = {}
    _lock = threading.Lock()

    def _call(self, method, failed, *args, **kwargs):
        where = tuple(self._servers)
        if time.monotonic() < self._down_until.get(where, 0):
            return failed
        from redis import RedisError

        try:
            result = getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            with self._lock:
                if where not in self._down_until:
                    logger.warning(
                        "The cache at %s does not answer (%s): pages come from the database "
                        "until it does.",
                        ", ".join(_without_password(server) for server in where),
                        error,
                    )
                self._down_until[where] = time.monotonic() + self.RETRY_SECONDS
            return failed
        if where in self._down_until:
            with self._lock:
                if self._down_until.pop(where, None) is not None:
                    logger.warning("The cache answers again.")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key {key!r} not found: the cache does not answer.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)


def _without_password(url):
    """`url` with any password hidden, for the logs.

    >>> _without_password("redis://:secret@cache:6379/1")
    'redis://:***@cache:6379/1'
    """
    scheme, separator, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not at:
        return url
    user, colon, _ = credentials.partition(":")
    return f"{scheme}{separator}{user}{colon}{'***' if colon else ''}@{place}"
