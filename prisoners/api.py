"""The read-only JSON API over the published detainees and the declarations that name them,
and the detainees named in a declaration's own record (`DeclarationViewSet`)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from declaration_site.lib.api import (
    COUNTRY,
    DECLARATION,
    SLUG,
    CountryCodeField,
    PageURLField,
    PublicViewSet,
    RowSerializer,
    documented,
    parameter,
)
from signatories import api as declarations_api
from signatories.api import iso_date

from .filters import DetaineeFilter
from .models import Detainee, Mention

DetaineeAPIFilter = documented(
    DetaineeFilter,
    q=parameter({"type": "string"}, "Every word in any spelling of the name, ignoring accents."),
    country=parameter(COUNTRY, "ISO 3166-1 alpha-2 code, in any case: held in this country."),
    declaration=parameter(DECLARATION, "Named in this declaration (its number)."),
)


DETAINEE_PAGE = ("prisoners:detainee_detail", "slug")

# As in signatories/api.py, each serializer writes its records by hand in `row()`; a list's
# rows are named tuples of `columns`, the records nested in a detail model instances.


class DetaineeSerializer(RowSerializer, serializers.ModelSerializer):
    other_names = serializers.SerializerMethodField()
    country = CountryCodeField(allow_null=True, help_text="Where the person is held.")
    country_name = serializers.CharField(source="country.name")
    status_label = serializers.CharField(source="get_status_display")
    declaration_count = serializers.IntegerField(
        read_only=True, help_text="Published declarations that name this person."
    )
    url = PageURLField()

    columns = [
        "slug",
        "name",
        "other_names",
        "country",
        "status",
        "detained_on",
        "released_on",
        "declaration_count",
    ]

    class Meta:
        model = Detainee
        fields = [
            "slug",
            "name",
            "other_names",
            "country",
            "country_name",
            "status",
            "status_label",
            "detained_on",
            "released_on",
            "declaration_count",
            "url",
        ]

    def get_other_names(self, detainee) -> list[str]:
        return detainee.all_names()[1:]

    @staticmethod
    def row(detainee, rows):
        return {
            "slug": detainee.slug,
            "name": detainee.name,
            # The model's own method, on the row's names.
            "other_names": Detainee.all_names(detainee)[1:],
            "country": rows.country_code(detainee.country),
            "country_name": rows.country_name(detainee.country),
            "status": detainee.status,
            "status_label": rows.choice_label(Detainee, "status", detainee.status),
            "detained_on": iso_date(detainee.detained_on),
            "released_on": iso_date(detainee.released_on),
            "declaration_count": detainee.declaration_count,
            "url": rows.url(*DETAINEE_PAGE, detainee.slug),
        }


class MentionSerializer(RowSerializer, serializers.ModelSerializer):
    """A published declaration naming the detainee, with the spelling it uses."""

    number = serializers.IntegerField(source="declaration.number")
    date = serializers.DateField(source="declaration.date")
    title = serializers.CharField(source="declaration.title")
    title_fr = serializers.CharField(source="declaration.title_fr")
    url = PageURLField(source="declaration")

    class Meta:
        model = Mention
        fields = ["number", "date", "title", "title_fr", "name_as_written", "url"]

    @staticmethod
    def row(mention, rows):
        declaration = mention.declaration
        return {
            "number": declaration.number,
            "date": iso_date(declaration.date),
            "title": declaration.title,
            "title_fr": declaration.title_fr,
            "name_as_written": mention.name_as_written,
            "url": rows.url(*declarations_api.DECLARATION_PAGE, declaration.number),
        }


class DetaineeDetailSerializer(DetaineeSerializer):
    mentions = MentionSerializer(source="public_mentions", many=True, read_only=True)

    class Meta(DetaineeSerializer.Meta):
        fields = [
            *DetaineeSerializer.Meta.fields,
            "charges",
            "sentence",
            "place_of_detention",
            "summary",
            "mentions",
        ]

    @staticmethod
    def row(detainee, rows):
        return {
            "slug": detainee.slug,
            "name": detainee.name,
            "other_names": detainee.all_names()[1:],
            "country": detainee.country.code or None,
            "country_name": detainee.country.name,
            "status": detainee.status,
            "status_label": detainee.get_status_display(),
            "detained_on": iso_date(detainee.detained_on),
            "released_on": iso_date(detainee.released_on),
            "declaration_count": detainee.declaration_count,
            "url": rows.url(*DETAINEE_PAGE, detainee.slug),
            "charges": detainee.charges,
            "sentence": detainee.sentence,
            "place_of_detention": detainee.place_of_detention,
            "summary": detainee.summary,
            "mentions": [
                MentionSerializer.row(mention, rows) for mention in detainee.public_mentions
            ],
        }


@extend_schema_view(
    list=extend_schema(
        description="Published detainees named in declarations, by name. `q` searches "
        "every spelling of a name."
    ),
    retrieve=extend_schema(
        description="One published detainee, with the published declarations that name "
        "them, newest first, and the spelling each one uses.",
        parameters=[SLUG],
    ),
)
class DetaineeViewSet(PublicViewSet):
    serializer_class = DetaineeSerializer
    detail_serializer_class = DetaineeDetailSerializer
    filterset_class = DetaineeAPIFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @classmethod
    def listed(cls):
        return Detainee.objects.public().with_counts().order_by("sort_name", "name", "slug")

    def get_queryset(self):
        queryset = self.listed()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Mention.objects.prefetched_as_public(
                    "declaration", "-declaration__date", "-declaration__number"
                )
            )
        return queryset


class NamedDetaineeSerializer(RowSerializer, serializers.ModelSerializer):
    """A published detainee that a declaration names, with the spelling used there."""

    slug = serializers.CharField(source="detainee.slug")
    name = serializers.CharField(source="detainee.name")
    url = PageURLField(source="detainee")

    class Meta:
        model = Mention
        fields = ["slug", "name", "name_as_written", "url"]

    @staticmethod
    def row(mention, rows):
        detainee = mention.detainee
        return {
            "slug": detainee.slug,
            "name": detainee.name,
            "name_as_written": mention.name_as_written,
            "url": rows.url(*DETAINEE_PAGE, detainee.slug),
        }


class DeclarationDetailSerializer(declarations_api.DeclarationDetailSerializer):
    """A declaration's record with the published detainees it names."""

    detainees = NamedDetaineeSerializer(source="public_mentions", many=True, read_only=True)

    class Meta(declarations_api.DeclarationDetailSerializer.Meta):
        fields = [*declarations_api.DeclarationDetailSerializer.Meta.fields, "detainees"]

    @staticmethod
    def row(declaration, rows):
        return {
            **declarations_api.DeclarationDetailSerializer.row(declaration, rows),
            "detainees": [
                NamedDetaineeSerializer.row(mention, rows)
                for mention in declaration.public_mentions
            ],
        }


class DeclarationViewSet(declarations_api.DeclarationViewSet):
    """The declarations' endpoints, whose records also list the detainees named."""

    detail_serializer_class = DeclarationDetailSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Mention.objects.prefetched_as_public("detainee", "detainee__name", "detainee__slug")
            )
        return queryset
