"""Merge duplicate records of one detainee: two spellings or transliterations of one name.

The kept record takes over the others' mentions, status changes and sources, their names
become its other names, and their addresses redirect to it. Everything happens in one
transaction.
"""

from django.db import transaction

from declaration_site.lib.merging import (
    MergeReport,
    add_other_names,
    check_merge,
    move_links,
)

from .models import DetaineeAlias
from .services import refresh_status


@transaction.atomic
def merge_detainees(keep, others):
    """Move the mentions, status changes and sources of `others` to `keep` and delete
    `others`. Where both are named in the same declaration, `keep`'s mention stays."""
    others = check_merge(keep, others)
    report = MergeReport(kept=keep)
    named_in = set(keep.mentions.values_list("declaration_id", flat=True))
    for other in others:
        move_links(other.mentions.all(), "detainee", keep, named_in, report)
        for change in other.status_changes.all():
            change.detainee = keep
            change.save()
            report.moved += 1
        keep.sources.add(*other.sources.all())
        add_other_names(keep, other.all_names(), current=[keep.name])
        other.aliases.update(detainee=keep)
        old_slug = other.slug
        report.merged.append(str(other))
        other.delete()
        DetaineeAlias.objects.create(slug=old_slug, detainee=keep)
    keep.save()
    # Their current status now follows every status change they have.
    refresh_status(detainee_ids=[keep.pk])
    keep.refresh_from_db()
    return report
