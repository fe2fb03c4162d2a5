"""The public list of signatories read in its order from a partial index of public
signatories alone; and trigram indexes for the rest of what the search reads with
`icontains`: a declaration's French title, both texts and document reference, and a
signatory's other names.

Without them, one column of an `OR` without an index made PostgreSQL read every row: at ten
times PACE's size, a search for a name walked 20,000 signatories, and one for a word every
declaration's text. The trigram indexes are PostgreSQL's only (pg_trgm, created by 0005);
elsewhere that step does nothing.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    ("declaration_title_fr_trgm", "signatories_declaration", "title_fr"),
    ("declaration_text_trgm", "signatories_declaration", "text"),
    ("declaration_text_fr_trgm", "signatories_declaration", "text_fr"),
    ("declaration_reference_trgm", "signatories_declaration", "document_reference"),
    ("signatory_other_names_trgm", "signatories_signatory", "other_search_names"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0010_declaration_signature_count"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RemoveIndex(
            model_name='signatory',
            name='signatory_list_order',
        ),
        migrations.AddIndex(
            model_name='signatory',
            index=models.Index(condition=models.Q(('public_declaration_count__gt', 0)), fields=['sort_name', 'country', 'id'], name='signatory_public_order'),
        ),
    ]
