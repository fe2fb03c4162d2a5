"""The API's records are written by hand, row by row (see RowSerializer): every record of each
list and detail, field by field, is what the models hold, and what the declared fields (the
ones the OpenAPI schema describes) would give."""

import datetime
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from declaration_site.lib.api import RowSerializer
from prisoners import api as detainees_api
from prisoners.models import Detainee, Mention
from signatories import api as declarations_api
from signatories.models import Declaration, PoliticalGroup, Signatory, Signature

from .factories import group, make_declaration, make_detainee, make_mention, make_signature

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

SITE = "http://testserver"


@pytest.fixture
def record(demo):
    """The demo, and what it lacks: a signatory and a signature without a group, a detainee
    without a country, with dates, other names and a second declaration naming them."""
    schwabe = Signatory.objects.get(family_name="SCHWABE")
    Signatory.objects.filter(pk=schwabe.pk).update(political_group=None)
    Signature.objects.filter(signatory=schwabe).update(political_group=None)
    later = make_declaration(
        number=700, date=datetime.date(2020, 3, 1), title="Later", title_fr="Plus tard"
    )
    make_signature(later, Signatory.objects.get(family_name="MAIRE"), political_group=group("NR"))
    released = make_detainee(
        name="Ana Released",
        other_names="Ana Relased\nAna Released\n\nАна",
        status="released",
        detained_on=datetime.date(2019, 1, 2),
        released_on=datetime.date(2021, 3, 4),
        charges="None known",
    )
    make_mention(later, released, name_as_written="Ana Relased")
    make_mention(demo, released)
    return demo


def same(written, expected):
    """Equal, keys in the same order too (as the JSON writes them), however deep."""
    assert written == expected
    assert json.dumps(written) == json.dumps(expected)


def results(client, name, **params):
    response = client.get(reverse(f"api:{name}-list"), params)
    assert response.status_code == 200
    return response.json()["results"]


def country(value):
    return value.code or None


def test_declaration_rows_are_the_declarations(client, record):
    declarations = Declaration.objects.public().order_by("-date", "-number")
    same(
        results(client, "declaration"),
        [
            {
                "number": declaration.number,
                "document_reference": declaration.document_reference,
                "date": declaration.date.isoformat(),
                "title": declaration.title,
                "title_fr": declaration.title_fr,
                "signature_count": declaration.signatures.count(),
                "url": SITE + declaration.get_absolute_url(),
            }
            for declaration in declarations
        ],
    )


def test_signatory_rows_are_the_signatories(client, record):
    signatories = Signatory.objects.public().order_by("sort_name", "country", "pk")
    rows = results(client, "signatory")
    same(
        rows,
        [
            {
                "slug": signatory.slug,
                "honorific": signatory.honorific,
                "given_name": signatory.given_name,
                "family_name": signatory.family_name,
                "name": f"{signatory.given_name} {signatory.family_name}".strip(),
                "country": country(signatory.country),
                "country_name": signatory.country.name,
                "group": signatory.political_group and signatory.political_group.abbreviation,
                "group_slug": signatory.political_group and signatory.political_group.slug,
                "declarations_signed": signatory.signatures.filter(
                    declaration__status="published"
                ).count(),
                "url": SITE + signatory.get_absolute_url(),
            }
            for signatory in signatories
        ],
    )
    assert {"group": None, "group_slug": None}.items() <= rows_by(rows)["frank-schwabe"].items()
    assert rows_by(rows)["jacques-maire"]["declarations_signed"] == 2


def rows_by(rows, key="slug"):
    return {row[key]: row for row in rows}


def test_detainee_rows_are_the_detainees(client, record):
    detainees = Detainee.objects.public().order_by("sort_name", "name", "slug")
    rows = results(client, "detainee")
    same(
        rows,
        [
            {
                "slug": detainee.slug,
                "name": detainee.name,
                "other_names": detainee.all_names()[1:],
                "country": country(detainee.country),
                "country_name": detainee.country.name,
                "status": detainee.status,
                "status_label": detainee.get_status_display(),
                "detained_on": detainee.detained_on and detainee.detained_on.isoformat(),
                "released_on": detainee.released_on and detainee.released_on.isoformat(),
                "declaration_count": detainee.mentions.count(),
                "url": SITE + detainee.get_absolute_url(),
            }
            for detainee in detainees
        ],
    )
    released = rows_by(rows)["ana-released"]
    assert released["other_names"] == ["Ana Relased", "Ана"]
    assert (released["country"], released["country_name"]) == (None, "")
    assert (released["status_label"], released["released_on"]) == ("Released", "2021-03-04")


def test_group_and_country_rows_are_the_groups_and_delegations(client, record):
    groups = PoliticalGroup.objects.order_by("abbreviation")
    same(
        results(client, "group"),
        [
            {
                "abbreviation": political_group.abbreviation,
                "slug": political_group.slug,
                "name": political_group.name,
                "abbreviation_fr": political_group.abbreviation_fr,
                "name_fr": political_group.name_fr,
                "founded": political_group.founded,
                "dissolved": political_group.dissolved,
                "successor": political_group.successor and political_group.successor.slug,
                "signatory_count": Signature.objects.public()
                .filter(political_group=political_group)
                .values("signatory")
                .distinct()
                .count(),
                "url": SITE + political_group.get_absolute_url(),
            }
            for political_group in groups
        ],
    )
    signatures = Signature.objects.public()
    codes = sorted(set(signatures.values_list("country", flat=True)))
    same(
        results(client, "country"),
        [
            {
                "code": code,
                "name": signatures.filter(country=code).first().country.name,
                "signatory_count": signatures.filter(country=code)
                .values("signatory")
                .distinct()
                .count(),
                "url": f"{SITE}/countries/{code.lower()}/",
            }
            for code in codes
        ],
    )


def test_declaration_detail_is_the_declaration_its_signatures_and_detainees(client, record):
    data = client.get(reverse("api:declaration-detail", args=[695])).json()
    signatures = record.signatures.select_related("signatory", "political_group")
    mentions = Mention.objects.public().filter(declaration=record).select_related("detainee")
    same(
        data,
        {
            "number": 695,
            "document_reference": record.document_reference,
            "date": "2019-10-04",
            "title": record.title,
            "title_fr": record.title_fr,
            "signature_count": 25,
            "url": f"{SITE}/declarations/695/",
            "text": record.text,
            "text_fr": record.text_fr,
            "source_url": record.source_url,
            "signatures": [
                {
                    "position": signature.position,
                    "signatory": {
                        "slug": signature.signatory.slug,
                        "name": signature.signatory.full_name,
                        "url": SITE + signature.signatory.get_absolute_url(),
                    },
                    "country": country(signature.country),
                    "group": signature.political_group and signature.political_group.abbreviation,
                }
                for signature in signatures.order_by("position")
            ],
            "detainees": [
                {
                    "slug": mention.detainee.slug,
                    "name": mention.detainee.name,
                    "name_as_written": mention.name_as_written,
                    "url": SITE + mention.detainee.get_absolute_url(),
                }
                for mention in mentions.order_by("detainee__name", "detainee__slug")
            ],
        },
    )
    assert data["signatures"][-1]["group"] is None
    assert "Ana Released" in [row["name"] for row in data["detainees"]]


def test_signatory_and_detainee_details_list_what_they_signed_and_where_named(client, record):
    data = client.get(reverse("api:signatory-detail", args=["jacques-maire"])).json()
    same(
        data["signatures"],
        [
            {
                "declaration": 700,
                "date": "2020-03-01",
                "title": "Later",
                "title_fr": "Plus tard",
                "position": 1,
                "country": "FR",
                "group": "NR",
            },
            {
                "declaration": 695,
                "date": "2019-10-04",
                "title": record.title,
                "title_fr": record.title_fr,
                "position": record.signatures.get(signatory__slug="jacques-maire").position,
                "country": "FR",
                "group": "ALDE",
            },
        ],
    )
    data = client.get(reverse("api:detainee-detail", args=["ana-released"])).json()
    same(
        {key: data[key] for key in ("charges", "sentence", "place_of_detention")},
        {
            "charges": "None known",
            "sentence": "",
            "place_of_detention": "",
        },
    )
    same(
        data["mentions"],
        [
            {
                "number": 700,
                "date": "2020-03-01",
                "title": "Later",
                "title_fr": "Plus tard",
                "name_as_written": "Ana Relased",
                "url": f"{SITE}/declarations/700/",
            },
            {
                "number": 695,
                "date": "2019-10-04",
                "title": record.title,
                "title_fr": record.title_fr,
                "name_as_written": "Ana Released",
                "url": f"{SITE}/declarations/695/",
            },
        ],
    )


# Each serializer's row() against its declared fields, on every record the views give it. A
# record's declared fields write the records nested in it with their own row(), which the
# same test checks against their own declared fields.


def declared(serializer_class, instances):
    """What DRF writes for each instance from the serializer's declared fields."""
    serializer = serializer_class(context={"request": APIRequestFactory().get("/api/")})
    return [serializer.declared_representation(instance) for instance in instances]


def view_queryset(viewset_class, action):
    return viewset_class(action=action, kwargs={}).get_queryset()


public_signatures = Signature.objects.public().select_related(
    "declaration", "signatory", "political_group"
)
public_mentions = Mention.objects.public().select_related("declaration", "detainee")
SERIALIZERS = {
    "declaration detail": (
        detainees_api.DeclarationDetailSerializer,
        lambda: view_queryset(detainees_api.DeclarationViewSet, "retrieve"),
    ),
    "declaration detail without detainees": (
        declarations_api.DeclarationDetailSerializer,
        lambda: view_queryset(declarations_api.DeclarationViewSet, "retrieve"),
    ),
    "signature": (declarations_api.SignatureSerializer, lambda: public_signatures),
    "signatory reference": (
        declarations_api.SignatoryReferenceSerializer,
        lambda: Signatory.objects.public(),
    ),
    "signatory detail": (
        declarations_api.SignatoryDetailSerializer,
        lambda: view_queryset(declarations_api.SignatoryViewSet, "retrieve"),
    ),
    "signed declaration": (declarations_api.SignedDeclarationSerializer, lambda: public_signatures),
    "country": (
        declarations_api.CountrySerializer,
        lambda: view_queryset(declarations_api.CountryViewSet, "list"),
    ),
    "detainee detail": (
        detainees_api.DetaineeDetailSerializer,
        lambda: view_queryset(detainees_api.DetaineeViewSet, "retrieve"),
    ),
    "mention": (detainees_api.MentionSerializer, lambda: public_mentions),
    "named detainee": (detainees_api.NamedDetaineeSerializer, lambda: public_mentions),
}


@pytest.mark.parametrize("name", SERIALIZERS)
def test_each_record_is_what_its_declared_fields_give(record, name):
    serializer_class, instances = SERIALIZERS[name]
    assert issubclass(serializer_class, RowSerializer)
    instances = list(instances())
    assert len(instances) > 1
    serializer = serializer_class(context={"request": APIRequestFactory().get("/api/")})
    rows = [serializer.row(instance, serializer.rows()) for instance in instances]
    same(rows, declared(serializer_class, instances))


LISTS = {
    "declaration": (
        declarations_api.DeclarationSerializer,
        lambda: view_queryset(detainees_api.DeclarationViewSet, "list"),
    ),
    "signatory": (
        declarations_api.SignatorySerializer,
        lambda: view_queryset(declarations_api.SignatoryViewSet, "list"),
    ),
    "group": (
        declarations_api.GroupSerializer,
        lambda: (
            PoliticalGroup.objects.public()
            .with_counts()
            .select_related("successor")
            .order_by("abbreviation")
        ),
    ),
    "detainee": (
        detainees_api.DetaineeSerializer,
        lambda: view_queryset(detainees_api.DetaineeViewSet, "list"),
    ),
}


@pytest.mark.parametrize("name", LISTS)
def test_each_list_row_is_what_its_declared_fields_give(client, record, name):
    """The lists read named tuples of values, not model instances: each row is still what the
    declared fields give for the model instance."""
    serializer_class, instances = LISTS[name]
    instances = list(instances())
    assert len(instances) > 1
    same(results(client, name), declared(serializer_class, instances))


def test_each_group_alone_is_what_its_declared_fields_give(client, record):
    _serializer_class, instances = LISTS["group"]
    for instance, expected in zip(
        instances(), declared(declarations_api.GroupSerializer, instances()), strict=True
    ):
        response = client.get(reverse("api:group-detail", args=[instance.slug]))
        same(response.json(), expected)


def test_every_serializer_of_the_api_is_checked_here():
    checked = {serializer for serializer, _instances in SERIALIZERS.values()}
    checked |= {serializer for serializer, _instances in LISTS.values()}
    defined = {
        value
        for module in (declarations_api, detainees_api)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, RowSerializer)
        and value is not RowSerializer
    }
    assert defined == checked


@pytest.mark.parametrize("name", ["declaration", "signatory", "detainee"])
def test_a_list_without_filters_is_the_list_its_filters_give_when_empty(client, record, name):
    """Without a filter in the address the FilterSet is not built: the rows are still those it
    gives when every filter is empty (an empty `q` builds it)."""
    unfiltered = client.get(reverse(f"api:{name}-list")).json()
    assert unfiltered["count"] > 1
    same(unfiltered, client.get(reverse(f"api:{name}-list"), {"q": ""}).json())
