"""What every page shares and what a newcomer meets first: the footer, the favicon, the
navigation, the headings and chips of filtered lists, the API documentation, the admin's import
preview, and a quiet start."""

import html
import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
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
    # Each in a wrapper that scrolls, which a keyboard can reach.
    assert len(re.findall(r'<div class="table-scroll" tabindex="0"[^>]*>\s*<table', page)) == tables


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
    assert element(response, r'<div class="import-table-scroll" tabindex="0"[^>]*>\s*<table')


# A quiet start


def manage_in_development(tmp_path, *args):
    """`manage.py ARGS` as `make run` runs it (DJANGO_DEBUG=true), on a database of its own."""
    return subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args],
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


def test_starting_the_site_prints_no_axes_banner(tmp_path):
    result = manage_in_development(tmp_path, "check")
    assert "System check identified no issues" in result.stdout
    assert "AXES" not in result.stdout + result.stderr


def test_in_development_a_log_line_of_django_is_printed_once(tmp_path):
    log = "import logging; logging.getLogger('django.request').warning('Not Found: /nowhere/')"
    result = manage_in_development(tmp_path, "shell", "-c", log)
    assert (result.stdout + result.stderr).count("Not Found: /nowhere/") == 1


# On every page: the footer, the favicon, the navigation


@pytest.mark.parametrize(
    "path",
    ["/", "/declarations/695/", "/signatories/", "/groups/", "/detainees/", "/search/?q=a"],
)
def test_every_page_has_a_footer_with_the_open_data_and_the_source(client, demo, path):
    response = client.get(path)
    footer = element(response, r'<footer class="site-footer">.*</footer>')
    assert f'href="{reverse("api:docs")}"' in footer
    assert 'href="/feeds/declarations/"' in footer
    assert 'href="/feeds/detainees/"' in footer
    assert 'href="/api/popolo.json"' in footer
    assert 'href="https://pace.coe.int/' in footer
    text = text_of(response)
    for words in ["API documentation", "Feed of new declarations", "Popolo JSON", "PACE"]:
        assert words in text


@pytest.mark.parametrize(
    ("path", "csv"),
    [
        ("/declarations/?year=2019&page=1", "/declarations.csv?year=2019"),
        ("/signatories/?country=it&group=soc", "/signatories.csv?country=it&amp;group=soc"),
        ("/detainees/?status=sentenced", "/detainees.csv?status=sentenced"),
        ("/fr/signatories/?country=it", "/fr/signatories.csv?country=it"),
    ],
)
def test_a_list_page_footer_links_the_csv_of_what_it_shows(client, demo, path, csv):
    footer = element(client.get(path), r'<footer class="site-footer">.*</footer>')
    assert f'href="{csv}"' in footer
    label = "CSV de cette liste" if path.startswith("/fr/") else "CSV of this list"
    assert label in footer


def test_a_page_without_a_list_has_no_csv_in_its_footer(client, demo):
    footer = element(client.get("/declarations/695/"), r'<footer class="site-footer">.*</footer>')
    assert ".csv" not in footer


def test_the_favicon_is_linked_and_answers_at_favicon_ico(client, demo):
    icon = element(client.get("/"), r'<link rel="icon"[^>]*>')
    assert 'type="image/svg+xml"' in icon
    href = re.search(r'href="([^"]+)"', icon).group(1)
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == href
    svg = finders.find("favicon.svg")
    with open(svg, encoding="utf-8") as file:
        assert file.read().startswith("<svg")


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/", '<a href="/statistics/">Statistics</a>'),
        ("/statistics/", '<a href="/statistics/" aria-current="page">Statistics</a>'),
        ("/fr/", '<a href="/fr/statistics/">Statistiques</a>'),
    ],
)
def test_the_navigation_links_the_statistics_page(client, demo, path, link):
    nav = element(client.get(path), r'<nav class="site-nav".*?</nav>')
    assert link in nav


# Every kind of page has a title of plain words


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Declaration Watch"),
        ("/declarations/", "Declarations"),
        ("/declarations/695/", "Written declaration No. 695"),
        ("/signatories/", "Signatories"),
        ("/signatories/roberto-rampi/", "Roberto RAMPI"),
        ("/groups/", "Political groups"),
        ("/groups/soc/", "SOC"),
        ("/countries/", "Countries"),
        ("/countries/it/", "Italy"),
        ("/detainees/", "Detainees"),
        ("/detainees/maks-bokayev/", "Maks Bokayev"),
        ("/search/?q=rampi", "rampi"),
        ("/statistics/", "Statistics"),
        ("/api/docs/", "API"),
        ("/no-such-page/", "not found"),
        ("/fr/detainees/maks-bokayev/", "Maks Bokayev"),
        ("/fr/statistics/", "Statistiques"),
    ],
)
def test_every_kind_of_page_has_a_title_of_plain_words(client, demo, path, title):
    response = client.get(path)
    head = response.content.decode().split("</head>", 1)[0]
    [text] = re.findall(r"<title>(.*?)</title>", head, re.DOTALL)
    assert title.casefold() in text.casefold()
    assert not re.search(r"[<>]|&lt;|&gt;|\{[{%]", text), text
    assert text == " ".join(text.split())  # one line, no stray spaces


# The lists: headings, chips, filter panels, facets


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/signatories/?country=it&group=soc", "Signatories — Italy, SOC"),
        ("/signatories/?country=it&country=de&sort=signed", "Signatories — Germany, Italy"),
        ("/signatories/?country=ZZ&group=soc", "Signatories — SOC"),
        ("/signatories/?q=rampi&declaration=695", "Signatories — “rampi”, No. 695"),
        ("/signatories/", "Signatories"),
        ("/declarations/?year=2019", "Declarations — 2019"),
        ("/fr/declarations/?year=2019", "Déclarations — 2019"),
        ("/detainees/?status=sentenced&country=kz", "Detainees — Kazakhstan, Sentenced"),
    ],
)
def test_a_filtered_list_says_its_filters_in_its_heading_and_title(client, demo, path, heading):
    response = client.get(path)
    assert text_of(response).count(heading) >= 2  # the <title> and the <h1>
    title = html.unescape(element(response, r"<title>.*?</title>"))
    assert title.startswith(f"<title>{heading} · ")
    h1 = " ".join(html.unescape(re.sub(r"<[^>]+>", "", element(response, r"<h1>.*?</h1>"))).split())
    assert h1 == heading


def chips(response):
    """[(text, remove address)] of the active-filter chips."""
    found = re.search(
        r'<ul class="chips active-filters".*?</ul>', response.content.decode(), re.DOTALL
    )
    if not found:
        return []
    return [
        (" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()), html.unescape(href))
        for text, href in re.findall(
            r'<li>(.*?) <a href="([^"]*)">', found.group(0), flags=re.DOTALL
        )
    ]


def test_each_active_filter_is_a_chip_whose_link_removes_only_it(client, demo):
    response = client.get("/signatories/?country=it&group=soc&country=de&sort=signed&page=1")
    assert chips(response) == [
        ("Country: Germany", "/signatories/?country=it&group=soc&sort=signed"),
        ("Country: Italy", "/signatories/?country=de&group=soc&sort=signed"),
        ("Political group: SOC", "/signatories/?country=it&country=de&sort=signed"),
    ]
    removed = client.get("/signatories/?country=de&group=soc&sort=signed")
    assert "Signatories — Germany, SOC" in text_of(removed)


def test_removing_the_last_filter_leads_to_the_whole_list(client, demo):
    assert chips(client.get("/declarations/?year=2019")) == [("Year: 2019", "/declarations/")]
    assert chips(client.get("/detainees/?q=bokayev")) == [("Name: “bokayev”", "/detainees/")]


def test_an_unfiltered_or_invalid_filter_shows_no_chip(client, demo):
    assert chips(client.get("/signatories/")) == []
    assert chips(client.get("/signatories/?country=ZZ")) == []


def test_the_filter_form_is_in_a_panel_after_the_results_on_a_phone(client, demo):
    for address in ["/signatories/", "/declarations/", "/detainees/"]:
        page = client.get(address).content.decode()
        panel = re.search(
            r'<details class="filters-panel"><summary[^>]*>Filters</summary>\s*<form class="filters"',
            page,
        )
        assert panel, address
        assert "Apply filters" in page[panel.end() : page.index("</details>", panel.end())]
    with open(finders.find("css/site.css"), encoding="utf-8") as file:
        css = file.read()
    assert re.search(r"\.with-filters > \.results \{\s*order: 1;", css)
    assert re.search(r"\.filters-panel \{\s*min-width: 0;\s*order: 2;", css)


def test_the_panel_summary_counts_the_active_filters(client, demo):
    page = client.get("/signatories/?country=it&group=soc").content.decode()
    assert '<summary class="filters-panel__summary">Filters (2 active)</summary>' in page


def facet_labels(response, legend):
    fieldset = element(response, rf"<legend>{legend}</legend>.*?</fieldset>")
    return [
        (label, bool(checked))
        for checked, label in re.findall(
            r'<input type="checkbox"[^>]*?( checked)?> <span class="facet__label">([^<]+)</span>',
            fieldset,
        )
    ]


def test_checked_countries_come_first_in_their_facet(client, demo):
    everyone = [label for label, _checked in facet_labels(client.get("/signatories/"), "Country")]
    assert everyone.index("Italy") > 2
    chosen = facet_labels(client.get("/signatories/?country=se&country=it"), "Country")
    assert chosen[:2] == [("Italy", True), ("Sweden", True)]
    assert chosen[2:] == [(label, False) for label in everyone if label not in ("Italy", "Sweden")]


def test_the_home_page_says_what_its_counts_are(client, demo):
    text = text_of(client.get("/"))
    assert (
        "On record: 1 published declaration, 25 signatories from 11 countries and 5 political "
        "groups, 9 named detainees." in text
    )


def load_bench_run():
    loader = importlib.machinery.SourceFileLoader(
        "bench_run", str(Path(settings.BASE_DIR) / "bench" / "run")
    )
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("bench_run", loader))
    loader.exec_module(module)
    return module


def test_bench_makes_a_missing_database_without_trying_it_first(tmp_path, monkeypatch, capsys):
    bench = load_bench_run()
    calls = []
    monkeypatch.setattr(bench, "manage", lambda env, *args, **kw: calls.append(args[0]))
    monkeypatch.setattr(bench, "probe", lambda env, what: calls.append("probe"))
    monkeypatch.setattr(bench, "recreate_database", lambda env, url: calls.append("recreate"))
    url = f"sqlite:///{tmp_path / 'bench-1.sqlite3'}"
    assert bench.database_exists({}, url) is False

    bench.prepare_data({}, url, 1, 1)

    assert calls == ["recreate", "migrate", "generate_sample_data"]
    assert capsys.readouterr().err.splitlines()[0] == "data: generating scale 1 (had None)"


def test_bench_finds_a_database_that_exists(tmp_path):
    bench = load_bench_run()
    (tmp_path / "bench-1.sqlite3").touch()
    assert bench.database_exists({}, f"sqlite:///{tmp_path / 'bench-1.sqlite3'}") is True


def test_a_declaration_chip_shows_its_number_once(client, demo):
    response = client.get("/detainees/?declaration=695")
    assert chips(response) == [("Named in declaration No.: 695", "/detainees/")]
    assert "Detainees — No. 695" in text_of(response)
