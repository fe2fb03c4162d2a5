"""The filters of the public lists of declarations and signatories.

Choices come from what is public (the countries and groups that have signatories), so that an
unknown value (`?country=ZZ`, `?group=nope`) is a form error rather than an empty match.
Country codes are accepted in any case (`?country=it`).
"""

import functools
from typing import NamedTuple

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
    FilteredMixin,
    FilterSummaryMixin,
    FixedChoices,
    FormClassOnceMixin,
    country_choices,
)
from declaration_site.lib.forms import FilterForm
from declaration_site.lib.text import name_words

from .models import Declaration, PoliticalGroup, Signatory, Signature, search_terms


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


class DeclarationFilter(
    FilteredMixin, FormClassOnceMixin, FilterSummaryMixin, django_filters.FilterSet
):
    # Each choice is read by filtered() (see FilteredMixin).
    q = django_filters.CharFilter(label=_("Words"))
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="date__year", empty_label=_("Any year")
    )
    country = CountryFilter(label=_("Signed by a member from"), empty_label=_("Any country"))
    # Repeatable: ?group=soc&group=uel are the declarations that members of both signed, each
    # as a member of that group on the day (how the coalitions of /statistics/ link here).
    group = django_filters.MultipleChoiceFilter(
        label=_("Signed by a member of"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick several for the declarations signed by members of each of them."),
    )

    # A year is bound by the ORM as two dates: a page with one is not a prepared query's.
    unprepared_choices = ("year",)

    class Meta:
        model = Declaration
        fields = ["q", "year", "country", "group"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels (country names, group abbreviations) are in the page's language.
        choices = memoise(
            f"declaration-filter-choices:{get_language()}", self.choices, in_process=True
        )
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

    @staticmethod
    def chosen_from(cleaned):
        text, number = search_terms(cleaned["q"]) if cleaned.get("q") else (None, None)
        return {
            "text": text,
            "number": number,
            "year": cleaned.get("year") or None,
            "country": cleaned.get("country") or None,
            "groups": list(cleaned.get("group") or ()),
        }

    @staticmethod
    def filtered(queryset, text=None, number=None, year=None, country=None, groups=()):
        """`queryset` (of declarations) narrowed by these choices: `text` in the title, text or
        reference, or the number `number` (`search_terms()`); of `year`; signed by a member
        of the delegation `country` (a code), and by a member of each of the groups of slugs
        `groups`, as of signing."""
        if text:
            queryset = queryset.containing(text, number)
        if year is not None:
            queryset = queryset.filter(date__year=year)
        if country is not None:
            queryset = queryset.signed_as(country=country)
        for slug in groups:
            queryset = queryset.signed_as(political_group__slug=slug)
        return queryset


class SignatoryFilter(
    FilteredMixin, FormClassOnceMixin, FilterSummaryMixin, django_filters.FilterSet
):
    """Country and group match the current affiliation; with a declaration, the affiliation as
    of signing it."""

    # Each choice is read by filtered() (see FilteredMixin).
    q = django_filters.CharFilter(label=_("Name"))
    country = CountriesFilter(label=_("Country"))
    group = django_filters.MultipleChoiceFilter(label=_("Political group"))
    declaration = DeclarationNumberFilter(label=_("Signed declaration No."), min_value=1)
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=FixedChoices([("name", _("Name")), ("signed", _("Declarations signed"))]),
        empty_label=None,
    )

    # Facets: the filter, and the field it counts, named alike on Signatory (the current
    # affiliation) and on Signature (as of signing, when a declaration is chosen).
    FACETS = {"country": "country", "group": "political_group__slug"}

    # The order changes a prepared query's SQL itself.
    fixed_choices = ("sort",)

    class Meta:
        model = Signatory
        fields = ["q", "country", "group", "declaration", "sort"]
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._affiliation_counts = None
        choices = memoise(
            f"signatory-filter-choices:{get_language()}", self.choices, in_process=True
        )
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

    @staticmethod
    def chosen_from(cleaned):
        return {
            "words": name_words(cleaned.get("q") or ""),
            "declaration": cleaned.get("declaration"),
            "countries": list(cleaned.get("country") or ()),
            "groups": list(cleaned.get("group") or ()),
            "sort": cleaned.get("sort") or None,
        }

    @staticmethod
    def filtered(queryset, words=(), declaration=None, countries=(), groups=(), sort=None):
        """`queryset` (of signatories) narrowed and ordered by these choices: every one of
        `words` (folded) in a name; a signature on declaration No. `declaration`; one of
        `countries`, one of the groups of slugs `groups`, currently or, with a declaration, as
        of signing it; sorted by "name", by declarations "signed", or as the model orders."""
        if words:
            queryset = queryset.named(*words)
        if declaration is not None:
            queryset = queryset.signed_as(declaration__number=declaration)
        # Named alike on Signatory (now) and on Signature (as of signing).
        for lookup, values in (("country__in", countries), ("political_group__slug__in", groups)):
            if not values:
                continue
            if declaration is None:
                queryset = queryset.filter(**{lookup: values})
            else:
                queryset = queryset.signed_as(declaration__number=declaration, **{lookup: values})
        if sort == "signed":
            if "declaration_count" not in queryset.query.annotations:
                queryset = queryset.with_counts()
            return queryset.order_by("-declaration_count", "sort_name", "pk")
        if sort == "name":
            return queryset.order_by("sort_name", "country", "pk")
        return queryset

    def counts_by_affiliation(self):
        """The signatories that the filters other than country and group keep, counted by
        country and group (`AffiliationCounts`; every public one when the form is invalid), as
        of signing the declaration when one is chosen. Both facets and the list's size are sums
        over it. One query, once a request; without such a filter the same for every visitor,
        so kept until the next change: then any choice of countries and groups costs no count
        at all."""
        if self._affiliation_counts is None:
            self._affiliation_counts = self._count_by_affiliation()
        return self._affiliation_counts

    def _count_by_affiliation(self):
        queryset = self.queryset
        chosen = self.chosen()
        if chosen:
            queryset = self.filtered(
                queryset, words=chosen["words"], declaration=chosen["declaration"]
            )
        if self.declaration_number is not None:
            signatures = Signature.objects.public().filter(
                declaration__number=self.declaration_number, signatory__in=queryset.values("pk")
            )
            return AffiliationCounts(self.count_pairs(signatures))
        if queryset is self.queryset:
            return memoise(
                "signatory-affiliation-counts",
                lambda: AffiliationCounts(self.count_pairs(queryset)),
                in_process=True,
            )
        return AffiliationCounts(self.count_pairs(queryset))

    @classmethod
    def count_pairs(cls, queryset):
        """Signatories (or signatures) counted by country and group."""
        fields = list(cls.FACETS.values())
        rows = queryset.order_by().values(*fields).annotate(count=Count("pk"))
        return list(rows.values_list(*fields, "count"))

    def _chosen_affiliations(self, but=None):
        """(countries, group slugs) chosen, each a set or None for any; the choice of facet
        `but` left out."""
        cleaned = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return tuple(
            set(cleaned[name]) if name != but and cleaned.get(name) else None
            for name in self.FACETS
        )

    def facet_counts(self, name):
        """{choice: signatories} for facet `name` ("country" or "group"), among the signatories
        that every other filter keeps (all of them when the form is invalid)."""
        position = list(self.FACETS).index(name)
        return self.counts_by_affiliation().counts(position, *self._chosen_affiliations(but=name))

    def matching_count(self):
        """How many signatories the filters keep, summed from the counts the facets are made
        of rather than counted again; None with an invalid form (whose list is empty)."""
        if not (self.is_bound and self.is_valid()):
            return None
        return self.counts_by_affiliation().total(*self._chosen_affiliations())

    def facets(self):
        """Each facet of the form (`Facet`): the checked choices first, then the others, each
        in the order of their labels."""
        result = []
        for name in self.FACETS:
            counts = self.facet_counts(name)
            field = self.form[name]
            selected = {
                value.upper() if name == "country" else value for value in field.value() or ()
            }
            choices = [
                (value, label, counts.get(value, 0), value in selected)
                for value, label in self.filters[name].extra["choices"]
            ]
            # The checked choices first, so that none hides below the edge of the scroll box.
            choices.sort(key=lambda choice: not choice[3])
            result.append(Facet(field, str(field.label), field.errors, choices))
        return result


class Facet(NamedTuple):
    """A facet of a filter form as `includes/_facet.html` writes it: the bound field, its
    label and errors (read once here: through a bound field, each is a lookup the template
    language fails at before it finds it), and its choices, [(value, label, count,
    selected)]."""

    field: forms.BoundField
    label: str
    errors: list
    choices: list


class AffiliationCounts:
    """Signatories counted by country and group: `rows` of (country code, group slug or None,
    signatories), one per pair that has any. Each signatory has one country and one group (or
    none), so the pairs split them, and a facet's counts and the list's size are sums over
    the pairs the chosen countries and groups keep.

    A list page reads them three times (each facet, the size) over hundreds of pairs: the sums
    without a choice, and the pairs of each country and of each group, are worked out once
    for all the requests that share these counts.

    >>> counts = AffiliationCounts([("IT", "soc", 2), ("IT", "epp", 3), ("FR", "soc", 1)])
    >>> counts.counts(0), counts.counts(1, countries={"IT"}), counts.total(groups={"soc"})
    ({'IT': 5, 'FR': 1}, {'soc': 2, 'epp': 3}, 3)
    """

    def __init__(self, rows):
        self.rows = rows

    def __reduce__(self):  # kept in a shared cache as its rows alone
        return (AffiliationCounts, (self.rows,))

    @functools.cached_property
    def _totals(self):
        """({country: signatories}, {group: signatories}) over every pair."""
        return self._sums(self.rows, 0), self._sums(self.rows, 1)

    @functools.cached_property
    def _by_value(self):
        """({country: its pairs}, {group: its pairs})."""
        by_country, by_group = {}, {}
        for row in self.rows:
            by_country.setdefault(row[0], []).append(row)
            by_group.setdefault(row[1], []).append(row)
        return by_country, by_group

    @staticmethod
    def _sums(rows, position):
        sums = {}
        for row in rows:
            sums[row[position]] = sums.get(row[position], 0) + row[2]
        return sums

    def kept(self, countries=None, groups=None):
        """The pairs of one of `countries` and one of `groups` (sets; None for any)."""
        if countries is None and groups is None:
            return self.rows
        by_country, by_group = self._by_value
        if groups is None:
            return [row for country in countries for row in by_country.get(country, ())]
        if countries is None:
            return [row for group in groups for row in by_group.get(group, ())]
        return [
            row for country in countries for row in by_country.get(country, ()) if row[1] in groups
        ]

    def counts(self, position, countries=None, groups=None):
        """{country (position 0) or group (1): signatories} over the pairs kept."""
        if countries is None and groups is None:
            return self._totals[position]
        return self._sums(self.kept(countries, groups), position)

    def total(self, countries=None, groups=None):
        """Signatories over the pairs kept."""
        if countries is None and groups is None:
            return sum(self._totals[0].values())
        return sum(row[2] for row in self.kept(countries, groups))
