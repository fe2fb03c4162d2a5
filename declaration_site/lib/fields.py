"""Form fields written in Python: the markup of Django's Jinja2 form templates without going
through them.

A list's filter form shows a few text boxes and selects on every request; rendered through the
form templates, each field costs a template per part and one per option of a select. A form
whose `bound_field_class` is `PythonBoundField` writes the same markup in Python, from the same
context Django's widgets build (`get_context()`: attributes, values, selected options), escaped
as Jinja2 escapes. A field it does not know (another widget or template, a fieldset, help text,
a hidden initial value) is rendered by Django as before.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import Jinja2
from django.utils.safestring import mark_safe
from markupsafe import escape

# The widget templates written here: every input of these types is input.html.
_INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "number", "search", "email", "url", "tel")
}
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_FIELD_TEMPLATES = {None, "django/forms/field.html"}


def _attrs(attrs):
    """Attributes as `django/forms/attrs.html` writes them: `True` alone, `False` left out.

    >>> _attrs({"id": "id_q", "required": True, "disabled": False, "title": 'a "b"'})
    ' id="id_q" required title="a &#34;b&#34;"'
    """
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        html.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"')
    return "".join(html)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def _select(widget):
    html = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            html.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _errors(errors):
    """`{{ field.errors }}`: the errors' list, or nothing."""
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    where = f' id="{escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{escape(error)}</li>" for error in errors)
    return f'<ul class="{escape(errors.error_class)}"{where}>{items}</ul>'


class PythonBoundField(BoundField):
    """A BoundField whose `as_field_group()` (label, errors, widget: what `{{ field }}` in a
    template gives) is written in Python for the text inputs and single selects of a form
    rendered with Django's Jinja2 form templates, in their markup; Django renders any other
    field."""

    def as_field_group(self):
        html = self._field_group()
        return super().as_field_group() if html is None else mark_safe(html)  # noqa: S308

    def _field_group(self):
        field, widget, form = self.field, self.field.widget, self.form
        if (
            not isinstance(form.renderer, Jinja2)
            or self.template_name != "django/forms/field.html"
            or self.use_fieldset
            or self.help_text
            or field.show_hidden_initial
            or field.localize
        ):
            return None
        if widget.template_name in _INPUT_TEMPLATES:
            write = _input
        elif (
            widget.template_name == _SELECT_TEMPLATE
            and widget.option_template_name == _OPTION_TEMPLATE
        ):
            write = _select
        else:
            return None
        label = self._label() if self.label else ""
        if label is None:
            return None
        # As BoundField.as_widget() and Widget.render() do, but for the template.
        attrs = self.build_widget_attrs({}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        context = widget.get_context(self.html_name, self.value(), attrs)["widget"]
        # field.html, stripped as the form renderer strips what it renders.
        return f"{label}\n\n\n{_errors(self.errors)}\n{write(context)}".strip()

    def _label(self):
        """`label_tag()` as label.html writes it, for a form without a label suffix; None for
        what this does not write."""
        form = self.form
        if (
            form.label_suffix
            or self.field.label_suffix
            or form.template_name_label != "django/forms/label.html"
            or (self.field.required and hasattr(form, "required_css_class"))
        ):
            return None
        id_ = self.field.widget.attrs.get("id") or self.auto_id
        if not id_:
            return str(escape(self.label))
        for_id = self.field.widget.id_for_label(id_)
        attrs = _attrs({"for": for_id}) if for_id else ""
        return f"<label{attrs}>{escape(self.label)}</label>"
