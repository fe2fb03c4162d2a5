"""The values of signatories and declarations that are derived from other rows: each is computed
here, and only here.

What is computed:

- A signatory's current country and political group (`Signatory.country`,
  `Signatory.political_group`): `refresh_affiliations()`. They are those of the most recent
  *published* declaration signed (by declaration date, then number), as of signing; where
  that list printed no group (some 2010 lists), the group of the latest one that did. A signatory
  whose every signature is on a draft takes the most recent of those (they are not public
  anyway); one with no signature, or whose affiliation a curator set by hand
  (`affiliation_is_manual`), keeps what they have. A draft therefore never changes what the
  public sees.
- How many public declarations each signatory signed (`Signatory.public_declaration_count`,
  which makes them public when above zero): `recount_public_declarations()`, one `GROUP BY`
  joined into one `UPDATE`.
- Both at once: `refresh_signatories()` for some signatories, `refresh_signatories_of()` for
  those who signed some declarations (after they are published, withdrawn, re-dated, deleted).
- How many signatures each declaration has (`Declaration.signature_count`, which lists, the
  search and the API show): `recount_signatures()`, one `GROUP BY` joined into one `UPDATE`,
  as for the signatories.

Who calls them:

- signals.py, on every Signature saved or deleted and every Declaration saved, whoever writes:
  admin forms and inlines, the importer, merges, the shell. A signature moved to another
  signatory or declaration refreshes the one it left too. `QuerySet.delete()` is covered too:
  with receivers connected, Django deletes row by row and sends `post_delete` for each.
- Explicitly, where rows change in bulk or where no signal is sent: the importer after writing
  a declaration's signatures (importing.py), the declarations' and signatures' admin (saves,
  deletes, the publish and withdraw actions), the signatories' admin after a curator edits an
  affiliation, merges (merging.py), and the sample-data generator, whose `bulk_create()` sends
  no signal (declaration_site/sample_data.py). The admin writes a signature only with `save()`
  and `delete()` (its `update()` moves positions, which counts nothing), so the declarations'
  counts follow its writes through the signals alone.

Not covered by any signal: `QuerySet.update()` and `bulk_create()` on signatures or
declarations, and raw SQL. Code that writes that way calls these functions itself.
"""

from django.db import connections, router
from django.db.models import Case, IntegerField, Value, When

from .models import Declaration, Signatory, Signature

# Ids per query when a function is given many signatories or declarations.
CHUNK_SIZE = 2_000


def _chunks(ids):
    ids = sorted(set(ids) - {None})
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def _scopes(ids):
    """None (every row) once, or the ids in chunks."""
    if ids is None:
        yield None
    else:
        yield from _chunks(ids)


def current_affiliations(*, signatory_ids=None):
    """{signatory id: (country code, group id)} as their signatures say, for the signatories
    with at least one signature (every one when `signatory_ids` is None): that of the most
    recent published declaration signed, else of the most recent draft; where that list
    printed no group, the group of the latest signature that has one (none if none has).
    Reads only."""
    current = {}
    for scope in _scopes(signatory_ids):
        signatures = Signature.objects.order_by(
            "signatory_id",
            Case(
                When(declaration__status=Declaration.Status.PUBLISHED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "-declaration__date",
            "-declaration__number",
        )
        if scope is not None:
            signatures = signatures.filter(signatory_id__in=scope)
        rows = signatures.values_list("signatory_id", "country", "political_group_id")
        for signatory_id, country, group_id in rows.iterator(chunk_size=CHUNK_SIZE):
            if signatory_id not in current:
                current[signatory_id] = (country, group_id)
            elif current[signatory_id][1] is None and group_id is not None:
                # That list printed no group: the latest one that did tells it.
                current[signatory_id] = (current[signatory_id][0], group_id)
    return current


def refresh_affiliations(*, signatory_ids=None, bulk=False):
    """Store each signatory's current country and group as their signatures say (see the
    module's docstring); every signatory when `signatory_ids` is None. Affiliations set by hand
    are kept.

    Each signatory that changes is saved on its own, so that its history records the change;
    with `bulk`, all are written with one `bulk_update()` instead (no history, no signals), for
    rows just written in bulk. Returns the ids of the signatories that changed.
    """
    computed = current_affiliations(signatory_ids=signatory_ids)
    changed = {}
    for scope in _scopes(computed.keys() if signatory_ids is None else signatory_ids):
        rows = Signatory.objects.filter(affiliation_is_manual=False)
        if scope is not None:
            rows = rows.filter(pk__in=scope)
        for pk, country, group_id in rows.values_list("pk", "country", "political_group_id"):
            if pk in computed and computed[pk] != (country, group_id):
                changed[pk] = computed[pk]
    signatories = []
    for scope in _chunks(changed):
        signatories.extend(Signatory.objects.filter(pk__in=scope))
    for signatory in signatories:
        signatory.country, signatory.political_group_id = changed[signatory.pk]
        if not bulk:
            signatory.save(update_fields=["country", "political_group", "modified"])
    if bulk:
        Signatory.objects.bulk_update(
            signatories, ["country", "political_group"], batch_size=CHUNK_SIZE
        )
    return set(changed)


def _among(column, scope):
    """(SQL condition, parameters) keeping the rows whose `column` is among `scope`; every row
    when `scope` is None."""
    if scope is None:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(scope))})", list(scope)


def _store_counts(model, field, counting, ids):
    """Set `field` of the rows of `model` (every row when `ids` is None, else those whose keys
    are `ids`) to what `counting` counts for each, zero where it counts nothing, writing only the
    rows that change. Returns how many changed.

    One statement per chunk of ids: the counts, one `GROUP BY`, joined into an
    `UPDATE ... FROM`. A correlated subquery per row would do the same but, on PostgreSQL right
    after a bulk insert (before `ANALYZE`), runs for minutes. `counting(quote, scope)` gives
    the `SELECT` of the counts (columns `counted_id` and `n`) among the keys of `scope` (every
    key when None) and its parameters; `quote` quotes the names of the models' tables and
    columns for the connection.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    count = quote(model._meta.get_field(field).column)
    pk = quote(model._meta.pk.column)
    changed = 0
    with connection.cursor() as cursor:
        for scope in _scopes(ids):
            counted, params = counting(quote, scope)
            among_targets, target_params = _among(f"target.{pk}", scope)
            # The target table joins itself (as `target`) so that a row with nothing left to
            # count, absent from the GROUP BY, is set to zero by the same statement.
            cursor.execute(
                f"""
                UPDATE {table} SET {count} = COALESCE(counted.n, 0)
                FROM {table} AS target
                LEFT JOIN ({counted}) AS counted ON counted.counted_id = target.{pk}
                WHERE {table}.{pk} = target.{pk}
                  AND {table}.{count} <> COALESCE(counted.n, 0)
                  AND {among_targets}
                """,  # noqa: S608 (names come from the models; values are parameters)
                [*params, *target_params],
            )
            changed += cursor.rowcount
    return changed


def recount_public_declarations(*, signatory_ids=None):
    """Store how many public declarations each signatory signed; every signatory when
    `signatory_ids` is None. Only the counts that change are written (`_store_counts()`);
    returns how many rows changed."""

    def public_declarations(quote, scope):
        signature = quote(Signature._meta.db_table)
        declaration = quote(Declaration._meta.db_table)
        signatory_id = quote(Signature._meta.get_field("signatory").column)
        declaration_id = quote(Signature._meta.get_field("declaration").column)
        status = quote(Declaration._meta.get_field("status").column)
        declaration_pk = quote(Declaration._meta.pk.column)
        among, params = _among(f"s.{signatory_id}", scope)
        sql = f"""
            SELECT s.{signatory_id} AS counted_id, COUNT(DISTINCT s.{declaration_id}) AS n
            FROM {signature} AS s
            JOIN {declaration} AS d ON d.{declaration_pk} = s.{declaration_id}
            WHERE d.{status} = %s AND {among}
            GROUP BY s.{signatory_id}
        """  # noqa: S608 (names come from the models; values are parameters)
        return sql, [Declaration.Status.PUBLISHED, *params]

    return _store_counts(Signatory, "public_declaration_count", public_declarations, signatory_ids)


def recount_signatures(*, declaration_ids=None):
    """Store how many signatures each declaration has; every declaration when
    `declaration_ids` is None. Only the counts that change are written (`_store_counts()`);
    returns how many rows changed."""

    def signatures(quote, scope):
        signature = quote(Signature._meta.db_table)
        declaration_id = quote(Signature._meta.get_field("declaration").column)
        among, params = _among(f"s.{declaration_id}", scope)
        sql = f"""
            SELECT s.{declaration_id} AS counted_id, COUNT(*) AS n
            FROM {signature} AS s
            WHERE {among}
            GROUP BY s.{declaration_id}
        """  # noqa: S608 (names come from the models; values are parameters)
        return sql, params

    return _store_counts(Declaration, "signature_count", signatures, declaration_ids)


def refresh_signatories(*, signatory_ids):
    """Refresh every derived value of these signatories: affiliation, then public count."""
    signatory_ids = set(signatory_ids) - {None}
    if not signatory_ids:
        return
    refresh_affiliations(signatory_ids=signatory_ids)
    recount_public_declarations(signatory_ids=signatory_ids)


def refresh_signatories_of(*, declaration_ids):
    """Refresh the signatories of these declarations, after they were published, withdrawn,
    re-dated or renumbered: what the public sees of those signatories follows."""
    signatory_ids = set(
        Signature.objects.filter(declaration_id__in=list(declaration_ids)).values_list(
            "signatory_id", flat=True
        )
    )
    refresh_signatories(signatory_ids=signatory_ids)
