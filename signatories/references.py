"""Links from a declaration's text to the declarations it refers to.

"written declaration No. 660" or "written declarations 652 and 655", and in French texts
"déclaration écrite n° 660" or "déclarations écrites nos 652 et 655", become links to those
declarations when they are recorded (and visible to the reader), with the title in the page's
language. Everything else in the text is escaped.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# "No.", "Nos", "n°", "nº", "no", "nos": the abbreviations of "number" PACE prints.
_NO = r"(?:nos?\.?|n\s?[°º]s?)\s*"
_MENTION = re.compile(
    rf"(?:written\s+declarations?|d[ée]clarations?\s+[ée]crites?)\s+(?:{_NO})?\d+"
    rf"(?:\s*(?:,|and|&|et)\s*(?:{_NO})?\d+)*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+")


def referenced_numbers(text):
    """The declaration numbers `text` refers to, in order, without repeats."""
    numbers = []
    for mention in _MENTION.finditer(text):
        for number in _NUMBER.findall(mention.group()):
            if int(number) not in numbers:
                numbers.append(int(number))
    return numbers


def _linked(text, declarations):
    """`text` escaped, with each referenced number that is in `declarations` linked."""
    parts, end = [], 0
    for mention in _MENTION.finditer(text):
        parts.append(escape(text[end : mention.start()]))
        inner_end = mention.start()
        for number in _NUMBER.finditer(mention.group()):
            start = mention.start() + number.start()
            parts.append(escape(text[inner_end:start]))
            declaration = declarations.get(int(number.group()))
            if declaration is None:
                parts.append(escape(number.group()))
            else:
                parts.append(
                    format_html(
                        '<a href="{}" title="{}">{}</a>',
                        declaration.get_absolute_url(),
                        declaration.title_in()[0],
                        number.group(),
                    )
                )
            inner_end = mention.start() + number.end()
        parts.append(escape(text[inner_end : mention.end()]))
        end = mention.end()
    parts.append(escape(text[end:]))
    return "".join(parts)


def linked_paragraphs(text, linkable):
    """(HTML of `text` in paragraphs with references linked, the declarations referred to).

    Only declarations in `linkable()` are linked: pass a function giving those the reader may
    see. It is called only where the text refers to a declaration: for a text that refers
    to none, no query is built.
    """
    numbers = referenced_numbers(text)
    found = {d.number: d for d in linkable().filter(number__in=numbers)} if numbers else {}
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    html = "\n\n".join(
        "<p>{}</p>".format(_linked(paragraph.strip(), found).replace("\n", "<br>"))
        for paragraph in paragraphs
    )
    # Every piece of the text went through escape() or format_html() above.
    return mark_safe(html), [found[n] for n in numbers if n in found]  # noqa: S308
