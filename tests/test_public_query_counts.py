"""Every public list runs the same number of SQL queries for 1 row as for 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries import countries

from signatories.models import Declaration, PoliticalGroup

from .factories import (
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

MOST_QUERIES = 8
COUNTRY_CODES = [country.code for country in countries if country.code != "FR"][:50]


def add_rows(count):
    """`count` more of everything: each a published declaration in a new year, signed by a new
    signatory from a new country as a member of a new group and by a French SOC member (who
    also signs declaration No. 1, and from the third on No. 2 too, so that they share two
    declarations with the second one), naming a new detainee."""
    first = Declaration.objects.count() + 1
    for n in range(first, first + count):
        new_group = PoliticalGroup.objects.create(
            abbreviation=f"G{n}", slug=f"g{n}", name=f"Group number {n}"
        )
        declaration = make_declaration(
            number=n, date=datetime.date(1970 + n, 1, 1), title=f"Freedom appeal {n}"
        )
        signatory = make_signatory(
            family_name=f"FREEDOM{n:03}", country=COUNTRY_CODES[n - 1], political_group=new_group
        )
        make_signature(declaration, signatory)
        other = make_signatory(family_name=f"OTHER{n:03}", country="FR")
        make_signature(declaration, other)
        if n > 1:
            make_signature(Declaration.objects.get(number=1), other)
        if n > 2:
            make_signature(Declaration.objects.get(number=2), other)
        make_mention(declaration, make_detainee(name=f"Freedom Prisoner {n}", country="KZ"))


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def rows_of(name):
    return lambda context: len(context[name])


def search_rows(context):
    return sum(len(kind["rows"]) for kind in context["results"].values())


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/", rows_of("latest")),
        ("/declarations/", rows_of("object_list")),
        ("/declarations/?group=soc&country=fr&q=freedom", rows_of("object_list")),
        ("/signatories/", rows_of("object_list")),
        ("/signatories/?q=freedom", rows_of("object_list")),
        ("/signatories/?country=fr&group=soc&sort=signed", rows_of("object_list")),
        ("/signatories/?declaration=1&group=soc&country=fr", rows_of("object_list")),
        ("/groups/", rows_of("groups")),
        ("/countries/", rows_of("countries")),
        ("/detainees/", rows_of("object_list")),
        ("/detainees/?country=kz&status=unknown&q=freedom", rows_of("object_list")),
        ("/search/?q=freedom", search_rows),
    ],
)
def test_list_runs_as_many_queries_for_50_rows_as_for_1(client, db, url, shown):
    add_rows(1)
    with_one, response = query_count(client, url)
    rows_with_one = shown(response.context)
    add_rows(49)
    with_fifty, response = query_count(client, url)
    assert shown(response.context) > rows_with_one
    assert with_fifty == with_one
    assert with_one <= MOST_QUERIES


@pytest.mark.parametrize(
    ("url", "most", "shown"),
    [
        # The declaration, its signatures, the detainees it names, its sources, and its
        # signatures counted by group (the counts, then the groups) and by country.
        ("/declarations/1/", 7, rows_of("signatures")),
        ("/signatories/jane-other002/", 3, rows_of("co_signers")),
        # With their signatures per year, for the small chart.
        ("/groups/soc/", 7, rows_of("signatories")),
        ("/countries/fr/", 5, rows_of("signatories")),
    ],
)
def test_detail_pages_run_as_many_queries_however_much_they_show(client, db, url, most, shown):
    add_rows(2)
    with_two, response = query_count(client, url)
    rows_with_two = shown(response.context)
    add_rows(48)
    with_fifty, response = query_count(client, url)
    assert shown(response.context) > rows_with_two
    assert with_fifty == with_two <= most
