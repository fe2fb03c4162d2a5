"""Queries compiled once and run with other values (`declaration_site.lib.prepared`): the
search and the pages of a declaration and of a signatory run exactly the SQL, with exactly the
parameters, that the ORM builds for each of their queries, find the same rows, and the search
treats the characters a LIKE pattern reserves as plain text."""

import datetime

import pytest
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from declaration_site.lib.prepared import PreparedQuery, split_arguments
from declaration_site.lib.views import page_query
from declaration_site.views import searches
from prisoners.models import Detainee
from prisoners.templatetags.detainees import NAMED_IN
from prisoners.views import DetaineeListView
from signatories.filters import SignatoryFilter
from signatories.models import Declaration, Signatory, Signature, Source
from signatories.views import (
    DECLARATION_SIGNATURES,
    SIGNATORY_SIGNATURES,
    DeclarationListView,
    SignatoryListView,
)

from .factories import (
    group,
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


# The list of signatories reads a page of rows by a prepared query: its shape is the choice of
# filters (how many words, countries and groups, a declaration or none, the order) and the page.


@pytest.fixture
def members():
    """Seven signatories; on declaration 700 two of them signed for another country or group
    than their current one."""
    declaration = make_declaration(number=700)
    people = [
        ("Anna", "ROSSI", "IT", "SOC"),
        ("Marco", "BIANCHI", "IT", "EPP/CD"),
        ("Elira", "HOXHA", "AL", "SOC"),
        ("Jean", "MARTIN", "FR", "SOC"),
        ("Paul", "50%_OFF", "FR", "ALDE"),
        ("Luca", "VERDI", "IT", "SOC"),
        ("Ilir", "META", "AL", "EPP/CD"),
    ]
    made = {}
    for given, family, country, abbreviation in people:
        made[family] = make_signatory(
            given_name=given,
            family_name=family,
            country=country,
            political_group=group(abbreviation),
        )
    for family in ("ROSSI", "HOXHA", "MARTIN", "50%_OFF", "VERDI", "META"):
        make_signature(declaration, made[family])
    make_signature(make_declaration(number=701), made["BIANCHI"])
    make_signature(make_declaration(number=702), made["VERDI"])
    # Signed 700 for Albania as SOC, while Italian and EPP/CD now.
    Signature.objects.filter(declaration=declaration, signatory=made["META"]).update(
        country="IT", political_group=group("SOC")
    )
    return made


def listed(client, **params):
    """The family names of the rows of the list of signatories, in its order."""
    response = client.get(reverse("signatories:signatory_list"), params)
    assert response.status_code == 200
    return [row.family_name for row in response.context["object_list"]]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["50%_OFF", "BIANCHI", "HOXHA", "MARTIN", "META", "ROSSI", "VERDI"]),
        ({"country": "it", "group": "soc"}, ["ROSSI", "VERDI"]),
        (
            {"country": ["it", "AL"], "group": ["soc", "epp-cd"]},
            ["BIANCHI", "HOXHA", "META", "ROSSI", "VERDI"],
        ),
        ({"country": ["it", "IT"]}, ["BIANCHI", "ROSSI", "VERDI"]),
        ({"q": "50%_"}, ["50%_OFF"]),
        ({"q": "%"}, ["50%_OFF"]),
        ({"q": "ross anna"}, ["ROSSI"]),
        ({"declaration": 700, "country": "it"}, ["META", "ROSSI", "VERDI"]),
        ({"declaration": 700, "group": "soc", "country": "it"}, ["META", "ROSSI", "VERDI"]),
        ({"declaration": 701}, ["BIANCHI"]),
        ({"declaration": 2147483648}, []),
        ({"sort": "signed", "country": "it"}, ["VERDI", "BIANCHI", "ROSSI"]),
        ({"country": "zz"}, []),  # the form's error
    ],
)
def test_the_list_of_signatories_shows_the_rows_each_choice_keeps(client, members, params, names):
    assert listed(client, **params) == names


@pytest.mark.parametrize(
    "params",
    [{}, {"country": "it"}, {"q": "i", "sort": "signed"}, {"declaration": 700, "group": "soc"}],
)
def test_every_page_of_the_list_is_the_orm_s_slice_of_it(client, members, monkeypatch, params):
    monkeypatch.setattr(SignatoryListView, "paginate_by", 2)
    data = QueryDict(mutable=True)
    data.update(params)
    expected = list(
        SignatoryFilter(data, queryset=Signatory.objects.public().with_counts()).qs.values_list(
            "family_name", flat=True
        )
    )
    assert len(expected) >= 3  # two pages at least
    shown = []
    for page in range(1, (len(expected) + 1) // 2 + 1):
        shown += listed(client, page=page, **params)
    assert shown == expected


def api_listed(client, **params):
    """The family names of the rows of the API's list of signatories, in its order; and the
    size of the list it says."""
    response = client.get(reverse("api:signatory-list"), params)
    assert response.status_code == 200, response.content
    body = response.json()
    return [row["family_name"] for row in body["results"]], body["count"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"country": "it", "group": "soc"},
        {"country": ["it", "AL"], "group": ["soc", "epp-cd"]},
        {"q": "50%_"},
        {"q": "ross anna"},
        {"declaration": 700, "country": "it"},
        {"declaration": 701},
        {"declaration": 2147483648},
        {"sort": "signed", "country": "it"},
        {"sort": "signed", "q": "i"},
    ],
)
def test_the_api_lists_the_rows_the_pages_list_page_by_page(
    client, members, monkeypatch, settings, params
):
    """The API's pages are read by the same prepared queries as the pages' lists: the same
    rows in the same order, and every page the ORM's slice of the filtered list."""
    rows, count = api_listed(client, **params)
    assert rows == listed(client, **params)
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    # The API's list before any filter is in the order of names (sort_name, country, pk).
    queryset = Signatory.objects.public().with_counts().order_by("sort_name", "country", "pk")
    expected = list(
        SignatoryFilter(data, queryset=queryset).qs.values_list("family_name", flat=True)
    )
    assert (rows, count) == (expected, len(expected))
    monkeypatch.setattr("declaration_site.lib.paging.CountedPagination.page_size", 2)
    shown = []
    for page in range(1, (len(expected) + 1) // 2 + 1):
        shown += api_listed(client, page=page, **params)[0]
    assert shown == expected


def test_the_api_reads_its_pages_by_a_prepared_query(client, members):
    from signatories.api import SignatorySerializer, SignatoryViewSet

    query = page_query(SignatoryViewSet, tuple(SignatorySerializer.columns))
    query._prepared.clear()
    assert api_listed(client, country="fr", group="soc") == (["MARTIN"], 1)
    assert api_listed(client, country="al", group="soc") == (["HOXHA"], 1)
    assert len(query._prepared) == 1  # one shape of page, run with two sets of values


def test_more_shapes_than_kept_are_read_by_the_orm_alike(client, members, monkeypatch):
    SIGNATORY_PAGE = page_query(SignatoryListView, tuple(SignatoryListView.row_class.COLUMNS))
    kept = listed(client, country="it", group="soc")
    monkeypatch.setattr(SIGNATORY_PAGE, "most_shapes", 0)
    monkeypatch.setattr(SIGNATORY_PAGE, "_prepared", {})
    assert listed(client, country="it", group="soc") == kept == ["ROSSI", "VERDI"]
    assert SIGNATORY_PAGE._prepared == {}


def test_a_page_of_the_list_runs_the_sql_the_orm_builds(members):
    SIGNATORY_PAGE = page_query(SignatoryListView, tuple(SignatoryListView.row_class.COLUMNS))
    chosen = {"words": ["a%b"], "declaration": 700, "countries": ["IT", "AL"], "groups": ["soc"]}
    shape, values = split_arguments({**chosen, "sort": "signed"}, fixed=("sort",))
    for bounds in [(0, 50), (50, 100)]:
        built = SIGNATORY_PAGE.build((shape, *bounds), *values).query.sql_with_params()
        assert SIGNATORY_PAGE.sql_with_params((shape, *bounds), *values) == (
            built[0],
            tuple(built[1]),
        )


# A declaration's and a signatory's page read their record by a prepared query, one for the
# public and one for staff who preview.


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_a_record_page_reads_the_record_the_orm_reads(client, members):
    declaration = Declaration.objects.get(number=700)
    shown = client.get(declaration.get_absolute_url()).context["declaration"]
    assert field_values(shown) == field_values(declaration)
    signatory = Signatory.objects.select_related("political_group").get(family_name="META")
    shown = client.get(signatory.get_absolute_url()).context["signatory"]
    assert field_values(shown) == field_values(signatory)
    assert field_values(shown.political_group) == field_values(signatory.political_group)
    assert "political_group" in shown._state.fields_cache  # read with the signatory, no query


def test_a_signatory_without_a_group_is_shown_without_one(client):
    signatory = make_signatory(family_name="NOGROUP")
    make_signature(make_declaration(), signatory)
    Signatory.objects.filter(pk=signatory.pk).update(
        political_group=None, affiliation_is_manual=True
    )
    shown = client.get(signatory.get_absolute_url()).context["signatory"]
    assert shown.political_group is None


def test_a_draft_is_found_only_by_staff_who_preview(client, admin_client):
    draft = make_declaration(number=710, status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert admin_client.get(draft.get_absolute_url()).context["declaration"].pk == draft.pk
    assert client.get("/declarations/2147483648/").status_code == 404  # no record's number


# The lists of declarations and of detainees read their pages alike.


@pytest.fixture
def named(members):
    """Detainees named in declarations 700 and 701, and one not yet published."""
    first, second = Declaration.objects.get(number=700), Declaration.objects.get(number=701)
    make_mention(first, make_detainee(name="Aigul Utepova", country="KZ"))
    make_mention(first, make_detainee(name="Max 100%_Free", country="BY", status="sentenced"))
    make_mention(second, make_detainee(name="Daniyar Adilbekov", country="KZ"))
    make_mention(second, make_detainee(name="Hidden Person", country="KZ", is_published=False))


def names_listed(client, view_name, column, **params):
    response = client.get(reverse(view_name), params)
    assert response.status_code == 200
    return [getattr(row, column) for row in response.context["object_list"]]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["Max 100%_Free", "Daniyar Adilbekov", "Aigul Utepova"]),  # by family name
        ({"country": "kz"}, ["Daniyar Adilbekov", "Aigul Utepova"]),
        ({"q": "100%_"}, ["Max 100%_Free"]),
        ({"status": "sentenced"}, ["Max 100%_Free"]),
        ({"declaration": 700, "country": "KZ"}, ["Aigul Utepova"]),
        ({"declaration": 2147483648}, []),
        ({"status": "nonsense"}, []),  # the form's error
    ],
)
def test_the_list_of_detainees_shows_the_rows_each_choice_keeps(client, named, params, names):
    assert names_listed(client, "prisoners:detainee_list", "name", **params) == names


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({}, [702, 701, 700]),
        ({"group": ["soc", "alde"]}, [700]),  # a member of each signed it, as such
        ({"group": ["soc", "epp-cd"]}, []),
        ({"country": "al"}, [700]),
        ({"q": "700"}, [700]),
        ({"q": "number 70"}, [702, 701, 700]),
        ({"q": "%"}, []),
        ({"year": "2020", "group": "epp-cd"}, [701]),  # read by the ORM
    ],
)
def test_the_list_of_declarations_shows_the_rows_each_choice_keeps(
    client, members, params, numbers
):
    assert names_listed(client, "signatories:declaration_list", "number", **params) == numbers


@pytest.mark.parametrize(
    ("view", "name", "column", "params"),
    [
        (DetaineeListView, "prisoners:detainee_list", "slug", {}),
        (DetaineeListView, "prisoners:detainee_list", "slug", {"q": "a"}),
        (DeclarationListView, "signatories:declaration_list", "number", {}),
        (DeclarationListView, "signatories:declaration_list", "number", {"q": "declaration"}),
    ],
)
def test_every_page_of_these_lists_is_the_orm_s_slice_of_them(
    client, named, monkeypatch, view, name, column, params
):
    monkeypatch.setattr(view, "paginate_by", 2)
    data = QueryDict(mutable=True)
    data.update(params)
    expected = list(
        view.filterset_class(data, queryset=view.listed()).qs.values_list(column, flat=True)
    )
    assert len(expected) >= 3  # two pages at least
    shown = []
    for page in range(1, (len(expected) + 1) // 2 + 1):
        shown += names_listed(client, name, column, page=page, **params)
    assert shown == expected


def test_a_declaration_s_page_lists_its_sources_in_their_order(client, members):
    declaration = Declaration.objects.get(number=700)
    declaration.sources.add(
        Source.objects.create(title="Report B", publisher="Agency", url="https://example.org/b"),
        Source.objects.create(title="Article A", published_on=datetime.date(2019, 10, 5)),
    )
    shown = client.get(declaration.get_absolute_url()).context["sources"]
    assert [field_values(source) for source in shown] == [
        field_values(source) for source in declaration.sources.all()
    ]
    assert [source.title for source in shown] == ["Article A", "Report B"]


def test_constant_numbers_and_plain_words_are_written_into_the_sql(members):
    """So that SQLite uses a partial index (`WHERE public_declaration_count > 0`); anything
    else that is constant stays bound, and a request's values always do."""
    awkward = "O'BRIEN %_\\"
    make_signature(make_declaration(), make_signatory(family_name=awkward, country="IE"))
    prepared = PreparedQuery(
        lambda shape, country: (
            Signatory.objects.public()
            .filter(Q(family_name=awkward) | Q(family_name="ROSSI"))
            .filter(country=country)
            .values_list("family_name")
        )
    )
    assert prepared.rows(None, "IE") == [(awkward,)]
    assert prepared.rows(None, "IT") == [("ROSSI",)]
    statement = prepared._statement(None, ("IE",), "default")
    assert "> 0" in statement.run_sql and "'ROSSI'" in statement.run_sql
    assert awkward not in statement.run_sql
    assert [step[0] for step in statement.run_recipe] == ["constant", "value"]
