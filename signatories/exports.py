"""CSV downloads of the public lists of declarations and signatories, and the Popolo document.

Each CSV download takes the same filters as its page and returns every matching row at once,
streamed from the database and safe to open in a spreadsheet (see
`declaration_site/lib/csv.py`).

The Popolo document is an export (`declaration_site/lib/exports.py`): built into a file outside
any request after each change to the record, and served from that file.
"""

import json

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views import View

from declaration_site.lib.csv import FilteredCsvView, csv_response
from declaration_site.lib.exports import Export, serve

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
    fields = (
        "slug", "honorific", "given_name", "family_name", "country",
        "political_group__abbreviation", "declaration_count",
    )  # fmt: skip
    detail = ("signatories:signatory_detail", "slug")

    def row(self, signatory):
        return (
            signatory["slug"],
            signatory["honorific"],
            signatory["given_name"],
            signatory["family_name"],
            signatory["country"],
            self.country_name(signatory["country"]),
            signatory["political_group__abbreviation"] or "",
            signatory["declaration_count"],
            self.url(signatory),
        )


class DeclarationCsvView(FilteredCsvView):
    list_view = DeclarationListView
    filename = "declarations.csv"
    header = (
        "number", "document_reference", "date", "title", "title_fr", "signatures", "source",
        "url",
    )  # fmt: skip
    fields = (
        "number", "document_reference", "date", "title", "title_fr", "signature_count",
        "source_url",
    )  # fmt: skip
    detail = ("signatories:declaration_detail", "number")

    def row(self, declaration):
        return (
            declaration["number"],
            declaration["document_reference"],
            declaration["date"].isoformat(),
            declaration["title"],
            declaration["title_fr"],
            declaration["signature_count"],
            declaration["source_url"],
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


def write_popolo(out):
    """The whole public record as one Popolo JSON file; its links start with `SITE_URL`."""
    document = popolo_document(lambda path: settings.SITE_URL + path)
    out.open("popolo.json").write(json.dumps(document, ensure_ascii=False, separators=(",", ":")))


POPOLO = Export("popolo.json", "application/json", write_popolo)


def popolo(request):
    """The public record in Popolo JSON: persons, organizations, memberships, motions, from
    the file built after the last change to the record."""
    return serve(request, POPOLO)
