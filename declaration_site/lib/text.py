"""Accent folding, slugs and name matching, shared by ordering, search and imports."""

import re
import unicodedata

from django.utils.text import slugify

# Letters that Unicode does not decompose into a base letter and a mark.
_SPECIAL_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "ð": "d",
        "đ": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
        "ŋ": "n",
        "ß": "ss",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case `text`, strip its accents and collapse its spaces.

    >>> fold("  ÅBERG   Boriana ")
    'aberg boriana'
    """
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_SPECIAL_LETTERS)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text).strip()


def unique_slug(queryset, base, *, max_length=80, exclude_pk=None):
    """`base` slugified, with -2, -3, ... appended until no row of `queryset` has it.

    With the demo data, where André GATTOLIN already has 'andre-gattolin':

    >>> unique_slug(Signatory.objects.all(), "Zoë  Ångström")  # doctest: +SKIP
    'zoe-angstrom'
    >>> unique_slug(Signatory.objects.all(), "André GATTOLIN")  # doctest: +SKIP
    'andre-gattolin-2'
    """
    stem = slugify(fold(base))[:max_length].strip("-") or "item"
    taken = queryset.exclude(pk=exclude_pk) if exclude_pk else queryset
    candidate, counter = stem, 1
    while taken.filter(slug=candidate).exists():
        counter += 1
        suffix = f"-{counter}"
        candidate = stem[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


def name_words(query):
    """The accent-folded words of a name query.

    >>> name_words("Åberg  Boriana")
    ['aberg', 'boriana']
    """
    return fold(query).split()


class FoldedText:
    """A text folded once (case, accents, spacing), in which many names are then looked for:
    how an import finds, among thousands of known detainees, those its declaration names.

    >>> text = FoldedText("We call for the release of MAKS  Bokayev and others.")
    >>> text.find("Maks Bokayev"), text.find("Max Bokayev"), text.find("Bokay")
    ('MAKS  Bokayev', None, None)
    """

    _WORD = re.compile(r"\w+")

    def __init__(self, text):
        self.text = text
        # Folded character by character, remembering where each folded character came from.
        folded_chars, self.origin = [], []
        for index, char in enumerate(text):
            for folded_char in fold(char) or (" " if char.isspace() else ""):
                folded_chars.append(folded_char)
                self.origin.append(index)
        self.folded = "".join(folded_chars)
        self.words = set(self._WORD.findall(self.folded))

    def find(self, name):
        """Where `name` stands as whole words: the words as written in the text, or None."""
        folded_name = fold(name)
        # A name whose every word is not in the text cannot be there: most names are
        # answered by this, without a regular expression.
        if not folded_name or not self.words.issuperset(self._WORD.findall(folded_name)):
            return None
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, folded_name.split(" "))) + r"(?!\w)"
        match = re.search(pattern, self.folded)
        if match is None:
            return None
        return self.text[self.origin[match.start()] : self.origin[match.end() - 1] + 1]


def find_name(text, name):
    """Where `name` stands in `text` as whole words, ignoring case, accents and spacing.

    Returns the words as written in `text` ("MAKS  Bokayev" for "Maks Bokayev"), or None. To
    look for many names in one text, fold it once: `FoldedText(text).find(name)`.
    """
    return FoldedText(text).find(name)
