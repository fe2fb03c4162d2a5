"""CSV downloads of the public lists, streamed, and safe to open in a spreadsheet.

Each download takes the same filters as its page and returns every matching row at once. Rows are
written as they are read from the database (`QuerySet.iterator()`), so a list of any length never
sits in memory. A cell that a spreadsheet would take for a formula (starting with =, +, -, @, a
tab or a carriage return) is prefixed with an apostrophe.
"""

import csv
import json

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from .caching import memoise
from .models import Declaration
from .popolo import popolo_document
from .views import DeclarationListView, SignatoryListView

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as text, defused if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """A streamed `text/csv` download: `header`, then each row of the iterable `rows`."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralise(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class FilteredCsvView(View):
    """A list page's rows as CSV: the same queryset and filters, every page at once.

    A filter value the form refuses answers 400 with the form's messages.
    """

    list_view = None
    filename = None
    header = ()

    def get(self, request, *args, **kwargs):
        view = self.list_view()
        view.setup(request, *args, **kwargs)
        filterset = view.get_filterset(view.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            messages = [
                f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
            ]
            return HttpResponseBadRequest(
                "\n".join(messages) + "\n", content_type="text/plain; charset=utf-8"
            )
        rows = (self.row(obj) for obj in filterset.qs.iterator(chunk_size=2000))
        return csv_response(self.filename, self.header, rows)

    def row(self, obj):
        raise NotImplementedError

    def url(self, obj):
        return self.request.build_absolute_uri(obj.get_absolute_url())


class SignatoryCsvView(FilteredCsvView):
    list_view = SignatoryListView
    filename = "signatories.csv"
    header = (
        "slug", "honorific", "given_name", "family_name", "country_code", "country",
        "political_group", "declarations_signed", "url",
    )  # fmt: skip

    def row(self, signatory):
        group = signatory.political_group
        return (
            signatory.slug,
            signatory.honorific,
            signatory.given_name,
            signatory.family_name,
            signatory.country.code,
            signatory.country.name,
            group.abbreviation if group else "",
            signatory.declaration_count,
            self.url(signatory),
        )


class DeclarationCsvView(FilteredCsvView):
    list_view = DeclarationListView
    filename = "declarations.csv"
    header = ("number", "document_reference", "date", "title", "signatures", "source", "url")

    def row(self, declaration):
        return (
            declaration.number,
            declaration.document_reference,
            declaration.date.isoformat(),
            declaration.title,
            declaration.signature_count,
            declaration.source_url,
            self.url(declaration),
        )


class SignatureCsvView(View):
    """The signatures of one public declaration, in list order, as of signing."""

    header = (
        "position", "honorific", "given_name", "family_name", "country_code", "country",
        "political_group", "signatory_url",
    )  # fmt: skip

    def get(self, request, number):
        declaration = get_object_or_404(Declaration.objects.public(), number=number)
        signatures = declaration.signatures.select_related("signatory", "political_group")
        rows = (
            (
                signature.position,
                signature.signatory.honorific,
                signature.signatory.given_name,
                signature.signatory.family_name,
                signature.country.code,
                signature.country.name,
                signature.political_group.abbreviation,
                request.build_absolute_uri(signature.signatory.get_absolute_url()),
            )
            for signature in signatures.order_by("position").iterator(chunk_size=2000)
        )
        return csv_response(f"declaration-{number}-signatures.csv", self.header, rows)


def popolo(request):
    """The public record in Popolo JSON: persons, organizations, memberships, motions.

    The whole record is one document, built once per change to the record (and per address
    the site is reached at, since its links are absolute), not on every request.
    """

    def build():
        document = popolo_document(request.build_absolute_uri)
        return json.dumps(document, ensure_ascii=False, indent=1).encode()

    content = memoise(f"popolo:{request.scheme}://{request.get_host()}", build)
    return HttpResponse(content, content_type="application/json")
