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
    documented,
    parameter,
)
from signatories import api as declarations_api

from .filters import DetaineeFilter
from .models import Detainee, Mention

DetaineeAPIFilter = documented(
    DetaineeFilter,
    q=parameter({"type": "string"}, "Every word in any spelling of the name, ignoring accents."),
    country=parameter(COUNTRY, "ISO 3166-1 alpha-2 code, in any case: held in this country."),
    declaration=parameter(DECLARATION, "Named in this declaration (its number)."),
)


class DetaineeSerializer(serializers.ModelSerializer):
    other_names = serializers.SerializerMethodField()
    country = CountryCodeField(allow_null=True, help_text="Where the person is held.")
    country_name = serializers.CharField(source="country.name")
    status_label = serializers.CharField(source="get_status_display")
    declaration_count = serializers.IntegerField(
        read_only=True, help_text="Published declarations that name this person."
    )
    url = PageURLField()

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


class MentionSerializer(serializers.ModelSerializer):
    """A published declaration naming the detainee, with the spelling it uses."""

    number = serializers.IntegerField(source="declaration.number")
    date = serializers.DateField(source="declaration.date")
    title = serializers.CharField(source="declaration.title")
    title_fr = serializers.CharField(source="declaration.title_fr")
    url = PageURLField(source="declaration")

    class Meta:
        model = Mention
        fields = ["number", "date", "title", "title_fr", "name_as_written", "url"]


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

    def get_queryset(self):
        queryset = Detainee.objects.public().with_counts().order_by("sort_name", "name", "slug")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Mention.objects.prefetched_as_public(
                    "declaration", "-declaration__date", "-declaration__number"
                )
            )
        return queryset


class NamedDetaineeSerializer(serializers.ModelSerializer):
    """A published detainee that a declaration names, with the spelling used there."""

    slug = serializers.CharField(source="detainee.slug")
    name = serializers.CharField(source="detainee.name")
    url = PageURLField(source="detainee")

    class Meta:
        model = Mention
        fields = ["slug", "name", "name_as_written", "url"]


class DeclarationDetailSerializer(declarations_api.DeclarationDetailSerializer):
    """A declaration's record with the published detainees it names."""

    detainees = NamedDetaineeSerializer(source="public_mentions", many=True, read_only=True)

    class Meta(declarations_api.DeclarationDetailSerializer.Meta):
        fields = [*declarations_api.DeclarationDetailSerializer.Meta.fields, "detainees"]


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
