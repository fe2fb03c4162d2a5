import copy
import threading

from django import forms
from django.conf import settings
from django.forms.renderers import Jinja2
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .cache import generation
from .fields import PythonBoundField

# The public forms (search, the lists' filters) render their fields with Django's Jinja2 form
# templates: the same markup, in a fraction of the time the template language takes for a
# select of 46 countries. One renderer, built once. The admin keeps Django's default renderer.
PUBLIC_RENDERER = Jinja2()


def shallow_copy(instance):
    """`copy.copy(instance)` for an instance of a plain class (its state a `__dict__`, no
    copying method of its own), without the pickling protocol `copy.copy` goes through."""
    copied = object.__new__(type(instance))
    copied.__dict__.update(instance.__dict__)
    return copied


# The copying methods that `copied_field()` does itself, for the classes that have them.
_FIELD_COPIES = {forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__}
_WIDGET_COPIES = {forms.Widget.__deepcopy__, forms.widgets.ChoiceWidget.__deepcopy__}


def copied_field(field, memo):
    """`copy.deepcopy(field, memo)`: what a form copies of each of its fields, in a fifth of
    the time for a field that copies itself as `Field` and `ChoiceField` do (its widget, error
    messages, validators, choices), a deep copy otherwise."""
    widget = field.widget
    if (
        type(field).__deepcopy__ not in _FIELD_COPIES
        or type(widget).__deepcopy__ not in _WIDGET_COPIES
        or hasattr(type(field), "__copy__")
        or hasattr(type(widget), "__copy__")
    ):
        return copy.deepcopy(field, memo)
    copied = memo[id(field)] = shallow_copy(field)
    copied.widget = memo[id(widget)] = shallow_copy(widget)
    copied.widget.attrs = widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    choice_widget = isinstance(widget, forms.widgets.ChoiceWidget)
    choices = getattr(field, "_choices", None)
    if isinstance(field, forms.ChoiceField) and getattr(choices, "field", None) is field:
        # django-filter's iterator over the choices, which reads the field's empty and null
        # labels: the copy's own, over the same choices, for the field and its widget.
        copied._choices = shallow_copy(choices)
        copied._choices.field = copied
        if choice_widget:
            copied.widget.choices = copied._choices
        return copied
    if choice_widget:
        copied.widget.choices = copy.copy(widget.choices)
    if isinstance(field, forms.ChoiceField):
        copied._choices = copy.deepcopy(choices, memo)
    return copied


class QuicklyCopiedFields(dict):
    """A form class's `base_fields` that each form copies with `copied_field()`. A list's
    filter form is built for every request, and the generic copy of its fields was a
    twentieth of the page."""

    def __deepcopy__(self, memo):
        return {name: copied_field(field, memo) for name, field in self.items()}


class PublicBoundField(PythonBoundField):
    """A field of a public form, its markup written in Python where `PythonBoundField` can.
    Left empty, it is the same markup for every visitor of a page in one language until the
    record changes (its choices come from the record): that markup is rendered once per
    process and generation, not on every request. A select of 46 countries and the checkboxes
    of the groups cost about 4 ms a page to render. A field with a value or an error is
    rendered each time: its markup is the visitor's own."""

    # {(form, its fields, prefix, ids, field, language): html}, of generation `_generation`
    _rendered = {}
    _generation = None
    _lock = threading.Lock()

    def as_field_group(self):
        if settings.DEBUG or self.errors or self.value() not in self.field.empty_values:
            return super().as_field_group()
        current = generation()
        # django-filter makes a form class per request: the key names it rather than holding it.
        form = self.form
        key = (type(form).__name__, tuple(form.fields), form.prefix, form.auto_id, self.name)
        key += (get_language(),)
        rendered = PublicBoundField._rendered
        if PublicBoundField._generation != current:
            with PublicBoundField._lock:
                if PublicBoundField._generation != current:
                    PublicBoundField._rendered = rendered = {}
                    PublicBoundField._generation = current
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = super().as_field_group()
        return html


class SearchForm(forms.Form):
    default_renderer = PUBLIC_RENDERER
    bound_field_class = PublicBoundField

    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("A declaration number or words of its title or text, or a name."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class FilterForm(forms.Form):
    """The form of a list's filters: labels without a trailing colon, like the legends."""

    default_renderer = PUBLIC_RENDERER
    bound_field_class = PublicBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
