"""The API's own pages: its documentation, built from the OpenAPI document, and the JSON 404
for any other address under /api/. The endpoints are the apps'; `api_urls.py` routes them."""

import functools
import re

from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator

from prisoners.models import Detainee
from signatories.models import Declaration, PoliticalGroup, Signatory


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 in JSON, like the endpoints' own."""
    return JsonResponse({"detail": "Not found."}, status=404)


@functools.cache
def api_schema():
    """The OpenAPI document, built once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


class DocsView(TemplateView):
    """Every endpoint of the API with its parameters, from the OpenAPI document, and an example
    address built from the published records."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        examples = self.examples()
        endpoints = []
        for path, operations in api_schema()["paths"].items():
            operation = operations["get"]
            endpoints.append(
                {
                    "path": path,
                    "summary": markdown_html(operation.get("description", "")),
                    "parameters": [
                        {
                            **parameter,
                            "type": parameter_type(parameter["schema"]),
                            "description": markdown_html(parameter.get("description", "")),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "example": examples.get(operation["operationId"]),
                }
            )
        return super().get_context_data(endpoints=endpoints, **kwargs)

    def examples(self):
        """{operation id: example address}, for the operations that have public rows to show."""
        examples = {
            "declarations_list": reverse("api:declaration-list"),
            "signatories_list": reverse("api:signatory-list"),
            "groups_list": reverse("api:group-list"),
            "countries_list": reverse("api:country-list"),
            "detainees_list": reverse("api:detainee-list"),
            "statistics": reverse("api:statistics"),
        }
        declaration = Declaration.objects.public().first()
        if declaration is not None:
            number = declaration.number
            examples["declarations_list"] += f"?year={declaration.date.year}"
            examples["statistics"] += f"?year={declaration.date.year}"
            examples["declarations_retrieve"] = reverse("api:declaration-detail", args=[number])
            examples["signatories_list"] += f"?declaration={number}"
        signatory = Signatory.objects.public().first()
        if signatory is not None:
            examples["signatories_retrieve"] = reverse(
                "api:signatory-detail", args=[signatory.slug]
            )
        group = PoliticalGroup.objects.public().first()
        if group is not None:
            examples["groups_retrieve"] = reverse("api:group-detail", args=[group.slug])
        detainee = Detainee.objects.public().first()
        if detainee is not None:
            examples["detainees_list"] += f"?status={detainee.status}"
            examples["detainees_retrieve"] = reverse("api:detainee-detail", args=[detainee.slug])
        return examples


def parameter_type(schema):
    """A short description of a parameter's type: "integer", "list of string"."""
    if schema.get("type") == "array":
        return f"list of {parameter_type(schema['items'])}"
    return schema.get("format") or schema.get("type", "string")


INLINE_CODE = re.compile(r"`([^`]+)`")


def markdown_html(text):
    """HTML of the little Markdown the OpenAPI descriptions use: paragraphs separated by a
    blank line, bullet lists (`* item` or `- item`) and `inline code`. The text is escaped
    first, so nothing in it becomes markup but these.

    >>> markdown_html("Sort by\\n\\n* `name` - <b>Name</b>")
    '<p>Sort by</p><ul><li><code>name</code> - &lt;b&gt;Name&lt;/b&gt;</li></ul>'
    """
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("* ", "- ") for line in lines):
            items = "".join(f"<li>{inline_html(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{'<br>'.join(inline_html(line) for line in lines)}</p>")
    return mark_safe("".join(blocks))  # noqa: S308 - every piece is escaped above


def inline_html(line):
    """One escaped line, with `code` spans as <code>."""
    return INLINE_CODE.sub(r"<code>\1</code>", escape(line))
