"""The generation of the record, and results kept until it changes.

Every change to the record starts a new generation (`bump()`); anything cached under the
current generation (`memoise()`, the page cache) is then out of date, without anyone having to
find and delete it. With a cache shared between processes (Redis, Memcached) the generation
lives in that cache; with the local-memory cache, which each process keeps for itself, it lives
in a small file in the temporary directory that every process of the site on the machine reads.
"""

import hashlib
import os
import tempfile
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections, transaction

GENERATION_KEY = "page-cache:generation"


def _stamp_path():
    """One file per site and database, so that a test run never empties the pages of a
    server on the same machine."""
    connection = connections["default"]
    database = connection.settings_dict
    where = f"{settings.BASE_DIR}|{database['ENGINE']}|{database['HOST']}|{database['NAME']}"
    if getattr(connection, "is_in_memory_db", lambda: False)():
        where += f"|{os.getpid()}"  # an in-memory database belongs to one process
    digest = hashlib.sha256(where.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"declaration-watch-{digest}.generation")


def _process_local():
    return isinstance(caches["default"], LocMemCache)


def _new_generation():
    return f"{time.time_ns():x}{os.getpid():x}"


def generation():
    """The current generation: a short string that changes whenever a curator changes data."""
    if _process_local():
        try:
            with open(_stamp_path(), encoding="ascii") as stamp:
                return stamp.read().strip() or "0"
        except FileNotFoundError:
            return "0"
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        value = cache.get(GENERATION_KEY)
    return str(value)


def _bump():
    if _process_local():
        path = _stamp_path()
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "w", encoding="ascii") as stamp:
            stamp.write(_new_generation())
        os.replace(temporary, path)
    else:
        cache.set(GENERATION_KEY, _new_generation(), None)


def bump():
    """Start a new generation now, and again when the current transaction commits, so that a
    page rendered from the data before the commit cannot stay cached under the new one."""
    _bump()
    transaction.on_commit(_bump)


def memoise(name, compute, *, timeout=None):
    """`compute()`, kept in the cache under `name` until the next generation.

    >>> memoise("home-totals", lambda: Declaration.objects.public().count())  # doctest: +SKIP
    1
    """
    key = f"memo:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.MEMO_CACHE_SECONDS if timeout is None else timeout)
    return value
