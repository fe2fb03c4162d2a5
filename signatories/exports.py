"""CSV downloads of the public lists of declarations and signatories, and the Popolo document.

Each CSV download takes the same filters as its page and returns every matching row at once,
streamed and safe to open in a spreadsheet (see `declaration_site/lib/csv.py`).
"""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from declaration_site.lib.cache import memoise
from declaration_site.lib.csv import FilteredCsvView, csv_response

from .models import Declaration
from .popolo import popolo_document
from .views import DeclarationListView, SignatoryListView


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
    header = (
        "number", "document_reference", "date", "title", "title_fr", "signatures", "source",
        "url",
    )  # fmt: skip

    def row(self, declaration):
        return (
            declaration.number,
            declaration.document_reference,
            declaration.date.isoformat(),
            declaration.title,
            declaration.title_fr,
            declaration.signature_count,
            declaration.source_url,
            self.url(declaration),
        )


class SignatureCsvView(View):
    """The signatures of one public declaration, in list order, as of signing; the group is
    empty where PACE printed none."""

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
                signature.political_group.abbreviation if signature.political_group else "",
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
