"""Trigram indexes for the name and title searches (`icontains` on the folded columns).

PostgreSQL only (the pg_trgm extension); on other databases this migration does nothing.
"""

from django.db import migrations

INDEXES = [
    ("signatory_search_trgm", "signatories_signatory", "search_name"),
    ("detainee_search_trgm", "prisoners_detainee", "search_name"),
    ("declaration_title_trgm", "signatories_declaration", "title"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0004_performance_indexes"),
        ("prisoners", "0004_performance_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
