"""Merge two spellings of one signatory into the record kept, in one transaction."""

from django.db import transaction

from declaration_site.lib.merging import MergeReport, check_merge, move_links, retire

from .models import SignatoryAlias
from .services import recount_signatures, refresh_signatories


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
        retire(
            other,
            into=keep,
            field="signatory",
            alias_model=SignatoryAlias,
            current_names=[keep.full_name],
            report=report,
        )
    keep.save()
    # Their current affiliation and count now follow every signature they have, and the
    # declarations both had signed count one signature fewer.
    refresh_signatories(signatory_ids=[keep.pk])
    recount_signatures(declaration_ids=[declaration.pk for declaration in report.duplicates])
    keep.refresh_from_db()
    return report
