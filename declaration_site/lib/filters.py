"""Filters that the lists of both apps use: countries by ISO code, declarations by number."""

import django_filters
from django import forms
from django_countries import countries
from django_filters import fields

from .text import fold


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
