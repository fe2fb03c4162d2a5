"""The values of a detainee that are derived from other rows or from their own names: each is
computed here, and only here.

What is computed:

- A detainee's current status (`Detainee.status`): `refresh_status()`. That of their newest
  status change (by date, then by the order recorded); a detainee with no status change keeps
  the status a curator set.
- A detainee's search names (`Detainee.search_name`, what list filters and search read): every
  name, folded, one a line: `search_name_of()`.
- A detainee's sort name (`Detainee.sort_name`, what lists order by): the family name first,
  folded: `sort_name_of()`.

Who calls them:

- `refresh_status()`: signals.py, on every StatusChange saved or deleted (admin inlines, the
  status changes' admin and its "Delete selected", merges, the shell: `QuerySet.delete()` sends
  `post_delete` row by row when receivers are connected) and on every Detainee saved;
  explicitly, the detainees' admin after a save, merges (merging.py), the status changes'
  admin after a bulk delete, and the sample-data generator after its `bulk_create()`, which
  sends no signal (declaration_site/sample_data.py).
- `search_name_of()` and `sort_name_of()`: `Detainee.save()`, and the sample-data generator
  for the rows it writes with `bulk_create()`; `sort_name_of()` also in the migration that added
  the field (prisoners/migrations/0005_detainee_sort_name.py), for the rows already there.

Not covered by any signal: `QuerySet.update()` and `bulk_create()` of status changes or of
detainees' names, and raw SQL. Code that writes that way calls these functions itself.

The rule that a detainee is published only with a source is checked in signals.py.
"""

from declaration_site.lib.text import fold

from .models import Detainee, StatusChange

# Ids per query when a function is given many detainees.
CHUNK_SIZE = 2_000


def search_name_of(detainee):
    """`detainee`'s names (`all_names()`), folded, one a line: "Maks Bokayev" and "Макс Бокаев"
    give "maks bokayev\\nмакс бокаев". Reads only; saved or not."""
    return "\n".join(fold(name) for name in detainee.all_names())


def sort_name_of(detainee):
    """`detainee`'s display name folded with its last word first, so that lists run by family
    name while showing the name as written: "Maks Bokayev" gives "bokayev maks", "Ales
    Bialiatski" gives "bialiatski ales", a one-word name stays as it is. Reads only."""
    words = fold(detainee.name).split()
    return " ".join(words[-1:] + words[:-1])


def _chunks(ids):
    ids = sorted(set(ids) - {None})
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def current_statuses(*, detainee_ids):
    """{detainee id: status of their newest status change}, for those who have one. Reads only."""
    current = {}
    for scope in _chunks(detainee_ids):
        rows = (
            StatusChange.objects.filter(detainee_id__in=scope)
            .order_by("detainee_id", "-date", "-pk")
            .values_list("detainee_id", "status")
        )
        for detainee_id, status in rows:
            current.setdefault(detainee_id, status)
    return current


def refresh_status(*, detainee_ids, bulk=False):
    """Store each detainee's current status: that of their newest status change, if they have
    one.

    Each detainee that changes is saved on its own, so that its history records the change;
    with `bulk`, all are written with one `bulk_update()` instead (no history, no signals), for
    rows just written in bulk. Returns the ids of the detainees that changed.
    """
    computed = current_statuses(detainee_ids=detainee_ids)
    changed = {}
    for scope in _chunks(computed):
        for pk, status in Detainee.objects.filter(pk__in=scope).values_list("pk", "status"):
            if status != computed[pk]:
                changed[pk] = computed[pk]
    detainees = []
    for scope in _chunks(changed):
        detainees.extend(Detainee.objects.filter(pk__in=scope))
    for detainee in detainees:
        detainee.status = changed[detainee.pk]
        if not bulk:
            detainee.save(update_fields=["status", "modified"])
    if bulk:
        Detainee.objects.bulk_update(detainees, ["status"], batch_size=CHUNK_SIZE)
    return set(changed)
