from django.core.management.base import BaseCommand
from django.db import transaction

from declaration_site.lib import cache
from prisoners.models import Detainee
from prisoners.services import refresh_status
from signatories.services import (
    recount_public_declarations,
    recount_signatures,
    refresh_affiliations,
)


class Command(BaseCommand):
    help = (
        "Compute again every derived value of the whole record: each signatory's current "
        "country and group (from their latest published signature, unless set by hand) and "
        "count of public declarations, each declaration's count of signatures, each detainee's "
        "current status. Run it once after an upgrade that changes how one is computed, or "
        "after writing rows with update() or raw SQL. Only what differs is written."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            affiliations = refresh_affiliations(signatory_ids=None)
            counts = recount_public_declarations()
            signature_counts = recount_signatures()
            statuses = refresh_status(detainee_ids=Detainee.objects.values_list("pk", flat=True))
        cache.bump()
        self.stdout.write(f"Signatories whose current affiliation changed: {len(affiliations)}")
        self.stdout.write(f"Signatories whose count of public declarations changed: {counts}")
        self.stdout.write(f"Declarations whose count of signatures changed: {signature_counts}")
        self.stdout.write(f"Detainees whose current status changed: {len(statuses)}")
