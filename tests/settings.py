"""The production settings, with what a test run needs set before they are read.

The suite runs with DEBUG off, a throw-away secret key and static files served as they are, so
that it needs neither a key in the environment nor `collectstatic` first.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-" + "k3y-not-for-production-" * 3)
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
# Exports link to the test client's host, and the request that finds them out of date builds
# them (each test has its own export directory: tests/conftest.py).
os.environ.setdefault("DJANGO_SITE_URL", "http://testserver")
os.environ.setdefault("DJANGO_EXPORT_BACKGROUND", "false")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests
# are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from declaration_site.settings import *
