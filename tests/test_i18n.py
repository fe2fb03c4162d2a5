"""English at the addresses already published, French under /fr/: which language each address
gets, the language switch and hreflang alternates, the sitemap, the page cache per language, and
a French catalogue that is complete and compiled."""

import ast
import gettext
import re
from pathlib import Path
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import translation

from .factories import make_declaration, make_signatory, make_signature

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A French request leaves French active in the test's thread; later tests expect none."""
    yield
    translation.deactivate()


CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def alternates_in_head(html):
    head = html.split("</head>")[0]
    return dict(re.findall(r'<link rel="alternate" hreflang="([-a-z]+)" href="([^"]+)">', head))


# Which language an address gets


@pytest.mark.parametrize(
    "url", ["/", "/declarations/695/", "/signatories/", "/feeds/declarations/"]
)
def test_unprefixed_addresses_stay_english_whatever_the_browser_asks(client, demo, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(url)["Content-Language"] == "en"


def test_a_french_browser_is_not_redirected_from_the_english_home(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_french_addresses_are_french_whatever_the_browser_asks(client, demo):
    response = client.get("/fr/declarations/695/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_public_pages_do_not_vary_on_the_browser_language(client, demo):
    for url in ["/", "/fr/", "/declarations/695/", "/fr/declarations/695/"]:
        assert "accept-language" not in client.get(url).get("Vary", "").lower(), url


def test_the_admin_follows_the_browser_language(admin_client):
    french = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in french
    assert "Déconnexion" in french  # Django's own French
    assert "Gestion des fiches" in french  # the site's
    english = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in english
    assert "Log out" in english
    assert "Curation" in english


def test_the_admin_login_page_is_french_for_a_french_browser(client, db):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Nom d’utilisateur" in html or "Nom d'utilisateur" in html


def test_the_api_has_one_english_address(client, demo):
    assert client.get("/fr/api/signatories/").status_code == 404
    response = client.get("/api/signatories/?q=aberg", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["results"][0]["country_name"] == "Sweden"
    assert client.get("/fr/sitemap.xml").status_code == 404


def test_feeds_exist_in_both_languages(client, demo):
    english = client.get("/feeds/declarations/").content.decode()
    french = client.get("/fr/feeds/declarations/").content.decode()
    assert 'xml:lang="en"' in english
    assert "Declaration Watch: new declarations" in english
    assert 'xml:lang="fr"' in french
    assert "Declaration Watch\u00a0: nouvelles déclarations" in french


def test_a_missing_page_under_fr_is_the_french_not_found_page(client, db):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html
    assert 'href="http://testserver/no-such-page/" hreflang="en"' in html


# The language switch and the alternates


def test_the_switch_keeps_the_page_and_its_query(client, demo):
    html = client.get("/signatories/?country=it&group=soc").content.decode()
    assert (
        '<a href="http://testserver/fr/signatories/?country=it&amp;group=soc" hreflang="fr" '
        'lang="fr">Français</a>'
    ) in html
    assert '<span aria-current="true" lang="en">English</span>' in html
    french = client.get("/fr/signatories/?country=it&group=soc").content.decode()
    assert (
        '<a href="http://testserver/signatories/?country=it&amp;group=soc" hreflang="en" '
        'lang="en">English</a>'
    ) in french
    assert '<span aria-current="true" lang="fr">Français</span>' in french


def test_the_switch_links_lead_to_the_same_record(client, demo):
    html = client.get("/declarations/695/").content.decode()
    [french_url] = re.findall(r'<a href="([^"]+)" hreflang="fr"', html)
    french = client.get(french_url)
    assert french.status_code == 200
    assert french.context["declaration"] == demo
    assert '<html lang="fr">' in french.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/declarations/",
        "/declarations/695/",
        "/signatories/andre-gattolin/",
        "/groups/alde/",
        "/countries/se/",
        "/detainees/maks-bokayev/",
        "/search/?q=kazakhstan",
    ],
)
def test_every_public_page_names_its_alternates_in_its_head(client, demo, path):
    expected = {
        "en": f"http://testserver{path}",
        "fr": f"http://testserver/fr{path}",
        "x-default": f"http://testserver{path}",
    }
    english = client.get(path).content.decode()
    french = client.get(f"/fr{path}").content.decode()
    assert alternates_in_head(english) == expected
    assert alternates_in_head(french.replace("&amp;", "&")) == expected


def test_a_page_in_one_language_offers_no_switch(client, db):
    html = client.get("/api/docs/").content.decode()
    assert 'class="language-switch"' not in html
    assert alternates_in_head(html) == {}


def test_the_sitemap_lists_both_languages_with_their_alternates(client, demo):
    index = ElementTree.fromstring(client.get("/sitemap.xml").getvalue())
    pages = [loc.text.removeprefix("http://testserver") for loc in index.iter(f"{SITEMAP}loc")]
    entries = {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for page in pages
        for url in ElementTree.fromstring(client.get(page).getvalue()).iter(f"{SITEMAP}url")
    }
    alternates = {
        "en": "http://testserver/declarations/695/",
        "fr": "http://testserver/fr/declarations/695/",
        "x-default": "http://testserver/declarations/695/",
    }
    assert entries["http://testserver/declarations/695/"] == alternates
    assert entries["http://testserver/fr/declarations/695/"] == alternates
    assert entries["http://testserver/fr/countries/se/"]["en"] == "http://testserver/countries/se/"
    assert entries["http://testserver/fr/"]["x-default"] == "http://testserver/"
    assert all(set(links) == {"en", "fr", "x-default"} for links in entries.values())


def test_robots_txt_keeps_crawlers_out_of_both_searches(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /search/" in text
    assert "Disallow: /fr/search/" in text


# The page cache


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_each_language_is_cached_apart(client, page_cache, demo):
    english = client.get("/declarations/695/")
    french = client.get("/fr/declarations/695/")
    assert (english["X-Page-Cache"], french["X-Page-Cache"]) == ("miss", "miss")
    for _ in range(2):
        again = client.get("/declarations/695/")
        assert again["X-Page-Cache"] == "hit"
        assert '<html lang="en">' in again.content.decode()
        again_fr = client.get("/fr/declarations/695/")
        assert again_fr["X-Page-Cache"] == "hit"
        assert '<html lang="fr">' in again_fr.content.decode()
        assert "4 octobre 2019" in again_fr.content.decode()


def test_a_french_browser_never_gets_a_french_page_from_the_cache_at_an_english_address(
    client, page_cache, demo
):
    client.get("/fr/declarations/", HTTP_ACCEPT_LANGUAGE="fr")
    for language in ["fr", "en", ""]:
        html = client.get("/declarations/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert '<html lang="en">' in html
        assert "Déclarations" not in html


def test_a_change_empties_the_pages_of_both_languages(client, page_cache, demo):
    client.get("/declarations/")
    client.get("/fr/declarations/")
    declaration = make_declaration(number=701, title="", title_fr="Un nouvel appel")
    make_signature(declaration, make_signatory(family_name="NEW"))
    assert client.get("/declarations/")["X-Page-Cache"] == "miss"
    french = client.get("/fr/declarations/")
    assert french["X-Page-Cache"] == "miss"
    assert "Un nouvel appel" in french.content.decode()


# The French catalogue


def read_po(path):
    """The messages of a .po file: [{"context", "id", "plural", "strings", "flags"}], the
    header left out. Enough of the format for what makemessages writes."""
    messages, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and entry["id"]:
                messages.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):
            raise AssertionError(f"obsolete message left in {path.name}: {line}")
        entry = entry or {"context": None, "id": "", "plural": None, "strings": {}, "flags": []}
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["strings"][field] += value
            else:
                entry[field] = (entry[field] or "") + value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword == "msgctxt":
                field, entry["context"] = "context", value
            elif keyword == "msgid":
                field, entry["id"] = "id", value
            elif keyword == "msgid_plural":
                field, entry["plural"] = "plural", value
            elif keyword == "msgstr":
                field, entry["strings"][0] = 0, value
            else:
                index = int(re.fullmatch(r"msgstr\[(\d+)\]", keyword).group(1))
                field, entry["strings"][index] = index, value
    return messages


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_the_catalogue_has_many_messages():
    """The parser below reads them all (a broken parser would make the next tests vacuous)."""
    messages = read_po(CATALOGUE / "django.po")
    assert len(messages) > 350
    assert any(m["context"] and m["plural"] for m in messages)
    assert {"Written declaration No. %(number)s", "no group printed"} <= {m["id"] for m in messages}


def test_every_message_has_a_french_translation_that_is_not_fuzzy():
    untranslated = [
        m["id"]
        for m in read_po(CATALOGUE / "django.po")
        if "fuzzy" in m["flags"]
        or not all(m["strings"].values())
        or len(m["strings"]) != (2 if m["plural"] else 1)
    ]
    assert untranslated == []


def test_every_translation_keeps_the_placeholders_of_its_message():
    wrong = [
        m["id"]
        for m in read_po(CATALOGUE / "django.po")
        for string in m["strings"].values()
        if set(PLACEHOLDER.findall(string))
        != set(PLACEHOLDER.findall(m["id"])) | set(PLACEHOLDER.findall(m["plural"] or ""))
    ]
    assert wrong == []


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file():
    """django.mo must be compiled again (compilemessages) after every change to django.po."""
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for m in read_po(CATALOGUE / "django.po"):
        key = m["id"] if m["context"] is None else f"{m['context']}\x04{m['id']}"
        if m["plural"]:
            expected.update({(key, index): string for index, string in m["strings"].items()})
        else:
            expected[key] = m["strings"][0]
    compiled_messages = {key: value for key, value in catalogue.items() if key != ""}
    assert compiled_messages == expected


# {% translate %} of a quoted message, looked up once a language


def test_one_template_says_each_message_in_the_language_of_each_render():
    from django.template import Context, Template

    template = Template(
        "{% load translations %}"
        '{% translate "Declarations" %}|{% translate "Search" as label %}{{ label }}|'
        '{% translate word %}|{% translate "Search" context "x" %}'
    )
    seen = []
    for language in ["en", "fr", "en", "fr"]:
        with translation.override(language):
            seen.append(template.render(Context({"word": "Declarations"})))
    english = "Declarations|Search|Declarations|Search"
    french = "Déclarations|Rechercher|Déclarations|Search"
    assert seen == [english, french, english, french]


def test_a_translated_message_kept_for_a_variable_is_escaped_where_it_is_written():
    from django.template import Context, Template

    template = Template(
        '{% load translations %}{% translate "<b>Search</b>" as label %}{{ label }}'
    )
    assert template.render(Context()) == "<b>Search</b>"  # a literal message is safe, as in Django


def test_the_site_templates_load_the_translations_that_are_looked_up_once():
    templates = Path(settings.BASE_DIR) / "templates"
    loading_i18n = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"{%\s*load\s+([\w.]+\s+)*i18n\b", path.read_text(encoding="utf-8"))
    ]
    assert loading_i18n == []


# {% url %} of quoted names and arguments, reversed once a language and script prefix


def test_one_template_gives_each_address_in_the_language_and_under_the_prefix_of_each_render():
    from django.template import Context, Template
    from django.urls import reverse, set_script_prefix

    template = Template(
        "{% load translations %}"
        '{% url "signatories:signatory_list" %}|{% url "signatories:country_detail" "it" %}|'
        '{% url "signatories:signatory_list" as list %}{{ list }}|'
        '{% url name "it" %}'
    )
    seen, expected = [], []
    try:
        for language, prefix in [("en", "/"), ("fr", "/"), ("en", "/watch/"), ("fr", "/")]:
            set_script_prefix(prefix)
            with translation.override(language):
                seen.append(template.render(Context({"name": "signatories:country_detail"})))
                listed = reverse("signatories:signatory_list")
                italy = reverse("signatories:country_detail", args=["it"])
                expected.append(f"{listed}|{italy}|{listed}|{italy}")
    finally:
        set_script_prefix("/")
    assert seen == expected
    assert seen[0] == "/signatories/|/countries/it/|/signatories/|/countries/it/"
    assert seen[1].startswith("/fr/signatories/|") and seen[2].startswith("/watch/signatories/|")


# {% url %} of a quoted name and one argument that varies, written by its route


ROUTE_NAMES = [
    "signatories:signatory_detail",
    "signatories:signature_csv",
    "signatories:country_detail",
    "signatories:group_feed",
    "prisoners:detainee_record_feed",
]
ROUTE_VALUES = ["lena-vatelpi", "it", 695, "695", "Åberg", "a b", "a/b", "x&y'", -1, "", None]


def _django_url(name, value, syntax):
    """What Django's own `{% url %}` gives (or the NoReverseMatch it raises)."""
    from django.template import Context, Template
    from django.urls import NoReverseMatch

    try:
        return Template(syntax % name).render(Context({"value": value}))
    except NoReverseMatch:
        return NoReverseMatch


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_an_address_written_by_its_route_is_the_one_django_reverses(name):
    """`{% url %}` (and `reverse_one()`, lib/addresses.py, which writes it) give Django's
    address or its NoReverseMatch, whatever the value, the language, the script prefix."""
    from django.template import Context, Template
    from django.urls import NoReverseMatch, set_script_prefix

    from declaration_site.templatetags.translations import ReversedByRouteNode

    parameter = {
        "signatories:signatory_detail": "slug",
        "signatories:signature_csv": "number",
        "signatories:country_detail": "code",
        "signatories:group_feed": "slug",
        "prisoners:detainee_record_feed": "slug",
    }[name]
    forms = [
        '{%% url "%s" value %%}',
        '{%% url "%s" ' + parameter + "=value %%}",
        '{%% url "%s" value as found %%}[{{ found }}]',
        '{%% autoescape off %%}{%% url "%s" value %%}{%% endautoescape %%}',
    ]
    try:
        for language, prefix in [("en", "/"), ("fr", "/"), ("fr", "/watch/")]:
            set_script_prefix(prefix)
            with translation.override(language):
                for syntax in forms:
                    ours = Template("{% load translations %}" + syntax % name)
                    assert len(ours.nodelist.get_nodes_by_type(ReversedByRouteNode)) == 1
                    for value in ROUTE_VALUES:
                        expected = _django_url(name, value, syntax)
                        if expected is NoReverseMatch:
                            with pytest.raises(NoReverseMatch):
                                ours.render(Context({"value": value}))
                        else:
                            assert ours.render(Context({"value": value})) == expected, value
                    # Written by the route, not reversed by Django, once the route is known.
                    valid = 695 if parameter == "number" else "it"
                    with mock.patch("declaration_site.lib.addresses.reverse") as reversing:
                        ours.render(Context({"value": valid}))
                    assert not reversing.called
    finally:
        set_script_prefix("/")


def test_a_route_of_another_shape_is_reversed_by_django():
    from django.template import Context, Template
    from django.urls import NoReverseMatch

    template = Template('{% load translations %}{% url "signatories:group_list" value %}')
    with pytest.raises(NoReverseMatch):  # the list takes no argument
        template.render(Context({"value": "x"}))


# {% blocktranslate %} of {% load translations %}: Django's output, its message written once


BLOCKS = [
    "{% blocktranslate %}Signatories{% endblocktranslate %}",
    "{% blocktranslate with number=n %}Written declaration No. {{ number }}{% endblocktranslate %}",
    (
        "{% blocktranslate with number=n asvar crumb %}No. {{ number }}{% endblocktranslate %}"
        "[{{ crumb }}]"
    ),
    "{% blocktranslate with name=name %}Declarations signed by {{ name }}{% endblocktranslate %}",
    (
        "{% blocktranslate count counter=n with shown=n %}{{ shown }} signatory matches"
        "{% plural %}{{ shown }} signatories match{% endblocktranslate %}"
    ),
    (
        "{% blocktranslate count counter=one %}{{ counter }} active{% plural %}{{ counter }} active"
        "{% endblocktranslate %}"
    ),
    (
        "{% blocktranslate with ratio=ratio price=price %}{{ ratio }} at {{ price }}"
        "{% endblocktranslate %}"
    ),
    "{% blocktranslate %}{{ missing }} 100% {{ name }}{% endblocktranslate %}",
    '{% blocktranslate context "month" %}May{% endblocktranslate %}',
    (
        "{% blocktranslate trimmed with name=name %}\n  Declarations signed\n  by {{ name }}\n"
        "{% endblocktranslate %}"
    ),
    (
        "{% autoescape off %}{% blocktranslate with name=name %}Declarations signed by {{ name }}"
        "{% endblocktranslate %}{% endautoescape %}"
    ),
]


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_block_translated_once_reads_as_django_s(block, language):
    from decimal import Decimal

    from django.template import Context, Template

    from declaration_site.templatetags.translations import BlockTranslatedNode

    ours = Template("{% load translations %}" + block)
    djangos = Template("{% load i18n %}" + block)
    assert ours.nodelist.get_nodes_by_type(BlockTranslatedNode)
    values = [
        {"n": 695, "one": 1, "name": "O'Brien & <Åberg>", "ratio": 0.5, "price": Decimal("12.50")},
        {"n": 1, "one": 1, "name": "Boriana", "ratio": 1234.5, "price": Decimal(1000)},
        {"n": 12345, "one": 1, "name": None, "ratio": 2, "price": 3},
    ]
    with translation.override(language):
        for each in values * 2:  # the second time from what was kept
            assert ours.render(Context(each)) == djangos.render(Context(each))


def test_a_block_translated_once_counts_as_django_s_does(settings):
    from django.template import Context, Template, TemplateSyntaxError

    block = "{% blocktranslate count counter=n %}one{% plural %}many{% endblocktranslate %}"
    with pytest.raises(TemplateSyntaxError):
        Template("{% load translations %}" + block).render(Context({"n": "x"}))
    settings.USE_THOUSAND_SEPARATOR = True
    grouped = "{% blocktranslate with n=n %}No. {{ n }}{% endblocktranslate %}"
    ours = Template("{% load translations %}" + grouped)
    assert ours.render(Context({"n": 12345})) == "No. 12,345"
