"""/statistics/, the CSV of each of its charts and /api/statistics/: numbers counted over the
published record only, the same on the page, in the CSV and in the API, filtered alike."""

import collections
import csv
import datetime
import doctest
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_countries.fields import Country

from declaration_site.lib import charts
from prisoners.models import Detainee
from signatories.countries import MEMBER_STATES, country_code
from signatories.models import Declaration, PoliticalGroup, Signature

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

PAGE = "/statistics/"
API = "/api/statistics/"
CHARTS = [
    "declarations-per-year",
    "signatures-per-group",
    "delegations",
    "most-active-signatories",
    "detainees-by-status",
    "detainees-by-country",
    "detainee-timelines",
    "coalitions",
]
DEMO = settings.BASE_DIR / "data" / "demo"


# The record, read from the demo's own files rather than from the database


def demo_signatures():
    """[(name, ISO code, group)] of WD 695, read from its text: the list is the paragraph
    after "Signatories:", items separated by " ; ", each `Name, Country, GROUP`."""
    text = (DEMO / "wd-695.txt").read_text(encoding="utf-8")
    [listing] = re.findall(r"^Signatories: (.+)$", text, flags=re.MULTILINE)
    items = [item.rsplit(", ", 2) for item in listing.split(" ; ")]
    return [(name, country_code(country), group_name) for name, country, group_name in items]


def demo_statuses():
    records = json.loads((DEMO / "detainees.json").read_text(encoding="utf-8"))
    return collections.Counter(record["status"] for record in records)


def test_the_demo_record_as_read_here_is_wd_695_as_counted_by_hand():
    """25 signatures: SOC 12, UEL 4, ALDE 3, EPP/CD 3, NR 3; five from Italy; eleven delegations."""
    signatures = demo_signatures()
    assert len(signatures) == 25
    by_group = collections.Counter(group_name for _name, _code, group_name in signatures)
    assert by_group == {"SOC": 12, "UEL": 4, "ALDE": 3, "EPP/CD": 3, "NR": 3}
    by_country = collections.Counter(code for _name, code, _group in signatures)
    assert (by_country["IT"], len(by_country)) == (5, 11)


# Helpers


def api(client, expect=200, **params):
    response = client.get(API, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def download(client, chart, **params):
    return read_csv(client.get(f"/statistics/{chart}.csv", params))


class _Tables(HTMLParser):
    """Every <table> of a page by its caption: rows of (cell text, link or None)."""

    def __init__(self):
        super().__init__()
        self.tables = {}
        self._caption = None
        self._in_caption = False
        self._rows = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = ""
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ["", None]
            self._rows[-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell[1] = dict(attrs)["href"]

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = " ".join(self._caption.split())
            self._in_caption = False
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "table":
            self.tables[self._caption] = [
                [(" ".join(text.split()), link) for text, link in row] for row in self._rows
            ]
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        if self._cell is not None:
            self._cell[0] += data


def tables(response):
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def table(response, caption):
    """{first cell: [the other cells' text]} of the table with this caption, under its head."""
    return {row[0][0]: [text for text, _link in row[1:]] for row in tables(response)[caption][1:]}


def header(response, caption):
    return [text for text, _link in tables(response)[caption][0]]


def as_int(text):
    return int(text.replace(",", ""))


def numbers(client, **params):
    """What a visitor can read of the record: the API's answer and every chart's CSV."""
    cache.clear()
    return api(client, **params), {chart: download(client, chart, **params) for chart in CHARTS}


# The page


def test_page_draws_every_chart_with_its_title_and_a_table_of_the_demo_numbers(client, demo):
    response = client.get(PAGE)
    page = response.content.decode()
    for title in [
        "Published declarations per year",
        "Signatures per political group and year",
        "Signatures and signatories per national delegation",
        "Most active signatories, by published declarations signed",
        "Published detainees by current status",
        "Published detainees by country where held",
        "Declarations naming each detainee, by year",
        "Published declarations signed by members of both groups",
    ]:
        # The chart's accessible name is its <title>, and each has a CSV beside it.
        assert re.search(rf'<title id="([-a-z]+)-title">{re.escape(title)}</title>', page), title
    assert page.count('<svg class="chart__svg') == 8
    assert page.count('width="100%"') >= 8
    assert "<script" not in page
    for chart in CHARTS:
        assert f'href="/statistics/{chart}.csv"' in page

    signatures = demo_signatures()
    assert table(response, "Published declarations per year") == {"2019": ["1"]}
    by_group = collections.Counter(group_name for _name, _code, group_name in signatures)
    groups = header(response, "Signatures per political group (as of signing) and year")
    row = table(response, "Signatures per political group (as of signing) and year")["2019"]
    assert dict(zip(groups[1:], map(as_int, row), strict=True)) == {**by_group, "Total": 25}
    delegations = table(response, "Signatories and signatures per national delegation")
    by_country = collections.Counter(code for _name, code, _group in signatures)
    for code, count in by_country.items():
        assert delegations[Country(code=code).name] == [str(count), str(count), "1"]
    statuses = table(response, "Published detainees by current status")
    assert {label: as_int(count) for label, [count] in statuses.items() if count != "0"} == {
        str(Detainee.Status(status).label): count for status, count in demo_statuses().items()
    }
    assert table(response, "Published detainees by country where held") == {"Kazakhstan": ["9"]}
    timelines = table(response, "Declarations naming each detainee, by year")
    assert set(timelines) == set(Detainee.objects.values_list("name", flat=True))
    assert all(value == ["2019: 1", "1"] for value in timelines.values())
    ranking = table(response, "Most active signatories")
    assert len(ranking) == 20
    assert {cells[-1] for cells in ranking.values()} == {"1"}


def test_page_shows_the_demo_total_and_links_to_the_same_numbers_as_json(client, demo):
    response = client.get(PAGE)
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "1 published declaration, 25 signatures, 9 detainees" in text
    assert f'href="{API}"' in response.content.decode()


def test_statistics_has_its_address_and_name(client, db):
    assert reverse("statistics") == PAGE
    assert reverse("statistics_csv", kwargs={"chart": "coalitions"}) == (
        "/statistics/coalitions.csv"
    )
    assert client.get(PAGE).status_code == 200


def test_an_empty_record_shows_charts_at_zero_not_an_error(client, db):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "No published declaration matches these filters." in response.content.decode()
    assert api(client)["declarations_per_year"] == {}


# The API


def test_api_numbers_are_those_of_the_record(client, demo):
    signatures = demo_signatures()
    data = api(client)
    assert data["declarations_per_year"] == {"2019": 1}
    assert data["signatures_by_group"] == dict(
        collections.Counter(group_name for _name, _code, group_name in signatures)
    )
    assert data["signatures_without_group"] == 0
    by_country = dict(collections.Counter(code for _name, code, _group in signatures))
    assert data["signatures_by_country"] == by_country
    # Each of them signed once: as many signatories as signatures in each delegation.
    assert data["signatories_by_country"] == by_country
    assert data["detainees_by_status"] == dict(demo_statuses())
    assert data["detainees_by_country"] == {"KZ": 9}
    assert data["filters"] == {"country": None, "group": None, "year": None}
    assert {pair["declarations"] for pair in data["coalitions"]} == {
        1
    }  # every pair of the five groups signed WD 695 together
    assert len(data["coalitions"]) == 5 * 6 // 2


def test_api_counts_signatories_once_per_delegation_and_signatures_each_time(client, demo):
    """A member who signs two declarations is one signatory and two signatures."""
    later = make_declaration(number=700, date=datetime.date(2020, 3, 1))
    maire = demo.signatures.get(signatory__family_name="MAIRE").signatory
    make_signature(later, maire, political_group=group("ALDE"))
    data = api(client)
    assert data["signatures_by_country"]["FR"] == 3
    assert data["signatories_by_country"]["FR"] == 2
    assert data["declarations_per_year"] == {"2019": 1, "2020": 1}
    assert data["signatures_by_group"]["ALDE"] == 4
    assert data["signatures_per_year_and_group"]["2020"] == {"ALDE": 1}


def test_api_is_documented_in_the_schema_with_its_filters_and_errors(client, db):
    schema = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)
    operation = schema["paths"][API]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {
        "country",
        "group",
        "year",
    }
    assert set(operation["responses"]) == {"200", "400"}
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"]
    assert {
        "declarations_per_year",
        "signatures_by_group",
        "signatures_by_country",
        "signatories_by_country",
        "detainees_by_status",
    } <= set(properties)


# Filters


def italian_and_socialist(demo):
    """A second published declaration, of 2021: an Italian SOC member who signed 695 signs it
    with a French UEL member and a Slovenian with no group printed."""
    later = make_declaration(number=720, date=datetime.date(2021, 6, 1))
    make_signature(later, demo.signatures.get(signatory__family_name="RAMPI").signatory)
    make_signature(later, make_signatory(family_name="NOUVEAU", political_group=group("UEL")))
    Signature.objects.create(
        declaration=later,
        signatory=make_signatory(family_name="BREZ", country="SI"),
        position=3,
        country="SI",
        political_group=None,
    )
    return later


def test_country_filter_counts_the_signatures_of_that_delegation_in_any_case(client, demo):
    italian_and_socialist(demo)
    italians = [row for row in demo_signatures() if row[1] == "IT"]
    expected_groups = collections.Counter(group_name for _name, _code, group_name in italians)
    expected_groups["SOC"] += 1  # RAMPI again, in 2021
    for value in ("it", "IT", "It"):
        data = api(client, country=value)
        assert data["filters"]["country"] == "IT"
        assert data["signatures_by_country"] == {"IT": len(italians) + 1}
        assert data["signatories_by_country"] == {"IT": len(italians)}
        assert data["signatures_by_group"] == dict(expected_groups)
        assert data["declarations_per_year"] == {"2019": 1, "2021": 1}
    page = client.get(PAGE, {"country": "it"})
    assert table(page, "Published declarations per year") == {
        "2019": ["1"],
        "2020": ["0"],
        "2021": ["1"],
    }
    delegations = table(page, "Signatories and signatures per national delegation")
    assert delegations["Italy"] == [str(len(italians)), str(len(italians) + 1), "2"]
    assert delegations["France"] == ["0", "0", "0"]


def test_group_filter_counts_the_signatures_given_as_that_group(client, demo):
    later = italian_and_socialist(demo)
    socialists = [row for row in demo_signatures() if row[2] == "SOC"]
    data = api(client, group="soc")
    assert data["signatures_by_group"] == {"SOC": len(socialists) + 1}
    expected = collections.Counter(code for _name, code, _group in socialists)
    expected["IT"] += 1
    assert data["signatures_by_country"] == dict(expected)
    # Declarations and detainees: those of the declarations a SOC member signed.
    assert data["declarations_per_year"] == {"2019": 1, "2021": 1}
    make_mention(later, make_detainee(name="Named Later", country="AZ"))
    cache.clear()
    assert api(client, group="uel")["detainees_by_country"] == {"KZ": 9, "AZ": 1}
    assert api(client, group="ec-da")["detainees_by_country"] == {}
    assert api(client, group="ec-da")["declarations_per_year"] == {}


def test_year_filter_keeps_the_declarations_of_that_year(client, demo):
    italian_and_socialist(demo)
    data = api(client, year=2021)
    assert data["declarations_per_year"] == {"2021": 1}
    assert data["signatures_by_group"] == {"SOC": 1, "UEL": 1}
    assert data["signatures_without_group"] == 1
    assert data["signatures_by_country"] == {"IT": 1, "FR": 1, "SI": 1}
    assert data["detainees_by_status"] == {}
    response = client.get(PAGE, {"year": "2021"})
    assert table(response, "Published declarations per year") == {"2021": ["1"]}
    assert table(response, "Published declarations per year") != table(
        client.get(PAGE), "Published declarations per year"
    )


def test_filters_together_narrow_every_chart_csv(client, demo):
    italian_and_socialist(demo)
    [_header, *rows] = download(client, "signatures-per-group", country="it", group="soc")
    assert {(row[0], row[1]): int(row[-1]) for row in rows} == {
        ("2019", "SOC"): 2,
        ("2021", "SOC"): 1,
    }
    [_header, *rows] = download(client, "delegations", country="it", group="soc", year="2021")
    assert {row[0]: row[3:] for row in rows if row[3] != "0"} == {"IT": ["1", "1", "1"]}


def test_page_filter_form_keeps_the_values_chosen(client, demo):
    response = client.get(PAGE, {"country": "it", "group": "soc", "year": "2019"})
    form = response.context["form"]
    assert form.is_valid()
    assert form.filters() == {"country": "IT", "group": "soc", "year": 2019}
    page = response.content.decode()
    assert 'href="/statistics/coalitions.csv?country=it&amp;group=soc&amp;year=2019"' in page
    assert f'href="{API}?country=it&amp;group=soc&amp;year=2019"' in page


def test_a_filtered_page_says_its_filters_in_title_and_heading_with_a_chip_for_each(client, demo):
    response = client.get(PAGE, {"country": "it", "group": "soc", "year": "2019"})
    html = response.content.decode()
    head = html.split("</head>", 1)[0]
    assert "<title>Statistics — Italy, SOC, 2019 · Declaration Watch</title>" in head
    assert re.search(r"<h1>Statistics — Italy, SOC, 2019</h1>", html)
    chips = re.search(r'<ul class="chips active-filters".*?</ul>', html, re.DOTALL).group(0)
    removes = re.findall(r'<a href="([^"]+)">remove', chips)
    assert removes == [
        "/statistics/?group=soc&amp;year=2019",
        "/statistics/?country=it&amp;year=2019",
        "/statistics/?country=it&amp;group=soc",
    ]
    # Removing the last filter leads back to the whole record.
    only_year = client.get(PAGE, {"year": "2019"}).content.decode()
    assert re.findall(r'<a href="([^"]+)">remove', only_year) == ["/statistics/"]


def test_an_unfiltered_or_wrongly_filtered_page_has_no_chip_and_a_plain_title(client, demo):
    for params in ({}, {"country": "zz"}):
        html = client.get(PAGE, params).content.decode()
        assert "<title>Statistics · Declaration Watch</title>" in html
        assert "active-filters" not in html


def test_the_french_page_counts_the_same_in_french_words_and_links(client, demo):
    response = client.get("/fr/statistics/", {"country": "it"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Statistiques — Italie · Declaration Watch</title>" in html
    assert 'href="/fr/statistics/coalitions.csv?country=it"' in html
    assert 'href="/fr/statistics/"' in html  # the chip removing the only filter
    english = client.get(PAGE, {"country": "it"})
    caption = "Signatories and signatures per national delegation"
    french_caption = next(name for name in tables(response) if "délégation" in name)
    assert table(english, caption)["Italy"] == table(response, french_caption)["Italie"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "ZZ is not one of the available choices."),
        ({"country": "zz"}, "country", "ZZ is not one of the available choices."),
        ({"group": "nope"}, "group", "nope is not one of the available choices."),
        ({"year": "abc"}, "year", "abc is not one of the available choices."),
        ({"year": "1800"}, "year", "1800 is not one of the available choices."),
        ({"year": "2019", "group": "<b>"}, "group", "is not one of the available choices."),
    ],
)
def test_a_bad_filter_value_shows_the_error_and_no_numbers(client, demo, params, field, message):
    response = client.get(PAGE, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "These filters could not be applied" in page
    assert message in page
    assert "<b>" not in page
    assert "chart__svg" not in page
    assert response.context["stats"] is None
    data = api(client, expect=400, **params)
    assert set(data) == {field}
    assert message in data[field][0]
    for chart in CHARTS:
        csv_response = client.get(f"/statistics/{chart}.csv", params)
        assert csv_response.status_code == 400
        assert csv_response.content.decode().startswith(f"{field}: ")


def test_a_member_state_with_no_signature_is_a_valid_filter_at_zero(client, demo):
    data = api(client, country="ad")
    assert data["signatures_by_country"] == {}
    assert data["declarations_per_year"] == {}
    response = client.get(PAGE, {"country": "ad"})
    assert response.context["stats"]["signatures"] == 0
    assert "No published declaration matches these filters." in response.content.decode()


# Published records only


def test_drafts_and_unpublished_detainees_change_no_number(client, demo):
    before = numbers(client)
    before_filtered = numbers(client, country="fr")
    before_page = tables(client.get(PAGE))

    draft = make_declaration(number=990, status="draft", date=datetime.date(2024, 2, 2))
    gattolin = demo.signatures.get(signatory__family_name="GATTOLIN").signatory
    make_signature(draft, gattolin, political_group=group("EPP/CD"))
    make_signature(draft, make_signatory(family_name="DRAFTONLY", country="FR"))
    make_signature(draft, make_signatory(family_name="NOWHERE", country="CA"))
    make_mention(draft, Detainee.objects.public().first())
    make_mention(draft, make_detainee(name="Named Only In Draft", is_published=False))
    hidden = make_detainee(name="Not Yet Published", country="AZ", is_published=False)
    make_mention(demo, hidden)
    assert Declaration.objects.filter(status="draft").count() == 1

    assert numbers(client) == before
    assert numbers(client, country="fr") == before_filtered
    cache.clear()
    assert tables(client.get(PAGE)) == before_page
    # The draft's year and its observer delegation are no filter values either.
    assert "year" in api(client, expect=400, year=2024)
    assert "country" in api(client, expect=400, country="ca")


def test_publishing_a_draft_changes_the_numbers(client, demo):
    draft = make_declaration(number=990, status="draft", date=datetime.date(2024, 2, 2))
    make_signature(draft, make_signatory(family_name="LATER", country="CA"))
    assert "2024" not in api(client)["declarations_per_year"]
    draft.status = Declaration.Status.PUBLISHED
    draft.save()
    data = api(client)
    assert data["declarations_per_year"] == {"2019": 1, "2024": 1}
    assert data["signatures_by_country"]["CA"] == 1


def test_the_charts_drawn_once_are_drawn_again_after_a_change_in_each_language(client, demo):
    caption = "Published declarations per year"
    french = next(
        name for name in tables(client.get("/fr/statistics/")) if "par année" in name.lower()
    )
    assert table(client.get(PAGE), caption) == {"2019": ["1"]}
    draft = make_declaration(number=990, status="draft", date=datetime.date(2024, 2, 2))
    make_signature(draft, make_signatory(family_name="LATER", country="CA"))
    assert table(client.get(PAGE), caption) == {"2019": ["1"]}
    draft.status = Declaration.Status.PUBLISHED
    draft.save()
    assert {"2019", "2024"} <= set(table(client.get(PAGE), caption))
    assert {"2019", "2024"} <= set(table(client.get("/fr/statistics/"), french))


# Each chart


@pytest.mark.parametrize("chart", CHARTS)
def test_each_chart_downloads_as_csv(client, demo, chart):
    response = client.get(f"/statistics/{chart}.csv")
    rows = read_csv(response)
    assert response["Content-Disposition"] == f'attachment; filename="statistics-{chart}.csv"'
    assert len(rows) > 1


def test_chart_csvs_hold_the_numbers_of_the_record(client, demo):
    signatures = demo_signatures()
    assert download(client, "declarations-per-year") == [["year", "declarations"], ["2019", "1"]]
    [head, *rows] = download(client, "signatures-per-group")
    assert head == ["year", "group", "group_slug", "lineage_now", "signatures"]
    assert {row[1]: int(row[4]) for row in rows} == collections.Counter(
        group_name for _name, _code, group_name in signatures
    )
    [head, *rows] = download(client, "delegations")
    by_country = collections.Counter(code for _name, code, _group in signatures)
    assert {row[0]: int(row[4]) for row in rows} == {
        **dict.fromkeys(MEMBER_STATES, 0),
        **by_country,
    }
    [head, *rows] = download(client, "most-active-signatories")
    assert [row[0] for row in rows] == [str(rank) for rank in range(1, 21)]
    assert rows[0][-1].startswith("http://testserver/signatories/")
    [head, *rows] = download(client, "detainees-by-status")
    assert {row[0]: int(row[2]) for row in rows if row[2] != "0"} == demo_statuses()
    assert download(client, "detainees-by-country")[1:] == [["KZ", "Kazakhstan", "9"]]
    [head, *rows] = download(client, "detainee-timelines")
    assert head == ["detainee", "slug", "year", "declarations", "url"]
    assert {row[0] for row in rows} == set(Detainee.objects.values_list("name", flat=True))
    [head, *rows] = download(client, "coalitions")
    assert head == ["group", "other_group", "declarations", "url"]
    assert len(rows) == 15
    assert all(
        row[2] == "1" and row[3].startswith("http://testserver/declarations/?") for row in rows
    )


def test_an_unknown_chart_has_no_csv(client, demo):
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_delegation_chart_lists_every_member_state_at_zero_where_none_signed(client, demo):
    later = make_declaration(number=710, date=datetime.date(2020, 1, 1))
    make_signature(later, make_signatory(family_name="MAPLE", country="CA"))
    response = client.get(PAGE)
    page = response.content.decode()
    listed = set(re.findall(r'<tr data-country="([A-Z]{2})">', page))
    assert listed == MEMBER_STATES | {"CA"}  # an observer only where it signed
    rows = table(response, "Signatories and signatures per national delegation")
    assert rows["Andorra"] == ["0", "0", "0"]
    assert rows["Canada (observer)"] == ["1", "1", "1"]
    assert "Mexico" not in " ".join(rows)
    # The member states none of whose members signed are also named in words.
    assert "35 member states whose delegations signed none of these" in page
    assert api(client)["signatures_by_country"]["CA"] == 1
    assert "AD" not in api(client)["signatures_by_country"]


def test_signatures_printed_with_no_group_are_counted_apart(client, demo):
    italian_and_socialist(demo)
    data = api(client)
    assert data["signatures_without_group"] == 1
    assert "" not in data["signatures_by_group"]
    assert sum(data["signatures_by_group"].values()) == 25 + 2
    assert data["signatures_per_year_and_group"]["2021"] == {"SOC": 1, "UEL": 1, "": 1}
    response = client.get(PAGE)
    caption = "Signatures per political group (as of signing) and year"
    assert header(response, caption)[-2:] == ["No group printed", "Total"]
    assert table(response, caption)["2021"][-2:] == ["1", "3"]
    [_head, *rows] = download(client, "signatures-per-group")
    assert ["2021", "", "", "", "1"] in rows


def test_renamed_groups_are_shown_as_signed_in_the_colour_of_their_lineage(client, demo):
    # Colours of their own for the older names: the lineage's newest colour wins.
    PoliticalGroup.objects.filter(abbreviation="EDG").update(colour="#000000")
    PoliticalGroup.objects.filter(abbreviation="EC").update(colour="")
    for number, year, abbreviation in [(600, 2012, "EDG"), (650, 2016, "EC"), (750, 2022, "EC/DA")]:
        declaration = make_declaration(number=number, date=datetime.date(year, 5, 1))
        make_signature(
            declaration,
            make_signatory(family_name=f"TORY{number}", country="GB"),
            political_group=group(abbreviation),
        )
    data = api(client)
    assert {name: data["signatures_by_group"][name] for name in ("EDG", "EC", "EC/DA")} == {
        "EDG": 1,
        "EC": 1,
        "EC/DA": 1,
    }
    response = client.get(PAGE)
    page = response.content.decode()
    colour = group("EC/DA").colour
    fills = {
        year: re.findall(rf"<title>{year}, ([A-Z/]+): 1 signature</title>", page)
        for year in (2012, 2016, 2022)
    }
    assert fills == {2012: ["EDG"], 2016: ["EC"], 2022: ["EC/DA"]}
    for abbreviation in ("EDG", "EC", "EC/DA"):
        rect = re.search(
            rf'fill="(#[0-9a-f]{{6}})"[^>]*><title>\d+, {re.escape(abbreviation)}: ', page
        )
        assert rect.group(1) == colour
    # One legend entry for the lineage.
    assert page.count("EDG → EC → EC/DA</li>") == 1
    assert "UEL</li>" in page


def test_most_active_signatories_are_the_top_20_by_public_declarations(client, demo):
    keen = make_signatory(family_name="KEEN", country="MT", political_group=group("EPP/CD"))
    keener = make_signatory(family_name="KEENER", country="MT", political_group=group("EPP/CD"))
    for number in range(801, 804):
        declaration = make_declaration(number=number, date=datetime.date(2022, 1, number - 800))
        make_signature(declaration, keener)
        if number < 803:
            make_signature(declaration, keen)
    draft = make_declaration(number=899, status="draft")
    make_signature(draft, keen)
    response = client.get(PAGE)
    ranking = list(table(response, "Most active signatories").values())
    assert len(ranking) == 20
    assert [row[0] for row in ranking[:2]] == ["Jane KEENER", "Jane KEEN"]
    assert [row[-1] for row in ranking[:3]] == ["3", "2", "1"]
    data = api(client)
    assert [(row["name"], row["declarations"]) for row in data["most_active_signatories"][:2]] == [
        ("Jane KEENER", 3),
        ("Jane KEEN", 2),
    ]
    # With a filter, only the declarations signed that way count.
    assert api(client, country="mt", year=2022)["most_active_signatories"][0]["declarations"] == 3


def test_detainee_timelines_show_the_30_most_named_and_say_where_the_rest_are(client, demo):
    years = [2015, 2017, 2021]
    declarations = [
        make_declaration(number=500 + index, date=datetime.date(year, 3, 1))
        for index, year in enumerate(years)
    ]
    for declaration in declarations:
        make_signature(declaration, make_signatory(family_name=f"SIGNER{declaration.number}"))
    often = make_detainee(name="Aaron Often", country="BY")
    for declaration in declarations:
        make_mention(declaration, often)
    for index in range(25):
        make_mention(declarations[0], make_detainee(name=f"Person {index:02}", country="BY"))
    response = client.get(PAGE)
    rows = table(response, "Declarations naming each detainee, by year")
    assert len(rows) == 30
    assert next(iter(rows)) == "Aaron Often"
    assert rows["Aaron Often"] == ["2015: 1; 2017: 1; 2021: 1", "3"]
    page = response.content.decode()
    assert "The 30 detainees named most often, of 35" in page
    assert re.search(
        r"of 35; the CSV has them all, and so does\s+<a href=\"/detainees/\">the list of detainees",
        page,
    )
    assert page.count("Aaron Often, 2017: named in 1 declaration") == 1
    [_head, *csv_rows] = download(client, "detainee-timelines")
    assert len({row[0] for row in csv_rows}) == 35


def test_coalition_cells_link_to_exactly_the_declarations_signed_by_both_groups(client, demo):
    def declaration(number, *abbreviations, status="published"):
        made = make_declaration(number=number, status=status, date=datetime.date(2021, 1, 1))
        for abbreviation in abbreviations:
            make_signature(
                made,
                make_signatory(family_name=f"M{number}{abbreviation[:2]}", country="PL"),
                political_group=group(abbreviation),
            )
        return made

    declaration(801, "SOC", "UEL")
    declaration(802, "SOC")
    declaration(803, "UEL", "FDG")
    declaration(804, "SOC", "FDG", status="draft")
    data = api(client)
    pairs = {tuple(pair["groups"]): pair["declarations"] for pair in data["coalitions"]}

    def cell(first, second):
        return pairs.get((first, second), pairs.get((second, first)))

    assert cell("SOC", "UEL") == 2  # 695 and 801
    assert cell("SOC", "SOC") == 3  # 695, 801, 802
    assert cell("UEL", "FDG") == 1  # 803
    assert cell("SOC", "FDG") == 0  # only the draft
    assert cell("EPP/CD", "ALDE") == 1

    response = client.get(PAGE)
    [head, *rows] = tables(response)["Published declarations signed by members of both groups"]
    labels = [text for text, _link in head[1:]]
    checked = 0
    for row in rows:
        first = row[0][0]
        for second, (text, link) in zip(labels, row[1:], strict=True):
            assert as_int(text) == cell(first, second)
            if link is None:
                assert text == "0"
                continue
            listed = client.get(link).context["object_list"]
            numbers_listed = {declaration.number for declaration in listed}
            expected = {
                number
                for number in Declaration.objects.public().values_list("number", flat=True)
                if {first, second}
                <= set(
                    Signature.objects.filter(declaration__number=number).values_list(
                        "political_group__abbreviation", flat=True
                    )
                )
            }
            assert numbers_listed == expected, (first, second, link)
            checked += 1
    assert checked >= 20
    assert 'href="/declarations/?group=soc&amp;group=uel"' in response.content.decode()


def test_coalition_links_keep_the_page_filters(client, demo):
    response = client.get(PAGE, {"year": "2019", "group": "uel"})
    links = {
        link
        for row in tables(response)["Published declarations signed by members of both groups"]
        for _text, link in row
        if link
    }
    assert "/declarations/?group=uel&group=soc&year=2019" in links
    listed = client.get("/declarations/?group=uel&group=soc&year=2019").context["object_list"]
    assert [declaration.number for declaration in listed] == [695]


# The declaration list's group filter, repeatable for the coalitions


def test_declaration_list_with_several_groups_lists_those_signed_by_all_of_them(client, demo):
    older = make_declaration(number=650, date=datetime.date(2018, 6, 1))
    make_signature(older, make_signatory(country="MT", political_group=group("SOC")))
    make_signature(older, make_signatory(family_name="ROE", political_group=group("EC/DA")))

    def listed(query):
        response = client.get("/declarations/" + query)
        assert response.status_code == 200
        return [declaration.number for declaration in response.context["object_list"]]

    assert listed("?group=soc") == [695, 650]
    assert listed("?group=soc&group=uel") == [695]
    assert listed("?group=soc&group=ec-da") == [650]
    assert listed("?group=uel&group=ec-da") == []
    assert listed("?group=soc&group=nope") == []
    api_numbers = [
        row["number"]
        for row in client.get("/api/declarations/", {"group": ["soc", "ec-da"]}).json()["results"]
    ]
    assert api_numbers == [650]
    assert client.get("/api/declarations/", {"group": ["soc", "nope"]}).status_code == 400
    csv_rows = read_csv(client.get("/declarations.csv?group=soc&group=uel"))
    assert len(csv_rows) == 2


# A fixed number of queries


def add_declarations(count, start):
    """`count` published declarations from No. `start`, one a year, each signed by a new
    member of a new delegation as SOC, one as the group of the year, and one with no group
    printed, and naming a new published detainee."""
    codes = sorted(MEMBER_STATES)
    abbreviations = ["EPP/CD", "UEL", "ALDE", "EC/DA", "NR", "FDG"]
    for index in range(start, start + count):
        declaration = make_declaration(number=index, date=datetime.date(1980 + index % 45, 1, 1))
        make_signature(
            declaration, make_signatory(family_name=f"A{index}", country=codes[index % 46])
        )
        make_signature(
            declaration,
            make_signatory(family_name=f"B{index}", country="FR"),
            political_group=group(abbreviations[index % len(abbreviations)]),
        )
        Signature.objects.create(
            declaration=declaration,
            signatory=make_signatory(family_name=f"C{index}", country="IT"),
            position=3,
            country="IT",
            political_group=None,
        )
        make_mention(declaration, make_detainee(name=f"Prisoner {index}", country="TR"))


def query_count(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        PAGE,
        PAGE + "?country=fr&group=soc",
        API,
        API + "?year=1990",
        "/statistics/coalitions.csv",
        "/statistics/delegations.csv?group=uel",
    ],
)
def test_statistics_run_as_many_queries_for_40_declarations_as_for_2(client, db, url):
    add_declarations(2, start=1)
    add_declarations(1, start=10)  # 1990, for the year filter
    with_three = query_count(client, url)
    add_declarations(37, start=11)
    assert Declaration.objects.public().count() == 40
    assert query_count(client, url) == with_three <= 16


def test_statistics_are_kept_until_the_record_changes(client, demo):
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        client.get(API)
    assert len(queries) == 0
    italian_and_socialist(demo)
    assert api(client)["declarations_per_year"] == {"2019": 1, "2021": 1}


# Charts


def test_chart_geometry_examples():
    assert doctest.testmod(charts).failed == 0


def test_bar_lengths_are_proportional_to_their_values():
    chart = charts.bar_chart(
        [
            {"label": "2019", "segments": [(10, "#000000", "ten")]},
            {"label": "2020", "segments": [(5, "#000000", "five"), (5, "#ffffff", "five")]},
            {"label": "2021", "segments": [(0, "#000000", "none")]},
        ],
        category_title="Year",
        axis_title="Count",
    )
    [ten], halves, none = (row["rects"] for row in chart["rows"])
    assert float(ten["width"]) == pytest.approx(sum(float(rect["width"]) for rect in halves))
    assert none == []
    assert [tick["label"] for tick in chart["axis"]["ticks"]] == ["0", "2", "4", "6", "8", "10"]
    assert float(chart["axis"]["x2"]) <= charts.WIDTH


def test_long_labels_are_shortened_on_the_chart_and_kept_whole_in_its_title():
    chart = charts.bar_chart(
        [{"label": "A delegation with a very long name indeed", "segments": [(1, "#000", "")]}],
        category_title="Delegation",
        axis_title="Count",
    )
    [row] = chart["rows"]
    assert row["label"].endswith("…")
    assert row["full_label"] == "A delegation with a very long name indeed"
    assert len(row["label"]) * charts.CHAR_WIDTH <= charts.MAX_LABEL_WIDTH


# In a browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 360, "height": 740}],
    ids=["desktop", "360px"],
)
def test_page_fits_a_phone_and_meets_wcag_a_and_aa(site, page, viewport, record_property):
    from axe_playwright_python.sync_playwright import Axe

    from .factories import load_demo

    load_demo()
    page.set_viewport_size(viewport)
    found = {}
    screens = Path("/tmp/screens")  # noqa: S108 (where the browser tests put their screenshots)
    screens.mkdir(parents=True, exist_ok=True)
    for path in [PAGE, PAGE + "?group=soc&country=it", PAGE + "?country=ZZ"]:
        page.goto(site.url + path)
        if path == PAGE:
            # To look at: the charts as a reader sees them.
            target = screens / f"statistics-{viewport['width']}.png"
            page.screenshot(path=target, full_page=True)
            assert target.stat().st_size > 10_000
            record_property("screenshot", str(target))
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, path
        # Every chart is drawn as wide as its column, never wider.
        for box in page.locator("svg.chart__svg").evaluate_all(
            "svgs => svgs.map(svg => svg.getBoundingClientRect().right)"
        ):
            assert box <= client_width
        results = Axe().run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                },
                "resultTypes": ["violations"],
            },
        )
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.setdefault(path, []).append(f"{violation['id']}: {targets}")
    assert found == {}
    # The coalition cells are links a keyboard reaches, named for a screen reader.
    page.goto(site.url + PAGE)
    cell = page.get_by_role("link", name="1 declaration signed by members of SOC and of UEL")
    # On the heat map (the table's link is inside the closed <details>).
    assert cell.count() == 1
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/declarations/?group=soc&group=uel")
    assert page.locator("tbody th[scope=row], tbody td").first.inner_text().strip() == "695"
