"""Mixins of the public pages of both apps: what is public, staff preview, paginated lists,
and redirects from the addresses of merged records."""

import functools

from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .cache import memoise
from .prepared import PreparedQuery, join_arguments, split_arguments
from .queries import may_preview


class SectionMixin:
    """Tells the navigation which section of the site the page belongs to."""

    section = None

    def get_context_data(self, **kwargs):
        kwargs.setdefault("section", self.section)
        return super().get_context_data(**kwargs)


class PublicMixin(SectionMixin):
    """Public pages start from the model's public() rows."""

    def get_queryset(self):
        return self.model.objects.public()

    def previewing(self):
        """Whether the page shows unpublished records too (see PreviewMixin)."""
        return False

    @classmethod
    def visible(cls, previewing):
        """The records the page may show: public ones, or every one when `previewing`."""
        return cls.model.objects.all() if previewing else cls.model.objects.public()


class PreviewMixin(PublicMixin):
    """Detail pages: users who may change the model also see what is not published yet."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def previewing(self):
        return may_preview(self.request.user, self.model)


class PreparedObjectMixin:
    """A detail page (of PublicMixin or PreviewMixin) whose record is read by a query built and
    compiled once a process for each kind of visitor (see lib/prepared.py): building and
    compiling the lookup costs the ORM more than the database takes to answer it. The
    records of the foreign keys named in `related` come in the same row, as select_related()
    joins them."""

    related = ()

    def get_object(self, queryset=None):
        value = self.kwargs.get(self.slug_url_kwarg)
        if queryset is not None or not self._preparable(value):
            return super().get_object(queryset)
        rows = object_query(type(self)).rows(self.previewing(), value)
        if not rows:
            raise Http404(
                _("No %(verbose_name)s found matching the query")
                % {"verbose_name": self.model._meta.verbose_name}
            )
        return instance_from_row(self.model, rows[0], self.related)

    def _preparable(self, value):
        if isinstance(value, str):
            return True
        field = self.model._meta.get_field(self.get_slug_field())
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        # A number no record can have: the ORM finds none without asking the database.
        return (
            type(value) is int and (low is None or low <= value) and (high is None or value <= high)
        )


@functools.cache
def object_query(view_class):
    """The PreparedQuery of `view_class`'s record: shaped by whether the visitor previews."""
    columns = object_columns(view_class.model, view_class.related)
    field = view_class.slug_field
    return PreparedQuery(
        lambda previewing, value: (
            view_class.visible(previewing).filter(**{field: value}).values_list(*columns)
        )
    )


def object_columns(model, related=()):
    """The columns of `model`'s own fields, then of each record its foreign keys `related`
    point to, as `instance_from_row()` reads them."""
    columns = [field.attname for field in model._meta.concrete_fields]
    for name in related:
        target = model._meta.get_field(name).related_model
        columns += [f"{name}__{field.attname}" for field in target._meta.concrete_fields]
    return columns


def instance_from_row(model, row, related=(), using="default"):
    """The `model` instance of a row of `object_columns(model, related)`, with the records of
    `related` attached to it as select_related() attaches them (None for none)."""
    fields = model._meta.concrete_fields
    instance = model.from_db(using, [field.attname for field in fields], row[: len(fields)])
    start = len(fields)
    for name in related:
        field = model._meta.get_field(name)
        target = field.related_model
        names = [each.attname for each in target._meta.concrete_fields]
        values = row[start : start + len(names)]
        start += len(names)
        pk = values[names.index(target._meta.pk.attname)]
        field.set_cached_value(
            instance, None if pk is None else target.from_db(using, names, values)
        )
    return instance


class RowsByKeyPaginator(Paginator):
    """Django's paginator, whose page reads its rows in two steps in one query: the keys of
    the page's rows (a subquery the database answers from an index, however far the page),
    then those rows with their counts and joins. Asked directly, `ORDER BY ... OFFSET 9650`
    builds every skipped row with its count subqueries (0.15 s for the last page of the
    declarations at scale 10 on PostgreSQL) only to throw it away.

    The first page skips nothing, so it reads its rows directly: the most visited page of
    every list is spared building and compiling the subquery (half a millisecond a request).

    `rows(bottom, top)`, if given, reads the rows of a page (`bottom` to `top` of the list)
    instead, as a view reads them (`PublicListMixin.page_rows()`)."""

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows or (lambda bottom, top: rows_between(self.object_list, bottom, top))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)


def rows_between(rows, bottom, top):
    """The rows of the ordered QuerySet `rows` from position `bottom` up to `top`, as
    `RowsByKeyPaginator` reads a page: by their keys, but for the first page."""
    if bottom == 0:
        return rows[:top]
    return rows.filter(pk__in=rows.values("pk")[bottom:top])


class PublicListMixin(PublicMixin):
    """Lists of 50 rows a page. A page number past the end shows the last page, and one that is
    not a number the first, rather than an error page; such a page is not kept in the page
    cache (`request.skip_page_cache`), so that `?page=1000`, `?page=1001`, ... are not each a
    copy of the last page there. The size of the whole list (no filter) is counted once until
    the next change, like the home page's totals."""

    paginate_by = 50
    paginator_class = RowsByKeyPaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, rows=lambda bottom, top: self.page_rows(queryset, bottom, top)
        )
        count = self.known_count(queryset)
        paginator.count = self.count_rows(queryset) if count is None else count
        asked = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(asked)
        if asked is not None and asked != str(page.number):
            self.request.skip_page_cache = True
        return paginator, page, page.object_list, page.has_other_pages()

    def known_count(self, queryset):
        """The number of rows of `queryset` (the whole filtered list) where it is known without
        counting them, else None and the paginator counts them. Here: the unfiltered list's,
        kept until the next change; a view may know more."""
        if set(self.request.GET) <= {self.page_kwarg}:
            return memoise(f"list-count:{type(self).__name__}", queryset.count, in_process=True)
        return None

    def count_rows(self, queryset):
        """The number of rows of the list `queryset`, where `known_count()` does not know it."""
        return queryset.count()

    def page_rows(self, queryset, bottom, top):
        """What a page shows: the rows `bottom` to `top` of the list `queryset`, read by their
        keys (`rows_between()`); a view may read them otherwise (as plain values, or by a
        prepared query)."""
        return rows_between(queryset, bottom, top)


class PreparedPageMixin:
    """A filtered list (PublicListMixin and FilterView) whose page of rows is read by a query
    built and compiled once a process for each shape of choice and page (see
    lib/prepared.py): building the filtered QuerySet, its page and its columns costs the ORM
    more than the database takes to answer.

    The filter set (a `FilteredMixin`, lib/filters.py) gives the visitor's choices
    (`chosen()`: a dict, {} unbound, None when the form is invalid) and applies them
    (`filtered(queryset, **chosen)`, which its own `filter_queryset()` calls too, so that both
    read the same choices alike); it names the choices that change the SQL itself and those
    left to the ORM (`prepared_rows()`). The view gives the list before any choice
    (`listed()`) and the `row_class` whose `COLUMNS` a row reads."""

    row_class = None

    @classmethod
    def listed(cls):
        return cls.model.objects.public()

    def get_queryset(self):
        # A copy of the list built once a process: building its annotations (a count
        # subquery) costs more than the page's prepared query takes to run.
        return _listed(type(self)).all()

    def get(self, request, *args, **kwargs):
        """FilterView.get(), but the list is the one before any choice (`listed()`): the ORM
        builds the filtered QuerySet (`filterset.qs`) only where it is read, to count the rows
        where `known_count()` does not know their number, or for a page that the prepared
        query cannot read. An invalid form's list is empty, as FilterView's (`chosen()`)."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.object_list = self.filterset.queryset  # listed()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def count_rows(self, queryset):
        return self.filterset.qs.count()

    def page_rows(self, queryset, bottom, top):
        chosen = self.filterset.chosen()
        if chosen is None or top <= bottom:  # an invalid form's list, or an empty page
            return []
        query = page_query(type(self), tuple(self.row_class.COLUMNS))
        rows = prepared_rows(query, chosen, bottom, top, self.filterset_class)
        if rows is None:
            return rows_between(self.filterset.qs, bottom, top).table_rows()
        return [self.row_class._make(row) for row in rows]


def prepared_rows(query, chosen, bottom, top, filterset_class):
    """The rows `bottom` to `top` of a list filtered by `chosen` (what a `FilteredMixin`
    filter set of `filterset_class` chose), read by `query` (`page_query()`); None where it
    cannot read them, for the ORM to read: a choice the filter set leaves to the ORM
    (`unprepared_choices`), or a number that no column holds. A choice named in the filter
    set's `fixed_choices` (an order) changes the SQL itself."""
    shape, values = split_arguments(chosen, fixed=getattr(filterset_class, "fixed_choices", ()))
    unprepared = getattr(filterset_class, "unprepared_choices", ())
    if any(chosen.get(name) for name in unprepared) or not all(
        _fits_a_number_column(value) for value in values
    ):
        return None
    return query.rows((shape, bottom, top), *values)


@functools.cache
def _listed(view_class):
    """`view_class.listed()`, built once: never evaluated itself, only copied."""
    return view_class.listed()


def _fits_a_number_column(value):
    """Whether `value`, if a whole number, is one an integer column can hold: any other is
    no record's, which the ORM finds without asking the database."""
    if type(value) is not int:
        return True
    low, high = connection.ops.integer_field_range("IntegerField")
    return low <= value <= high


@functools.cache
def page_query(view_class, columns):
    """The PreparedQuery of the rows `bottom` to `top` of `view_class`'s list (`listed()`),
    filtered by its filter set's `filtered()` as a shape of choice (`split_arguments()`) says,
    each the values of `columns`: the pages' lists and the API's."""
    return PreparedQuery(
        lambda shape, *values: rows_between(
            view_class.filterset_class.filtered(
                view_class.listed(), **join_arguments(shape[0], values)
            ),
            *shape[1:],
        ).values_list(*columns)
    )


class AliasRedirectMixin:
    """A detail page whose slug belonged to a record merged into another one redirects
    (permanently) to the record kept, if the visitor may see it."""

    alias_model = None
    alias_target = None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            alias = self.alias_model.objects.filter(slug=kwargs.get(self.slug_url_kwarg)).first()
            if alias is None:
                raise
            target = self.get_queryset().filter(pk=getattr(alias, f"{self.alias_target}_id"))
            if not target.exists():
                raise
            return redirect(target.get(), permanent=True)
