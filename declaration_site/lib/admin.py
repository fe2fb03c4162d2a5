"""What the admin pages of both apps share: accent-insensitive search, links to a filtered
list, and the action that merges duplicate records."""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .merging import MergeError
from .text import fold


class FoldedSearchMixin:
    """Search folded columns with the folded term, so that "aberg" finds ÅBERG.

    Autocomplete widgets search through the same method.
    """

    search_help_text = _("Accents and capitals do not matter: aberg finds ÅBERG.")

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


def changelist_link(model, lookup, obj, text):
    """A link to `model`'s admin list filtered on `lookup` = `obj`, reading `text`: how a
    count in one list opens the rows it counts."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}={}">{}</a>', url, lookup, obj.pk, text)


def merge_action(modeladmin, request, queryset, merge):
    """The admin action that merges the selected records into the one the curator keeps.

    Shows a page to choose the record kept; on confirmation calls `merge(keep, others)`.
    """
    selected = list(queryset)
    if len(selected) < 2:
        modeladmin.message_user(
            request,
            gettext(
                "Select at least two records to merge: a record cannot be merged into itself. "
                "Nothing was changed."
            ),
            messages.ERROR,
        )
        return None
    form = MergeForm(request.POST if "merge" in request.POST else None, queryset=queryset)
    if form.is_bound and form.is_valid():
        keep = form.cleaned_data["keep"]
        try:
            report = merge(keep, [record for record in selected if record.pk != keep.pk])
        except MergeError as error:
            form.add_error(None, str(error))
        else:
            message = gettext("%(merged)s merged into %(kept)s.") % {
                "merged": ", ".join(report.merged),
                "kept": report.kept,
            }
            modeladmin.message_user(request, message, messages.SUCCESS)
            for declaration in report.duplicates:
                modeladmin.message_user(
                    request,
                    gettext("Both were recorded on %(declaration)s: one entry was kept.")
                    % {"declaration": declaration},
                    messages.WARNING,
                )
            return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Merge %(name)s") % {"name": opts.verbose_name_plural},
        "subtitle": None,
        "opts": opts,
        "form": form,
        "selected": selected,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/merge_confirmation.html", context)


class MergeForm(forms.Form):
    """Which of the selected records to keep."""

    keep = forms.ModelChoiceField(
        label=_("Keep"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The others are merged into this one; their names become its other names."),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset
