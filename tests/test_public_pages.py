"""The public pages of declarations, groups and countries, the home page and the error pages."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.template.loader import render_to_string
from django.urls import reverse

from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

DECLARATIONS = reverse("signatories:declaration_list")


def text_of(response):
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def draft(demo):
    """A draft declaration signed by GATTOLIN (who also signed 695) and by DRAFTONLY, who signed
    nothing else, naming a published detainee."""
    declaration = make_declaration(
        number=900, status="draft", title="Unpublished concerns", date=datetime.date(2024, 5, 1)
    )
    make_signature(declaration, demo.signatures.get(position=1).signatory)
    make_signature(declaration, make_signatory(family_name="DRAFTONLY", country="MT"))
    make_mention(declaration, demo.mentions.first().detainee)
    return declaration


@pytest.fixture
def curator(db):
    user = User.objects.create_user("curator", password="unused-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_declaration"))
    return user


# Home


def test_home_shows_the_counts_and_the_latest_declarations(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["totals"] == {
        "declarations": 1,
        "signatories": 25,
        "countries": 11,
        "groups": 5,
        "detainees": 9,
    }
    assert [row.number for row in response.context["latest"]] == [demo.number]
    text = text_of(response)
    assert "25 signatories" in text
    assert "11 countries" in text
    assert "9 named detainees" in text
    assert demo.title in text
    assert 'action="/search/"' in response.content.decode()


def test_home_leaves_drafts_out_of_the_counts_and_the_list(client, draft):
    response = client.get("/")
    assert response.context["totals"] == {
        "declarations": 1,
        "signatories": 25,
        "countries": 11,
        "groups": 5,
        "detainees": 9,
    }
    assert draft.title not in response.content.decode()


# Declaration list


def test_declaration_list_shows_newest_first_with_signature_counts(client, demo):
    older = make_declaration(number=650, date=datetime.date(2018, 6, 1), title="Older")
    make_signature(older, make_signatory(family_name="ONLYONE"))
    response = client.get(DECLARATIONS)
    rows = list(response.context["object_list"])
    assert [row.number for row in rows] == [demo.number, older.number]
    assert [row.signature_count for row in rows] == [25, 1]
    text = text_of(response)
    assert "695 4 October 2019 The international community must respond" in text
    assert "2 declarations match" in text


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("?year=2019", [695]),
        ("?year=2018", [650]),
        ("?group=uel", [695]),
        ("?group=ec-da", [650]),
        ("?country=it", [695]),
        ("?country=MT", [650]),
        ("?q=kazakhstan", [695]),
        ("?q=650", [650]),
        ("?q=14983", [695]),
        ("?country=it&year=2018", []),
    ],
)
def test_declaration_list_filters(client, demo, query, numbers):
    older = make_declaration(number=650, date=datetime.date(2018, 6, 1), title="Older")
    make_signature(older, make_signatory(country="MT", political_group=group("EC/DA")))
    response = client.get(DECLARATIONS + query)
    assert [row.number for row in response.context["object_list"]] == numbers


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=abc", "Select a valid choice. abc is not one of the available choices."),
        ("?country=ZZ", "Select a valid choice. ZZ is not one of the available choices."),
        ("?group=nope", "Select a valid choice. nope is not one of the available choices."),
    ],
)
def test_declaration_list_shows_the_error_of_a_bad_filter_and_no_rows(client, demo, query, message):
    response = client.get(DECLARATIONS + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["object_list"]) == []
    assert "0 declarations match" in text_of(response)


def test_declaration_list_page_past_the_end_shows_the_last_page(client, demo):
    response = client.get(DECLARATIONS + "?page=999")
    assert response.status_code == 200
    assert [row.number for row in response.context["object_list"]] == [demo.number]


def test_declaration_list_hides_drafts(client, draft):
    response = client.get(DECLARATIONS)
    assert draft.number not in [row.number for row in response.context["object_list"]]
    assert draft.title not in response.content.decode()
    # Not even through its year or the country of its only-draft signatory.
    assert len(client.get(DECLARATIONS + "?year=2024").context["object_list"]) == 0
    assert "Select a valid choice" in client.get(DECLARATIONS + "?country=mt").content.decode()


# Declaration page


def test_declaration_page_shows_header_disclaimer_and_text(client, demo):
    response = client.get("/declarations/695/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Written declaration No. 695" in text
    assert "Doc. 14983" in text
    assert "4 October 2019" in text
    assert demo.title in text
    assert "This written declaration commits only those who have signed it." in text
    assert "It is not a position of the Parliamentary Assembly" in text
    assert "We, the undersigned, declare the following:" in text
    assert response.content.decode().count("<p>") >= 5  # the text keeps its paragraphs


def test_declaration_page_links_the_source_when_it_is_known(client, demo):
    demo.source_url = ""
    demo.save()
    assert "at its source" not in client.get("/declarations/695/").content.decode()
    demo.source_url = "https://pace.coe.int/en/files/28202"
    demo.save()
    html = client.get("/declarations/695/").content.decode()
    assert '<a href="https://pace.coe.int/en/files/28202" rel="external">' in html


def test_declaration_page_lists_the_signatures_in_order_as_of_signing(client, demo):
    response = client.get("/declarations/695/")
    signatures = response.context["signatures"]
    assert len(signatures) == 25
    assert [s.position for s in signatures] == list(range(1, 26))
    first = signatures[0]
    assert (
        first.signatory.family_name,
        first.country.name,
        first.political_group.abbreviation,
    ) == (
        "GATTOLIN",
        "France",
        "ALDE",
    )
    assert response.context["author"] == first
    html = response.content.decode()
    names = re.findall(r'<th scope="row"><a href="/signatories/[^"]+/">([^<]+)</a>', html)
    assert names[:3] == ["André GATTOLIN", "Boriana ÅBERG", "Thorhildur Sunna ÆVARSDÓTTIR"]
    assert len(names) == 25
    assert re.search(r"André GATTOLIN</a> <span class=\"tag\">author</span></th>\s*"
                     r"<td>France</td>\s*<td><abbr [^>]*>ALDE</abbr>", html)  # fmt: skip


def test_declaration_page_keeps_the_group_as_of_signing_after_a_change(client, demo):
    maire = demo.signatures.get(signatory__family_name="MAIRE").signatory
    later = make_declaration(number=720, date=datetime.date(2021, 1, 1))
    make_signature(later, maire, political_group=group("EPP/CD"))
    maire.refresh_affiliation()
    assert maire.political_group.abbreviation == "EPP/CD"
    signatures = client.get("/declarations/695/").context["signatures"]
    [signature] = [s for s in signatures if s.signatory.pk == maire.pk]
    assert signature.political_group.abbreviation == "ALDE"


def test_declaration_page_counts_signatures_by_group_and_country(client, demo):
    response = client.get("/declarations/695/")
    by_group = {group.abbreviation: count for group, count in response.context["by_group"]}
    by_country = {country.code: count for country, count in response.context["by_country"]}
    assert by_group == {"SOC": 12, "UEL": 4, "ALDE": 3, "EPP/CD": 3, "NR": 3}
    assert by_country["IT"] == 5
    assert by_country["GB"] == 4
    assert sum(by_country.values()) == 25
    assert len(by_country) == 11


def test_declaration_page_links_the_published_detainees_it_names(client, demo):
    hidden = make_detainee(name="Not Yet Checked", is_published=False)
    make_mention(demo, hidden)
    response = client.get("/declarations/695/")
    html = response.content.decode()
    links = re.findall(r'<a href="/detainees/([^"]+)/">([^<]+)</a>', html)
    assert len(links) == 9
    assert ("maks-bokayev", "Maks Bokayev") in links
    assert "Not Yet Checked" not in html


def test_declaration_page_shows_the_spelling_the_declaration_uses(client, demo):
    mention = demo.mentions.get(detainee__name="Maks Bokayev")
    mention.name_as_written = "Max Bokayev"
    mention.save()
    html = client.get("/declarations/695/").content.decode()
    assert '<a href="/detainees/maks-bokayev/">Max Bokayev</a>' in html
    assert "recorded as Maks Bokayev" in html


def test_unknown_declaration_is_404(client, demo):
    assert client.get("/declarations/1/").status_code == 404


# Drafts


def test_draft_declaration_is_404_to_visitors(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_declaration_is_404_to_staff_without_the_change_permission(client, draft):
    client.force_login(User.objects.create_user("reader", password="unused", is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_who_may_change_declarations_preview_drafts_with_a_banner(client, draft, curator):
    client.force_login(curator)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "<strong>Draft</strong>" in response.content.decode()
    assert "Unpublished concerns" in response.content.decode()
    published = client.get("/declarations/695/")
    assert "<strong>Draft</strong>" not in published.content.decode()


def test_staff_lists_still_hide_drafts(client, draft, curator):
    client.force_login(curator)
    assert draft.title not in client.get(DECLARATIONS).content.decode()


def test_signatories_of_drafts_only_are_hidden_everywhere(client, draft):
    only_draft = draft.signatures.get(signatory__family_name="DRAFTONLY").signatory
    assert client.get(only_draft.get_absolute_url()).status_code == 404
    for url in ["/", "/signatories/", "/countries/", "/groups/soc/", "/search/?q=draftonly"]:
        assert "DRAFTONLY" not in client.get(url).content.decode(), url
    assert client.get("/countries/mt/").status_code == 404


def test_draft_signatures_are_not_counted(client, draft):
    groups = {g.abbreviation: g for g in client.get("/groups/").context["groups"]}
    assert (groups["ALDE"].signatory_count, groups["ALDE"].signature_count) == (3, 3)
    assert (groups["SOC"].signature_count, groups["SOC"].member_count) == (12, 12)
    countries = {row["country"].code: row for row in client.get("/countries/").context["countries"]}
    assert countries["FR"]["signatures"] == 2
    assert "MT" not in countries


# Groups


def test_group_list_counts_signatories_and_signatures_per_group(client, demo):
    response = client.get("/groups/")
    assert response.status_code == 200
    groups = {g.abbreviation: g for g in response.context["groups"]}
    assert (groups["SOC"].signatory_count, groups["SOC"].signature_count) == (12, 12)
    assert (groups["UEL"].signatory_count, groups["UEL"].signature_count) == (4, 4)
    assert groups["EDG"].signature_count == 0
    assert [g.abbreviation for g in groups["EC"].rename_chain] == ["EDG", "EC", "EC/DA"]


def test_group_list_shows_the_rename_chains(client, demo):
    text = text_of(client.get("/groups/"))
    assert "EDG (until 2014) EC (2014–2020) EC/DA (since 2020)" in text
    assert "LDR ALDE" in text


def test_group_page_shows_the_rename_chain(client, demo):
    response = client.get("/groups/ec-da/")
    assert response.status_code == 200
    assert [g.abbreviation for g in response.context["rename_chain"]] == ["EDG", "EC", "EC/DA"]
    html = response.content.decode()
    chain = re.search(r'<ol class="rename-chain".*?</ol>', html, re.DOTALL).group(0)
    assert '<a href="/groups/edg/">EDG</a>' in chain
    assert '<a href="/groups/ec/">EC</a>' in chain
    assert '<strong aria-current="true">EC/DA</strong>' in chain


def test_group_page_lists_members_who_signed_and_their_declarations(client, demo):
    response = client.get("/groups/uel/")
    names = {s.family_name for s in response.context["signatories"]}
    assert names == {"GAVAN", "HUNKO", "JALLOW", "PRINGLE"}
    [declaration] = response.context["declarations"]
    assert (declaration.number, declaration.group_signature_count) == (695, 4)
    assert "4 of 25" in text_of(response)


def test_group_page_counts_signatures_given_as_the_group(client, demo):
    maire = demo.signatures.get(signatory__family_name="MAIRE").signatory
    later = make_declaration(number=720, date=datetime.date(2021, 1, 1))
    make_signature(later, maire, political_group=group("EPP/CD"))
    maire.refresh_affiliation()
    alde = client.get("/groups/alde/")
    assert "MAIRE" in {s.family_name for s in alde.context["signatories"]}
    epp = client.get("/groups/epp-cd/")
    [row] = [s for s in epp.context["signatories"] if s.family_name == "MAIRE"]
    assert row.signed_as_group == 1
    assert [d.number for d in epp.context["declarations"]] == [720, 695]


@pytest.fixture
def busy_delegation(db):
    """52 Maltese UEL members: one signed 52 published declarations, the others one each, and
    a draft that all of them signed."""
    uel = group("UEL")
    members = [
        make_signatory(family_name=f"MEMBER{index:02}", country="MT", political_group=uel)
        for index in range(52)
    ]
    for index, member in enumerate(members):
        declaration = make_declaration(number=900 + index, date=datetime.date(1970 + index, 1, 1))
        make_signature(declaration, members[0] if index else member)
        if index:
            make_signature(declaration, member)
    draft = make_declaration(number=999, status="draft", date=datetime.date(2030, 1, 1))
    for member in members:
        make_signature(draft, member)
    return members


@pytest.mark.parametrize(
    "url, signatories, declarations",
    [
        ("/groups/uel/", "/signatories/?group=uel", "/declarations/?group=uel"),
        ("/countries/mt/", "/signatories/?country=mt", "/declarations/?country=mt"),
    ],
)
def test_group_and_delegation_pages_show_the_first_50_rows_and_link_to_the_rest(
    client, busy_delegation, url, signatories, declarations
):
    response = client.get(url)
    listed = list(response.context["signatories"])
    assert len(listed) == 50
    # The member who signed every declaration comes first.
    assert (listed[0].family_name, listed[0].declaration_count) == ("MEMBER00", 52)
    assert [d.number for d in response.context["declarations"]][:1] == [951]
    assert len(response.context["declarations"]) == 50
    assert 999 not in [d.number for d in response.context["declarations"]]
    text = text_of(response)
    assert text.count("The first 50 of 52.") == 2
    html = response.content.decode()
    assert f'href="{signatories}"' in html
    assert f'href="{declarations}"' in html


def test_group_page_lists_every_row_when_there_are_few(client, demo):
    response = client.get("/groups/soc/")
    assert "The first" not in text_of(response)


def test_unknown_group_is_404(client, demo):
    assert client.get("/groups/nope/").status_code == 404


# Countries


def test_country_list_shows_countries_with_signatories_and_their_counts(client, demo):
    response = client.get("/countries/")
    rows = response.context["countries"]
    assert len(rows) == 11
    italy = next(row for row in rows if row["country"].code == "IT")
    assert (italy["signatories"], italy["declarations"], italy["signatures"]) == (5, 1, 5)
    assert [row["country"].name for row in rows] == sorted(row["country"].name for row in rows)
    assert '<a href="/countries/it/">Italy</a>' in response.content.decode()


def test_country_page_lists_the_delegation(client, demo):
    response = client.get("/countries/it/")
    assert response.status_code == 200
    assert {s.family_name for s in response.context["signatories"]} == {
        "BERLINGHIERI",
        "BUCCARELLA",
        "MANIERO",
        "MARILOTTI",
        "RAMPI",
    }
    [declaration] = response.context["declarations"]
    assert declaration.delegation_count == 5
    text = text_of(response)
    assert "Italy" in text
    assert "Roberto RAMPI" in text
    assert "5 of 25" in text


def test_country_code_in_upper_case_redirects_to_lower_case(client, demo):
    response = client.get("/countries/IT/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/it/"


@pytest.mark.parametrize("code", ["zz", "xyz", "de-", "mt"])
def test_unknown_country_or_one_without_signatories_is_404(client, demo, code):
    assert client.get(f"/countries/{code}/").status_code == 404


# Error pages


def test_404_page_has_the_site_look(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Declaration Watch" in html
    assert '<nav class="site-nav"' in html
    assert 'href="/signatories/"' in html
    assert "commits only those who have signed it" in html


def test_500_page_renders_without_a_request_or_the_database():
    # No `db` fixture: any query would fail the test.
    html = render_to_string("500.html")
    assert "Declaration Watch" in html
    assert 'lang="en"' in html


def test_pages_have_a_title_a_skip_link_and_navigation(client, demo):
    html = client.get("/declarations/").content.decode()
    assert '<html lang="en">' in html
    assert "<title>Declarations · Declaration Watch</title>" in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<a href="/declarations/" aria-current="page">Declarations</a>' in html
    detail = client.get("/declarations/695/").content.decode()
    assert '<a href="/declarations/" aria-current="true">Declarations</a>' in detail


def test_a_server_error_shows_the_500_page(client, monkeypatch, demo):
    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("declaration_site.views.HomeView.get_context_data", fail)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
