"""What every endpoint of the JSON API shares: documented filters, fields for links and
country codes, the errors in the schema, and the read-only public viewset."""

import copy

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers, viewsets

# ISO 3166-1 alpha-2, in any case; a political group's slug; a declaration's number.
COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$", "example": "IT"}
GROUP = {"type": "string", "example": "epp-cd"}
DECLARATION = {"type": "integer", "minimum": 1, "example": 695}


def parameter(schema, description):
    """An OpenAPI schema with its description: `parameter(COUNTRY, "Held in this country.")`."""
    return {**schema, "description": description}


def documented(filterset_class, **parameters):
    """The FilterSet of a public page, its filters unchanged but for the OpenAPI schema of each
    parameter named here (type and description), which django-filter cannot tell."""
    filters = {
        name: extend_schema_field(schema)(copy.deepcopy(filterset_class.base_filters[name]))
        for name, schema in parameters.items()
    }
    return type(filterset_class.__name__, (filterset_class,), filters)


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute address of the object's public page, or with `source` of a record it
    points at: `PageURLField(source="declaration")` on a mention."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

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
    """`url` made absolute for the request's host, or left as it is without a request."""
    return request.build_absolute_uri(url) if request is not None else url


def path_parameter(name, kind, description):
    """An OpenAPI parameter taken from the address, for the schema of a detail endpoint."""
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
