"""The read-only JSON API over declarations, signatories, political groups and countries.

Every endpoint starts from the public() rows and lists filter with the FilterSets of the public
pages, so the API and the site always agree on what is shown and what a filter means.
"""

import copy
import functools

from django.db.models import Count, Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.views.generic import TemplateView
from django_countries.fields import Country
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from prisoners.models import Detainee, Mention

from .filters import DeclarationFilter, SignatoryFilter
from .models import Declaration, PoliticalGroup, Signatory, Signature

# Filters


def documented(filterset_class, **parameters):
    """The FilterSet of a public page, its filters unchanged but for the OpenAPI schema of each
    parameter named here (type and description), which django-filter cannot tell."""
    filters = {
        name: extend_schema_field(schema)(copy.deepcopy(filterset_class.base_filters[name]))
        for name, schema in parameters.items()
    }
    return type(filterset_class.__name__, (filterset_class,), filters)


# ISO 3166-1 alpha-2, in any case; a political group's slug; a declaration's number.
COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$", "example": "IT"}
GROUP = {"type": "string", "example": "epp-cd"}
DECLARATION = {"type": "integer", "minimum": 1, "example": 695}


def parameter(schema, description):
    return {**schema, "description": description}


DeclarationAPIFilter = documented(
    DeclarationFilter,
    q=parameter(
        {"type": "string"}, "Words in the title, text or document reference, or the number."
    ),
    year=parameter({"type": "integer", "example": 2019}, "Year of the declaration."),
    country=parameter(
        COUNTRY,
        "ISO 3166-1 alpha-2 code, in any case: signed by a member of this delegation (as of "
        "signing).",
    ),
    group=parameter(GROUP, "Signed by a member of this group (as of signing)."),
)
SignatoryAPIFilter = documented(
    SignatoryFilter,
    q=parameter({"type": "string"}, "Every word in the name, ignoring case and accents."),
    country=parameter(
        COUNTRY,
        "ISO 3166-1 alpha-2 code, in any case; repeat for several. The current delegation, "
        "or with `declaration` the delegation as of signing it.",
    ),
    group=parameter(
        GROUP,
        "Political group slug; repeat for several. The current group, or with `declaration` "
        "the group as of signing it.",
    ),
    declaration=parameter(DECLARATION, "Signed this declaration (its number)."),
)


# Fields


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context.get("request"), value.get_absolute_url())


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "IT"})
class CountryCodeField(serializers.Field):
    """An ISO 3166-1 alpha-2 code, or null for an unknown country."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.code or None


def absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


# Serializers


class SignatoryReferenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name")
    url = PageURLField()

    class Meta:
        model = Signatory
        fields = ["slug", "name", "url"]


class SignatureSerializer(serializers.ModelSerializer):
    """A signature in the list of a declaration, with the affiliation as of signing."""

    signatory = SignatoryReferenceSerializer()
    country = CountryCodeField()
    group = serializers.CharField(source="political_group.abbreviation")

    class Meta:
        model = Signature
        fields = ["position", "signatory", "country", "group"]


class NamedDetaineeSerializer(serializers.ModelSerializer):
    """A published detainee that a declaration names, with the spelling used there."""

    slug = serializers.CharField(source="detainee.slug")
    name = serializers.CharField(source="detainee.name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Mention
        fields = ["slug", "name", "name_as_written", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, mention):
        return absolute(self.context.get("request"), mention.detainee.get_absolute_url())


class DeclarationSerializer(serializers.ModelSerializer):
    signature_count = serializers.IntegerField(read_only=True)
    url = PageURLField()

    class Meta:
        model = Declaration
        fields = ["number", "document_reference", "date", "title", "signature_count", "url"]


class DeclarationDetailSerializer(DeclarationSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)
    detainees = NamedDetaineeSerializer(source="public_mentions", many=True, read_only=True)

    class Meta(DeclarationSerializer.Meta):
        fields = [
            *DeclarationSerializer.Meta.fields,
            "text",
            "source_url",
            "signatures",
            "detainees",
        ]


class SignatorySerializer(serializers.ModelSerializer):
    """A signatory with the current affiliation: that of the latest declaration signed."""

    name = serializers.CharField(source="full_name")
    country = CountryCodeField()
    country_name = serializers.CharField(source="country.name")
    group = serializers.CharField(source="political_group.abbreviation", allow_null=True)
    group_slug = serializers.CharField(source="political_group.slug", allow_null=True)
    declarations_signed = serializers.IntegerField(source="declaration_count", read_only=True)
    url = PageURLField()

    class Meta:
        model = Signatory
        fields = [
            "slug",
            "honorific",
            "given_name",
            "family_name",
            "name",
            "country",
            "country_name",
            "group",
            "group_slug",
            "declarations_signed",
            "url",
        ]


class SignedDeclarationSerializer(serializers.ModelSerializer):
    """A declaration in a signatory's record, with the affiliation as of signing it."""

    declaration = serializers.IntegerField(source="declaration.number")
    date = serializers.DateField(source="declaration.date")
    title = serializers.CharField(source="declaration.title")
    country = CountryCodeField()
    group = serializers.CharField(source="political_group.abbreviation")

    class Meta:
        model = Signature
        fields = ["declaration", "date", "title", "position", "country", "group"]


class SignatoryDetailSerializer(SignatorySerializer):
    signatures = SignedDeclarationSerializer(source="public_signatures", many=True, read_only=True)

    class Meta(SignatorySerializer.Meta):
        fields = [*SignatorySerializer.Meta.fields, "signatures"]


class GroupSerializer(serializers.ModelSerializer):
    successor = serializers.CharField(
        source="successor.slug", allow_null=True, help_text="The group it became, if renamed."
    )
    signatory_count = serializers.IntegerField(
        read_only=True, help_text="Public signatories who signed as a member of this group."
    )
    url = PageURLField()

    class Meta:
        model = PoliticalGroup
        fields = [
            "abbreviation",
            "slug",
            "name",
            "abbreviation_fr",
            "name_fr",
            "founded",
            "dissolved",
            "successor",
            "signatory_count",
            "url",
        ]


class CountrySerializer(serializers.Serializer):
    """A national delegation, from the country as of signing of public signatures."""

    code = serializers.CharField(source="country")
    name = serializers.SerializerMethodField()
    signatory_count = serializers.IntegerField(
        help_text="Public signatories who signed as a member of this delegation."
    )
    url = serializers.SerializerMethodField()

    def get_name(self, row) -> str:
        return Country(code=row["country"]).name

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, row):
        url = reverse("signatories:country_detail", kwargs={"code": row["country"].lower()})
        return absolute(self.context.get("request"), url)


# Views


def path_parameter(name, kind, description):
    return OpenApiParameter(name, kind, OpenApiParameter.PATH, description=description)


SLUG = path_parameter("slug", OpenApiTypes.STR, "The slug, as in the address of the page.")


class PublicSchema(AutoSchema):
    """Documents the errors every endpoint may answer: 404 for an unknown record or page, and
    400 naming the field for a filter value that is not valid."""

    def get_response_serializers(self):
        responses = {
            200: super().get_response_serializers(),
            404: OpenApiResponse(description="No such public record, or no such page."),
        }
        if self.view.action == "list" and getattr(self.view, "filterset_class", None):
            responses[400] = OpenApiResponse(
                description="A filter value is not valid; the body names the field."
            )
        return responses


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists filter and paginate; a detail answers for one public row, whatever the filters."""

    schema = PublicSchema()
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(
        description="Published declarations, newest first (then by number, highest first)."
    ),
    retrieve=extend_schema(
        description="One published declaration: its signatures in order, the author first, "
        "each with the country and political group as of signing, and the published "
        "detainees it names.",
        parameters=[path_parameter("number", OpenApiTypes.INT, "The declaration's number.")],
    ),
)
class DeclarationViewSet(PublicViewSet):
    serializer_class = DeclarationSerializer
    detail_serializer_class = DeclarationDetailSerializer
    filterset_class = DeclarationAPIFilter
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        queryset = Declaration.objects.public().with_counts().order_by("-date", "-number")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "signatures",
                    queryset=Signature.objects.select_related(
                        "signatory", "political_group"
                    ).order_by("position"),
                ),
                Prefetch(
                    "mentions",
                    queryset=Mention.objects.public()
                    .select_related("detainee")
                    .order_by("detainee__name", "detainee__slug"),
                    to_attr="public_mentions",
                ),
            )
        return queryset


@extend_schema_view(
    list=extend_schema(
        description="Members of the assembly who signed a published declaration, by name, "
        "with their current affiliation (that of the latest declaration signed). `country` "
        "and `group` match the current affiliation; with `declaration`, the affiliation as "
        "of signing it. `sort=signed` lists those who signed the most first."
    ),
    retrieve=extend_schema(
        description="One signatory, with every published declaration signed, newest first, "
        "and the country and political group as of signing each.",
        parameters=[SLUG],
    ),
)
class SignatoryViewSet(PublicViewSet):
    serializer_class = SignatorySerializer
    detail_serializer_class = SignatoryDetailSerializer
    filterset_class = SignatoryAPIFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        queryset = (
            Signatory.objects.public()
            .with_counts()
            .select_related("political_group")
            .order_by("sort_name", "country", "pk")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "signatures",
                    queryset=Signature.objects.public()
                    .select_related("declaration", "political_group")
                    .order_by("-declaration__date", "-declaration__number"),
                    to_attr="public_signatures",
                )
            )
        return queryset


@extend_schema_view(
    list=extend_schema(
        description="The political groups of the assembly, past and present, by "
        "abbreviation. A renamed or merged group names its `successor`."
    ),
    retrieve=extend_schema(description="One political group.", parameters=[SLUG]),
)
class GroupViewSet(PublicViewSet):
    serializer_class = GroupSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return (
            PoliticalGroup.objects.public()
            .with_counts()
            .select_related("successor")
            .order_by("abbreviation")
        )


@extend_schema_view(
    list=extend_schema(
        description="The national delegations whose members signed published declarations, "
        "by ISO code, counted by the country as of signing."
    )
)
class CountryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    schema = PublicSchema()
    serializer_class = CountrySerializer
    filter_backends = []

    def get_queryset(self):
        return (
            Signature.objects.public()
            .order_by("country")
            .values("country")
            .annotate(signatory_count=Count("signatory", distinct=True))
        )


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 in JSON, like the endpoints' own."""
    return JsonResponse({"detail": "Not found."}, status=404)


@functools.cache
def api_schema():
    """The OpenAPI document, built once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


class DocsView(TemplateView):
    """Every endpoint of the API with its parameters, from the OpenAPI document, and an example
    address built from the published records."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        examples = self.examples()
        endpoints = []
        for path, operations in api_schema()["paths"].items():
            operation = operations["get"]
            endpoints.append(
                {
                    "path": path,
                    "summary": operation.get("description", ""),
                    "parameters": [
                        {**parameter, "type": parameter_type(parameter["schema"])}
                        for parameter in operation.get("parameters", [])
                    ],
                    "example": examples.get(operation["operationId"]),
                }
            )
        return super().get_context_data(endpoints=endpoints, **kwargs)

    def examples(self):
        """{operation id: example address}, for the operations that have public rows to show."""
        examples = {
            "declarations_list": reverse("api:declaration-list"),
            "signatories_list": reverse("api:signatory-list"),
            "groups_list": reverse("api:group-list"),
            "countries_list": reverse("api:country-list"),
            "detainees_list": reverse("api:detainee-list"),
        }
        declaration = Declaration.objects.public().first()
        if declaration is not None:
            number = declaration.number
            examples["declarations_list"] += f"?year={declaration.date.year}"
            examples["declarations_retrieve"] = reverse("api:declaration-detail", args=[number])
            examples["signatories_list"] += f"?declaration={number}"
        signatory = Signatory.objects.public().first()
        if signatory is not None:
            examples["signatories_retrieve"] = reverse(
                "api:signatory-detail", args=[signatory.slug]
            )
        group = PoliticalGroup.objects.public().first()
        if group is not None:
            examples["groups_retrieve"] = reverse("api:group-detail", args=[group.slug])
        detainee = Detainee.objects.public().first()
        if detainee is not None:
            examples["detainees_list"] += f"?status={detainee.status}"
            examples["detainees_retrieve"] = reverse("api:detainee-detail", args=[detainee.slug])
        return examples


def parameter_type(schema):
    """A short description of a parameter's type: "integer", "list of string"."""
    if schema.get("type") == "array":
        return f"list of {parameter_type(schema['items'])}"
    return schema.get("format") or schema.get("type", "string")
