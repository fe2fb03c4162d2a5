"""The form of the admin's import page: a declaration's text, pasted or uploaded."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import MAX_FILE_SIZE, UnreadableText, decode_declaration


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the declaration"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "Paste the declaration as PACE publishes it: header, title, signatories, text."
        ),
    )
    file = forms.FileField(
        label=_("or a text file"),
        required=False,
        help_text=_("A .txt file in UTF-8, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    publish = forms.BooleanField(
        label=_("Publish it"),
        required=False,
        help_text=_("Otherwise a new declaration is recorded as a draft."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("This file is larger than 1 MB; is it really a declaration?")
            )
        try:
            return decode_declaration(upload.read())
        except UnreadableText as error:
            raise forms.ValidationError(
                _("This file is not a declaration's text: %(reason)s.") % {"reason": error}
            ) from None

    def clean(self):
        cleaned = super().clean()
        text, file_text = cleaned.get("text", ""), cleaned.get("file", "")
        if "file" in self.errors:
            return cleaned
        if text.strip() and file_text:
            raise forms.ValidationError(_("Paste the text or choose a file, not both."))
        if not text.strip() and not file_text:
            raise forms.ValidationError(_("Paste the text of a declaration or choose a file."))
        cleaned["text"] = text if text.strip() else file_text
        return cleaned
