"""Queries compiled once and run with other values (`declaration_site.lib.prepared`): the
search and the pages of a declaration and of a signatory run exactly the SQL, with exactly the
parameters, that the ORM builds for each of their queries, find the same rows, and the search
treats the characters a LIKE pattern reserves as plain text."""

import pytest
from django.db.models import Q
from django.urls import reverse

from declaration_site.lib.prepared import PreparedQuery
from declaration_site.views import searches
from prisoners.models import Detainee
from prisoners.templatetags.detainees import NAMED_IN
from signatories.models import Declaration, Signatory
from signatories.views import DECLARATION_SIGNATURES, SIGNATORY_SIGNATURES

from .factories import (
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

pytestmark = pytest.mark.django_db

QUERIES = [
    "kowal",
    "Jan Kowalski",
    "ÅBERG",
    "695",
    "0",
    "2147483648",  # larger than any declaration's number
    "100%",
    "a_b",
    "back\\slash",
    'it\'s "quoted"',
    "  three  spaced   words ",
]


@pytest.fixture
def record():
    declaration = make_declaration(number=695, title="Mass arrests: 100% of protesters held")
    make_signature(declaration, make_signatory(given_name="Boriana", family_name="ÅBERG"))
    make_signature(declaration, make_signatory(given_name="Ann", family_name="A_B"))
    make_mention(declaration, make_detainee(name="Jan Kowalski"))
    make_mention(declaration, make_detainee(name="Back\\slash Person"))
    draft = make_declaration(number=696, status="draft", title="Draft about Jan Kowalski")
    make_signature(draft, Signatory.objects.get(family_name="ÅBERG"))


@pytest.mark.parametrize("query", QUERIES)
def test_each_search_runs_the_sql_and_parameters_the_orm_builds(record, query):
    for prepared, shape, values in searches(query).values():
        built = prepared.build(shape, *values).query.sql_with_params()
        assert prepared.sql_with_params(shape, *values) == (built[0], tuple(built[1]))


@pytest.mark.parametrize("query", QUERIES)
def test_each_search_finds_the_rows_the_orm_finds(record, query):
    for prepared, shape, values in searches(query).values():
        assert prepared.rows(shape, *values) == list(prepared.build(shape, *values))


def test_the_record_pages_run_the_sql_the_orm_builds_and_find_its_rows(record):
    declaration = Declaration.objects.get(number=695)
    signatory = Signatory.objects.get(family_name="ÅBERG")
    for prepared, pk, count in [
        (DECLARATION_SIGNATURES, declaration.pk, 2),
        (SIGNATORY_SIGNATURES, signatory.pk, 1),  # not the draft's
        (NAMED_IN, declaration.pk, 2),
    ]:
        built = prepared.build(None, pk).query.sql_with_params()
        assert prepared.sql_with_params(None, pk) == (built[0], tuple(built[1]))
        rows = prepared.rows(None, pk)
        assert rows == list(prepared.build(None, pk))
        assert len(rows) == count


def test_the_search_finds_the_records_by_name_and_number(client, record):
    results = client.get(reverse("search"), {"q": "aberg"}).context["results"]
    assert [row.family_name for row in results["signatories"]["rows"]] == ["ÅBERG"]
    results = client.get(reverse("search"), {"q": "695"}).context["results"]
    assert [row.number for row in results["declarations"]["rows"]] == [695]
    assert results["declarations"]["count"] == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("%", ["Mass arrests: 100% of protesters held"]),  # not every declaration
        ("a_b", []),  # "_" is not "any letter"
        ("_", []),
    ],
)
def test_characters_of_like_patterns_are_searched_as_themselves(client, record, query, found):
    make_declaration(number=697, title="Unrelated: Albania")  # "alb" would match "a_b"
    results = client.get(reverse("search"), {"q": query}).context["results"]
    assert [row.title for row in results["declarations"]["rows"]] == found


def test_an_underscore_in_a_name_is_found_as_itself(client, record):
    make_signature(make_declaration(number=698), make_signatory(family_name="AXB"))
    results = client.get(reverse("search"), {"q": "a_b"}).context["results"]
    assert [row.family_name for row in results["signatories"]["rows"]] == ["A_B"]


def test_the_search_page_still_runs_three_queries(client, record, django_assert_num_queries):
    client.get(reverse("search"), {"q": "kowal"})  # the shapes are prepared once a process
    with django_assert_num_queries(3):
        client.get(reverse("search"), {"q": "jan"})


def test_a_query_that_changes_its_values_is_refused():
    shouting = PreparedQuery(
        lambda count, *words: Detainee.objects.filter(
            *[Q(search_name__contains=word.upper()) for word in words]
        ).values_list("slug")
    )
    with pytest.raises(ValueError, match="cannot repeat"):
        shouting.rows(1, "kowal")


def test_values_other_than_text_and_whole_numbers_are_refused():
    by_flag = PreparedQuery(
        lambda shape, flag: Detainee.objects.filter(is_published=flag).values_list("slug")
    )
    with pytest.raises(TypeError, match="strings and whole numbers"):
        by_flag.rows(None, True)
