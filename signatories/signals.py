"""Keep each signatory's count of public declarations signed in step with the signatures."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Declaration, Signatory, Signature


@receiver(pre_save, sender=Signature)
def _remember_previous_signatory(sender, instance, **kwargs):
    instance._previous_signatory_id = (
        Signature.objects.filter(pk=instance.pk).values_list("signatory_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Signature)
def _signature_saved(sender, instance, **kwargs):
    signatories = {instance.signatory_id, getattr(instance, "_previous_signatory_id", None)}
    Signatory.objects.filter(pk__in=signatories - {None}).recount()


@receiver(post_delete, sender=Signature)
def _signature_deleted(sender, instance, **kwargs):
    Signatory.objects.filter(pk=instance.signatory_id).recount()


@receiver(post_save, sender=Declaration)
def _declaration_saved(sender, instance, created, **kwargs):
    # Publishing or withdrawing a declaration makes its signatories public or not.
    if not created:
        Signatory.objects.filter(signatures__declaration=instance).recount()
