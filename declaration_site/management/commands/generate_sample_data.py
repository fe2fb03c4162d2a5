from django.core.management.base import BaseCommand, CommandError

from declaration_site import sample_data
from declaration_site.lib import cache


class Command(BaseCommand):
    help = (
        "Fill the database with invented sample data to measure the site: per unit of --scale, "
        "700 declarations of 20 to 40 signatures, 2 000 signatories, 2 000 detainees with their "
        "mentions. The same --seed gives the same data. Refuses a database that holds curated "
        "declarations or detainees unless --force, and one that already holds sample data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Units of PACE's size (1).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument(
            "--force", action="store_true", help="Add sample data beside curated data."
        )

    def handle(self, *args, scale, seed, force, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        declarations, detainees = sample_data.curated_counts()
        if (declarations or detainees) and not force:
            raise CommandError(
                f"The database holds curated data ({declarations} declarations, {detainees} "
                "detainees); sample data would mix with it. Use another database, or --force."
            )
        existing = sample_data.sample_count()
        if existing:
            raise CommandError(
                f"The database already holds sample data ({existing} declarations). Start from "
                "a fresh database."
            )
        try:
            summary = sample_data.generate(scale=scale, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        cache.bump()
        self.stdout.write("\n".join(summary.lines()))
