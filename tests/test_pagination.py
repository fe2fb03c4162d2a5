"""Paginated public lists: every row once, in the list's order, however far the page
(`declaration_site.lib.views.RowsByKeyPaginator` reads a page's rows by their keys)."""

import datetime

import pytest

from signatories.models import Declaration, Signatory, Signature

from .factories import group

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    """120 declarations over 40 days in two years, signed by 130 signatories: three pages of
    each, with ties on the date and on the count signed. Written in bulk, then recounted."""
    soc = group("SOC")
    signatories = Signatory.objects.bulk_create(
        Signatory(
            family_name=f"NAME{number % 7}",
            given_name=f"Given {number:03d}",
            sort_name=f"name{number % 7} given {number:03d}",
            search_name=f"given {number:03d} name{number % 7}",
            slug=f"given-{number:03d}",
            country="FR",
            political_group=soc,
        )
        for number in range(130)
    )
    declarations = Declaration.objects.bulk_create(
        Declaration(
            number=5000 + number,
            document_reference=str(15000 + number),
            slug=str(5000 + number),
            date=datetime.date(2020, 12, 10) + datetime.timedelta(number % 40),
            title=f"Declaration {number}",
            status=Declaration.Status.PUBLISHED,
        )
        for number in range(120)
    )
    Signature.objects.bulk_create(
        Signature(
            declaration=declaration,
            signatory=signatory,
            position=position,
            country="FR",
            political_group=soc,
        )
        for number, declaration in enumerate(declarations)
        for position, signatory in enumerate(
            (signatories[(3 * number + step) % 130] for step in range(3)), start=1
        )
    )
    Signatory.objects.recount()


def pages(client, address, count):
    joiner = "&" if "?" in address else "?"
    rows = []
    for number in range(1, count + 1):
        response = client.get(f"{address}{joiner}page={number}")
        rows += [row.pk for row in response.context["object_list"]]
    return rows


def test_the_pages_of_declarations_are_the_list_in_order(client, record):
    expected = Declaration.objects.public().order_by("-date", "-number")

    assert pages(client, "/declarations/", 3) == list(expected.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("?sort=name", ("sort_name", "country", "pk")),
        ("?sort=signed", ("-public_declaration_count", "sort_name", "pk")),
    ],
)
def test_the_pages_of_signatories_are_the_list_in_order(client, record, query, order):
    expected = list(Signatory.objects.public().order_by(*order).values_list("pk", flat=True))

    assert len(expected) > 100
    assert pages(client, f"/signatories/{query}", 3) == expected


def test_a_filtered_page_is_that_page_of_the_filtered_list(client, record):
    response = client.get("/declarations/?year=2021&page=2")

    in_2021 = Declaration.objects.public().filter(date__year=2021).order_by("-date", "-number")
    assert in_2021.count() > 50
    assert [row.pk for row in response.context["object_list"]] == list(
        in_2021.values_list("pk", flat=True)[50:100]
    )


@pytest.mark.parametrize(
    ("query", "arguments"),
    [
        ("", "page=2"),
        ("", "page=None"),
        ("page=3", "page=None"),
        ("country=it&country=FR&group=soc&page=2", "page=3"),
        ("country=it&country=FR&group=soc&page=2", "page=None"),
        ("q=%C3%85berg+%26+Sons&sort=name", "page=2"),
        ("q=a%2Bb%3Dc&page=9", "q=None page=None"),
        ("group=soc", "group=groups"),
        ("group=soc&page=2", "country=None"),
        ("x=%00&x=", "page=1"),
    ],
)
def test_links_to_other_pages_keep_every_other_parameter_as_django_writes_them(
    rf, query, arguments
):
    """`{% load querystrings %}` gives the same links as Django's own `{% querystring %}`,
    without its copy of the whole query."""
    from django.template import engines

    engine = engines["django"]
    ours = engine.from_string("{% load querystrings %}{% querystring " + arguments + " %}")
    djangos = engine.from_string("{% querystring " + arguments + " %}")
    for address in (f"/signatories/?{query}", "/signatories/"):
        request = rf.get(address)
        context = {"groups": ["epp", "uel"]}
        assert ours.render(context, request) == djangos.render(context, request)
