"""The SQLite indexes that the searches by name and by text read (lib/substrings.py): a search
finds the same rows with them as without them, whatever the word, and they follow every
change to the names and texts, also one made behind the ORM's back and a table that a
migration rebuilt."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declaration_site.lib.text import fold
from prisoners.apps import make_substring_indexes as make_detainee_index
from prisoners.models import DETAINEE_NAMES, Detainee
from signatories.apps import make_substring_indexes as make_signatory_indexes
from signatories.models import DECLARATION_TEXTS, SIGNATORY_NAMES, Declaration, Signatory

from .factories import make_declaration, make_detainee, make_signatory, make_signature

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite index")

NAMES = [
    ("Lena", "VATELPI", ""),
    ("Boriana", "ÅBERG", "Boriana ABERG-SMITH"),
    ("Jean-Luc", "DE LA TOUR", "Jean Luc Delatour"),
    ("Ольга", "ПЕТРОВА", ""),
    ("Anna", "50%_OFF\\X", ""),
    ("Zoë", "O'NEILL", "Zoe O Neill\nZoë O’Neill"),
]

# Words of every kind: short, long, across two names, with the characters a pattern reads
# (`%`, `_`, `\`), in another script, and in capitals where the data is folded.
WORDS = [
    "vate", "vat", "va", "e", "aberg", "aberg-smith", "smith", "de", "la tour", "delatour",
    "ольга", "ОЛЬГА", "петр", "50%", "%", "_", "0%_", "\\", "f\\x", "o'n", "o’neill", "zoe",
    "neill\nzoe", "xyz", "",
]  # fmt: skip


def signatories_without_index(word):
    return Signatory.objects.filter(
        Q(search_name__icontains=word) | Q(other_search_names__icontains=word)
    )


def names(queryset):
    return sorted(queryset.values_list("family_name", flat=True))


@pytest.fixture
def people():
    declaration = make_declaration(
        title="Mass arrests in Kazakhstan",
        title_fr="Arrestations massives au Kazakhstan",
        text="We call for the release of Lena Vatelpi and of 50%_of\\the others.",
        text_fr="Nous appelons à la libération de Zoë O’Neill.",
        document_reference="Doc. 14983",
    )
    for given, family, other in NAMES:
        make_signature(
            declaration, make_signatory(given_name=given, family_name=family, other_names=other)
        )
        make_detainee(name=f"{given} {family}", other_names=other)
    make_declaration(title="Another appeal", text="Nothing in common.")
    return declaration


@pytest.mark.parametrize("word", WORDS)
def test_a_search_finds_the_same_rows_with_the_index_as_without(people, word):
    folded = fold(word) if word.strip() else word
    assert names(Signatory.objects.named(folded)) == names(signatories_without_index(folded))
    assert sorted(Detainee.objects.named(folded).values_list("name", flat=True)) == sorted(
        Detainee.objects.filter(search_name__icontains=folded).values_list("name", flat=True)
    )
    text_condition = (
        Q(title__icontains=word)
        | Q(title_fr__icontains=word)
        | Q(text__icontains=word)
        | Q(text_fr__icontains=word)
        | Q(document_reference__icontains=word)
    )
    assert sorted(Declaration.objects.containing(word).values_list("pk", flat=True)) == sorted(
        Declaration.objects.filter(text_condition).values_list("pk", flat=True)
    )


def test_the_words_found_are_the_ones_people_type(people):
    assert names(Signatory.objects.search("Åberg smith")) == ["ÅBERG"]
    assert names(Signatory.objects.search("vatelpi")) == ["VATELPI"]
    assert names(Signatory.objects.search("petrova")) == []  # another script, not transliterated
    assert names(Signatory.objects.search("Петрова")) == ["ПЕТРОВА"]
    assert names(Signatory.objects.search("50%_")) == ["50%_OFF\\X"]
    assert list(Declaration.objects.search("14983")) == [people]
    assert list(Declaration.objects.search("libération de zoë")) == [people]


@on_sqlite
def test_the_search_page_reads_the_indexes(client, people):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search"), {"q": "vatelpi"})
    assert "Lena VATELPI" in response.content.decode()
    sql = " ".join(query["sql"] for query in queries)
    for index in (SIGNATORY_NAMES, DECLARATION_TEXTS, DETAINEE_NAMES):
        assert index.table in sql


def test_changes_by_every_writer_are_found_and_nothing_else(people):
    signatory = Signatory.objects.get(family_name="VATELPI")
    signatory.family_name = "MORELLI"
    signatory.save()
    assert names(Signatory.objects.search("morelli")) == ["MORELLI"]
    assert names(Signatory.objects.search("vatelpi")) == []

    # Behind the model's back: an update of the stored folded name only.
    Signatory.objects.filter(pk=signatory.pk).update(search_name="lena quaresmi")
    assert names(Signatory.objects.search("quaresmi")) == ["MORELLI"]
    assert names(Signatory.objects.search("morelli")) == []

    # Another column's change leaves the name found.
    Signatory.objects.filter(pk=signatory.pk).update(public_declaration_count=7)
    assert names(Signatory.objects.search("quaresmi")) == ["MORELLI"]

    signatory.signatures.all().delete()
    Signatory.objects.filter(pk=signatory.pk).delete()
    assert names(Signatory.objects.search("quaresmi")) == []

    detainee = Detainee.objects.get(name="Lena VATELPI")
    detainee.name = "Lena Quaresmi"
    detainee.save()
    assert list(Detainee.objects.search("quaresmi")) == [detainee]
    assert list(Detainee.objects.search("vatelpi")) == []

    Declaration.objects.filter(pk=people.pk).update(text="A wholly new text.")
    assert list(Declaration.objects.search("wholly")) == [people]
    assert list(Declaration.objects.search("Vatelpi")) == []


@on_sqlite
def test_an_index_that_lost_its_triggers_is_made_again_after_migrate(people):
    """As after Django rebuilds a table on SQLite: the triggers went with the old table, and
    the names changed since are not in the index; the next `migrate` makes it right."""
    with connection.cursor() as cursor:
        for index in (SIGNATORY_NAMES, DETAINEE_NAMES, DECLARATION_TEXTS):
            for trigger in index.triggers().values():
                cursor.execute(f'DROP TRIGGER "{trigger}"')
    Signatory.objects.filter(family_name="VATELPI").update(search_name="lena quaresmi")
    Detainee.objects.filter(name="Lena VATELPI").update(search_name="lena quaresmi")
    assert names(Signatory.objects.search("quaresmi")) == []  # what an index out of step does

    make_signatory_indexes(using="default")
    make_detainee_index(using="default")

    assert names(Signatory.objects.search("quaresmi")) == ["VATELPI"]
    assert names(Signatory.objects.search("vatelpi")) == []
    assert [d.name for d in Detainee.objects.search("quaresmi")] == ["Lena VATELPI"]
    Signatory.objects.filter(family_name="VATELPI").update(search_name="lena ferrandi")
    assert names(Signatory.objects.search("ferrandi")) == ["VATELPI"]  # triggers back


@on_sqlite
def test_making_the_indexes_again_when_they_are_there_changes_nothing(people):
    def indexed():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {SIGNATORY_NAMES.table}")  # noqa: S608
            return cursor.fetchone()[0]

    before = indexed()
    with CaptureQueriesContext(connection) as queries:
        make_signatory_indexes(using="default")
    assert len(queries) == 2  # one look for each index, nothing written
    assert indexed() == before == Signatory.objects.count()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the trigram indexes elsewhere")
def test_other_databases_search_without_these_tables(people):
    assert SIGNATORY_NAMES.table not in str(Signatory.objects.search("vate").query)
    assert names(Signatory.objects.search("vate")) == ["VATELPI"]
