"""The filters of the public list of detainees."""

import django_filters
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from declaration_site.lib.cache import memoise
from declaration_site.lib.filters import (
    CountryFilter,
    DeclarationNumberFilter,
    FilteredMixin,
    FilterSummaryMixin,
    FixedChoices,
    FormClassOnceMixin,
    country_choices,
)
from declaration_site.lib.forms import FilterForm
from declaration_site.lib.text import name_words

from .models import Detainee, DetentionStatus


class DetaineeFilter(
    FilteredMixin, FormClassOnceMixin, FilterSummaryMixin, django_filters.FilterSet
):
    # Each choice is read by filtered() (see FilteredMixin).
    q = django_filters.CharFilter(label=_("Name"))
    country = CountryFilter(label=_("Held in"), empty_label=_("Any country"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DetentionStatus.choices, empty_label=_("Any status")
    )
    declaration = DeclarationNumberFilter(label=_("Named in declaration No."), min_value=1)

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

    @staticmethod
    def chosen_from(cleaned):
        return {
            "words": name_words(cleaned.get("q") or ""),
            "country": cleaned.get("country") or None,
            "status": cleaned.get("status") or None,
            "declaration": cleaned.get("declaration"),
        }

    @staticmethod
    def filtered(queryset, words=(), country=None, status=None, declaration=None):
        """`queryset` (of detainees) narrowed by these choices: every one of `words` (folded)
        in a name; held in `country` (a code); of detention `status`; named in published
        declaration No. `declaration`."""
        if words:
            queryset = queryset.named(*words)
        if country is not None:
            queryset = queryset.filter(country=country)
        if status is not None:
            queryset = queryset.filter(status=status)
        if declaration is not None:
            queryset = queryset.named_in(declaration)
        return queryset
