"""Hostile text — markup, quotes, right-to-left marks, very long strings, NUL bytes — goes
through the importer, the admin and every page: escaped everywhere, refused with a message
where the database cannot store it, and never a server error."""

import string
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prisoners.models import Detainee, Mention
from signatories.importing import import_declarations
from signatories.models import Declaration, Signatory, Signature
from signatories.parsing import ParsedDeclaration, ParseError, parse_declaration

from .factories import make_detainee, make_mention
from .test_leaks import crawl

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
LONG = "Ж" * 10_000

HOSTILE_TEXT = f"""Written declaration No. 4242 | Doc. 15555 | 12 March 2021

{SCRIPT} "Quoted" & 'single' {RTL}reversed title

Signatories: Ms {SCRIPT} O'HOSTILE-ÆSIR, France, SOC ; Mr "Dan{RTL}" <b>BOLD</b> QUOTÉ, Italy, ALDE

This written declaration commits only those who have signed it.

{SCRIPT} names "Hostile Prisoner" and {RTL}mirrored words. {LONG}
"""

MODELS = (Declaration, Signatory, Signature, Detainee, Mention)


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


# The parser: any text at all either reads or raises its own error.

HEADER = st.builds(
    "Written declaration No. {} | Doc. {} | {} {} {}".format,
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(["14983", "13774 rev 2", "", "x", "1 add 3 corr"]),
    st.integers(min_value=-1, max_value=99),
    st.sampled_from(["October", "février", "Smarch", ""]),
    st.integers(min_value=0, max_value=99999),
)
ITEM = st.builds(
    "{} {} {}, {}, {}".format,
    st.sampled_from(["Mr", "Ms", "Lord", "", "Dr."]),
    st.text(max_size=20),
    st.text(alphabet=string.ascii_uppercase + "'- ÅÆ", max_size=15),
    st.sampled_from(["France", "Ruritania", "", "République de Moldova"]),
    st.sampled_from(["SOC", "EPP/CD", "", "XYZ"]),
)
DECLARATION_LIKE = st.builds(
    "\n\n".join,
    st.lists(
        st.one_of(
            HEADER,
            st.text(max_size=60),
            st.builds(lambda items: "Signatories: " + " ; ".join(items), st.lists(ITEM)),
            st.just("This written declaration commits only those who have signed it."),
            st.just("See related documents"),
        ),
        max_size=6,
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), DECLARATION_LIKE))
def test_the_parser_reads_any_text_or_raises_its_own_error(text):
    try:
        result = parse_declaration(text)
    except ParseError as error:
        assert error.problems
    else:
        assert isinstance(result, ParsedDeclaration)


def test_the_parser_reads_hostile_names_and_text_as_they_are():
    parsed = parse_declaration(HOSTILE_TEXT)
    assert parsed.title.startswith(SCRIPT)
    names = [f"{s.given_name} {s.family_name}" for s in parsed.signatories]
    assert names == [f"{SCRIPT} O'HOSTILE-ÆSIR", f'"Dan{RTL}" <b>BOLD</b> QUOTÉ']
    assert LONG in parsed.text


def test_a_nul_byte_in_an_import_is_refused_with_a_message(db):
    before = row_counts()
    with pytest.raises(ParseError) as error:
        import_declarations([parse_declaration(HOSTILE_TEXT.replace("QUOTÉ", "QUO\x00TÉ"))])
    assert "NUL character" in str(error.value)
    assert row_counts() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters=";,\n\r"), max_size=30),
        min_size=1,
        max_size=5,
    )
)
def test_a_failed_import_leaves_no_row_behind(db, names):
    """Hostile names come first in the list; the last item names a group that does not exist."""
    items = [f"Ms {name} HOSTILE{index}, France, SOC" for index, name in enumerate(names)]
    items.append("Mr Last ITEM, Italy, NOSUCHGROUP")
    text = f"Written declaration No. 4343 | Doc. 15556 | 1 May 2021\n\nTitle\n\n{' ; '.join(items)}"
    before = row_counts()
    with pytest.raises(ParseError):
        import_declarations([parse_declaration(text)], publish=True)
    assert row_counts() == before


# Pages, feeds, the API and the admin: escaped everywhere, never a 500.


@pytest.fixture
def hostile(demo):
    [report] = import_declarations([parse_declaration(HOSTILE_TEXT)], publish=True)
    declaration = report.declaration
    detainee = make_detainee(
        name=f'{SCRIPT} "Hostile" Prisoner{RTL}\'',
        other_names=f"<img src=x onerror=alert(1)>\n{RTL}Alias",
        charges=SCRIPT,
        summary=LONG,
        country="KZ",
    )
    make_mention(declaration, detainee, name_as_written=SCRIPT)
    return declaration


def is_markup(url, body):
    """HTML or XML, where markup must be escaped (CSV and JSON carry the text as data)."""
    parts = urlsplit(url)
    data = parts.path.endswith((".csv", ".json")) or "format=json" in parts.query
    return not data and not body.lstrip().startswith(("{", "["))


def test_every_public_page_escapes_hostile_text_and_answers_without_error(client, hostile):
    visited = crawl(
        client,
        [
            "/",
            "/sitemap.xml",
            "/feeds/declarations/",
            "/feeds/detainees/",
            "/api/",
            "/api/popolo.json",
            "/declarations.csv",
            "/signatories.csv",
            "/detainees.csv",
            "/declarations/4242/signatures.csv",
            "/api/declarations/?format=api",
            "/api/detainees/?format=api",
            f"/search/?q={SCRIPT}",
            f"/signatories/?q={SCRIPT}",
            f"/detainees/?q={SCRIPT}",
        ],
    )
    assert not [url for url, (status, _) in visited.items() if status >= 500]
    unescaped = [
        url for url, (_, body) in visited.items() if is_markup(url, body) and SCRIPT in body
    ]
    assert unescaped == []
    assert ESCAPED_SCRIPT in visited["/declarations/4242/"][1]
    hostile_pages = [url for url, (_, body) in visited.items() if ESCAPED_SCRIPT in body]
    assert len(hostile_pages) > 10


@pytest.mark.parametrize(
    "query",
    [SCRIPT, "a\x00b", "\x00", LONG, f"{RTL}'\"", "%", "_", "\\"],
    ids=["script", "nul-inside", "nul", "long", "rtl-quotes", "percent", "underscore", "backslash"],
)
@pytest.mark.parametrize(
    "path",
    [
        "/search/",
        "/declarations/",
        "/signatories/",
        "/detainees/",
        "/signatories.csv",
        "/api/signatories/",
        "/api/detainees/",
        "/api/declarations/",
    ],
)
def test_hostile_searches_never_cause_a_server_error(client, db, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert SCRIPT not in response.content.decode()


def test_the_admin_escapes_hostile_records(admin_client, hostile):
    detainee = Detainee.objects.get(charges=SCRIPT)
    signatory = Signatory.objects.get(given_name=SCRIPT)
    for url in [
        "/admin/signatories/declaration/",
        f"/admin/signatories/declaration/{hostile.pk}/change/",
        "/admin/signatories/signatory/",
        f"/admin/signatories/signatory/{signatory.pk}/change/",
        "/admin/prisoners/detainee/",
        f"/admin/prisoners/detainee/{detainee.pk}/change/",
        "/admin/prisoners/mention/",
        "/admin/signatories/signature/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert SCRIPT not in page, url
        assert "&lt;script&gt;" in page, url
    history = admin_client.get(f"/admin/signatories/declaration/{hostile.pk}/history/")
    assert history.status_code == 200
    assert SCRIPT not in history.content.decode()


def test_the_admin_refuses_a_nul_byte_with_a_form_error(admin_client, db):
    response = admin_client.post(
        "/admin/prisoners/detainee/add/", {"name": "Nul\x00Name", "status": "detained"}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Detainee.objects.exists()


def test_the_admin_importer_refuses_a_nul_byte_with_a_form_error(admin_client, db):
    response = admin_client.post(
        "/admin/signatories/declaration/import/", {"text": HOSTILE_TEXT.replace("Quoted", "\x00")}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_admin_importer_previews_hostile_text_escaped(admin_client, db):
    response = admin_client.post("/admin/signatories/declaration/import/", {"text": HOSTILE_TEXT})
    assert response.status_code == 200
    page = response.content.decode()
    assert SCRIPT not in page
    assert ESCAPED_SCRIPT in page
