"""The site's own pages: the home page, the search over every kind of record, robots.txt."""

from django.db.models import Count, F, Func, IntegerField, Subquery, Window
from django.views.generic import TemplateView

from declaration_site.lib.cache import memoise
from declaration_site.lib.forms import SearchForm
from declaration_site.lib.views import SectionMixin
from prisoners.models import Detainee, DetaineeRow
from signatories.models import Declaration, DeclarationRow, Signatory, SignatoryRow, Signature


class HomeView(SectionMixin, TemplateView):
    template_name = "declaration_site/home.html"
    section = "home"
    latest_count = 8

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=Declaration.objects.public()[: self.latest_count].table_rows(),
            totals=memoise("home-totals", self.totals, in_process=True),
            search_form=SearchForm(),
            **kwargs,
        )

    @staticmethod
    def totals():
        """Counted over every public signature, so kept until the next change."""
        totals = Signature.objects.public().totals()
        totals["declarations"] = Declaration.objects.public().count()
        totals["detainees"] = Detainee.objects.public().count()
        return totals


def first_rows(queryset, shown, row_class):
    """(the first `shown` rows of `queryset` as `row_class` rows, plain values read from its
    `COLUMNS`, how many rows it has in all), in one query: the count is a subquery beside the
    rows, which the database runs once, not once a row. The cheapest where many rows match
    (the words of declarations): the rows are found in the order's index, which stops after
    the first `shown`.

    >>> first_rows(Declaration.objects.public().search("rights"), 20, DeclarationRow)  # doctest: +SKIP
    ([DeclarationRow(pk=..., number=695, ...), ...], 573)
    """
    total = queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total")
    counted = queryset.annotate(total=Subquery(total, output_field=IntegerField()))
    rows = list(counted.values_list(*row_class.COLUMNS, "total")[:shown])
    return [row_class._make(values[:-1]) for values in rows], rows[0][-1] if rows else 0


def first_table_rows(queryset, shown, row_class):
    """(the first `shown` rows of `queryset` as `row_class` rows, plain values read from its
    `COLUMNS`, how many rows it has in all), in one query: counted by a window over the rows
    found, one pass through the table. The cheapest where few rows match, as a name does
    among thousands of people; first_rows() would walk the whole index of the order, then
    count in a second pass.

    >>> first_table_rows(Detainee.objects.public().search("kowal"), 20, DetaineeRow)  # doctest: +SKIP
    ([DetaineeRow(slug='jan-kowalski', ...)], 1)
    """
    found = queryset.annotate(total=Window(Count("*"))).values_list(*row_class.COLUMNS, "total")
    rows = list(found[:shown])
    return [row_class._make(values[:-1]) for values in rows], rows[0][-1] if rows else 0


class SearchView(SectionMixin, TemplateView):
    """One query over declarations (number, title, text), signatories and detainees (every
    name, accent-insensitive), grouped by kind; each kind links to its full list."""

    template_name = "declaration_site/search.html"
    section = "search"
    shown = 20

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        context = {"form": form, "query": "", "results": None}
        if form.is_valid() and form.cleaned_data["q"]:
            query = form.cleaned_data["q"]
            # What the tables show, without the texts.
            declarations = Declaration.objects.public().search(query)
            signatories = Signatory.objects.public().search(query)
            detainees = Detainee.objects.public().search(query).with_counts()
            found = {
                "declarations": first_rows(declarations, self.shown, DeclarationRow),
                "signatories": first_table_rows(signatories, self.shown, SignatoryRow),
                "detainees": first_table_rows(detainees, self.shown, DetaineeRow),
            }
            context["query"] = query
            context["results"] = {
                kind: {"count": count, "rows": rows} for kind, (rows, count) in found.items()
            }
            context["shown"] = self.shown
        return super().get_context_data(**context, **kwargs)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap_url = self.request.build_absolute_uri("/sitemap.xml")
        return super().get_context_data(sitemap_url=sitemap_url, **kwargs)
