"""Keep each detainee's current status in step with their status changes, and refuse to publish
a detainee without a source, whoever writes: the admin, merges, the shell, bulk deletes.

Covered: every `save()` and `delete()` of a StatusChange or Detainee, `QuerySet.delete()`
(Django sends `post_delete` row by row when receivers are connected), and `add()`, `remove()`,
`set()` and `clear()` on a detainee's sources, from either side. Not covered: `QuerySet.update()`,
`bulk_create()` and raw SQL, whose authors call services.py themselves and keep the source rule
(the sample-data generator attaches its own source to the detainees it publishes). Deleting a
Source takes its links with it without an m2m signal: its `pre_delete` refuses when it is the
last source of a published detainee (the admin says so before, see admin.py). Rows loaded from
a fixture (`raw`) are taken as they are.
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from signatories.models import Source

from .models import SOURCE_NEEDED, Detainee, StatusChange
from .services import refresh_status

DetaineeSources = Detainee.sources.through


def _writes(update_fields, name):
    return update_fields is None or name in update_fields


@receiver(pre_save, sender=Detainee, dispatch_uid="prisoners-detainee-needs-source")
def _refuse_publishing_without_a_source(sender, instance, raw=False, update_fields=None, **kwargs):
    """A save that writes `is_published=True` needs a source already recorded: a new detainee
    is saved unpublished first, given its sources, then published (as the admin does)."""
    if raw or not instance.is_published or not _writes(update_fields, "is_published"):
        return
    if not instance.has_sources():
        raise ValidationError({"is_published": [SOURCE_NEEDED]}, code="source_needed")


@receiver(m2m_changed, sender=DetaineeSources, dispatch_uid="prisoners-detainee-keeps-source")
def _refuse_removing_the_last_source(sender, instance, action, reverse, pk_set, **kwargs):
    """A published detainee keeps at least one source. (The admin adds the new sources before
    it removes the old ones, so that replacing the only source is allowed.)"""
    if action not in ("pre_remove", "pre_clear"):
        return
    if reverse:
        # Links removed from a source's side: `instance` is the Source.
        detainees = Detainee.objects.filter(is_published=True, sources=instance)
        if action == "pre_remove":
            detainees = detainees.filter(pk__in=pk_set)
        leaving = {instance.pk}
        detainee_ids = list(detainees.values_list("pk", flat=True))
    else:
        if not Detainee.objects.filter(pk=instance.pk, is_published=True).exists():
            return
        leaving = set(pk_set) if action == "pre_remove" else None
        detainee_ids = [instance.pk]
    for detainee_id in detainee_ids:
        remaining = DetaineeSources.objects.filter(detainee_id=detainee_id)
        remaining = (
            remaining.exclude(source_id__in=leaving) if leaving is not None else remaining.none()
        )
        if not remaining.exists():
            raise ValidationError({"sources": [SOURCE_NEEDED]}, code="source_needed")


@receiver(pre_delete, sender=Source, dispatch_uid="prisoners-source-kept-by-detainees")
def _refuse_deleting_a_last_source(sender, instance, **kwargs):
    """A source that is the only one of a published detainee stays: unpublish the detainee or
    give them another source first."""
    if Detainee.objects.citing_only([instance.pk]).exists():
        raise ValidationError(SOURCE_NEEDED, code="source_needed")


@receiver(pre_save, sender=StatusChange, dispatch_uid="prisoners-statuschange-previous")
def _remember_previous_detainee(sender, instance, raw=False, **kwargs):
    instance._previous_detainee_id = (
        StatusChange.objects.filter(pk=instance.pk).values_list("detainee_id", flat=True).first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender=StatusChange, dispatch_uid="prisoners-statuschange-saved")
def _status_change_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_previous_detainee_id", None)
    refresh_status(detainee_ids={instance.detainee_id, previous})


@receiver(post_delete, sender=StatusChange, dispatch_uid="prisoners-statuschange-deleted")
def _status_change_deleted(sender, instance, **kwargs):
    refresh_status(detainee_ids={instance.detainee_id})


@receiver(post_save, sender=Detainee, dispatch_uid="prisoners-detainee-saved")
def _detainee_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A status typed over the newest status change goes back to it; a new detainee has none.
    if created or raw or not _writes(update_fields, "status"):
        return
    if instance.status_changes.exists():
        refresh_status(detainee_ids=[instance.pk])
