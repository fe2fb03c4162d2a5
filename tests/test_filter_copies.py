"""What each request's filter set and filter form copy of the class's filters and fields (a
copy of their own, made without Python's generic deep copy), and the counts by country and
group that the signatories' facets and the list's size are sums of."""

import copy
import doctest
import itertools
import random

import pytest
from django.http import QueryDict

from declaration_site.lib.forms import QuicklyCopiedFields, copied_field
from prisoners.filters import DetaineeFilter
from signatories import filters
from signatories.filters import AffiliationCounts, DeclarationFilter, SignatoryFilter

FILTER_SETS = [DeclarationFilter, SignatoryFilter, DetaineeFilter]


def _choices(field):
    return [(value, str(label)) for value, label in field.choices]


@pytest.mark.parametrize("filter_set", FILTER_SETS, ids=lambda cls: cls.__name__)
def test_each_form_has_fields_of_its_own_that_read_as_a_deep_copy_would(db, filter_set):
    first = filter_set(QueryDict("page=2")).form
    second = filter_set(QueryDict("page=2")).form
    form_class = type(first)
    assert isinstance(form_class.base_fields, QuicklyCopiedFields)
    for name, field in first.fields.items():
        other, base = second.fields[name], form_class.base_fields[name]
        assert field is not other and field is not base
        assert field.widget is not other.widget and field.widget is not base.widget
        deep = copy.deepcopy(base)
        assert type(field) is type(deep) and type(field.widget) is type(deep.widget)
        assert field.label == deep.label and field.required == deep.required
        if hasattr(deep, "choices"):
            # The empty label ("Any country") read from each copy's own field.
            assert _choices(field) == _choices(deep) == _choices(field.widget)
            field.empty_label = "changed"
            assert "changed" not in [label for _value, label in _choices(other)]
            assert "changed" not in [label for _value, label in _choices(base)]
        field.widget.attrs["data-changed"] = "1"
        field.error_messages["required"] = "changed"
        field.validators.append(lambda value: None)
        assert "data-changed" not in other.widget.attrs | base.widget.attrs
        assert other.error_messages["required"] != "changed"
        assert len(other.validators) == len(base.validators) == len(deep.validators)


def test_a_field_that_copies_itself_otherwise_is_deep_copied():
    from django import forms

    class Own(forms.CharField):
        def __deepcopy__(self, memo):
            copied = super().__deepcopy__(memo)
            copied.copied_by_itself = True
            return copied

    assert copied_field(Own(), {}).copied_by_itself
    assert not hasattr(copied_field(forms.CharField(), {}), "copied_by_itself")


@pytest.mark.parametrize("filter_set", FILTER_SETS, ids=lambda cls: cls.__name__)
def test_each_filter_set_has_filters_of_its_own(db, filter_set):
    first, second = filter_set(QueryDict("")), filter_set(QueryDict(""))
    for name, filter_ in first.filters.items():
        other, base = second.filters[name], filter_set.base_filters[name]
        assert filter_ is not other and filter_ is not base
        assert filter_.parent is first and other.parent is second
        filter_.extra["choices"] = [("x", "changed")]
        assert other.extra.get("choices") != [("x", "changed")]
        assert base.extra.get("choices") != [("x", "changed")]


def test_a_filter_that_calls_a_method_keeps_its_method_on_its_copy(db):
    import django_filters

    from signatories.models import Signatory

    class ByMethod(SignatoryFilter):
        initial = django_filters.CharFilter(method="by_initial")

        def by_initial(self, queryset, name, value):
            return queryset.filter(family_name__istartswith=value)

    filter_set = ByMethod(QueryDict("initial=z"), queryset=Signatory.objects.all())
    assert filter_set.filters["initial"].filter.method == filter_set.by_initial


def test_the_examples_of_affiliation_counts_hold():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(AffiliationCounts, globs=vars(filters)):
        runner.run(test)
    assert (runner.failures, runner.tries) == (0, 2)


def test_affiliation_counts_are_the_sums_over_the_pairs_each_choice_keeps():
    shuffled = random.Random(7)  # noqa: S311 (test data, the same on every run)
    countries, groups = ["AL", "FR", "IT", "SE"], ["epp", "soc", "uel", None]
    rows = [
        (country, group, shuffled.randint(1, 9))
        for country, group in itertools.product(countries, groups)
        if shuffled.random() < 0.7
    ]
    counts = AffiliationCounts(rows)
    choices = [None, {"IT"}, {"AL", "SE"}, {"ZZ"}]
    group_choices = [None, {"soc"}, {"epp", None}, {"nope"}]
    for chosen_countries, chosen_groups in itertools.product(choices, group_choices):
        kept = [
            row
            for row in rows
            if (chosen_countries is None or row[0] in chosen_countries)
            and (chosen_groups is None or row[1] in chosen_groups)
        ]
        assert sorted(counts.kept(chosen_countries, chosen_groups), key=str) == sorted(
            kept, key=str
        )
        assert counts.total(chosen_countries, chosen_groups) == sum(row[2] for row in kept)
        for position in (0, 1):
            expected = {}
            for row in kept:
                expected[row[position]] = expected.get(row[position], 0) + row[2]
            assert counts.counts(position, chosen_countries, chosen_groups) == expected


def test_affiliation_counts_are_kept_in_a_shared_cache_as_their_rows():
    counts = AffiliationCounts([("IT", "soc", 2)])
    assert counts.counts(0) == {"IT": 2}  # worked out, then left out of the copy
    restored = copy.deepcopy(counts)
    assert restored.rows == counts.rows and "_totals" not in vars(restored)
    assert restored.total() == 2
