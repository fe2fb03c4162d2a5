from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from declaration_site.backups import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Copy the whole database (every record and its history) to a file: "
        "backups/declarations-YYYYmmdd-HHMMSS.dump for PostgreSQL, .sqlite3 for SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write the copy here instead.")

    def handle(self, *args, output=None, **options):
        try:
            path = backup(output or default_path(connection))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {path}")
