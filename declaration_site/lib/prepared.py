"""Queries built and compiled once a process, then run with other values.

Building a QuerySet and compiling it to SQL costs the ORM 0.3 to 0.8 ms a query here, more than
SQLite or PostgreSQL take to answer many of them: the search page runs three, whose shape is
always the same and only whose words change. A `PreparedQuery` builds its QuerySet once for
each shape with stand-in values, keeps the SQL and the parameters the ORM bound, and then runs
that SQL with the real values bound in their place, exactly as the ORM would have bound them.

It does not guess how: on first use of a shape it also builds the QuerySet with values full of
the characters a lookup escapes (`%`, `_`, `\\`, quotes), and refuses the shape unless binding
those values into the kept SQL gives, parameter for parameter, what the ORM gave. Nothing is
kept from the data: every run asks the database.
"""

import re
import threading

from django.db import connections

# Stand-ins: words no lookup changes and no data holds. A string value is found inside the
# parameter the ORM bound (`%word%` for `contains`), a number as the whole parameter.
_TEXT_MARKER = "qzxjv{}stand"
_NUMBER_MARKER = 987_654_320
_PROBES = ("a%b_c\\d'e\"f", "50%_off\\", "Åberg")


class PreparedQuery:
    """`build(shape, *values)` gives a `values_list()` QuerySet; `rows(shape, *values)` runs
    what it would run and returns its rows, converted as the ORM converts them.

    `shape` (hashable) is whatever changes the SQL itself: the number of words, whether the
    query is a number. Each value is a `str` or an `int`, bound by an exact lookup or, for a
    string, a pattern lookup (`contains`, `icontains`, `startswith`, ...). A QuerySet that
    binds a value any other way is refused when its shape is first prepared.

    >>> BY_NAME = PreparedQuery(  # doctest: +SKIP
    ...     lambda count, *words: Signatory.objects.named(*words).values_list("family_name")
    ... )
    >>> BY_NAME.rows(1, "gattolin")  # doctest: +SKIP
    [('GATTOLIN',)]
    """

    # Shapes kept at most: beyond them (a list's pages are as many shapes as it has pages), a
    # shape is built by the ORM every time, as if it were not prepared.
    most_shapes = 500

    def __init__(self, build):
        self.build = build
        self._prepared = {}
        self._lock = threading.Lock()

    def rows(self, shape, *values, using="default"):
        connection = connections[using]
        statement = self._statement(shape, values, using)
        if statement is None:
            return list(self.build(shape, *values).using(using))
        params = statement.bind(values, connection, statement.run_recipe)
        with connection.cursor() as cursor:
            cursor.execute(statement.run_sql, params)
            rows = cursor.fetchall()
        return statement.convert(rows, connection)

    def sql_with_params(self, shape, *values, using="default"):
        """The SQL and parameters `rows()` runs: what the ORM would build for these values."""
        statement = self._statement(shape, values, using)
        if statement is None:
            return self.build(shape, *values).query.get_compiler(using).as_sql()
        return statement.sql, tuple(statement.bind(values, connections[using]))

    def _statement(self, shape, values, using):
        vendor = connections[using].vendor
        key = (using, vendor, shape, tuple(type(value) for value in values))
        statement = self._prepared.get(key)
        if statement is None:
            with self._lock:
                statement = self._prepared.get(key)
                if statement is None:
                    if len(self._prepared) >= self.most_shapes:
                        return None
                    statement = self._prepared[key] = _Statement(self.build, shape, values, using)
        return statement


def split_arguments(arguments, fixed=()):
    """(shape, values) of keyword `arguments` for a PreparedQuery whose build takes them again
    through `join_arguments()`: the strings and whole numbers, alone or in lists, are values;
    the names, the length of each list, a None, and the arguments named in `fixed` (which
    change the SQL itself, as an order does) are the shape.

    >>> split_arguments({"words": ["ab", "cd"], "number": 7, "sort": "name"}, fixed={"sort"})
    ((('number', 'value', None), ('sort', 'fixed', 'name'), ('words', 'list', 2)), (7, 'ab', 'cd'))
    >>> join_arguments(*_)
    {'number': 7, 'sort': 'name', 'words': ['ab', 'cd']}
    """
    shape, values = [], []
    for name, value in sorted(arguments.items()):
        if name in fixed or value is None:
            shape.append((name, "fixed", value))
        elif isinstance(value, list | tuple):
            shape.append((name, "list", len(value)))
            values.extend(value)
        else:
            shape.append((name, "value", None))
            values.append(value)
    return tuple(shape), tuple(values)


def join_arguments(shape, values):
    """The keyword arguments that `split_arguments()` split into `shape` and `values`."""
    arguments, values = {}, iter(values)
    for name, how, what in shape:
        if how == "fixed":
            arguments[name] = what
        elif how == "list":
            arguments[name] = [next(values) for _ in range(what)]
        else:
            arguments[name] = next(values)
    return arguments


class _Statement:
    """One shape's SQL, how to bind its values, and the ORM's converters of its columns."""

    def __init__(self, build, shape, values, using):
        markers = [_marker(index, value) for index, value in enumerate(values)]
        queryset = build(shape, *markers)
        compiler = queryset.query.get_compiler(using)
        self.sql, params = compiler.as_sql()
        self.recipe = [_recipe(param, markers) for param in params]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        # {column: ([converter], expression)}: what the ORM does to the values read.
        self.converters = list(compiler.get_converters(fields).items())
        self._check(build, shape, values, using)
        self.run_sql, self.run_recipe = _written_in(self.sql, self.recipe)

    def bind(self, values, connection, recipe=None):
        params = []
        for how, *what in self.recipe if recipe is None else recipe:
            if how == "constant":
                params.append(what[0])
            elif how == "value":
                index, kind = what
                params.append(kind(values[index]))
            else:  # a pattern: the value escaped as the lookup escapes it
                index, before, after = what
                params.append(f"{before}{connection.ops.prep_for_like_query(values[index])}{after}")
        return params

    def convert(self, rows, connection):
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def _check(self, build, shape, values, using):
        """Refuse the shape unless binding awkward values gives what the ORM binds."""
        connection = connections[using]
        for probe in _PROBES:
            # Each value its own (the ORM binds a value repeated in a list once).
            probes = [
                f"{probe}{index}" if isinstance(value, str) else value
                for index, value in enumerate(values)
            ]
            expected_sql, expected = build(shape, *probes).query.get_compiler(using).as_sql()
            if expected_sql != self.sql or list(expected) != self.bind(probes, connection):
                raise ValueError(
                    f"This query binds its values in a way PreparedQuery cannot repeat: {shape!r}"
                )


_PLACEHOLDER = re.compile(r"%%|%s")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_.-]*\Z")


def _written_in(sql, recipe):
    """(SQL, recipe): `sql` with its constant whole numbers and plain words (the `0` of
    `public_declaration_count > 0`, the `'published'` of a status) written into it rather than
    bound, and the recipe of the parameters left. The values of a request stay bound. SQLite
    uses a partial index (`WHERE public_declaration_count > 0`) only for a query whose own
    condition it can see implies the index's, which a bound `> ?` does not."""
    parts, kept, start = [], [], 0
    placeholders = (match for match in _PLACEHOLDER.finditer(sql) if match.group() == "%s")
    for match, step in zip(placeholders, recipe, strict=True):
        literal = _literal(step[1]) if step[0] == "constant" else None
        if literal is None:
            kept.append(step)
        else:
            parts += [sql[start : match.start()], literal]
            start = match.end()
    return "".join([*parts, sql[start:]]), kept


def _literal(value):
    """`value` as an SQL literal, if it is a whole number or a word of plain letters, digits,
    dots, hyphens and underscores (nothing to quote); else None."""
    if isinstance(value, int) and not isinstance(value, bool):  # psycopg's Int4 too
        return str(int(value))
    if isinstance(value, str) and _PLAIN_WORD.match(value):
        return f"'{value}'"
    return None


def _marker(index, value):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"PreparedQuery takes strings and whole numbers, not {value!r}")
    return _TEXT_MARKER.format(index) if isinstance(value, str) else _NUMBER_MARKER + index


def _recipe(param, markers):
    for index, marker in enumerate(markers):
        if isinstance(param, type(marker)) and param == marker:
            # The ORM may bind a number as a subclass of int (psycopg's Int4, which tells
            # PostgreSQL its type): bound again as the same.
            return ("value", index, type(param))
        if isinstance(marker, str) and isinstance(param, str) and marker in param:
            before, _, after = param.partition(marker)
            return ("pattern", index, before, after)
    return ("constant", param)
