from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from declaration_site.backups import BackupError, check_private, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a copy made by `manage.py backup`. The copy must be "
        "readable by its owner only (chmod 600), unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .dump (PostgreSQL) or .sqlite3 (SQLite) backup.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore a copy that other users can read or change (not recommended).",
        )

    def handle(self, *args, file, interactive=True, force=False, **options):
        name = connection.settings_dict["NAME"]
        try:
            if not force:
                # Before asking: a refused file is refused whatever the answer.
                check_private(file)
            if interactive:
                answer = input(
                    f"This replaces every record in {name} with those of {file}. "
                    "Type 'yes' to go on: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            restore(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {name} from {file}")
