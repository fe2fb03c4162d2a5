from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from declaration_site.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with a copy made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .dump (PostgreSQL) or .sqlite3 (SQLite) backup.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, interactive=True, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces every record in {name} with those of {file}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {name} from {file}")
