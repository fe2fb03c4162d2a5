from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from declaration_site.backups import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Copy the whole database (every record and its history) to a file: "
        "backups/declarations-YYYYmmdd-HHMMSS.dump for PostgreSQL, .sqlite3 for SQLite, readable "
        "by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write the copy here instead.")

    def handle(self, *args, output=None, **options):
        path = output or default_path(connection)
        try:
            path = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{path}: cannot be written ({error.strerror or error})") from error
        self.stdout.write(f"Backup written to {path}")
