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
            created = []
            for record in json.loads((DEMO_DIR / "detainees.json").read_text(encoding="utf-8")):
                detainee, was_created = Detainee.objects.get_or_create(
                    name=record["name"],
                    defaults={
                        "other_names": "\n".join(record["other_names"]),
                        "country": "KZ",
                        "status": record["status"],
                        "summary": record["summary"],
                    },
                )
                if was_created:
                    created.append(detainee)
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
            # Published once their source is recorded: a detainee is never public without one.
            for detainee in created:
                detainee.sources.add(source)
                detainee.is_published = True
                detainee.save(update_fields=["is_published", "modified"])
        self.stdout.write(f"Detainees created: {len(created)}")
        self.stdout.write("\n".join(report.lines()))
