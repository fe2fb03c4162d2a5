from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
