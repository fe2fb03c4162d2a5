"""Merge duplicate records of one signatory: two spellings of one person.

The kept record takes over everything the others had (signatures and sources), their names
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

from .models import SignatoryAlias
from .services import refresh_signatories


@transaction.atomic
def merge_signatories(keep, others):
    """Move the signatures of `others` to `keep` and delete `others`.

    Each signature keeps its position and its country and group as of signing. Where `keep`
    already signed the same declaration, its own signature stays and the other one goes (it is
    listed in the report's `duplicates`).
    """
    others = check_merge(keep, others)
    report = MergeReport(kept=keep)
    signed = set(keep.signatures.values_list("declaration_id", flat=True))
    for other in others:
        move_links(other.signatures.all(), "signatory", keep, signed, report)
        add_other_names(keep, other.all_names(), current=[keep.full_name])
        other.aliases.update(signatory=keep)
        old_slug = other.slug
        report.merged.append(str(other))
        other.delete()
        SignatoryAlias.objects.create(slug=old_slug, signatory=keep)
    keep.save()
    # Their current affiliation and count now follow every signature they have.
    refresh_signatories(signatory_ids=[keep.pk])
    keep.refresh_from_db()
    return report
