"""How the API's lists are filtered and paginated (the settings' DEFAULT_FILTER_BACKENDS and
DEFAULT_PAGINATION_CLASS): as DRF and django-filter do, but a list whose size the view knows
(`PublicViewSet.known_count()` in lib/api.py) is not counted again. Apart from lib/api.py,
which imports the schema generator that reads these settings."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.pagination import PageNumberPagination

from .views import RowsByKeyPaginator


class ListedFilterBackend(DjangoFilterBackend):
    """django-filter's backend, which leaves the filter set it built on the view
    (`view.filterset`): the list's size may be read from it (`PublicViewSet.known_count()`)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset


class CountedPagination(PageNumberPagination):
    """DRF's pages, as the public lists' pages: the list is not counted again where the view
    knows its size (`known_count()`), and a page's rows are read by their keys however far the
    page (`RowsByKeyPaginator`), or as the view reads them (`page_rows()`)."""

    def paginate_queryset(self, queryset, request, view=None):
        known = getattr(view, "known_count", None)
        self._known_count = known() if known is not None else None
        self._page_rows = getattr(view, "page_rows", None)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        page_rows = self._page_rows
        rows = None
        if page_rows is not None:
            rows = lambda bottom, top: page_rows(object_list, bottom, top)
        paginator = RowsByKeyPaginator(object_list, per_page, rows=rows)
        if self._known_count is not None:
            paginator.count = self._known_count
        return paginator
