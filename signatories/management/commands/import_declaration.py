from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from signatories.importing import (
    MAX_FILE_SIZE,
    UnreadableText,
    decode_declaration,
    import_declarations,
    resolve_references,
)
from signatories.parsing import ParseError, parse_declaration


def read_declaration_file(path):
    """The text of a declaration file, or CommandError saying why it cannot be read."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_SIZE:
            raise CommandError(f"{path}: larger than 1 MB; is it really a declaration?")
        return decode_declaration(path.read_bytes())
    except UnreadableText as error:
        raise CommandError(f"{path}: {error}") from None
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error})") from None


class Command(BaseCommand):
    help = (
        "Import PACE written declarations from text files. Every file is checked first; if any "
        "has a problem, nothing is written and the problems are listed with their lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created, matched and linked, and write nothing.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the declarations (new ones are drafts otherwise).",
        )

    @no_translations  # the report reads the same whatever language was active
    def handle(self, *args, files, dry_run, publish, **options):
        parsed, problems, paths = [], [], {}
        for path in files:
            try:
                declaration = parse_declaration(read_declaration_file(path))
                resolve_references(declaration)
            except CommandError as error:
                problems.append(str(error))
            except ParseError as error:
                problems.extend(f"{path}: {problem}" for problem in error.problems)
            else:
                parsed.append(declaration)
                paths[declaration.number] = path
        if problems:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {problem}" for problem in problems)
            )
        try:
            reports = import_declarations(parsed, publish=publish, dry_run=dry_run)
        except ParseError as error:
            # A refusal by the database or the record: name the file when it is known.
            where = f"{paths[error.number]}: " if getattr(error, "number", None) in paths else ""
            raise CommandError(
                "Nothing was imported:\n"
                + "\n".join(f"  {where}{problem}" for problem in error.problems)
            ) from None
        for report in reports:
            self.stdout.write("\n".join(report.lines(dry_run=dry_run)))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
