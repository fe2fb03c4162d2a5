"""What every endpoint of the JSON API shares: documented filters, fields for links and
country codes, the errors in the schema, the read-only public viewset, and what the
serializers that write their rows by hand share."""

import copy

from django.db.models.utils import create_namedtuple_class
from django_countries.fields import Country
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.settings import api_settings

from .cache import memoise
from .rendering import url_maker
from .views import page_query, prepared_rows, rows_between

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


class Rows:
    """What the rows of one response share, worked out once for all of them: the address of
    each kind of page (resolved once, then made absolute for the request's host, as
    `PageURLField` makes it) and each country's code and name (as `CountryCodeField` and
    `country.name` give them, in the active language).

    >>> rows = Rows(None)  # without a request, addresses are paths, as absolute() leaves them
    >>> rows.country_code("it"), rows.country_name("IT"), rows.country_code("")
    ('IT', 'Italy', None)
    >>> rows.url("signatories:signatory_detail", "slug", "boriana-aberg")
    '/signatories/boriana-aberg/'
    """

    def __init__(self, request):
        # build_absolute_uri() puts the scheme and host before an absolute path; the paths
        # built here are already quoted, as reverse() quotes them.
        self.origin = absolute(request, "/")[:-1]
        self._urls = {}
        self._countries = {}
        self._labels = {}

    def url(self, name, kwarg, value):
        """The absolute address `reverse(name, kwargs={kwarg: value})` for the request."""
        make = self._urls.get(name)
        if make is None:
            make = self._urls[name] = url_maker(name, kwarg)
        return self.origin + make(value)

    def _country(self, code):
        country = self._countries.get(code)
        if country is None:
            found = Country(code=code)
            country = self._countries[code] = (found.code or None, found.name)
        return country

    def country_code(self, code):
        """The ISO code of a country field's stored value, or None for none."""
        return self._country(code)[0]

    def country_name(self, code):
        """The name of a country field's stored value in the active language; "" for none."""
        return self._country(code)[1]

    def choice_label(self, model, field_name, value):
        """What `get_<field_name>_display()` gives for `value`, in the active language."""
        labels = self._labels.get((model, field_name))
        if labels is None:
            field = model._meta.get_field(field_name)
            labels = self._labels[model, field_name] = {
                choice: str(label) for choice, label in field.flatchoices
            }
        return labels.get(value, value)


# A read-only serializer that writes each record with `row(record, rows)`, a dict built by
# hand, instead of asking each declared field in turn: a list of 50 records costs DRF thousands
# of calls. The declared fields still describe the record to the OpenAPI schema, and
# `tests/test_api_rows.py` checks that `row()` gives what they would give. The `Rows` of a
# response is kept in the serializer's context, which nested serializers share with the one
# the view made. (No docstring: the schema would take it as the description of every
# serializer that has none of its own.)
class RowSerializer(serializers.Serializer):
    def to_representation(self, instance):
        return self.row(instance, self.rows())

    def rows(self):
        context = self.context
        rows = context.get("rows")
        if rows is None:
            rows = context["rows"] = Rows(context.get("request"))
        return rows

    def row(self, record, rows):
        raise NotImplementedError

    def declared_representation(self, instance):
        """What the declared fields give for `instance`: DRF's own serialisation."""
        return super().to_representation(instance)


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
        if self.action != "list" or not self.filters_given():
            return queryset
        return super().filter_queryset(queryset)

    def filters_given(self):
        """Whether the request has a parameter other than the page and the format: one that
        may be a filter. Without one, every filter keeps every row, so the FilterSet and its
        form (which cost more than the rows of a page) are not built."""
        parameters = set(self.request.query_params)
        parameters -= {self.paginator.page_query_param, api_settings.URL_FORMAT_OVERRIDE}
        return bool(parameters)

    def known_count(self):
        """The size of the list, where it is known without counting it: without a filter, the
        whole list's, counted once until the next change; with one, what the filter set says
        (`matching_count()`, where it has one). Else None, and the list is counted."""
        filterset = getattr(self, "filterset", None)
        if filterset is None:
            return memoise(
                f"api-list-count:{type(self).__name__}",
                lambda: self.get_queryset().count(),
                in_process=True,
            )
        matching_count = getattr(filterset, "matching_count", None)
        return matching_count() if matching_count is not None else None

    def list(self, request, *args, **kwargs):
        """A page of rows. A serializer that names its `columns` gets each row as a named
        tuple of those values rather than a model instance, which is cheaper to read."""
        queryset = self.filter_queryset(self.get_queryset())
        columns = getattr(self.get_serializer_class(), "columns", None)
        if columns:
            queryset = queryset.values_list(*columns, named=True)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    # A viewset whose list is `listed()` (the list before any filter, in its order: what
    # `get_queryset()` gives for it), filtered by a `FilteredMixin` filter set and written by a
    # serializer of `columns`, reads a page's rows by a query prepared once a process, as the
    # pages' lists do (`PreparedPageMixin`, lib/views.py): building and compiling the ORM's
    # page of the filtered list costs more than the database takes to answer it.
    listed = None

    def page_rows(self, queryset, bottom, top):
        """The rows `bottom` to `top` of the list `queryset` (filtered, of the serializer's
        `columns` where it names them), read by a prepared query where the viewset has one,
        else by their keys (`rows_between()`)."""
        columns = getattr(self.get_serializer_class(), "columns", None)
        filterset = getattr(self, "filterset", None)
        if self.listed is not None and columns and top > bottom:
            chosen = filterset.chosen() if filterset is not None else {}
            query = page_query(type(self), tuple(columns))
            rows = prepared_rows(query, chosen, bottom, top, self.filterset_class)
            if rows is not None:
                row_class = create_namedtuple_class(*columns)
                return [row_class._make(row) for row in rows]
        return list(rows_between(queryset, bottom, top))
