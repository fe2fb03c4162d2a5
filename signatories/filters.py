"""The filters of the public lists of declarations and signatories.

Choices come from what is public (the countries and groups that have signatories), so that an
unknown value (`?country=ZZ`, `?group=nope`) is a form error rather than an empty match.
Country codes are accepted in any case (`?country=it`).
"""

import django_filters
from django import forms
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from declaration_site.lib.cache import memoise
from declaration_site.lib.filters import (
    CountriesFilter,
    CountryFilter,
    DeclarationNumberFilter,
    FilterSummaryMixin,
    FixedChoices,
    country_choices,
)
from declaration_site.lib.forms import FilterForm

from .models import Declaration, PoliticalGroup, Signatory, Signature


def group_choices(groups):
    """(slug, abbreviation) of these groups, the French abbreviation on French pages where it
    is recorded, sorted by the abbreviation shown."""
    french = (get_language() or "en")[:2] == "fr"
    return sorted(
        (
            (slug, abbreviation_fr if french and abbreviation_fr else abbreviation)
            for slug, abbreviation, abbreviation_fr in groups.values_list(
                "slug", "abbreviation", "abbreviation_fr"
            )
        ),
        key=lambda choice: choice[1],
    )


class DeclarationFilter(FilterSummaryMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words"), method="filter_words")
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="date__year", empty_label=_("Any year")
    )
    country = CountryFilter(
        label=_("Signed by a member from"), method="filter_country", empty_label=_("Any country")
    )
    # Repeatable: ?group=soc&group=uel are the declarations that members of both signed, each
    # as a member of that group on the day (how the coalitions of /statistics/ link here).
    group = django_filters.MultipleChoiceFilter(
        label=_("Signed by a member of"),
        method="filter_group",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick several for the declarations signed by members of each of them."),
    )

    class Meta:
        model = Declaration
        fields = ["q", "year", "country", "group"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels (country names, group abbreviations) are in the page's language.
        choices = memoise(f"declaration-filter-choices:{get_language()}", self.choices)
        for name, values in choices.items():
            self.filters[name].extra["choices"] = FixedChoices(values)

    @staticmethod
    def choices():
        """The years, countries and groups of public declarations: read over every public
        signature, so kept until the next change (see caching.memoise)."""
        public_signatures = Signature.objects.public().order_by()
        return {
            "year": [
                (str(day.year), str(day.year))
                for day in Declaration.objects.public().dates("date", "year", order="DESC")
            ],
            "country": country_choices(
                public_signatures.values_list("country", flat=True).distinct()
            ),
            "group": group_choices(
                PoliticalGroup.objects.filter(pk__in=public_signatures.values("political_group"))
            ),
        }

    def filter_words(self, queryset, name, value):
        return queryset.search(value)

    def filter_country(self, queryset, name, value):
        return queryset.signed_as(country=value)

    def filter_group(self, queryset, name, value):
        for slug in value:
            queryset = queryset.signed_as(political_group__slug=slug)
        return queryset


class SignatoryFilter(FilterSummaryMixin, django_filters.FilterSet):
    """Country and group match the current affiliation; with a declaration, the affiliation as
    of signing it."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    country = CountriesFilter(label=_("Country"), method="filter_country")
    group = django_filters.MultipleChoiceFilter(label=_("Political group"), method="filter_group")
    declaration = DeclarationNumberFilter(
        label=_("Signed declaration No."), method="filter_declaration", min_value=1
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("name", _("Name")), ("signed", _("Declarations signed"))],
        method="sort_rows",
        empty_label=None,
    )

    # Facets: the filter, and the field it counts, named alike on Signatory (the current
    # affiliation) and on Signature (as of signing, when a declaration is chosen).
    FACETS = {"country": "country", "group": "political_group__slug"}

    class Meta:
        model = Signatory
        fields = ["q", "country", "group", "declaration", "sort"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._facet_counts = {}
        choices = memoise(f"signatory-filter-choices:{get_language()}", self.choices)
        for name, values in choices.items():
            self.filters[name].extra["choices"] = FixedChoices(values)

    @staticmethod
    def choices():
        """Every country and group signed as or belonged to now: read over every public
        signature, so kept until the next change (see caching.memoise)."""
        public_signatures = Signature.objects.public().order_by().values_list("country")
        current = Signatory.objects.public().order_by().values_list("country")
        return {
            "country": country_choices(code for (code,) in public_signatures.union(current)),
            "group": group_choices(PoliticalGroup.objects.represented()),
        }

    @property
    def declaration_number(self):
        """The declaration chosen, if the form is valid: it switches country and group to the
        affiliation as of signing it."""
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("declaration")
        return None

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_declaration(self, queryset, name, value):
        return queryset.signed_as(declaration__number=value)

    def filter_country(self, queryset, name, value):
        if self.declaration_number is None:
            return queryset.filter(country__in=value)
        return queryset.signed_as(declaration__number=self.declaration_number, country__in=value)

    def filter_group(self, queryset, name, value):
        if self.declaration_number is None:
            return queryset.filter(political_group__slug__in=value)
        return queryset.signed_as(
            declaration__number=self.declaration_number, political_group__slug__in=value
        )

    def sort_rows(self, queryset, name, value):
        if value == "signed":
            if "declaration_count" not in queryset.query.annotations:
                queryset = queryset.with_counts()
            return queryset.order_by("-declaration_count", "sort_name", "pk")
        return queryset.order_by("sort_name", "country", "pk")

    def facet_counts(self, name):
        """{choice: signatories} for facet `name` ("country" or "group"), among the signatories
        that every other filter keeps (all of them when the form is invalid). One query, once
        a request."""
        if name not in self._facet_counts:
            self._facet_counts[name] = self._count_facet_choices(name)
        return self._facet_counts[name]

    def matching_count(self):
        """How many signatories the filters keep, summed from the country facet's counts
        rather than counted again, or None where those counts do not tell it.

        Without a declaration, each signatory has one country (or none, counted under ""), so
        the signatories every other filter keeps split by country: the list holds those of the
        countries chosen, or all of them. With a declaration the facets count signatures, and
        with an invalid form the list is empty while the facets count everyone."""
        if not (self.is_bound and self.is_valid()) or self.declaration_number is not None:
            return None
        counts = self.facet_counts("country")
        chosen = self.form.cleaned_data.get("country")
        if chosen:
            return sum(counts.get(code, 0) for code in set(chosen))
        return sum(counts.values())

    def _count_facet_choices(self, name):
        queryset = self.queryset
        if self.is_bound and self.is_valid():
            for other, value in self.form.cleaned_data.items():
                if other not in (name, "sort"):
                    queryset = self.filters[other].filter(queryset, value)
        field = self.FACETS[name]
        if self.declaration_number is None and queryset is self.queryset:
            # No other filter: the same counts for every visitor, kept until the next change.
            return memoise(f"signatory-facet:{name}", lambda: self.count_facet(queryset, field))
        if self.declaration_number is not None:
            queryset = Signature.objects.public().filter(
                declaration__number=self.declaration_number, signatory__in=queryset.values("pk")
            )
        return self.count_facet(queryset, field)

    @staticmethod
    def count_facet(queryset, field):
        rows = queryset.order_by().values(field).annotate(count=Count("pk"))
        return dict(rows.values_list(field, "count"))

    def facets(self):
        """Each facet as (bound field, [(value, label, count, selected)]), for the form: the
        checked choices first, then the others, each in the order of their labels."""
        result = []
        for name in self.FACETS:
            counts = self.facet_counts(name)
            selected = {
                value.upper() if name == "country" else value
                for value in self.form[name].value() or ()
            }
            choices = [
                (value, label, counts.get(value, 0), value in selected)
                for value, label in self.filters[name].extra["choices"]
            ]
            # The checked choices first, so that none hides below the edge of the scroll box.
            choices.sort(key=lambda choice: not choice[3])
            result.append((self.form[name], choices))
        return result
