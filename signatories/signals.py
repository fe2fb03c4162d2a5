"""Keep each signatory's derived values (current affiliation, count of public declarations) and
each declaration's count of signatures in step with the signatures and declarations, whoever
writes them: the receivers call the one function that computes each value (services.py).

Covered: every `save()` and `delete()` of a Signature or Declaration, including
`QuerySet.delete()` (Django sends `post_delete` row by row when receivers are connected) and the
signatures a deleted declaration takes with it; and a Signatory or Declaration saved whole from
a copy read before its counts last changed. Not covered: `QuerySet.update()`,
`bulk_create()` and raw SQL, whose authors call services.py themselves. Rows loaded from a
fixture (`raw`) are taken as they are.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Declaration, Signatory, Signature
from .services import (
    recount_public_declarations,
    recount_signatures,
    refresh_signatories,
    refresh_signatories_of,
)

# The fields of a signature or a declaration that the derived values depend on; a save that
# writes none of them (a signature moved to another position) changes nothing derived.
SIGNATURE_FIELDS = {"declaration", "signatory", "country", "political_group"}
DECLARATION_FIELDS = {"status", "date", "number"}


def _writes_any(update_fields, fields):
    return update_fields is None or bool(fields & set(update_fields))


@receiver(pre_save, sender=Signature, dispatch_uid="signatories-signature-previous")
def _remember_previous_links(sender, instance, raw=False, **kwargs):
    # The signatory and the declaration the row points at before this save: a signature moved
    # to another one leaves the previous one to refresh too.
    previous = None
    if instance.pk and not raw:
        previous = (
            Signature.objects.filter(pk=instance.pk)
            .values_list("signatory_id", "declaration_id")
            .first()
        )
    instance._previous_signatory_id, instance._previous_declaration_id = previous or (None, None)


@receiver(post_save, sender=Signature, dispatch_uid="signatories-signature-saved")
def _signature_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _writes_any(update_fields, SIGNATURE_FIELDS):
        return
    previous = getattr(instance, "_previous_signatory_id", None)
    refresh_signatories(signatory_ids={instance.signatory_id, previous})
    if _writes_any(update_fields, {"declaration"}):
        previous = getattr(instance, "_previous_declaration_id", None)
        recount_signatures(declaration_ids={instance.declaration_id, previous})


@receiver(post_delete, sender=Signature, dispatch_uid="signatories-signature-deleted")
def _signature_deleted(sender, instance, **kwargs):
    refresh_signatories(signatory_ids={instance.signatory_id})
    recount_signatures(declaration_ids={instance.declaration_id})


@receiver(post_save, sender=Declaration, dispatch_uid="signatories-declaration-saved")
def _declaration_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # Publishing, withdrawing or re-dating a declaration changes who is public and which
    # signature is each signatory's most recent. A new declaration has no signature yet.
    if created or raw:
        return
    if _writes_any(update_fields, {"signature_count"}):
        # A declaration saved whole writes back the count it was read with, which a signature
        # saved since (by another curator, say) may have changed.
        recount_signatures(declaration_ids=[instance.pk])
    if _writes_any(update_fields, DECLARATION_FIELDS):
        refresh_signatories_of(declaration_ids=[instance.pk])


@receiver(post_save, sender=Signatory, dispatch_uid="signatories-signatory-saved")
def _signatory_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A signatory saved whole (a curator correcting a name) writes back the count of public
    # declarations it was read with, which a signature saved since may have changed.
    if created or raw or not _writes_any(update_fields, {"public_declaration_count"}):
        return
    recount_public_declarations(signatory_ids=[instance.pk])
