"""Read the text of a PACE written declaration into plain data.

Nothing here touches the database: `parse_declaration(text)` returns a `ParsedDeclaration` or raises
`ParseError` listing every problem with its line number. The layout, as on the Assembly's site, in
English or in French:

    See related documents                                  (optional; "Voir les documents liés")

    Written declaration No. 695 | Doc. 14983 | 04 October 2019
                          ("Déclaration écrite n° 695 | Doc. 14983 | 4 octobre 2019")
    Title on one or more lines

    Signatories: Mr André GATTOLIN, France, ALDE ; Ms Boriana ÅBERG, Sweden, EPP/CD ; ...
                 ("Signatories:" or "Signataires :" is optional, and may stand alone on its line)
    This written declaration commits only those who have signed it.   (optional)
                          ("Cette déclaration écrite n'engage que ses signataires.")
    Body, in paragraphs.

Each signature is "Name, Country, GROUP", or "Name, Country" where PACE prints no group
(observers, some older lists).

Every step runs in time linear in the length of the text: the header is split on "|" and its
parts matched one by one, and no regular expression here can backtrack over its own input.
"""

import datetime
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from declaration_site.lib.text import fold

HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof",
        "lord", "lady", "baroness", "baron", "sir", "dame", "earl", "countess", "viscount",
        "m", "mme", "mlle", "baronne",
    }
)  # fmt: skip
# The English form stored on a signatory, for honorifics printed in French.
ENGLISH_HONORIFICS = {"m": "Mr", "mme": "Ms", "mlle": "Ms", "baronne": "Baroness"}
# Words that begin a family name when they stand right before it: "van de VEN",
# "de BRUIJN-WEZEMAN", "Earl of DUNDEE", "De SUTTER", "Van den BERG".
PARTICLES = frozenset(
    {
        "af", "al", "av", "d'", "da", "das", "de", "del", "della", "den", "der", "des", "di",
        "do", "dos", "du", "el", "la", "le", "of", "ten", "ter", "van", "von", "zu",
    }
)  # fmt: skip

ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
# Month names folded (lower case, no accents): "fevrier", "aout", "decembre".
MONTHS = {
    fold(name): number
    for names in (ENGLISH_MONTHS, FRENCH_MONTHS)
    for number, name in enumerate(names, start=1)
}

# The Assembly held its first session in August 1949; nothing it tabled is older.
EARLIEST_DATE = datetime.date(1949, 1, 1)

# The header's first part, its whitespace collapsed: "Written declaration No. 695",
# "Déclaration écrite n° 695", "Déclaration écrite No 695".
_HEADER_NUMBER = re.compile(
    r"(?P<kind>written declaration|d[ée]claration [ée]crite) n[o°º]?\.? ?(?P<number>[0-9]+)",
    re.IGNORECASE,
)
_HEADER_KINDS = {"written declaration": "en", "declaration ecrite": "fr"}
_DOC = re.compile(r"doc\b\.?", re.IGNORECASE)
# The words of a document reference: a number, then suffixes ("rev", "add. 1", "corr2").
_REFERENCE_NUMBER = re.compile(r"[0-9]+")
_REFERENCE_SUFFIX = re.compile(
    r"(?:rev|revised|add|addendum|corr|corrigendum)\.?(?P<number>[0-9]+)?", re.IGNORECASE
)
_DAY = re.compile(r"(?P<day>[0-9]{1,2})(?:er|st|nd|rd|th)?", re.IGNORECASE)
_YEAR = re.compile(r"[0-9]{4}")
_LIST_LABEL = re.compile(r"(?:Signatories|Signataires)\s*:", re.IGNORECASE)
# What a line is, from its opening words: "See related documents" (the whole line), the
# disclaimer in its English and French wordings ("... only those who have signed it",
# "... n'engage que ses signataires", "... n'engage que ceux qui l'ont signée"), the header,
# or the list label.
_LINE_START = re.compile(
    r"(?P<related>(?:see\s+related\s+documents|voir\s+les\s+documents\s+li[ée]s)\.?$)"
    r"|(?P<disclaimer>(?:this\s+written\s+declaration\s+commits\s+only"
    r"|cette\s+d[ée]claration\s+[ée]crite\s+n['’ʼ]\s?engage\s+que)\s)"
    r"|(?P<header>(?:written\s+declaration|d[ée]claration\s+[ée]crite)\b)"
    r"|(?P<label>(?:signatories|signataires)\s*:)",
    re.IGNORECASE,
)
_STANDALONE = frozenset({"related", "disclaimer", "header"})
# Other lines a copy of the Assembly's page may carry before the header.
_PREAMBLE = frozenset({"print", "imprimer"})
# Characters that copying from a web page leaves in the text and that mean nothing in it:
# zero-width spaces, word joiners, soft hyphens, byte order marks.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad\ufeff"))
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?)+")

HEADER_LAYOUT = "expected the header 'Written declaration No. N | Doc. REF | DD Month YYYY'"
ITEM_LAYOUT = "expected 'Name, Country, GROUP'"


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
    group: str  # "" where PACE printed no group
    line: int
    item: str


@dataclass(frozen=True)
class ParsedDeclaration:
    number: int
    document_reference: str
    date: datetime.date
    title: str  # in the language of the text
    text: str
    signatories: list[ParsedSignatory] = field(default_factory=list)
    language: str = "en"  # "en" or "fr", from the wording of the header


class _Paragraph:
    """Non-blank lines read as one paragraph, each remembered with its line number."""

    def __init__(self, lines=None, kind=None):
        self.lines = list(lines or [])  # (line number, stripped line)
        self.kind = kind  # what its first line is: see _line_kind()

    @property
    def line(self):
        return self.lines[0][0]

    @cached_property
    def text(self):
        return " ".join(line for _, line in self.lines)

    @cached_property
    def _starts(self):
        starts, offset = [], 0
        for _, line in self.lines:
            starts.append(offset)
            offset += len(line) + 1
        return starts

    def line_at(self, offset):
        """The file line on which character `offset` of `text` stands."""
        return self.lines[max(bisect_right(self._starts, offset) - 1, 0)][0]


@dataclass(frozen=True)
class _Header:
    language: str
    number: str
    reference: str
    date: str


def _collapse(text):
    return " ".join(text.split())


def _read_header(text):
    """The parts of a header line, or None when `text` is not laid out as one."""
    parts = text.split("|")
    if len(parts) != 3:
        return None
    match = _HEADER_NUMBER.fullmatch(_collapse(parts[0]))
    if not match:
        return None
    reference = _collapse(parts[1])
    doc = _DOC.match(reference)
    if doc:
        reference = reference[doc.end() :].strip()
    return _Header(
        language=_HEADER_KINDS[fold(match["kind"])],
        number=match["number"],
        reference=reference,
        date=_collapse(parts[2]),
    )


def _line_kind(line):
    """What a line is: "related", "disclaimer", "header", "label", or None for any other."""
    match = _LINE_START.match(line)
    if match is None:
        return None
    kind = match.lastgroup
    if (kind == "disclaimer" and len(line) > 200) or (kind == "header" and "|" not in line):
        return None
    return kind


def _paragraphs(text):
    """Runs of non-blank lines. The header, the disclaimer and "See related documents" stand
    alone, and the "Signatories:" label starts a new paragraph, blank line or not."""
    paragraphs, current = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            current = None
            continue
        kind = _line_kind(line)
        if current is None or kind is not None:
            current = _Paragraph(kind=kind)
            paragraphs.append(current)
        current.lines.append((number, line))
        if kind in _STANDALONE:
            current = None
    return paragraphs


def _is_family_word(word):
    """A word printed in capitals: SUTTER, O'REILLY, OOMEN-RUIJTEN, McCARTHY (not E., J.P., Elan)."""
    if _INITIALS.fullmatch(word):
        return False
    upper = sum(map(str.isupper, word))
    return upper >= 2 and upper > sum(map(str.islower, word))


def _word_key(word):
    """A short word in lower case for the lists above: "De" is "de", "D’" is "d'"."""
    return word.lower().replace("\u2019", "'")


def english_honorific(written):
    """The honorific as stored on a signatory: "M." is "Mr", "Mme" is "Ms", "Dr." is "Dr"."""
    written = written.rstrip(".")
    return ENGLISH_HONORIFICS.get(_word_key(written), written)


def split_name(name):
    """Split "Lord John E. TOMLINSON" into ("Lord", "John E.", "TOMLINSON").

    The family name runs from the first word in capitals to the end, lower-case connectors
    included ("de PUIG i OLIVE"), with the particles just before it in any case ("van de VEN",
    "De SUTTER", "Van den BERG"). A particle may open the name with no given name before it
    only in lower case ("Earl of DUNDEE"): a capitalised first word is a given name ("Mr Van
    BERG"). The honorific is a known title at the start, in its English form and without its
    dot ("M." and "Mr." are "Mr", "Mme" is "Ms"). Raises ValueError when no word is in
    capitals.
    """
    words = name.split()
    honorific = ""
    if len(words) > 1 and _word_key(words[0]).rstrip(".") in HONORIFICS:
        honorific, words = english_honorific(words[0]), words[1:]
    first = next((index for index, word in enumerate(words) if _is_family_word(word)), None)
    if first is None:
        raise ValueError("no family name in capitals")
    start = first
    while start > 0 and _word_key(words[start - 1]) in PARTICLES:
        start -= 1
    if start == 0 and first > 0 and not words[0].islower():
        start = 1
    return honorific, " ".join(words[:start]), " ".join(words[start:])


def latest_date(today=None):
    """The latest date a declaration may bear: one year from today."""
    today = today or datetime.date.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _english_date(date):
    return f"{date.day} {ENGLISH_MONTHS[date.month - 1]} {date.year}"


def _parse_date(value):
    """The date of "04 October 2019" or "1er octobre 2012"; ValueError saying what is wrong."""
    words = unicodedata.normalize("NFKC", value).split()
    day = _DAY.fullmatch(words[0]) if len(words) == 3 else None
    month = MONTHS.get(fold(words[1]).strip(".,")) if day else None
    shape = "the date is not like '04 October 2019'"
    if not (day and month and _YEAR.fullmatch(words[2]) and 1 <= int(day["day"]) <= 31):
        raise ValueError(shape)
    earliest, latest = EARLIEST_DATE, latest_date()
    outside = (
        f"the date is outside the allowed range, "
        f"{_english_date(earliest)} to {_english_date(latest)}"
    )
    year = int(words[2])
    if not earliest.year <= year <= latest.year:
        raise ValueError(outside)
    try:
        date = datetime.date(year, month, int(day["day"]))
    except ValueError:
        raise ValueError(
            f"{shape} ({ENGLISH_MONTHS[month - 1]} {year} has no day {int(day['day'])})"
        ) from None
    if not earliest <= date <= latest:
        raise ValueError(outside)
    return date


def _is_preamble(paragraph):
    return paragraph.kind == "related" or (
        len(paragraph.lines) == 1 and paragraph.text.lower() in _PREAMBLE
    )


def _label_end(text):
    label = _LIST_LABEL.match(text)
    return label.end() if label else 0


def _looks_like_list(paragraph):
    """Whether a paragraph (with no label) opens with a signature, "Name in CAPITALS,
    Country[, GROUP]"."""
    if paragraph.kind is not None:
        return False
    first = paragraph.text.split(";", 1)[0]
    parts = first.split(",")
    return 2 <= len(parts) <= 3 and any(_is_family_word(word) for word in parts[0].split())


def parse_signatories(paragraph):
    """The items of a signatory list paragraph, and the problems found in them."""
    text = paragraph.text
    offset = _label_end(text)
    signatories, problems, seen = [], [], {}
    if not text[offset:].strip(" ;"):
        return [], [Problem(paragraph.line, "the signatory list is empty")]
    raw_items = text[offset:].split(";")
    last, after_empty = len(raw_items) - 1, False
    for index, raw in enumerate(raw_items):
        start, offset = offset, offset + len(raw) + 1
        if not raw or raw.isspace():
            # One problem for a run of empty items; a ";" after the last item is allowed.
            if (index < last or index == 0) and not after_empty:
                problems.append(
                    Problem(paragraph.line_at(start + len(raw)), "empty item in the signatory list")
                )
            after_empty = True
            continue
        after_empty = False
        item = _collapse(raw)
        line = paragraph.line_at(start + len(raw) - len(raw.lstrip()))
        parts = [part.strip() for part in item.split(",")]
        if len(parts) not in (2, 3) or not all(parts):
            problems.append(Problem(line, ITEM_LAYOUT, item))
            continue
        name, country, group = parts if len(parts) == 3 else [*parts, ""]
        try:
            honorific, given_name, family_name = split_name(name)
        except ValueError as error:
            problems.append(Problem(line, f"cannot read the name ({error})", item))
            continue
        key = fold(f"{given_name} {family_name}, {country}")
        if key in seen:
            problems.append(Problem(line, f"signatory already listed on line {seen[key]}", item))
            continue
        seen[key] = line
        signatories.append(
            ParsedSignatory(honorific, given_name, family_name, country, group, line, item)
        )
    return signatories, problems


def _is_reference(reference):
    """Whether a reference reads like "14983", "13774 rev 2", "12345 add. 1" or "1 add 3 corr"."""
    words = reference.split()
    if not words or not _REFERENCE_NUMBER.fullmatch(words[0]):
        return False
    numbered = True  # whether the word before carries its number
    for word in words[1:]:
        suffix = _REFERENCE_SUFFIX.fullmatch(word)
        if suffix:
            numbered = suffix["number"] is not None
        elif _REFERENCE_NUMBER.fullmatch(word) and not numbered:
            numbered = True
        else:
            return False
    return True


def _header_problems(header, line):
    """The problems of a header's number, reference and date, and the date if it reads."""
    problems, date = [], None
    if len(header.number) > 9:
        problems.append(Problem(line, "the declaration number is not like '695'", header.number))
    if not _is_reference(header.reference):
        problems.append(
            Problem(line, "the document reference is not like '14983'", header.reference)
        )
    try:
        date = _parse_date(header.date)
    except ValueError as error:
        problems.append(Problem(line, str(error), header.date))
    return problems, date


def _split_list(rest):
    """(title paragraphs, signatory list paragraph, body paragraphs) of what follows the header.

    The list is the first paragraph opening with the label, or else the one after the title.
    A label alone is followed by its list, and a list ending with ";" goes on in the next
    paragraph if that opens with a signature.
    """
    at = next((index for index, p in enumerate(rest) if p.kind == "label"), 1)
    end, last = at + 1, rest[at].text
    while end < len(rest) and _looks_like_list(rest[end]):
        if not (last.endswith(";") or not last[_label_end(last) :].strip()):
            break
        last, end = rest[end].text, end + 1
    listing = _Paragraph(line for paragraph in rest[at:end] for line in paragraph.lines)
    return rest[:at], listing, rest[end:]


def parse_declaration(text):
    """Parse one declaration; raise ParseError naming every problem and its line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ParseError([Problem(line, "the text contains a NUL character; is it really text?")])
    paragraphs = _paragraphs(text)
    start = 0
    while start < len(paragraphs) and _is_preamble(paragraphs[start]):
        start += 1
    paragraphs = paragraphs[start:]
    if not paragraphs:
        raise ParseError([Problem(0, "the text is empty")])

    first = paragraphs[0]
    header = _read_header(first.text)
    if header is None:
        raise ParseError([Problem(first.line, HEADER_LAYOUT, first.text[:80])])
    problems, date = _header_problems(header, first.line)

    rest = paragraphs[1:]
    if len(rest) < 2 or rest[0].kind == "label":
        problems.append(
            Problem(first.line, "expected a title and then the signatory list after the header")
        )
        raise ParseError(problems)
    title, listing, body = _split_list(rest)
    signatories, list_problems = parse_signatories(listing)
    problems.extend(list_problems)
    body = [paragraph for paragraph in body if paragraph.kind != "disclaimer"]
    if problems:
        raise ParseError(problems)
    return ParsedDeclaration(
        number=int(header.number),
        document_reference=header.reference,
        date=date,
        title=" ".join(paragraph.text for paragraph in title),
        text="\n\n".join(paragraph.text for paragraph in body),
        signatories=signatories,
        language=header.language,
    )
