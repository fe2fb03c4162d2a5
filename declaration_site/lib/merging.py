"""What merging two records of one person shares, whatever the kind of record: the report,
the checks, moving their links to declarations, and keeping their names."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class MergeError(ValueError):
    """The merge cannot be done as asked; nothing was changed."""


@dataclass
class MergeReport:
    kept: object
    merged: list = field(default_factory=list)
    moved: int = 0
    # Rows both records had (the same declaration signed, or naming both): one was kept.
    duplicates: list = field(default_factory=list)


def add_other_names(record, names, *, current):
    """Append `names` to `record.other_names`, skipping any it already has or that are in
    `current` (the record's own names), whatever their case."""
    known = {name.casefold() for name in [*current, *record.other_names.splitlines()]}
    lines = [line for line in record.other_names.splitlines() if line.strip()]
    for name in names:
        if name.strip() and name.strip().casefold() not in known:
            lines.append(name.strip())
            known.add(name.strip().casefold())
    record.other_names = "\n".join(lines)


def check_merge(keep, others):
    """`others` as a list, or MergeError if there is none or `keep` is among them."""
    others = list(others)
    if not others:
        raise MergeError(_("Choose at least one other record to merge into the one kept."))
    if any(other.pk == keep.pk for other in others):
        raise MergeError(_("A record cannot be merged into itself."))
    return others


def move_links(rows, field, keep, declarations, report):
    """Point each of `rows` (the signatures or mentions of a record merged away) at `keep`
    through `field`. A row for a declaration `keep` already has (in `declarations`) is deleted
    instead and listed in the report's `duplicates`."""
    for row in rows.select_related("declaration"):
        if row.declaration_id in declarations:
            report.duplicates.append(row.declaration)
            row.delete()
            continue
        setattr(row, field, keep)
        row.save(update_fields=[field])
        declarations.add(row.declaration_id)
        report.moved += 1


def retire(other, *, into, field, alias_model, current_names, report):
    """The last step of merging `other` into the record `into`: its names become `into`'s
    other names, its address (and those of records merged into it before) redirect to `into`,
    and it is deleted. `field` names the alias model's link to the record."""
    add_other_names(into, other.all_names(), current=current_names)
    other.aliases.update(**{field: into})
    old_slug = other.slug
    report.merged.append(str(other))
    other.delete()
    alias_model.objects.create(slug=old_slug, **{field: into})
