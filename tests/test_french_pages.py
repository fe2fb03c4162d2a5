"""The public site in French, under /fr/: the interface, dates, groups, countries and statuses
in French, each declaration's title and text in French where recorded (else in English, marked
as such), and the same record in the API, the downloads and the feeds."""

import csv
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from .factories import make_declaration, make_signatory, make_signature

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A French request leaves French active in the test's thread; later tests expect none."""
    yield
    translation.deactivate()


ATOM = "{http://www.w3.org/2005/Atom}"


def text_of(response):
    """The page's text without tags, spaces (non-breaking ones too) collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.fixture
def french_only(demo):
    """Written declaration No. 700, recorded from its French text only."""
    declaration = make_declaration(
        number=700,
        title="",
        title_fr="Libérez les journalistes détenus en Azerbaïdjan",
        text="",
        text_fr="Nous, soussignés, demandons la libération des journalistes.",
    )
    make_signature(declaration, demo.signatures.get(position=1).signatory)
    return declaration


@pytest.fixture
def ungrouped(demo):
    """Written declaration No. 600, whose one signature PACE printed without a group."""
    declaration = make_declaration(number=600, title="A 2010 appeal")
    signature = make_signature(declaration, make_signatory(family_name="NOGROUP", country="MT"))
    signature.political_group = None
    signature.save()
    return declaration


# The declaration page


def test_french_declaration_page_has_the_french_interface(client, demo):
    response = page(client, "/fr/declarations/695/")
    html = response.content.decode()
    text = text_of(response)
    assert '<html lang="fr">' in html
    assert "Déclaration écrite n° 695" in text
    assert "Cette déclaration écrite n’engage que ses signataires." in text
    assert "Signatures par groupe politique" in text
    assert "Télécharger les signatures (CSV)" in text
    assert "This written declaration commits only those who have signed it." not in text
    assert "Signatures by political group" not in text


def test_french_declaration_page_prints_the_date_as_pace_does(client, demo):
    html = page(client, "/fr/declarations/695/").content.decode()
    assert "<dt>Date</dt><dd>4 octobre 2019</dd>" in html


def test_french_declaration_page_shows_french_group_abbreviations(client, demo):
    response = page(client, "/fr/declarations/695/")
    html = response.content.decode()
    # GATTOLIN signed as ALDE, ÅBERG as EPP/CD: in French, ADLE and PPE/DC.
    assert (
        '<abbr title="Alliance des démocrates et des libéraux pour l&#x27;Europe">ADLE</abbr>'
        in (html)
    )
    assert ">PPE/DC</abbr>" in html
    assert ">EPP/CD<" not in html
    by_group = dict(
        re.findall(r'<a href="/fr/groups/([-a-z]+)/">([^<]+)</a></th><td class="num">', html)
    )
    assert by_group == {
        "soc": "SOC",
        "epp-cd": "PPE/DC",
        "alde": "ADLE",
        "uel": "GUE",
        "nr": "NI",
    }


def test_french_declaration_page_shows_french_country_names(client, demo):
    text = text_of(page(client, "/fr/declarations/695/"))
    for name in ["Suède", "Allemagne", "Islande", "Royaume-Uni", "République tchèque"]:
        assert name in text, name
    assert "Sweden" not in text
    assert "Czech Republic" not in text


def test_a_declaration_without_french_text_shows_the_english_one_marked_as_english(client, demo):
    html = page(client, "/fr/declarations/695/").content.decode()
    assert f'<h1 lang="en">{demo.title}</h1>' in html
    assert f"<title>Déclaration écrite n° 695 : {demo.title} · Declaration Watch</title>" in (
        html.replace("\u00a0", " ")
    )
    assert "Le texte français n’est pas encore enregistré ; voici le texte anglais." in (
        html.replace("\u00a0", " ")
    )
    assert '<div lang="en"><p>We, the undersigned' in html


def test_the_french_title_and_text_show_on_the_french_page(client, demo):
    demo.title_fr = "La communauté internationale doit réagir aux arrestations au Kazakhstan"
    demo.text_fr = "Nous, soussignés, déclarons ce qui suit."
    demo.save()
    html = page(client, "/fr/declarations/695/").content.decode()
    assert f"<h1>{demo.title_fr}</h1>" in html
    assert "Nous, soussignés, déclarons ce qui suit." in html
    assert "We, the undersigned" not in html
    assert 'lang="en"><p>' not in html
    english = page(client, "/declarations/695/").content.decode()
    assert f"<h1>{demo.title}</h1>" in english
    assert demo.title_fr not in english


def test_the_english_page_is_unchanged_at_its_address(client, demo):
    response = page(client, "/declarations/695/")
    html = response.content.decode()
    text = text_of(response)
    assert '<html lang="en">' in html
    assert "Written declaration No. 695" in text
    assert "4 October 2019" in text
    assert ">ALDE</abbr>" in html
    assert "Sweden" in text
    assert "Déclaration écrite" not in text


def test_a_french_only_declaration_shows_its_french_title_on_english_pages(client, french_only):
    title = french_only.title_fr
    marked = f'<span lang="fr">{title}</span>'
    for url in ["/", "/declarations/", "/search/?q=journalistes", "/signatories/andre-gattolin/"]:
        html = page(client, url).content.decode()
        assert marked in html, url
    detail = page(client, "/declarations/700/").content.decode()
    assert f'<h1 lang="fr">{title}</h1>' in detail
    assert f"<title>Written declaration No. 700: {title} · Declaration Watch</title>" in detail
    assert '<div lang="fr"><p>Nous, soussignés' in detail
    # On French pages it is in the page's language: no mark.
    french = page(client, "/fr/declarations/").content.decode()
    assert f"{title}</a>" in french
    assert marked not in french


def test_french_lists_use_the_french_interface(client, demo):
    cases = {
        "/fr/": ["25 signataires", "11 pays", "5 groupes politiques", "9 détenus cités"],
        "/fr/declarations/": ["1 déclaration correspond", "4 octobre 2019"],
        "/fr/signatories/": ["25 signataires correspondent", "Groupe politique"],
        "/fr/groups/": ["Groupes politiques", "Groupe des socialistes, démocrates et verts"],
        "/fr/countries/": ["Délégations, par nom", "Suède"],
        "/fr/detainees/": ["Pays de détention", "9 détenus correspondent"],
        "/fr/search/?q=kazakhstan": ["Résultats pour « kazakhstan »"],
    }
    for url, expected in cases.items():
        text = text_of(page(client, url))
        for words in expected:
            assert words in text, (url, words)


def test_french_filters_offer_french_names(client, demo):
    html = page(client, "/fr/signatories/").content.decode()
    assert '<span class="facet__label">Suède</span>' in html
    assert '<span class="facet__label">PPE/DC</span>' in html
    # The English page, asked right after, keeps its own names (the choices are kept per
    # language until the next change).
    english = page(client, "/signatories/").content.decode()
    assert '<span class="facet__label">Sweden</span>' in english
    assert '<span class="facet__label">EPP/CD</span>' in english
    filtered = page(client, "/fr/declarations/?group=epp-cd")
    assert [row.number for row in filtered.context["object_list"]] == [695]
    checked = re.search(
        r'<input type="checkbox" name="group" value="epp-cd"[^>]*checked[^>]*>',
        filtered.content.decode(),
    )
    assert checked is not None
    assert [
        str(label)
        for value, label in filtered.context["filter"].form.fields["group"].choices
        if value == "epp-cd"
    ] == ["PPE/DC"]


def test_french_group_page_shows_the_french_name_and_the_english_one_marked(client, demo):
    html = page(client, "/fr/groups/ec-da/").content.decode()
    assert "CE/AD" in html
    assert "Groupe des conservateurs européens et Alliance démocratique" in html
    assert '<dd lang="en">EC/DA — European Conservatives Group and Democratic Alliance</dd>' in html
    # The rename chain in French: GDE, CE, CE/AD.
    chain = re.search(r'<ol class="rename-chain".*?</ol>', html, re.DOTALL).group()
    assert [a for a in re.findall(r">([A-Z/]+)</", chain)] == ["GDE", "CE", "CE/AD"]


def test_french_detainee_pages_translate_statuses_and_dates(client, demo):
    detainee = demo.mentions.get(detainee__name="Maks Bokayev").detainee
    detainee.status = "sentenced"
    detainee.detained_on = "2016-05-17"
    detainee.save()
    text = text_of(page(client, f"/fr/detainees/{detainee.slug}/"))
    assert "Condamné" in text
    assert "17 mai 2016" in text
    assert "Déclarations qui citent cette personne" in text
    assert "Kazakhstan" in text
    listing = text_of(page(client, "/fr/detainees/?status=sentenced"))
    assert "Condamné" in listing


def test_pace_country_names_have_their_french_forms(client, demo):
    signatory = make_signatory(family_name="POPA", country="MD")
    make_signature(demo, signatory)
    for code, french in [
        ("md", "République de Moldova"),
        ("cz", "République tchèque"),
        ("gb", "Royaume-Uni"),
    ]:
        assert f"<h1>{french}</h1>" in page(client, f"/fr/countries/{code}/").content.decode()
    assert "<h1>Republic of Moldova</h1>" in page(client, "/countries/md/").content.decode()


# A signature printed without a group


def test_a_signature_without_a_group_says_so_on_the_declaration_page(client, ungrouped):
    html = page(client, "/declarations/600/").content.decode()
    assert '<td><span class="no-group">no group printed</span></td>' in html
    assert '<th scope="row"><span class="no-group">no group printed</span></th>' in html
    french = page(client, "/fr/declarations/600/").content.decode()
    assert '<td><span class="no-group">aucun groupe indiqué</span></td>' in french


def test_a_signature_without_a_group_says_so_on_the_signatory_page(client, ungrouped):
    signatory = ungrouped.signatures.get().signatory
    text = text_of(page(client, f"/signatories/{signatory.slug}/"))
    assert "Malta, no group printed" in text
    assert "Malte, aucun groupe indiqué" in text_of(
        page(client, f"/fr/signatories/{signatory.slug}/")
    )


def test_a_signature_without_a_group_is_an_empty_cell_and_null_in_the_data(client, ungrouped):
    response = client.get("/declarations/600/signatures.csv")
    [row] = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert (row["family_name"], row["political_group"]) == ("NOGROUP", "")
    data = json.loads(client.get("/api/declarations/600/").content)
    assert data["signatures"][0]["group"] is None
    signatory = ungrouped.signatures.get().signatory
    record = json.loads(client.get(f"/api/signatories/{signatory.slug}/").content)
    assert record["signatures"][0]["group"] is None
    popolo = json.loads(client.get("/api/popolo.json").getvalue())
    [motion] = [m for m in popolo["motions"] if m["id"] == "motion/600"]
    assert motion["signatures"] == [
        {"position": 1, "person_id": f"person/{signatory.slug}", "area": "MT"}
    ]
    assert not any("None" in m["id"] for m in popolo["memberships"])


# Data: the French title beside the English one


def test_the_api_carries_the_french_title(client, french_only):
    listing = json.loads(client.get("/api/declarations/").content)["results"]
    row = next(row for row in listing if row["number"] == 700)
    assert (row["title"], row["title_fr"]) == ("", french_only.title_fr)
    detail = json.loads(client.get("/api/declarations/700/").content)
    assert detail["text_fr"] == french_only.text_fr
    demo_row = next(row for row in listing if row["number"] == 695)
    assert demo_row["title"].startswith("The international community must respond")
    assert demo_row["title_fr"] == ""


def test_the_csv_carries_the_french_title(client, french_only):
    response = client.get("/declarations.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_number = {row["number"]: row for row in rows}
    assert (by_number["700"]["title"], by_number["700"]["title_fr"]) == ("", french_only.title_fr)
    assert by_number["695"]["date"] == "2019-10-04"


def test_popolo_motions_carry_both_titles(client, french_only, demo):
    demo.title_fr = "La communauté internationale doit réagir"
    demo.save()
    motions = {m["id"]: m for m in json.loads(client.get("/api/popolo.json").getvalue())["motions"]}
    assert motions["motion/695"]["text"] == demo.title
    assert motions["motion/695"]["titles"] == [
        {"text": demo.title, "language": "en"},
        {"text": demo.title_fr, "language": "fr"},
    ]
    assert motions["motion/700"]["text"] == french_only.title_fr
    assert motions["motion/700"]["titles"] == [{"text": french_only.title_fr, "language": "fr"}]


# Feeds


def test_the_french_feed_is_in_french(client, demo, french_only):
    response = page(client, "/fr/feeds/declarations/")
    feed = ElementTree.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}
    assert f"Déclaration écrite n° 700\u00a0: {french_only.title_fr}" in entries
    demo_entry = next(e for t, e in entries.items() if t.startswith("Déclaration écrite n° 695"))
    assert "4 octobre 2019" in demo_entry.findtext(f"{ATOM}summary")
    assert demo_entry.find(f"{ATOM}link").get("href") == "http://testserver/fr/declarations/695/"


def test_the_english_feed_prints_pace_dates_and_french_only_titles(client, demo, french_only):
    feed = ElementTree.fromstring(page(client, "/feeds/declarations/").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert f"Written declaration No. 700: {french_only.title_fr}" in titles
    summaries = [entry.findtext(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]
    assert any(summary.startswith("Doc. 14983, 4 October 2019.") for summary in summaries)


def test_french_pages_run_as_many_queries_as_english_ones(client, demo):
    for url in ["/", "/declarations/", "/signatories/", "/declarations/695/", "/groups/"]:
        client.get(url)  # keep the filter choices of both languages alike
        client.get(f"/fr{url}")
        with CaptureQueriesContext(connection) as english:
            client.get(url)
        with CaptureQueriesContext(connection) as french:
            client.get(f"/fr{url}")
        assert len(french) == len(english), url


def test_french_country_lists_are_in_french_alphabetical_order(client, demo):
    names = [row["country"].name for row in page(client, "/fr/countries/").context["countries"]]
    assert names.index("République de Moldova") < names.index("Royaume-Uni") < names.index("Suède")
    assert names == sorted(names, key=lambda name: name.replace("é", "e"))
    by_country = page(client, "/fr/declarations/695/").context["by_country"]
    tied = [country.name for country, count in by_country if count == 1]
    assert tied == ["Islande", "Lettonie", "République de Moldova", "République tchèque"]


def test_a_detainee_page_title_is_the_name_alone(client, demo):
    html = page(client, "/fr/detainees/maks-bokayev/").content.decode()
    assert "<title>Maks Bokayev · Declaration Watch</title>" in html
