"""The read-only JSON API over declarations, signatories, political groups and countries.

Every endpoint starts from the public() rows and lists filter with the FilterSets of the public
pages, so the API and the site always agree on what is shown and what a filter means. The
router that serves them, with the detainees' endpoints, is `declaration_site/api_urls.py`.
"""

from types import SimpleNamespace

from django.db.models import Count, Prefetch
from django.urls import reverse
from django_countries.fields import Country
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from declaration_site.lib.api import (
    COUNTRY,
    DECLARATION,
    GROUP,
    SLUG,
    CountryCodeField,
    PageURLField,
    PublicSchema,
    PublicViewSet,
    RowSerializer,
    absolute,
    documented,
    parameter,
    path_parameter,
)

from .filters import DeclarationFilter, SignatoryFilter
from .models import Declaration, PoliticalGroup, Signatory, Signature

# Filters


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
    group=parameter(
        GROUP,
        "Signed by a member of this group (as of signing); repeat for the declarations signed "
        "by members of every group named.",
    ),
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


# Serializers
#
# Each writes its records by hand in `row()` (see RowSerializer); the declared fields describe
# them to the OpenAPI schema. A list's rows are the named tuples of `columns`, read with
# values_list(); the records nested in a detail are model instances.

SIGNATORY_PAGE = ("signatories:signatory_detail", "slug")
DECLARATION_PAGE = ("signatories:declaration_detail", "number")
GROUP_PAGE = ("signatories:group_detail", "slug")
COUNTRY_PAGE = ("signatories:country_detail", "code")


def iso_date(value):
    """A date as DRF's DateField writes it: ISO 8601, or null."""
    return value.isoformat() if value else None


class SignatoryReferenceSerializer(RowSerializer, serializers.ModelSerializer):
    name = serializers.CharField(source="full_name")
    url = PageURLField()

    class Meta:
        model = Signatory
        fields = ["slug", "name", "url"]

    @staticmethod
    def row(signatory, rows):
        return {
            "slug": signatory.slug,
            "name": signatory.full_name,
            "url": rows.url(*SIGNATORY_PAGE, signatory.slug),
        }


class SignatureSerializer(RowSerializer, serializers.ModelSerializer):
    """A signature in the list of a declaration, with the affiliation as of signing."""

    signatory = SignatoryReferenceSerializer()
    country = CountryCodeField()
    group = serializers.CharField(
        source="political_group.abbreviation",
        allow_null=True,
        help_text="The group as of signing; null where PACE printed none.",
    )

    class Meta:
        model = Signature
        fields = ["position", "signatory", "country", "group"]

    @staticmethod
    def row(signature, rows):
        group = signature.political_group
        return {
            "position": signature.position,
            "signatory": SignatoryReferenceSerializer.row(signature.signatory, rows),
            "country": signature.country.code or None,
            "group": None if group is None else group.abbreviation,
        }


class DeclarationSerializer(RowSerializer, serializers.ModelSerializer):
    """A declaration; `title` is the English title, `title_fr` the French one (either may be
    empty while only the other text is recorded)."""

    signature_count = serializers.IntegerField(read_only=True)
    url = PageURLField()

    columns = ["number", "document_reference", "date", "title", "title_fr", "signature_count"]

    class Meta:
        model = Declaration
        fields = [
            "number",
            "document_reference",
            "date",
            "title",
            "title_fr",
            "signature_count",
            "url",
        ]

    @staticmethod
    def row(declaration, rows):
        return {
            "number": declaration.number,
            "document_reference": declaration.document_reference,
            "date": iso_date(declaration.date),
            "title": declaration.title,
            "title_fr": declaration.title_fr,
            "signature_count": declaration.signature_count,
            "url": rows.url(*DECLARATION_PAGE, declaration.number),
        }


class DeclarationDetailSerializer(DeclarationSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta(DeclarationSerializer.Meta):
        fields = [
            *DeclarationSerializer.Meta.fields,
            "text",
            "text_fr",
            "source_url",
            "signatures",
        ]

    @staticmethod
    def row(declaration, rows):
        return {
            **DeclarationSerializer.row(declaration, rows),
            "text": declaration.text,
            "text_fr": declaration.text_fr,
            "source_url": declaration.source_url,
            "signatures": [
                SignatureSerializer.row(signature, rows)
                for signature in declaration.signatures.all()
            ],
        }


class SignatorySerializer(RowSerializer, serializers.ModelSerializer):
    """A signatory with the current affiliation: that of the latest declaration signed."""

    name = serializers.CharField(source="full_name")
    country = CountryCodeField()
    country_name = serializers.CharField(source="country.name")
    group = serializers.CharField(source="political_group.abbreviation", allow_null=True)
    group_slug = serializers.CharField(source="political_group.slug", allow_null=True)
    declarations_signed = serializers.IntegerField(source="declaration_count", read_only=True)
    url = PageURLField()

    columns = [
        "slug",
        "honorific",
        "given_name",
        "family_name",
        "country",
        "political_group__abbreviation",
        "political_group__slug",
        "declaration_count",
    ]

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

    @staticmethod
    def row(signatory, rows):
        return {
            "slug": signatory.slug,
            "honorific": signatory.honorific,
            "given_name": signatory.given_name,
            "family_name": signatory.family_name,
            # The model's own property, on the row's names.
            "name": Signatory.full_name.fget(signatory),
            "country": rows.country_code(signatory.country),
            "country_name": rows.country_name(signatory.country),
            "group": signatory.political_group__abbreviation,
            "group_slug": signatory.political_group__slug,
            "declarations_signed": signatory.declaration_count,
            "url": rows.url(*SIGNATORY_PAGE, signatory.slug),
        }


class SignedDeclarationSerializer(RowSerializer, serializers.ModelSerializer):
    """A declaration in a signatory's record, with the affiliation as of signing it."""

    declaration = serializers.IntegerField(source="declaration.number")
    date = serializers.DateField(source="declaration.date")
    title = serializers.CharField(source="declaration.title")
    title_fr = serializers.CharField(source="declaration.title_fr")
    country = CountryCodeField()
    group = serializers.CharField(
        source="political_group.abbreviation",
        allow_null=True,
        help_text="The group as of signing; null where PACE printed none.",
    )

    class Meta:
        model = Signature
        fields = ["declaration", "date", "title", "title_fr", "position", "country", "group"]

    @staticmethod
    def row(signature, rows):
        declaration = signature.declaration
        group = signature.political_group
        return {
            "declaration": declaration.number,
            "date": iso_date(declaration.date),
            "title": declaration.title,
            "title_fr": declaration.title_fr,
            "position": signature.position,
            "country": signature.country.code or None,
            "group": None if group is None else group.abbreviation,
        }


class SignatoryDetailSerializer(SignatorySerializer):
    signatures = SignedDeclarationSerializer(source="public_signatures", many=True, read_only=True)

    class Meta(SignatorySerializer.Meta):
        fields = [*SignatorySerializer.Meta.fields, "signatures"]

    @staticmethod
    def row(signatory, rows):
        # The record's fields as a list row holds them, then the list's own writer.
        group = signatory.political_group
        as_listed = SimpleNamespace(
            slug=signatory.slug,
            honorific=signatory.honorific,
            given_name=signatory.given_name,
            family_name=signatory.family_name,
            country=signatory.country.code,
            political_group__abbreviation=None if group is None else group.abbreviation,
            political_group__slug=None if group is None else group.slug,
            declaration_count=signatory.declaration_count,
        )
        return {
            **SignatorySerializer.row(as_listed, rows),
            "signatures": [
                SignedDeclarationSerializer.row(signature, rows)
                for signature in signatory.public_signatures
            ],
        }


class GroupSerializer(RowSerializer, serializers.ModelSerializer):
    successor = serializers.CharField(
        source="successor.slug", allow_null=True, help_text="The group it became, if renamed."
    )
    signatory_count = serializers.IntegerField(
        read_only=True, help_text="Public signatories who signed as a member of this group."
    )
    url = PageURLField()

    columns = [
        "abbreviation",
        "slug",
        "name",
        "abbreviation_fr",
        "name_fr",
        "founded",
        "dissolved",
        "successor__slug",
        "signatory_count",
    ]

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

    @staticmethod
    def row(group, rows):
        return {
            "abbreviation": group.abbreviation,
            "slug": group.slug,
            "name": group.name,
            "abbreviation_fr": group.abbreviation_fr,
            "name_fr": group.name_fr,
            "founded": group.founded,
            "dissolved": group.dissolved,
            "successor": group.successor__slug,
            "signatory_count": group.signatory_count,
            "url": rows.url(*GROUP_PAGE, group.slug),
        }


class CountrySerializer(RowSerializer):
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

    @staticmethod
    def row(delegation, rows):
        code = delegation["country"]
        return {
            "code": code,
            "name": rows.country_name(code),
            "signatory_count": delegation["signatory_count"],
            "url": rows.url(*COUNTRY_PAGE, code.lower()),
        }


# Views


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

    @classmethod
    def listed(cls):
        return Declaration.objects.public().order_by("-date", "-number")

    def get_queryset(self):
        queryset = self.listed()
        if self.action == "retrieve":
            queryset = queryset.with_signatures()
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

    @classmethod
    def listed(cls):
        return (
            Signatory.objects.public()
            .with_counts()
            .select_related("political_group")
            .order_by("sort_name", "country", "pk")
        )

    def get_queryset(self):
        queryset = self.listed()
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
        # A group's record, in the list or alone, is a row of the serializer's columns, which
        # leaves out the counts of with_counts() the API does not show.
        return (
            PoliticalGroup.objects.public()
            .with_counts()
            .order_by("abbreviation")
            .values_list(*GroupSerializer.columns, named=True)
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

    def list(self, request, *args, **kwargs):
        # A few dozen delegations: one query reads them all and the page counts them, rather
        # than grouping every public signature twice (to count the rows, then for the page).
        page = self.paginate_queryset(list(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
