"""Build every export (the Popolo document, the sitemap) into DJANGO_EXPORT_DIR now."""

import os
import time

from django.core.management.base import BaseCommand

from declaration_site.exports import exports


class Command(BaseCommand):
    help = (
        "Build the Popolo document and the sitemap into DJANGO_EXPORT_DIR from the public "
        "record. Run it at deployment, so that no visitor waits for a first build."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Leave alone the exports already built from the current record.",
        )

    def handle(self, *args, if_stale=False, **options):
        for export in exports():
            started = time.monotonic()
            if not export.build(force=not if_stale):
                self.stdout.write(f"{export.name}: up to date")
                continue
            size = os.path.getsize(export.path())
            self.stdout.write(
                f"{export.name}: {size:,} bytes in {time.monotonic() - started:.1f} s "
                f"({export.path()})"
            )
