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
