"""Form fields written in Python (declaration_site/lib/fields.py) give the markup Django's
form templates give, in every state a visitor can put a filter form in."""

import pytest
from django import forms
from django.forms.boundfield import BoundField
from django.utils import translation

from declaration_site.lib.fields import PythonBoundField
from declaration_site.lib.forms import FilterForm
from prisoners.filters import DetaineeFilter
from prisoners.models import Detainee

from .factories import make_detainee


def as_django_writes_it(form):
    """Each field of `form` as Django's BoundField renders it, and as PythonBoundField does."""
    pairs = []
    for name, field in form.fields.items():
        pairs.append(
            (
                str(BoundField(form, field, name).as_field_group()),
                str(PythonBoundField(form, field, name).as_field_group()),
            )
        )
    return pairs


class EveryKindForm(FilterForm):
    bound_field_class = PythonBoundField

    text = forms.CharField(label='Name <"quoted"> & co', required=False, max_length=20)
    needed = forms.CharField(label="Needed", widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.IntegerField(label="No.", required=False, min_value=1)
    choice = forms.ChoiceField(
        label="Choice",
        required=False,
        choices=[("", "Any"), ("a&b", "A & B"), ("q", "L'autre « choix »")],
    )
    grouped = forms.ChoiceField(
        label="Grouped",
        required=False,
        choices=[("", "Any"), ("Europe", [("fr", "France"), ("it", "Italy")]), ("x", "Other")],
    )
    several = forms.MultipleChoiceField(
        label="Several", required=False, choices=[("a", "A"), ("b", "B")]
    )
    disabled = forms.CharField(label="Disabled", required=False, disabled=True, initial="<x>")
    helped = forms.CharField(label="Helped", required=False, help_text="Some help.")
    area = forms.CharField(label="Area", required=False, widget=forms.Textarea)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"text": 'a "b" <c> & d', "needed": "x", "number": "3", "choice": "a&b"},
        {"text": "x" * 30, "number": "abc", "choice": "nope", "grouped": "it"},
        {"number": "0", "grouped": "Europe", "several": ["a", "b"], "needed": ""},
        {"several": ["c"], "choice": "q", "area": "<b>"},
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_kind_of_field_is_written_as_django_writes_it(data, language):
    with translation.override(language):
        form = EveryKindForm(data)
        form.is_valid() if data is not None else None
        for django_html, python_html in as_django_writes_it(form):
            assert python_html == django_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "jan <b>", "country": "by", "status": "released", "declaration": "695"},
        {"country": "zz", "status": "free", "declaration": "x"},
        {"declaration": "0", "q": " "},
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_detainee_filters_are_written_as_django_writes_them(data, language):
    make_detainee(name="Jan Kowalski", country="BY")
    make_detainee(name="Ann Smith", country="TR")
    with translation.override(language):
        filterset = DetaineeFilter(data, queryset=Detainee.objects.public())
        filterset.is_valid()
        pairs = as_django_writes_it(filterset.form)
    assert len(pairs) == 4
    for django_html, python_html in pairs:
        assert python_html == django_html
    assert all(field._field_group() is not None for field in filterset.form)


def test_fields_it_does_not_write_are_left_to_django():
    form = EveryKindForm({"several": ["a"]})
    written = {field.name for field in form if field._field_group() is not None}
    assert written == {"text", "needed", "number", "choice", "grouped", "several", "disabled"}
