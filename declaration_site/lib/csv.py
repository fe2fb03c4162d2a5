"""Streamed CSV downloads that are safe to open in a spreadsheet.

Rows are written as they are read from the database (`QuerySet.iterator()`), so a list of any
length never sits in memory. A cell that a spreadsheet would take for a formula (starting with
=, +, -, @, a tab or a carriage return) is prefixed with an apostrophe.
"""

import csv

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.views import View

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as text, defused if a spreadsheet would run it as a formula.

    >>> neutralise("=HYPERLINK(1)"), neutralise(None), neutralise(695)
    ("'=HYPERLINK(1)", '', '695')
    """
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
