"""The record pages as a visitor reads and follows them: a detainee's dated timeline, the
detainees by family name, an Atom feed per record, a declaration's signatures drawn as bars
with PACE's rule in words, breadcrumbs, and who signed most often with a signatory."""

import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from declaration_site import sample_data
from prisoners.models import Detainee, StatusChange
from prisoners.services import sort_name_of

from .curation import make_source
from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A French request leaves French active in the test's thread; later tests expect none."""
    yield
    translation.deactivate()


def change(detainee, date, status, **fields):
    return StatusChange.objects.create(detainee=detainee, date=date, status=status, **fields)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def timeline_of(html):
    """[(ISO date, kind)] of the items of the page's timeline, in the order shown."""
    timeline = html[html.index('<ol class="timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    items = re.findall(
        r'<li class="timeline__item timeline__item--(\w+)".*?<time datetime="([-0-9]+)">',
        timeline,
        re.DOTALL,
    )
    return [(date, kind) for kind, date in items]


def head_of(html):
    return html.split("</head>")[0]


@pytest.fixture
def zhahin():
    """A published detainee, detained in 2018 and sentenced in 2019, named by a published
    declaration between the two and by a draft one after."""
    detainee = make_detainee(name="Serik Zhahin")
    verdict = make_source(title="Verdict of the district court", url="https://example.org/v")
    change(detainee, datetime.date(2019, 3, 1), "sentenced", note="Seven years").sources.add(
        verdict
    )
    change(detainee, datetime.date(2018, 6, 1), "detained", note="Arrested at home")
    make_mention(
        make_declaration(number=701, date=datetime.date(2018, 10, 4), title="Free Serik"),
        detainee,
        name_as_written="Serik Jahin",
    )
    make_mention(
        make_declaration(
            number=702, date=datetime.date(2019, 5, 1), title="Unfinished appeal", status="draft"
        ),
        detainee,
    )
    return detainee


# A detainee's page


def test_timeline_puts_status_changes_and_declarations_on_one_axis_oldest_first(client, zhahin):
    html = page(client, zhahin.get_absolute_url())
    assert timeline_of(html) == [
        ("2018-06-01", "status"),
        ("2018-10-04", "declaration"),
        ("2019-03-01", "status"),
    ]
    timeline = html[html.index('<ol class="timeline">') :]
    assert timeline.index("Arrested at home") < timeline.index("Free Serik")
    assert timeline.index("Free Serik") < timeline.index("Seven years")
    assert '<a href="/declarations/701/">Written declaration No. 701</a>' in timeline
    assert "named as Serik Jahin" in timeline
    assert "Status change" in timeline and "Declaration" in timeline


def test_timeline_links_the_sources_of_each_status_change(client, zhahin):
    html = page(client, zhahin.get_absolute_url())
    timeline = html[html.index('<ol class="timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert (
        '<a href="https://example.org/v" rel="external">Verdict of the district court</a>'
        in timeline
    )


def test_timeline_never_shows_a_draft_declaration(client, zhahin):
    html = page(client, zhahin.get_absolute_url())
    assert "Unfinished appeal" not in html
    assert "2019-05-01" not in html


def test_current_status_is_dated_by_the_newest_status_change(client, zhahin):
    html = page(client, zhahin.get_absolute_url())
    assert 'Sentenced</span> <span class="muted">as of <time datetime="2019-03-01">' in html
    assert "1 March 2019</time>" in html


def test_a_status_without_status_changes_says_it_is_undated(client):
    detainee = make_detainee(name="Ales Bialiatski", status="detained")
    html = page(client, detainee.get_absolute_url())
    assert "Detained</span>" in html
    assert "as recorded, without a date" in html
    assert "as of <time" not in html


def test_a_detainee_page_runs_as_many_queries_for_many_events_as_for_few(client):
    detainee = make_detainee(name="Serik Zhahin")

    def add_events(start, count):
        for n in range(start, start + count):
            source = make_source(title=f"Report {n}")
            change(detainee, datetime.date(2000 + n, 1, 1), "detained").sources.add(source)
            make_mention(
                make_declaration(number=800 + n, date=datetime.date(2000 + n, 6, 1)), detainee
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            html = page(client, detainee.get_absolute_url())
        return len(queries), len(timeline_of(html))

    add_events(1, 1)
    few, shown_few = count()
    add_events(2, 10)
    many, shown_many = count()
    assert (shown_few, shown_many) == (2, 22)
    assert many == few


# The list of detainees


def test_detainees_are_listed_by_family_name_under_the_name_as_written(client):
    for name in ["Zara Adamova", "Maks Bokayev", "Ales Bialiatski", "Ёлка Ängström"]:
        make_detainee(name=name)
    html = page(client, "/detainees/")
    shown = [html.index(name) for name in ["Zara Adamova", "Ёлка Ängström", "Ales Bialiatski"]]
    shown.append(html.index("Maks Bokayev"))
    assert shown == sorted(shown)


def test_the_sort_name_is_the_last_word_first_folded():
    detainee = make_detainee(name="Maks  Bokayev")
    assert detainee.sort_name == "bokayev maks"
    assert make_detainee(name="Ängström").sort_name == "angstrom"
    detainee.name = "Max Bokaev"
    detainee.save()
    detainee.refresh_from_db()
    assert detainee.sort_name == "bokaev max"


def test_the_migration_fills_the_sort_names_of_rows_already_there():
    detainee = make_detainee(name="Maks Bokayev")
    Detainee.objects.update(sort_name="")
    migration = importlib.import_module("prisoners.migrations.0005_detainee_sort_name")
    migration.fill_sort_names(apps, None)
    detainee.refresh_from_db()
    assert detainee.sort_name == "bokayev maks"


def test_the_sample_data_generator_stores_the_sort_names_save_would(monkeypatch):
    monkeypatch.setattr(sample_data, "DECLARATIONS_PER_SCALE", 20)
    monkeypatch.setattr(sample_data, "SIGNATORIES_PER_SCALE", 60)
    monkeypatch.setattr(sample_data, "DETAINEES_PER_SCALE", 40)
    call_command("generate_sample_data", stdout=io.StringIO())
    detainees = list(Detainee.objects.all())
    assert detainees
    assert all(detainee.sort_name == sort_name_of(detainee) for detainee in detainees)
    assert all(detainee.sort_name for detainee in detainees)


def test_the_list_says_last_known_status_not_that_everyone_is_held(client):
    make_detainee(name="Maks Bokayev", status="released")
    html = page(client, "/detainees/")
    assert "People held in detention" not in html
    assert "People named in published declarations, with their last known status" in html


def test_the_api_lists_detainees_by_family_name(client):
    for name in ["Zara Adamova", "Maks Bokayev", "Ales Bialiatski"]:
        make_detainee(name=name)
    rows = client.get("/api/detainees/").json()
    rows = rows.get("results", rows)
    assert [row["name"] for row in rows] == ["Zara Adamova", "Ales Bialiatski", "Maks Bokayev"]


# Following a record


def entries(response):
    """The titles of the entries of an Atom feed, in order."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    return re.findall(r"<entry><title>(.*?)</title>", body)


def test_a_detainee_feed_gives_status_changes_and_published_declarations_newest_first(
    client, zhahin
):
    titles = entries(client.get(f"/detainees/{zhahin.slug}/feed/"))
    assert titles == [
        "Serik Zhahin: Sentenced",
        "Serik Zhahin named in Written declaration No. 701: Free Serik",
        "Serik Zhahin: Detained",
    ]


def test_every_feed_entry_id_is_absolute_and_the_same_in_both_languages(client, zhahin):
    english = client.get(f"/detainees/{zhahin.slug}/feed/").content.decode()
    french = client.get(f"/fr/detainees/{zhahin.slug}/feed/").content.decode()
    ids = re.findall(r"<entry>.*?<id>(.*?)</id>", english, re.DOTALL)
    assert len(ids) == 3 == len(set(ids))
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry_id) for entry_id in ids)
    assert re.findall(r"<entry>.*?<id>(.*?)</id>", french, re.DOTALL) == ids


def test_the_feed_of_an_unpublished_detainee_is_not_found(client, zhahin):
    hidden = make_detainee(name="Hidden Person", is_published=False)
    make_mention(zhahin.mentions.get(declaration__number=701).declaration, hidden)
    assert client.get(f"/detainees/{hidden.slug}/feed/").status_code == 404
    assert client.get("/detainees/nobody-at-all/feed/").status_code == 404
    assert "Hidden Person" not in client.get(f"/detainees/{zhahin.slug}/feed/").content.decode()


def test_a_signatory_feed_gives_their_published_declarations_only(client):
    author = make_signatory(family_name="GATTOLIN", country="FR")
    make_signature(make_declaration(number=710, title="Free them all"), author)
    make_signature(make_declaration(number=711, title="Secret draft", status="draft"), author)
    response = client.get(f"/signatories/{author.slug}/feed/")
    assert entries(response) == ["Written declaration No. 710: Free them all"]
    assert "Secret draft" not in response.content.decode()
    assert "Signed as a member of the delegation of France, SOC." in response.content.decode()


def test_a_signatory_with_only_drafts_has_no_feed(client):
    drafter = make_signatory(family_name="DRAFTER")
    make_signature(make_declaration(number=712, status="draft"), drafter)
    assert client.get(f"/signatories/{drafter.slug}/feed/").status_code == 404


def test_group_and_country_feeds_give_published_declarations_signed_as_such(client):
    member = make_signatory(family_name="MOVER", country="DE", political_group=group("ALDE"))
    make_signature(
        make_declaration(number=720, title="As socialist", date=datetime.date(2018, 1, 1)),
        member,
        country="AT",
        political_group=group("SOC"),
    )
    make_signature(
        make_declaration(number=721, title="As liberal", date=datetime.date(2019, 1, 1)), member
    )
    make_signature(make_declaration(number=722, title="Draft", status="draft"), member)
    assert entries(client.get("/groups/soc/feed/")) == ["Written declaration No. 720: As socialist"]
    assert entries(client.get("/groups/alde/feed/")) == ["Written declaration No. 721: As liberal"]
    assert entries(client.get("/countries/at/feed/")) == [
        "Written declaration No. 720: As socialist"
    ]
    assert entries(client.get("/countries/de/feed/")) == ["Written declaration No. 721: As liberal"]


def test_feeds_of_records_that_are_not_shown_are_not_found(client):
    drafter = make_signatory(family_name="DRAFTER", country="IT")
    make_signature(make_declaration(number=723, status="draft"), drafter)
    assert client.get("/countries/it/feed/").status_code == 404  # only a draft signature
    assert client.get("/countries/zz/feed/").status_code == 404
    assert client.get("/groups/no-such-group/feed/").status_code == 404


def test_record_feeds_exist_in_french(client, zhahin):
    response = client.get(f"/fr/detainees/{zhahin.slug}/feed/")
    assert response.status_code == 200
    assert 'xml:lang="fr"' in response.content.decode()
    assert client.get("/fr/groups/soc/feed/").status_code == 200


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/detainees/{detainee}/", "/detainees/{detainee}/feed/"),
        ("/signatories/{signatory}/", "/signatories/{signatory}/feed/"),
        ("/groups/soc/", "/groups/soc/feed/"),
        ("/countries/fr/", "/countries/fr/feed/"),
        ("/fr/countries/fr/", "/fr/countries/fr/feed/"),
    ],
)
def test_each_record_page_offers_its_feed_in_its_head_and_in_words(client, zhahin, url, feed):
    signatory = make_signatory(family_name="FOLLOWED", country="FR")
    make_signature(zhahin.mentions.get(declaration__number=701).declaration, signatory)
    names = {"detainee": zhahin.slug, "signatory": signatory.slug}
    html = page(client, url.format(**names))
    feed = feed.format(**names)
    head = head_of(html)
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{feed}">', head
    )
    body = html.split("</head>")[1]
    assert re.search(rf'<a href="{feed}" type="application/atom\+xml">[^<]+</a>', body)
    if not url.startswith("/fr/"):
        assert "Follow (Atom feed)" in body
    assert client.get(feed).status_code == 200


def test_a_preview_of_an_unpublished_detainee_offers_no_feed(admin_client):
    hidden = make_detainee(name="Hidden Person", is_published=False)
    html = page(admin_client, hidden.get_absolute_url())
    assert "Follow (Atom feed)" not in html
    assert f"/detainees/{hidden.slug}/feed/" not in html


# A declaration's page


def test_declaration_page_draws_its_signatures_by_group_and_delegation_as_bars(client, demo):
    response = client.get("/declarations/695/")
    html = response.content.decode()
    by_group = response.context["by_group"]
    by_country = response.context["by_country"]
    widths = [float(width) for width in re.findall(r'<rect width="([0-9.]+)" height="10">', html)]
    assert len(widths) == len(by_group) + len(by_country)
    largest_group = by_group[0][1]
    assert widths[: len(by_group)] == [
        round(100 * count / largest_group, 1) for _group, count in by_group
    ]
    assert widths[0] == 100.0
    assert widths[len(by_group)] == 100.0
    # The numbers are in words too, beside each bar.
    for group_row, count in by_group:
        assert re.search(rf">{group_row.abbreviation}</a></th><td class=\"num\">{count}</td>", html)
    assert "style=" not in html[html.index('class="breakdowns"') :]


def test_declaration_page_says_in_words_that_it_meets_paces_rule(client, demo):
    check = demo.rule_check()
    html = page(client, "/declarations/695/")
    assert (
        f"Meets PACE's rule: {check.signatories} signatories from {check.delegations} national "
        f"delegations and {check.groups} political groups (at least 20, 4 and 2 needed)."
    ) in html
    assert "Short of PACE" not in html


def test_a_short_declaration_says_what_it_lacks_and_not_that_it_meets_the_rule(client):
    short = make_declaration(number=730)
    make_signature(short, make_signatory(family_name="ALONE"))
    html = page(client, "/declarations/730/")
    assert "Short of PACE" in html
    assert "Meets PACE" not in html


# Breadcrumbs


@pytest.mark.parametrize(
    ("url", "section", "current"),
    [
        ("/declarations/695/", '<a href="/declarations/">Declarations</a>', "No. 695"),
        ("/groups/soc/", '<a href="/groups/">Groups</a>', "SOC"),
        ("/countries/de/", '<a href="/countries/">Countries</a>', "Germany"),
        ("/signatories/{signatory}/", '<a href="/signatories/">Signatories</a>', "{name}"),
        ("/detainees/{detainee}/", '<a href="/detainees/">Detainees</a>', "{detainee_name}"),
    ],
)
def test_detail_pages_say_where_they_sit(client, demo, url, section, current):
    signatory = demo.signatures.get(position=1).signatory
    detainee = demo.mentions.order_by("pk").first().detainee
    names = {
        "signatory": signatory.slug,
        "name": signatory.full_name,
        "detainee": detainee.slug,
        "detainee_name": detainee.name,
    }
    html = page(client, url.format(**names))
    crumbs = html[html.index('<nav class="breadcrumbs" aria-label="Breadcrumb">') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    items = re.findall(r"<li>(.*?)</li>", crumbs, re.DOTALL)
    assert items == [
        '<a href="/">Home</a>',
        section,
        f'<span aria-current="page">{current.format(**names)}</span>',
    ]


def test_breadcrumbs_lead_to_french_pages_on_french_pages(client, demo):
    html = page(client, "/fr/declarations/695/")
    crumbs = html[html.index('aria-label="Breadcrumb"') :]
    assert '<a href="/fr/">' in crumbs[: crumbs.index("</nav>")]
    assert '<a href="/fr/declarations/">' in crumbs[: crumbs.index("</nav>")]


# Who signed most often with a signatory


def test_co_signers_are_those_sharing_two_declarations_most_first_then_by_name(client):
    me = make_signatory(family_name="CENTRE")
    declarations = [make_declaration(number=740 + n) for n in range(3)]
    for declaration in declarations:
        make_signature(declaration, me)
    once = make_signatory(family_name="ONCE")
    make_signature(declarations[0], once)
    for family_name, count in [("ZULU", 2), ("ALPHA", 2), ("THRICE", 3)]:
        other = make_signatory(family_name=family_name)
        for declaration in declarations[:count]:
            make_signature(declaration, other)
    make_signature(make_declaration(number=750, status="draft"), once)
    response = client.get(me.get_absolute_url())
    shown = [(s.family_name, s.shared_count) for s in response.context["co_signers"]]
    assert shown == [("THRICE", 3), ("ALPHA", 2), ("ZULU", 2)]
    html = response.content.decode()
    assert "Jane ONCE" not in html
    assert html.index("Jane THRICE") < html.index("Jane ALPHA") < html.index("Jane ZULU")


def test_at_most_ten_co_signers_are_shown(client):
    me = make_signatory(family_name="CENTRE")
    declarations = [make_declaration(number=760 + n) for n in range(2)]
    for declaration in declarations:
        make_signature(declaration, me)
    for n in range(12):
        other = make_signatory(family_name=f"OTHER{n:02}")
        for declaration in declarations:
            make_signature(declaration, other)
    response = client.get(me.get_absolute_url())
    assert [s.family_name for s in response.context["co_signers"]] == [
        f"OTHER{n:02}" for n in range(10)
    ]


def test_when_no_one_shares_two_declarations_the_page_says_so(client):
    me = make_signatory(family_name="CENTRE")
    for number in (770, 771):
        declaration = make_declaration(number=number)
        make_signature(declaration, me)
        make_signature(declaration, make_signatory(family_name=f"ONCE{number}"))
    html = page(client, me.get_absolute_url())
    assert "No one signed more than one declaration with them." in html
    assert "ONCE770" not in html.split("Signed most often with")[1]


# Small charts of the group and delegation pages.


@pytest.mark.django_db
def test_group_and_country_pages_chart_their_signatures_per_year(client, demo):
    from signatories.models import Signature

    soc = Signature.objects.filter(political_group__slug="soc").count()
    italy = Signature.objects.filter(country="IT").count()
    for url, count, link in [
        ("/groups/soc/", soc, "/statistics/?group=soc"),
        ("/countries/it/", italy, "/statistics/?country=it"),
    ]:
        page = client.get(url).content.decode()
        chart = page[page.index('id="per-year-heading"') :]
        assert "<svg" in chart and "per-year-chart-title" in chart
        assert f'<th scope="row">2019</th><td class="num">{count}</td>' in chart
        assert f'href="{link}"' in chart


@pytest.mark.django_db
def test_the_per_year_chart_counts_published_declarations_only(client, demo):
    from signatories.models import Declaration

    from .factories import group, make_declaration, make_signatory, make_signature

    Declaration.objects.filter(number=695).update(status=Declaration.Status.DRAFT)
    published = make_declaration(number=1, date=datetime.date(2021, 5, 1))
    make_signature(published, make_signatory(family_name="NEWMAN"), political_group=group("SOC"))
    page = client.get("/groups/soc/").content.decode()
    assert '<th scope="row">2021</th><td class="num">1</td>' in page
    assert '<th scope="row">2019</th>' not in page


@pytest.mark.parametrize(
    ("prefix", "recorded_as"),
    [("", "recorded as"), ("/fr", "enregistré sous le nom")],
)
def test_a_declaration_names_its_published_detainees_by_name_with_the_spelling_it_uses(
    client, prefix, recorded_as
):
    declaration = make_declaration(number=906)
    zulu = make_detainee(name="Zoya Zulu")
    alpha = make_detainee(name="Anna <Alpha>")
    hidden = make_detainee(name="Not Yet Checked", is_published=False)
    make_mention(declaration, zulu, name_as_written="Zoia Zulu")
    make_mention(declaration, alpha)
    make_mention(declaration, hidden)
    html = page(client, f"{prefix}/declarations/906/")
    named = html.split('<ul class="chips">')[1].split("</ul>")[0]
    chips = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>(.*?)</li>', named)
    assert [(href, text) for href, text, _rest in chips] == [
        (f"{prefix}/detainees/{alpha.slug}/", "Anna &lt;Alpha&gt;"),
        (f"{prefix}/detainees/{zulu.slug}/", "Zoia Zulu"),
    ]
    assert chips[0][2] == ""
    assert chips[1][2] == f' <span class="muted">({recorded_as} Zoya Zulu)</span>'
    assert "Not Yet Checked" not in html
