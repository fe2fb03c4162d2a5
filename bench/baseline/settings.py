"""The baseline of bench/run: Django with one view that returns a constant response.

No middleware, no database, no template: what serving any page through Django and gunicorn
costs at the least. The site's pages are measured as a share of its requests per second.
"""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "baseline-only-" + "x" * 40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.baseline.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
