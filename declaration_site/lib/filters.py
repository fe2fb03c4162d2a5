"""Filters that the lists of both apps use: countries by ISO code, declarations by number."""

import copy
import functools

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from django_filters import fields

from .cache import generation
from .forms import QuicklyCopiedFields, shallow_copy
from .text import fold


class FixedChoices(tuple, BaseChoiceIterator):
    """A filter's choices, shared by every copy of its form field. Each form deep-copies its
    fields, and with them a list of choices pair by pair: for the lists' ~50 countries and
    groups, most of what building a filter form costs. These are never changed in place, so a
    copy can be the same tuple. Its pairs are plain (value, label) already: as a
    `BaseChoiceIterator` (a tuple's own methods first), Django's fields and widgets take it
    as it is rather than normalising it pair by pair again for each form."""

    __slots__ = ()

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def country_choices(codes):
    """(code, name) pairs for these ISO codes, sorted by the name shown in the active language,
    accents aside (République before Royaume-Uni); blanks dropped.

    >>> country_choices(["SE", "AT", "", "SE"])
    [('AT', 'Austria'), ('SE', 'Sweden')]
    """
    names = ((code, countries.name(code)) for code in set(codes) if code)
    return sorted(names, key=lambda choice: fold(str(choice[1])))


class CountryCodeField(fields.ChoiceField):
    """A choice of ISO code that takes the code in any case: "it" is "IT"."""

    def to_python(self, value):
        return super().to_python(value).upper()


class CountryCodesField(fields.MultipleChoiceField):
    """Several ISO codes, each in any case."""

    def to_python(self, value):
        return [code.upper() for code in super().to_python(value)]


class CountryFilter(django_filters.ChoiceFilter):
    """One ISO 3166-1 alpha-2 code, in any case."""

    field_class = CountryCodeField


class CountriesFilter(django_filters.MultipleChoiceFilter):
    """Any number of ISO 3166-1 alpha-2 codes, in any case: ?country=it&country=FR."""

    field_class = CountryCodesField


class DeclarationNumberFilter(django_filters.Filter):
    """A declaration's number: a whole number, or the form's error."""

    field_class = forms.IntegerField


class FilteredMixin:
    """A filter set whose choices are applied by one function of its own, `filtered(queryset,
    **chosen)`: its `filter_queryset()` (the page, the CSV, the API) and the prepared page of
    its list (`PreparedPageMixin`, lib/views.py) both call it with `chosen()`. Each filter set
    says what its valid form chose (`chosen_from(cleaned_data)`)."""

    def chosen(self):
        """The form's choices as `filtered()` takes them: {} when unbound; None when the form
        is invalid (its list is empty)."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        return self.chosen_from(self.form.cleaned_data)

    def filter_queryset(self, queryset):
        chosen = self.chosen()
        return queryset.none() if chosen is None else self.filtered(queryset, **chosen)


class FormClassOnceMixin:
    """A filter set whose form class, with its fields, is built once a language until the
    next change of the data, rather than for every request: each field is built from its
    filter, and a field of choices reads its ~50 countries or groups one by one as it is
    built. The choices come from the data and are labelled in the page's language, so both
    are in the key; each form still copies the fields it validates, as each filter set its
    filters, both without Python's generic deep copy (`QuicklyCopiedFields`,
    `QuicklyCopiedFilters`)."""

    _form_classes = {}  # {(filter set class, language): (generation, form class)}

    def get_form_class(self):
        key = (type(self), get_language())
        current = generation()
        built = self._form_classes.get(key)
        if built is None or built[0] != current:
            form_class = super().get_form_class()
            form_class.base_fields = QuicklyCopiedFields(form_class.base_fields)
            built = self._form_classes[key] = (current, form_class)
        return built[1]

    @classmethod
    def get_filters(cls):
        return QuicklyCopiedFilters(super().get_filters())


class QuicklyCopiedFilters(dict):
    """A filter set class's `base_filters`, which each filter set copies (django-filter
    deep-copies them, choices, labels and all, for every request): each filter is copied
    with its own `extra` (where a filter set puts its choices), and a filter that calls a
    method (which refers back to it) deeply as before."""

    def __deepcopy__(self, memo):
        copied = {}
        for name, filter_ in self.items():
            if getattr(filter_, "_method", None) is not None or hasattr(type(filter_), "__copy__"):
                copied[name] = copy.deepcopy(filter_, memo)
            else:
                copied[name] = shallow_copy(filter_)
                copied[name].extra = filter_.extra.copy()
        return copied


class FilterSummaryMixin:
    """The filters a visitor chose, in words, for a list's heading and title ("Italy, SOC")
    and for the chips that each take one of them away.

    Only valid values count: an unknown country is the form's error, not part of the heading.
    `sort` orders the rows and `page` picks one page of them: neither is a filter."""

    not_filters = ("sort", "page")

    @functools.cached_property
    def active_filters(self):
        """[{"label", "value", "words", "remove"}] in the form's order: the field's label, the
        value as its chip shows it beside the label ("695"), as the heading says it alone
        ("No. 695"), and the address of the same list without that one value (the other filters
        and the sort kept, back to the first page)."""
        if not self.is_bound:
            return []
        self.is_valid()  # cleaned_data keeps the valid fields even when another one is not
        cleaned = getattr(self.form, "cleaned_data", {})
        chosen = []
        for name, field in self.form.fields.items():
            if name in self.not_filters or name not in cleaned:
                continue
            values = cleaned[name] if isinstance(cleaned[name], list | tuple) else [cleaned[name]]
            labels = {
                str(value): label for value, label in self.filters[name].extra.get("choices") or ()
            }
            if labels:  # several values in the order of the choices, as the form lists them
                order = list(labels)
                values = sorted(values, key=lambda v: order.index(str(v)) if str(v) in order else 0)
            for value in values:
                if value in (None, ""):
                    continue
                words = self.value_label(name, value, labels)
                chosen.append(
                    {
                        "label": field.label,
                        "value": value if name == "declaration" else words,
                        "words": words,
                        "remove": self.address_without(name, value),
                    }
                )
        return chosen

    @property
    def summary(self):
        """The chosen values, comma-separated: "Italy, SOC"; empty without a filter."""
        return ", ".join(str(chip["words"]) for chip in self.active_filters)

    @staticmethod
    def value_label(name, value, labels):
        """A value as a heading says it: a choice by its label, words in quotes, a declaration
        by its number."""
        if name == "q":
            return f"“{value}”"
        if name == "declaration":
            return _("No. %(number)s") % {"number": value}
        return labels.get(str(value), value)

    def address_without(self, name, value):
        """This list's address without one value of filter `name` (compared as the form reads
        it: "it" is "IT", spaces aside), every other parameter kept but the page."""
        query = QueryDict(mutable=True)
        for key in self.data:
            query.setlist(
                key, self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data[key]]
            )
        kept = [raw for raw in query.getlist(name) if raw.strip().lower() != str(value).lower()]
        query.setlist(name, kept)
        query.pop("page", None)
        path = self.request.path if self.request is not None else ""
        return f"{path}?{query.urlencode()}" if query.urlencode() else path or "?"
