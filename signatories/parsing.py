"""Read the text of a PACE written declaration into plain data.

Nothing here touches the database: `parse_declaration(text)` returns a `ParsedDeclaration` or raises
`ParseError` listing every problem with its line number. The layout, as on the Assembly's site:

    See related documents                                  (optional)

    Written declaration No. 695 | Doc. 14983 | 04 October 2019

    Title on one or more lines

    Signatories: Mr André GATTOLIN, France, ALDE ; Ms Boriana ÅBERG, Sweden, EPP/CD ; ...
                                                           ("Signatories:" is optional)
    This written declaration commits only those who have signed it.   (optional)

    Body, in paragraphs.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from declaration_site.lib.text import fold

HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof",
        "lord", "lady", "baroness", "baron", "sir", "dame", "earl", "countess", "viscount",
        "m", "mme", "mlle",
    }
)  # fmt: skip
# Lower-case words that begin a family name: "van de VEN", "de BRUIJN-WEZEMAN", "Earl of DUNDEE".
# A capitalised one counts too when it stands right before the capitals: "De SUTTER".
PARTICLES = frozenset(
    {
        "af", "al", "av", "d'", "da", "das", "de", "del", "della", "der", "des", "di", "do",
        "dos", "du", "el", "la", "le", "of", "ten", "ter", "van", "von", "zu",
    }
)  # fmt: skip
# Lower-case words that join two family names: "GARCÍA y PÉREZ", "PUIG i FERRER", "SOUSA e CASTRO".
CONNECTORS = PARTICLES | {"y", "i", "e", "und"}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "janvier"),
            ("february", "fevrier"),
            ("march", "mars"),
            ("april", "avril"),
            ("may", "mai"),
            ("june", "juin"),
            ("july", "juillet"),
            ("august", "aout"),
            ("september", "septembre"),
            ("october", "octobre"),
            ("november", "novembre"),
            ("december", "decembre"),
        ],
        start=1,
    )
    for name in names
}

_HEADER = re.compile(
    r"^(?:Written\s+declaration|D[ée]claration\s+[ée]crite)\s+n[o°]?\.?\s*(?P<number>\d+)\s*"
    r"\|\s*Doc\.?\s*(?P<reference>[^|]+?)\s*\|\s*(?P<date>.+?)\s*$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"^\d+(?:\s+(?:rev|add|corr)\.?(?:\s*\d+)?)*$", re.IGNORECASE)
_DATE = re.compile(
    r"^(?P<day>\d{1,2})(?:er)?\s+(?P<month>[^\W\d_]+)\s+(?P<year>\d{4})$", re.IGNORECASE
)
_LIST_LABEL = re.compile(r"^(?:Signatories|Signataires)\s*:\s*", re.IGNORECASE)
_RELATED = re.compile(r"^(?:See related documents|Voir les documents li[ée]s)$", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"^(?:This\s+written\s+declaration\s+commits\s+only\s+those\s+who\s+have\s+signed\s+it\.?"
    r"|Cette\s+d[ée]claration\s+[ée]crite\s+n.engage\s+que\s+"
    r"(?:ses\s+signataires|ceux\s+qui\s+l.ont\s+sign[ée]e)\.?)$",
    re.IGNORECASE,
)
# Characters that copying from a web page leaves in the text and that mean nothing in it:
# zero-width spaces, word joiners, soft hyphens, byte order marks.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad\ufeff"))
_INITIALS = re.compile(r"^(?:[^\W\d_]\.-?)+$")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    item: str = ""

    def __str__(self):
        where = f"line {self.line}" if self.line else "file"
        item = f": {self.item!r}" if self.item else ""
        return f"{where}{item}: {self.message}"


class ParseError(ValueError):
    """The text is not a declaration we can read. `problems` says where and why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class ParsedSignatory:
    honorific: str
    given_name: str
    family_name: str
    country: str
    group: str
    line: int
    item: str


@dataclass(frozen=True)
class ParsedDeclaration:
    number: int
    document_reference: str
    date: datetime.date
    title: str
    text: str
    signatories: list[ParsedSignatory] = field(default_factory=list)


@dataclass
class _Paragraph:
    line: int
    lines: list[str]

    @property
    def text(self):
        return " ".join(line.strip() for line in self.lines)


def _is_standalone(line):
    """Lines that are a paragraph of their own even when no blank line separates them."""
    line = line.strip()
    return bool(_RELATED.match(line) or _HEADER.match(line) or _DISCLAIMER.match(line))


def _paragraphs(text):
    """Runs of non-blank lines. The header, the disclaimer and "See related documents" stand
    alone, and the "Signatories:" label starts a new paragraph, blank line or not."""
    paragraphs, current = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None
            continue
        standalone = _is_standalone(line)
        if current is None or standalone or _LIST_LABEL.match(line.strip()):
            current = _Paragraph(number, [])
            paragraphs.append(current)
        current.lines.append(line)
        if standalone:
            current = None
    return paragraphs


def _is_family_word(word):
    """A word printed in capitals: SUTTER, O'REILLY, OOMEN-RUIJTEN, McCARTHY (not E., J.P., Elan)."""
    if _INITIALS.match(word):
        return False
    upper = sum(char.isupper() for char in word)
    lower = sum(char.islower() for char in word)
    return upper >= 2 and upper > lower


def split_name(name):
    """Split "Lord John E. TOMLINSON" into ("Lord", "John E.", "TOMLINSON").

    The family name is the run of words in capitals at the end, lower-case connectors between
    them included ("GARCÍA y PÉREZ"), with the particles just before it ("van de VEN",
    "De SUTTER"); the honorific is a known title at the start, written without its dot ("Mr." is
    "Mr"). Raises ValueError when no word is in capitals.
    """
    words = name.split()
    honorific = ""
    if len(words) > 1 and fold(words[0]).rstrip(".") in HONORIFICS:
        honorific, words = words[0].rstrip("."), words[1:]
    start = len(words)
    while start > 0:
        if _is_family_word(words[start - 1]):
            start -= 1
        elif (
            start < len(words)
            and start > 1
            and words[start - 1].islower()
            and fold(words[start - 1]) in CONNECTORS
            and _is_family_word(words[start - 2])
        ):
            start -= 2
        else:
            break
    if start == len(words):
        raise ValueError("no family name in capitals")
    # A lower-case particle may open the name even with no given name ("Earl of DUNDEE");
    # a capitalised one ("De", "Van") only after a given name, since it may be one.
    while start > 0 and fold(words[start - 1]) in PARTICLES:
        if start == 1 and not words[0].islower():
            break
        start -= 1
    return honorific, " ".join(words[:start]), " ".join(words[start:])


def _parse_date(value):
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError
    month = MONTHS.get(fold(match["month"]))
    if month is None:
        raise ValueError
    return datetime.date(int(match["year"]), month, int(match["day"]))


def _line_of(paragraph, offset):
    """The file line on which character `offset` of the paragraph's joined text falls."""
    consumed = 0
    for index, line in enumerate(paragraph.lines):
        consumed += len(line.strip()) + 1
        if offset < consumed:
            return paragraph.line + index
    return paragraph.line + len(paragraph.lines) - 1


def parse_signatories(paragraph):
    """The items of a signatory list paragraph, and the problems found in them."""
    text = paragraph.text
    label = _LIST_LABEL.match(text)
    offset = label.end() if label else 0
    signatories, problems, seen = [], [], {}
    if not text[offset:].strip(" ;"):
        return [], [Problem(paragraph.line, "the signatory list is empty")]
    raw_items = text[offset:].split(";")
    for index, raw in enumerate(raw_items):
        item = " ".join(raw.split())
        line = _line_of(paragraph, offset + len(raw) - len(raw.lstrip()))
        offset += len(raw) + 1
        if not item:
            if index < len(raw_items) - 1 or index == 0:
                problems.append(Problem(line, "empty item in the signatory list"))
            continue
        parts = [" ".join(part.split()) for part in item.split(",")]
        if len(parts) != 3 or not all(parts):
            problems.append(Problem(line, "expected 'Name, Country, GROUP'", item))
            continue
        name, country, group = parts
        try:
            honorific, given_name, family_name = split_name(name)
        except ValueError as error:
            problems.append(Problem(line, f"cannot read the name ({error})", item))
            continue
        key = (fold(f"{given_name} {family_name}"), fold(country))
        if key in seen:
            problems.append(Problem(line, f"signatory already listed on line {seen[key]}", item))
            continue
        seen[key] = line
        signatories.append(
            ParsedSignatory(honorific, given_name, family_name, country, group, line, item)
        )
    return signatories, problems


def parse_declaration(text):
    """Parse one declaration; raise ParseError naming every problem and its line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ParseError([Problem(line, "the text contains a NUL character; is it really text?")])
    paragraphs = _paragraphs(text)
    if paragraphs and _RELATED.match(paragraphs[0].text):
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise ParseError([Problem(0, "the text is empty")])

    header = _HEADER.match(paragraphs[0].text)
    if not header:
        raise ParseError(
            [
                Problem(
                    paragraphs[0].line,
                    "expected the header 'Written declaration No. N | Doc. REF | DD Month YYYY'",
                    paragraphs[0].text[:80],
                )
            ]
        )
    problems = []
    reference = " ".join(header["reference"].split())
    if not _REFERENCE.match(reference):
        problems.append(
            Problem(paragraphs[0].line, "the document reference is not like '14983'", reference)
        )
    try:
        date = _parse_date(header["date"])
    except ValueError:
        problems.append(
            Problem(paragraphs[0].line, "the date is not like '04 October 2019'", header["date"])
        )
        date = None

    rest = paragraphs[1:]
    if len(rest) < 2 or _LIST_LABEL.match(rest[0].text):
        problems.append(
            Problem(
                paragraphs[0].line, "expected a title and then the signatory list after the header"
            )
        )
        raise ParseError(problems)
    title, signatory_paragraph, body = rest[0], rest[1], rest[2:]
    signatories, list_problems = parse_signatories(signatory_paragraph)
    problems.extend(list_problems)
    body = [paragraph for paragraph in body if not _DISCLAIMER.match(paragraph.text)]
    if problems:
        raise ParseError(problems)
    return ParsedDeclaration(
        number=int(header["number"]),
        document_reference=reference,
        date=date,
        title=title.text,
        text="\n\n".join(paragraph.text for paragraph in body),
        signatories=signatories,
    )
