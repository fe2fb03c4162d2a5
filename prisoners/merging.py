"""Merge two spellings or transliterations of one detainee's name into the record kept, with
the others' mentions, status history and sources, in one transaction."""

from django.db import transaction

from declaration_site.lib.merging import MergeReport, check_merge, move_links, retire

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
        retire(
            other,
            into=keep,
            field="detainee",
            alias_model=DetaineeAlias,
            current_names=[keep.name],
            report=report,
        )
    keep.save()
    # Their current status now follows every status change they have.
    refresh_status(detainee_ids=[keep.pk])
    keep.refresh_from_db()
    return report
