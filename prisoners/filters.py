"""The filters of the public list of detainees."""

import django_filters
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from declaration_site.lib.cache import memoise
from declaration_site.lib.filters import (
    CountryFilter,
    DeclarationNumberFilter,
    FilterSummaryMixin,
    FixedChoices,
    country_choices,
)
from declaration_site.lib.forms import FilterForm

from .models import Detainee, DetentionStatus


class DetaineeFilter(FilterSummaryMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    country = CountryFilter(label=_("Held in"), empty_label=_("Any country"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DetentionStatus.choices, empty_label=_("Any status")
    )
    declaration = DeclarationNumberFilter(
        label=_("Named in declaration No."), method="filter_declaration", min_value=1
    )

    class Meta:
        model = Detainee
        fields = ["q", "country", "status", "declaration"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = FixedChoices(
            memoise(
                f"detainee-filter-countries:{get_language()}",
                lambda: country_choices(
                    Detainee.objects.public()
                    .order_by()
                    .values_list("country", flat=True)
                    .distinct()
                ),
                in_process=True,
            )
        )

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_declaration(self, queryset, name, value):
        return queryset.named_in(value)
