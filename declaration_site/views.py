"""The site's own pages: the home page, the search over every kind of record, robots.txt."""

from django.db.models import Count, F, Func, IntegerField, Subquery, Window
from django.views.generic import TemplateView

from declaration_site.lib.cache import memoise
from declaration_site.lib.forms import SearchForm
from declaration_site.lib.prepared import PreparedQuery
from declaration_site.lib.text import name_words
from declaration_site.lib.views import SectionMixin
from prisoners.models import Detainee, DetaineeRow
from signatories.models import (
    Declaration,
    DeclarationRow,
    Signatory,
    SignatoryRow,
    Signature,
    search_terms,
)


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
    """The first `shown` rows of `queryset`, plain values read from `row_class.COLUMNS`, each
    with how many rows it has in all as a last value, in one query: the count is a subquery
    beside the rows, which the database runs once, not once a row. The cheapest where many
    rows match (the words of declarations): the rows are found in the order's index, which
    stops after the first `shown`. `counted_rows()` reads them."""
    total = queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total")
    counted = queryset.annotate(total=Subquery(total, output_field=IntegerField()))
    return counted.values_list(*row_class.COLUMNS, "total")[:shown]


def first_table_rows(queryset, shown, row_class):
    """As `first_rows()`, counted by a window over the rows found, one pass through the table.
    The cheapest where few rows match, as a name does among thousands of people;
    first_rows() would walk the whole index of the order, then count in a second pass."""
    found = queryset.annotate(total=Window(Count("*"))).values_list(*row_class.COLUMNS, "total")
    return found[:shown]


def counted_rows(rows, row_class):
    """(the rows as `row_class` rows, how many there are in all) from rows that end with that
    count (`first_rows()`, `first_table_rows()`)."""
    return [row_class._make(values[:-1]) for values in rows], rows[0][-1] if rows else 0


SHOWN = 20  # of each kind of record on the search page

# The search page's three queries, built and compiled once a process for each shape (a query
# that is a number, the number of words of a name), then run with each query's words.
DECLARATION_SEARCH = PreparedQuery(
    lambda is_number, *terms: first_rows(
        Declaration.objects.public().containing(*terms), SHOWN, DeclarationRow
    )
)
SIGNATORY_SEARCH = PreparedQuery(
    lambda count, *words: first_table_rows(
        Signatory.objects.public().named(*words), SHOWN, SignatoryRow
    )
)
DETAINEE_SEARCH = PreparedQuery(
    lambda count, *words: first_table_rows(
        Detainee.objects.public().named(*words).with_counts(), SHOWN, DetaineeRow
    )
)


def searches(query):
    """{kind: (prepared query, shape, values)}: the search page's three queries for `query`,
    as `PreparedQuery.rows(shape, *values)` takes them."""
    text, number = search_terms(query)
    words = name_words(query)
    return {
        "declarations": (
            DECLARATION_SEARCH,
            number is not None,
            (text,) if number is None else (text, number),
        ),
        "signatories": (SIGNATORY_SEARCH, len(words), words),
        "detainees": (DETAINEE_SEARCH, len(words), words),
    }


class SearchView(SectionMixin, TemplateView):
    """One query over declarations (number, title, text), signatories and detainees (every
    name, accent-insensitive), grouped by kind; each kind links to its full list."""

    template_name = "declaration_site/search.html"
    section = "search"
    shown = SHOWN

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        context = {"form": form, "query": "", "results": None}
        if form.is_valid() and form.cleaned_data["q"]:
            query = form.cleaned_data["q"]
            # What the tables show, without the texts.
            row_classes = {
                "declarations": DeclarationRow,
                "signatories": SignatoryRow,
                "detainees": DetaineeRow,
            }
            found = {
                kind: counted_rows(prepared.rows(shape, *values), row_classes[kind])
                for kind, (prepared, shape, values) in searches(query).items()
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
