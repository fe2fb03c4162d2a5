import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from prisoners.models import Detainee
from signatories.importing import import_declarations
from signatories.models import Source
from signatories.parsing import parse_declaration

DEMO_DIR = settings.BASE_DIR / "data" / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo: written declaration No. 695 and the nine detainees it names, published. "
        "Running it again adds nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            detainees_created = 0
            for record in json.loads((DEMO_DIR / "detainees.json").read_text(encoding="utf-8")):
                _detainee, created = Detainee.objects.get_or_create(
                    name=record["name"],
                    defaults={
                        "other_names": "\n".join(record["other_names"]),
                        "country": "KZ",
                        "status": record["status"],
                        "summary": record["summary"],
                        "is_published": True,
                    },
                )
                detainees_created += created
            parsed = parse_declaration((DEMO_DIR / "wd-695.txt").read_text(encoding="utf-8"))
            [report] = import_declarations([parsed], publish=True)
            # The declaration itself is the source of what the demo says about the detainees.
            source, _created = Source.objects.get_or_create(
                title=f"Written declaration No. {parsed.number}, Doc. {parsed.document_reference}",
                defaults={
                    "publisher": "Parliamentary Assembly of the Council of Europe",
                    "published_on": parsed.date,
                },
            )
            report.declaration.sources.add(source)
            for mention in report.declaration.mentions.select_related("detainee"):
                mention.detainee.sources.add(source)
        self.stdout.write(f"Detainees created: {detainees_created}")
        self.stdout.write("\n".join(report.lines()))
