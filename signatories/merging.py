"""Merge duplicate records: two spellings of one signatory, or of one detainee.

The kept record takes over everything the others had (signatures or mentions, status changes,
sources), their names become its other names, and their addresses redirect to it. Everything
happens in one transaction.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .models import SignatoryAlias


class MergeError(ValueError):
    """The merge cannot be done as asked; nothing was changed."""


@dataclass
class MergeReport:
    kept: object
    merged: list = field(default_factory=list)
    moved: int = 0
    # Rows both records had (the same declaration signed, or naming both): one was kept.
    duplicates: list = field(default_factory=list)


def _add_other_names(record, names, *, current):
    """Append `names` to `record.other_names`, skipping any it already has."""
    known = {name.casefold() for name in [*current, *record.other_names.splitlines()]}
    lines = [line for line in record.other_names.splitlines() if line.strip()]
    for name in names:
        if name.strip() and name.strip().casefold() not in known:
            lines.append(name.strip())
            known.add(name.strip().casefold())
    record.other_names = "\n".join(lines)


def _check(keep, others):
    others = list(others)
    if not others:
        raise MergeError(_("Choose at least one other record to merge into the one kept."))
    if any(other.pk == keep.pk for other in others):
        raise MergeError(_("A record cannot be merged into itself."))
    return others


def _move_links(rows, field, keep, declarations, report):
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


@transaction.atomic
def merge_signatories(keep, others):
    """Move the signatures of `others` to `keep` and delete `others`.

    Each signature keeps its position and its country and group as of signing. Where `keep`
    already signed the same declaration, its own signature stays and the other one goes (it is
    listed in the report's `duplicates`).
    """
    others = _check(keep, others)
    report = MergeReport(kept=keep)
    signed = set(keep.signatures.values_list("declaration_id", flat=True))
    for other in others:
        _move_links(other.signatures.all(), "signatory", keep, signed, report)
        _add_other_names(keep, other.all_names(), current=[keep.full_name])
        other.aliases.update(signatory=keep)
        old_slug = other.slug
        report.merged.append(str(other))
        other.delete()
        SignatoryAlias.objects.create(slug=old_slug, signatory=keep)
    keep.save()
    keep.refresh_affiliation()
    return report


@transaction.atomic
def merge_detainees(keep, others):
    """Move the mentions, status changes and sources of `others` to `keep` and delete
    `others`. Where both are named in the same declaration, `keep`'s mention stays."""
    from prisoners.models import DetaineeAlias

    others = _check(keep, others)
    report = MergeReport(kept=keep)
    named_in = set(keep.mentions.values_list("declaration_id", flat=True))
    for other in others:
        _move_links(other.mentions.all(), "detainee", keep, named_in, report)
        for change in other.status_changes.all():
            change.detainee = keep
            change.save()
            report.moved += 1
        keep.sources.add(*other.sources.all())
        _add_other_names(keep, other.all_names(), current=[keep.name])
        other.aliases.update(detainee=keep)
        old_slug = other.slug
        report.merged.append(str(other))
        other.delete()
        DetaineeAlias.objects.create(slug=old_slug, detainee=keep)
    keep.save()
    keep.refresh_status()
    return report
