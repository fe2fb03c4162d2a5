"""Substring indexes on SQLite: what PostgreSQL's trigram indexes do for `icontains`.

A search looks for a word anywhere in a name or a text (`search_name LIKE '%vate%'`). On
PostgreSQL the trigram indexes of pg_trgm find those rows (signatories' migrations 0005 and
0011). SQLite has no index for such a pattern: it reads every row and tests it, 0.5 to 0.7 ms
for 2,000 signatories, each search, each filter by name.

A `SubstringIndex` is SQLite's counterpart: an FTS5 table with the trigram tokenizer holding,
for each row of a model's table, the text of some of its columns, which finds the rows that
may contain a word in a few hundredths of a millisecond. Triggers on the model's table keep it
in step, so every writer keeps it right (the ORM, bulk updates, raw SQL, a restore).

`narrowing()` only narrows: it keeps the rows whose indexed text matches the word as
an unescaped pattern, a superset of the rows that contain it (a `%` or `_` in the word is a
wildcard there, a case is folded beyond ASCII), and the search's own condition then decides,
on those rows only. So the index may make a search faster, never different.

Django's SQLite schema editor rebuilds a table for many changes (a new table, the rows
copied, the old one dropped), and dropping a table drops its triggers. So the index is
(re)made after every `migrate` (`ensure()`, on `post_migrate`), not by a migration: when a
trigger is missing, the index is filled again from the table. SQLite refuses to drop a
column that a trigger reads: a migration that drops an indexed column drops the triggers
first (`triggers()` names them).
"""

from django.db import connections, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL


class SubstringIndex:
    """A trigram index of `columns` of `model`'s table, on SQLite; nothing elsewhere.

    >>> NAMES = SubstringIndex(Signatory, ["search_name", "other_search_names"])  # doctest: +SKIP
    >>> found = Signatory.objects.filter(  # doctest: +SKIP
    ...     NAMES.narrowing("gattolin", "default"), search_name__contains="gattolin"
    ... )
    >>> [signatory.family_name for signatory in found]  # doctest: +SKIP
    ['GATTOLIN']

    Names are the model's table's, quoted, and nothing else goes into the SQL written here:
    the words searched for are always bound.
    """

    def __init__(self, model, columns):
        self.model = model
        self.columns = list(columns)

    @property
    def source(self):
        return self.model._meta.db_table

    @property
    def table(self):
        return f"{self.source}_substrings"

    def triggers(self):
        """{event: name} of the triggers that keep the index in step with the table."""
        return {event: f"{self.table}_{event.lower()}" for event in ("insert", "update", "delete")}

    def is_used(self, using):
        return connections[using].vendor == "sqlite"

    def narrowing(self, word, using):
        """A condition (`Q`) that, on SQLite, keeps only the rows whose indexed text may
        contain `word`; elsewhere an empty one. The pattern is `'%' || word || '%'`, the word
        bound as it is: one form of SQL whatever the word, which PreparedQuery can keep."""
        if not self.is_used(using):
            return Q()
        sql = f"SELECT rowid FROM {_quote(self.table)} WHERE text LIKE '%%' || %s || '%%'"  # noqa: S608
        return Q(pk__in=RawSQL(sql, [word]))  # noqa: S611 (the word is bound)

    def ensure(self, using):
        """Make the index and its triggers where they are missing, and fill it again from the
        table if any was; nothing when all are there, or the table is not (yet)."""
        if not self.is_used(using):
            return
        connection = connections[using]
        wanted = {self.table, *self.triggers().values()}
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            present = {name for (name,) in cursor.fetchall()}
        if self.source not in present or wanted <= present:
            return
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for statement in self._schema():
                cursor.execute(statement)

    def _schema(self):
        """The SQL that makes the index, its triggers, and fills it from the table."""
        table, source = _quote(self.table), _quote(self.source)
        pk = _quote(self.model._meta.pk.column)
        columns = [_quote(self.model._meta.get_field(name).column) for name in self.columns]
        triggers = {event: _quote(name) for event, name in self.triggers().items()}

        def text(row):
            # The columns one a line: no word of a name runs into the next one.
            return " || char(10) || ".join(f"COALESCE({row}.{column}, '')" for column in columns)

        insert = f"INSERT INTO {table} (rowid, text) VALUES (NEW.{pk}, {text('NEW')})"  # noqa: S608
        delete = f"DELETE FROM {table} WHERE rowid = OLD.{pk}"  # noqa: S608
        # Only a change of the indexed columns updates the index: a recount of every
        # signatory's declarations leaves it alone.
        indexed = ", ".join([pk, *columns])
        return [
            (
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} "
                "USING fts5(text, tokenize='trigram', detail='none')"
            ),
            *(f"DROP TRIGGER IF EXISTS {name}" for name in triggers.values()),
            f"CREATE TRIGGER {triggers['insert']} AFTER INSERT ON {source} BEGIN {insert}; END",
            (
                f"CREATE TRIGGER {triggers['update']} AFTER UPDATE OF {indexed} ON {source} "
                f"BEGIN {delete}; {insert}; END"
            ),
            f"CREATE TRIGGER {triggers['delete']} AFTER DELETE ON {source} BEGIN {delete}; END",
            f"DELETE FROM {table}",  # noqa: S608
            f"INSERT INTO {table} (rowid, text) SELECT {pk}, {text(source)} FROM {source}",  # noqa: S608
        ]


def _quote(name):
    return '"{}"'.format(name.replace('"', '""'))
