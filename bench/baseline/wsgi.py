"""`gunicorn bench.baseline.wsgi`: the baseline server of bench/run."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.baseline.settings"
application = get_wsgi_application()
