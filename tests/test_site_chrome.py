"""What every page shares and what a newcomer meets first: the footer, the favicon, the
navigation, the headings and chips of filtered lists, the API documentation, the admin's import
preview, and a quiet start."""

import html
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from .curation import DEMO_TEXT, IMPORT_URL, extended

pytestmark = pytest.mark.django_db


def text_of(response):
    """The page's text as a visitor reads it: tags dropped, entities decoded, spaces folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def element(response, pattern):
    """The first match of `pattern` in the page's HTML, or a failure naming it."""
    found = re.search(pattern, response.content.decode(), flags=re.DOTALL)
    assert found, f"no {pattern!r} in the page"
    return found.group(0)


# The API documentation


def test_api_docs_render_the_descriptions_markdown_as_html(client, demo):
    response = client.get(reverse("api:docs"))
    page = response.content.decode()
    assert "`" not in text_of(response)
    assert "* " not in text_of(response)
    assert "<li><code>detained</code> - Detained</li>" in page
    assert "<li><code>signed</code> - Declarations signed</li>" in page
    assert "<code>q</code> searches every spelling of a name" in page


def test_api_docs_markdown_is_escaped_before_it_becomes_html():
    from declaration_site.api import markdown_html

    assert markdown_html("Use `<script>` and <b>bold</b>\n\n- `a&b`") == (
        "<p>Use <code>&lt;script&gt;</code> and &lt;b&gt;bold&lt;/b&gt;</p>"
        "<ul><li><code>a&amp;b</code></li></ul>"
    )


def test_api_docs_parameter_tables_scroll_inside_the_page(client, demo):
    page = client.get(reverse("api:docs")).content.decode()
    tables = page.count("<table")
    assert tables > 0
    assert page.count('<div class="table-scroll">\n  <table') == tables


# The admin's import preview


def preview(client, text):
    return client.post(reverse(IMPORT_URL), {"text": text, "preview": "Preview"})


def test_import_preview_counts_one_new_signatory_in_the_singular(admin_client):
    admin_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "confirm": "Confirm"})
    response = preview(admin_client, extended(DEMO_TEXT, "Mr Jan NOWAK, Poland, EPP/CD"))
    text = text_of(response)
    assert "(1 new signatory, 0 matched)" in text
    assert "new signatories" not in text


def test_import_preview_counts_new_signatories_in_the_plural(admin_client):
    text = text_of(preview(admin_client, DEMO_TEXT))
    assert "(25 new signatories, 0 matched)" in text


def test_import_preview_table_scrolls_inside_its_wrapper(admin_client):
    response = preview(admin_client, DEMO_TEXT)
    assert element(response, r'<div class="import-table-scroll">\s*<table')


# A quiet start


def test_starting_the_site_prints_no_axes_banner(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "declaration_site.settings",
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert "System check identified no issues" in result.stdout
    assert "AXES" not in result.stdout + result.stderr
