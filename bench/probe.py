"""Helpers of bench/run that need Django: run with the project's Python and settings.

    python bench/probe.py status          -> {"declarations": N}  (generated ones)
    python bench/probe.py pages           -> [{"name", "url", "queries"}, ...]

`pages` chooses the addresses to measure from the data, then requests each one twice through
Django's test client with the page cache off and reports the SQL queries of the second (warm)
request, the one that load repeats.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declaration_site.settings")

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from declaration_site import sample_data
from declaration_site.lib.text import fold
from signatories.models import Declaration, Signatory


def status():
    return {"declarations": sample_data.sample_count()}


def choose_pages():
    """The pages of the issue, with values that exist in the data."""
    declaration = Declaration.objects.public().order_by("number")
    declaration = declaration[declaration.count() // 2]
    signatory = (
        Signatory.objects.public().annotate(n=Count("signatures")).order_by("-n", "pk").first()
    )
    pair = (
        Signatory.objects.public()
        .order_by()
        .values("country", "political_group__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    pages = Signatory.objects.public().count() // 50
    # Folded, as a visitor without the accents would type it.
    word = fold(signatory.family_name.split()[-1])[:4]
    country, group = pair["country"].lower(), pair["political_group__slug"]
    return [
        ("home", "/"),
        ("declarations", "/declarations/"),
        ("declaration", f"/declarations/{declaration.number}/"),
        ("signatories", "/signatories/"),
        ("signatories deep", f"/signatories/?page={max(pages // 2, 1)}"),
        ("signatories filtered", f"/signatories/?country={country}&group={group}"),
        ("signatory", f"/signatories/{signatory.slug}/"),
        ("detainees", "/detainees/"),
        ("search", f"/search/?q={quote(word)}"),
        ("statistics", "/statistics/"),
        ("api signatories", f"/api/signatories/?country={country}"),
    ]


def pages():
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    rows = []
    for name, url in choose_pages():
        client.get(url, secure=True, HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        rows.append({"name": name, "url": url, "queries": len(queries)})
    return rows


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "pages"
    print(json.dumps({"status": status, "pages": pages}[command]()))
