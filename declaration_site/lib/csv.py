"""Streamed CSV downloads that are safe to open in a spreadsheet.

Rows are written as they are read from the database: `QuerySet.iterator(chunk_size=...)`, which
on PostgreSQL reads through a named server-side cursor, 2,000 rows at a time, so a list of any
length never sits in memory and the first rows leave before the last are read. The header goes
out at once; rows then go out in pieces of about 64 KB, not one write per line. A cell that a
spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage return) is
prefixed with an apostrophe.
"""

import csv
import io

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.views import View
from django_countries import countries

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell as text, defused if a spreadsheet would run it as a formula.

    >>> neutralise("=HYPERLINK(1)"), neutralise(None), neutralise(695)
    ("'=HYPERLINK(1)", '', '695')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


CHUNK_ROWS = 2000
PIECE_SIZE = 64 * 1024


def csv_lines(header, rows):
    """The CSV text of `header` then `rows`, in pieces: the header alone, then about
    `PIECE_SIZE` characters at a time.

    >>> list(csv_lines(["a"], [["=1"], [2]]))
    ['a\\r\\n', "'=1\\r\\n2\\r\\n"]
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
        if buffer.tell() >= PIECE_SIZE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_response(filename, header, rows):
    """A streamed `text/csv` download: `header`, then each row of the iterable `rows`."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class FilteredCsvView(View):
    """A list page's rows as CSV: the same queryset and filters, every page at once.

    With `fields` set, rows are read as dictionaries of those fields (`QuerySet.values()`),
    which costs a fraction of building a model instance per row; `row()` receives each one.
    `detail` names the URL of a row's page and the field it takes, e.g.
    `("signatories:signatory_detail", "slug")`, for `url(row)`. A filter value the form
    refuses answers 400 with the form's messages.
    """

    list_view = None
    filename = None
    header = ()
    fields = None
    detail = None

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
        queryset = filterset.qs
        if self.fields:
            queryset = queryset.values(*self.fields)
        self._url_parts = self._detail_url_parts()
        self._country_names = {}
        rows = (self.row(obj) for obj in queryset.iterator(chunk_size=CHUNK_ROWS))
        return csv_response(self.filename, self.header, rows)

    def row(self, obj):
        raise NotImplementedError

    def _detail_url_parts(self):
        """The full address of a row's page, before and after the row's own value: reversed
        once per download rather than once per row."""
        site = self.request.build_absolute_uri("/")[:-1]
        if self.detail is None:
            return site, None, None
        name, field = self.detail
        marker = "1234567890"  # a value both the int and the slug converters accept
        before, after = reverse(name, kwargs={field: marker}).split(marker)
        return site + before, field, after

    def url(self, obj):
        """The full address of the page of `obj` (a row of `fields`, or an instance)."""
        before, field, after = self._url_parts
        if field is None:
            return before + obj.get_absolute_url()
        value = obj[field] if isinstance(obj, dict) else getattr(obj, field)
        return f"{before}{value}{after}"

    def country_name(self, code):
        """The name of the country `code` in the language of the download, looked up once."""
        if code not in self._country_names:
            self._country_names[code] = countries.name(code) if code else ""
        return self._country_names[code]
