from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

# The public forms (search, the lists' filters) render their fields with Django's Jinja2 form
# templates: the same markup, in a fraction of the time the template language takes for a
# select of 46 countries. One renderer, built once. The admin keeps Django's default renderer.
PUBLIC_RENDERER = Jinja2()


class SearchForm(forms.Form):
    default_renderer = PUBLIC_RENDERER

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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
