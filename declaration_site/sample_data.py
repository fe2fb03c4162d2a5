"""Invented declarations, signatories and detainees in bulk, to measure the site at scale.

One unit of scale is roughly the Parliamentary Assembly's record: 700 declarations of 20 to 40
signatures each, 2 000 signatories from the 46 member states, 2 000 detainees with one to five
names each, the mentions that link them and, where the model exists, their status changes.
The same seed gives the same rows.

Generated rows are marked so that they can be told from curated ones: declarations have a
`document_reference` starting with `SAMPLE-` and a number from 100 001 up; detainees have the
summary `SAMPLE_SUMMARY`, and the published ones cite the one source titled `SAMPLE_SOURCE`.
Rows are written with `bulk_create`, so no history is recorded for them, and neither `save()`
nor any signal runs: the signatories' folded names and slugs are computed here with the same
formulas, the detainees' search and sort names with `search_name_of()` and `sort_name_of()`,
and the derived values (signatories' current affiliation and public count, declarations'
count of signatures, detainees' current status) by the functions that compute them everywhere else (signatories/services.py,
prisoners/services.py), called once over every row written. On PostgreSQL the tables are analysed first, so that the
planner knows their new size.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils.text import slugify
from django_countries import countries

from declaration_site.lib.text import fold
from prisoners.models import Detainee, DetentionStatus, Mention, StatusChange
from prisoners.services import refresh_status, search_name_of, sort_name_of
from signatories.models import Declaration, PoliticalGroup, Signatory, Signature, Source
from signatories.services import (
    recount_public_declarations,
    recount_signatures,
    refresh_affiliations,
)

SAMPLE_PREFIX = "SAMPLE-"
FIRST_NUMBER = 100_001
SAMPLE_SUMMARY = "Invented sample record, for measuring the site; not a real person."
SAMPLE_SOURCE = "SAMPLE- Invented source of the sample records; not a real document."

DECLARATIONS_PER_SCALE = 700
SIGNATORIES_PER_SCALE = 2_000
DETAINEES_PER_SCALE = 2_000
BATCH_SIZE = 2_000

# The 46 member states of the Council of Europe.
MEMBER_STATES = [
    "AD",
    "AL",
    "AM",
    "AT",
    "AZ",
    "BA",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GE",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MC",
    "MD",
    "ME",
    "MK",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "RS",
    "SE",
    "SI",
    "SK",
    "SM",
    "TR",
    "UA",
]
# Where the invented detainees are held.
DETENTION_COUNTRIES = ["AZ", "BY", "GE", "KZ", "RU", "TR", "TM", "UZ", "TJ", "AM", "UA", "MD"]

# Political families: the group a member of each one signs as, by year.
FAMILIES = {
    "epp": [(None, "EPP/CD")],
    "soc": [(None, "SOC")],
    "ec": [(2014, "EDG"), (2020, "EC"), (None, "EC/DA")],
    "alde": [(2005, "LDR"), (None, "ALDE")],
    "uel": [(None, "UEL")],
    "fdg": [(2018, "NR"), (None, "FDG")],
    "nr": [(None, "NR")],
}
FAMILY_WEIGHTS = {"epp": 30, "soc": 30, "ec": 15, "alde": 12, "uel": 6, "fdg": 3, "nr": 4}

HONORIFICS = [("Mr", 48), ("Ms", 34), ("Mrs", 10), ("Lord", 2), ("Baroness", 2), ("Sir", 2)]
HONORIFICS += [("Lady", 1), ("Dame", 1)]
GIVEN_SYLLABLES = "ja ne ma ri na jó lé an to el sa ka mi ši ča bo da ví ře lu fé zo ân ği"
FAMILY_SYLLABLES = "ber gö son ski vić men lan dor ås ør tel ko va ro ne dže ša ël mü ha lo pi ke"
FAMILY_PREFIXES = ["De", "Van", "O'", "Mac", "Da"]
FIRST_YEAR, LAST_YEAR = 2000, 2025
TOPICS = [
    "mass arrests and political prosecution in {country}",
    "the detention of journalists in {country}",
    "the persecution of human rights defenders in {country}",
    "the imprisonment of opposition leaders in {country}",
    "torture in places of detention in {country}",
    "the harassment of lawyers in {country}",
]
SENTENCES = [
    "We, the undersigned members of the Parliamentary Assembly, are deeply concerned.",
    "Peaceful protesters have been detained without charge.",
    "Defence lawyers have been denied access to their clients.",
    "Several of those detained report ill-treatment.",
    "We call on the authorities to release everyone held for exercising their rights.",
    "We call on member states to raise these cases in every bilateral meeting.",
    "The trials fell short of the standards of the European Convention on Human Rights.",
    "Families have not been told where their relatives are held.",
]


@dataclass
class Summary:
    declarations: int = 0
    signatories: int = 0
    signatures: int = 0
    detainees: int = 0
    mentions: int = 0
    status_changes: int = 0

    def lines(self):
        return [
            f"{name.replace('_', ' ')}: {getattr(self, name)}"
            for name in (
                "declarations",
                "signatories",
                "signatures",
                "detainees",
                "mentions",
                "status_changes",
            )
        ]


def is_generated_declaration(declaration):
    return declaration.document_reference.startswith(SAMPLE_PREFIX)


def curated_counts():
    """How many declarations and detainees the generator did not create."""
    declarations = Declaration.objects.exclude(document_reference__startswith=SAMPLE_PREFIX)
    detainees = Detainee.objects.exclude(summary=SAMPLE_SUMMARY)
    return declarations.count(), detainees.count()


def sample_count():
    """How many generated declarations the database holds."""
    return Declaration.objects.filter(document_reference__startswith=SAMPLE_PREFIX).count()


class Generator:
    """Builds the rows in memory from one random.Random, then writes them in batches."""

    def __init__(self, *, scale, seed):
        self.scale = scale
        self.random = random.Random(seed)  # noqa: S311 (invented data, repeatable by design)
        self.groups = {group.abbreviation: group for group in PoliticalGroup.objects.all()}
        missing = {abbr for steps in FAMILIES.values() for _year, abbr in steps} - set(self.groups)
        if missing:
            raise ValueError(f"Political groups missing: {', '.join(sorted(missing))}.")
        self.slugs = {
            Signatory: set(Signatory.objects.values_list("slug", flat=True)),
            Declaration: set(Declaration.objects.values_list("slug", flat=True)),
            Detainee: set(Detainee.objects.values_list("slug", flat=True)),
        }
        self.first_number = max(
            FIRST_NUMBER,
            (Declaration.objects.order_by("-number").values_list("number", flat=True).first() or 0)
            + 1,
        )

    # Names

    def syllables(self, source, low, high):
        words = source.split()
        return "".join(self.random.choice(words) for _ in range(self.random.randint(low, high)))

    def given_name(self):
        names = [self.syllables(GIVEN_SYLLABLES, 2, 3).capitalize()]
        if self.random.random() < 0.15:
            names.append(self.syllables(GIVEN_SYLLABLES, 2, 3).capitalize())
        return ("-" if self.random.random() < 0.5 else " ").join(names)

    def family_name(self):
        name = self.syllables(FAMILY_SYLLABLES, 2, 3).upper()
        roll = self.random.random()
        if roll < 0.06:
            prefix = self.random.choice(FAMILY_PREFIXES)
            return f"{prefix}{name}" if prefix.endswith("'") else f"{prefix} {name}"
        if roll < 0.12:
            return f"{name} {self.syllables(FAMILY_SYLLABLES, 2, 3).upper()}"
        return name

    def unique_slug(self, model, base):
        taken = self.slugs[model]
        stem = slugify(fold(base))[:70].strip("-") or "item"
        candidate, counter = stem, 1
        while candidate in taken:
            counter += 1
            candidate = f"{stem}-{counter}"
        taken.add(candidate)
        return candidate

    def day(self, year):
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.random.randrange(365))

    # Rows

    def signatories(self):
        """Signatories with a home country, a political family and the years they sat."""
        rows, seen = [], set(Signatory.objects.values_list("search_name", "country"))
        families = list(FAMILY_WEIGHTS)
        weights = list(FAMILY_WEIGHTS.values())
        honorifics, honorific_weights = zip(*HONORIFICS, strict=True)
        while len(rows) < SIGNATORIES_PER_SCALE * self.scale:
            given, family = self.given_name(), self.family_name()
            country = self.random.choice(MEMBER_STATES)
            search_name = Signatory.folded_name(given, family)
            if (search_name, country) in seen:
                continue
            seen.add((search_name, country))
            first_year = self.random.randint(FIRST_YEAR - 4, LAST_YEAR)
            signatory = Signatory(
                honorific=self.random.choices(honorifics, honorific_weights)[0],
                given_name=given,
                family_name=family,
                country=country,
                slug=self.unique_slug(Signatory, f"{given} {family}"),
            )
            signatory.derive_names()  # as save() does; bulk_create does not call save()
            signatory.years = (first_year, first_year + self.random.randint(1, 12))
            signatory.families = [self.random.choices(families, weights)[0]]
            if self.random.random() < 0.1:
                signatory.families.append(self.random.choices(families, weights)[0])
            # The group of their last year; their signatures, once written, decide it
            # (refresh_affiliations()) for those who signed something.
            signatory.political_group = self.group_of(
                signatory, datetime.date(min(signatory.years[1], LAST_YEAR), 12, 31)
            )
            rows.append(signatory)
        return rows

    def group_of(self, signatory, date):
        """The group `signatory` signs as on `date`: a member who changed family did so
        halfway through their years."""
        first, last = signatory.years
        index = 0 if date.year <= (first + last) // 2 else len(signatory.families) - 1
        for until, abbreviation in FAMILIES[signatory.families[index]]:
            if until is None or date.year < until:
                return self.groups[abbreviation]
        raise AssertionError("unreachable")

    def declarations(self):
        count = DECLARATIONS_PER_SCALE * self.scale
        dates = sorted(self.day(self.random.randint(FIRST_YEAR, LAST_YEAR)) for _ in range(count))
        rows = []
        for index, date in enumerate(dates):
            number = self.first_number + index
            country = self.random.choice(DETENTION_COUNTRIES)
            title = "On " + self.random.choice(TOPICS).format(country=countries.name(country))
            rows.append(
                Declaration(
                    number=number,
                    document_reference=f"{SAMPLE_PREFIX}{number}",
                    date=date,
                    title=title,
                    text=" ".join(self.random.sample(SENTENCES, self.random.randint(3, 6))),
                    slug=self.unique_slug(Declaration, f"{number} {title}"),
                    status=(
                        Declaration.Status.DRAFT
                        if self.random.random() < 0.03
                        else Declaration.Status.PUBLISHED
                    ),
                )
            )
        return rows

    def signatures(self, declarations, signatories):
        """20 to 40 signatures a declaration, from members sitting that year: the author first,
        the others alphabetically."""
        sitting = {year: [] for year in range(FIRST_YEAR, LAST_YEAR + 1)}
        for signatory in signatories:
            first, last = signatory.years
            for year in range(max(first, FIRST_YEAR), min(last, LAST_YEAR) + 1):
                sitting[year].append(signatory)
        rows = []
        for declaration in declarations:
            pool = sitting[declaration.date.year]
            signers = self.random.sample(pool, min(len(pool), self.random.randint(20, 40)))
            author, others = signers[0], sorted(signers[1:], key=lambda s: (s.sort_name, s.slug))
            for position, signatory in enumerate([author, *others], start=1):
                group = self.group_of(signatory, declaration.date)
                rows.append(
                    Signature(
                        declaration_id=declaration.pk,
                        signatory_id=signatory.pk,
                        position=position,
                        country=signatory.country,
                        political_group=group,
                    )
                )
        return rows

    def detainees(self):
        rows = []
        statuses = DetentionStatus.values
        for _ in range(DETAINEES_PER_SCALE * self.scale):
            given = self.syllables(GIVEN_SYLLABLES, 2, 3).capitalize()
            family = self.syllables(FAMILY_SYLLABLES, 2, 3).capitalize()
            name = f"{given} {family}"
            variants = {
                fold(name).title(),
                f"{family} {given}",
                name.replace("ov", "ow").replace("š", "sh").replace("č", "ch"),
                f"{given[0]}. {family}",
            }
            variants.discard(name)
            other_names = self.random.sample(
                sorted(variants), self.random.randint(0, len(variants))
            )
            detained_on = self.day(self.random.randint(FIRST_YEAR - 2, LAST_YEAR))
            # 0 to 3 later changes, none after the last year; the last one is the status.
            changes, day = [], detained_on
            for _ in range(self.random.randint(0, 3)):
                day += datetime.timedelta(days=self.random.randint(10, 400))
                if day.year > LAST_YEAR:
                    break
                changes.append((day, self.random.choice(statuses)))
            planned = changes[-1][1] if changes else self.random.choice(statuses)
            released_on = None
            if planned == DetentionStatus.RELEASED:
                released_on = changes[-1][0] if changes else detained_on
            detainee = Detainee(
                name=name,
                other_names="\n".join(other_names),
                slug=self.unique_slug(Detainee, name),
                country=self.random.choice(DETENTION_COUNTRIES),
                # With status changes, refresh_status() sets it from them once they are written.
                status=DetentionStatus.UNKNOWN if changes else planned,
                detained_on=detained_on,
                released_on=released_on,
                summary=SAMPLE_SUMMARY,
                is_published=self.random.random() < 0.9,
            )
            # As Detainee.save() computes it.
            detainee.search_name = search_name_of(detainee)
            detainee.sort_name = sort_name_of(detainee)
            detainee.changes = changes
            rows.append(detainee)
        return rows

    def mentions(self, declarations, detainees):
        rows = []
        for declaration in declarations:
            for detainee in self.random.sample(detainees, self.random.randint(0, 5)):
                rows.append(
                    Mention(
                        declaration_id=declaration.pk,
                        detainee_id=detainee.pk,
                        name_as_written=self.random.choice(detainee.all_names()),
                    )
                )
        return rows

    def status_changes(self, detainees):
        """The changes planned with each detainee."""
        return [
            StatusChange(detainee_id=detainee.pk, date=day, status=status, note="Invented.")
            for detainee in detainees
            for day, status in detainee.changes
        ]


def saved(model, rows, key):
    """bulk_create `rows` and give each its primary key, found again by `key`."""
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    if rows and rows[0].pk is None:
        values = [getattr(row, key) for row in rows]
        pks = {}
        for start in range(0, len(values), BATCH_SIZE):
            chunk = values[start : start + BATCH_SIZE]
            pks.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
        for row in rows:
            row.pk = pks[getattr(row, key)]
    return rows


def analyse(models):
    """On PostgreSQL, ANALYZE the tables of `models` after a bulk insert: without statistics the
    planner takes them for empty and picks plans that run for minutes."""
    connection = connections[router.db_for_write(models[0])]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def generate(*, scale, seed=1):
    """Write `scale` units of sample data in one transaction; returns a Summary."""
    generator = Generator(scale=scale, seed=seed)
    summary = Summary()
    with transaction.atomic():
        signatories = saved(Signatory, generator.signatories(), "slug")
        declarations = saved(Declaration, generator.declarations(), "number")
        signatures = generator.signatures(declarations, signatories)
        Signature.objects.bulk_create(signatures, batch_size=BATCH_SIZE)
        detainees = saved(Detainee, generator.detainees(), "slug")
        # The published detainees cite the sample source: a detainee is published only with one.
        source, _created = Source.objects.get_or_create(
            title=SAMPLE_SOURCE, defaults={"publisher": "Declaration Watch sample data"}
        )
        Detainee.sources.through.objects.bulk_create(
            [
                Detainee.sources.through(detainee_id=detainee.pk, source_id=source.pk)
                for detainee in detainees
                if detainee.is_published
            ],
            batch_size=BATCH_SIZE,
        )
        mentions = generator.mentions(declarations, detainees)
        Mention.objects.bulk_create(mentions, batch_size=BATCH_SIZE)
        changes = generator.status_changes(detainees)
        StatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        analyse(
            [
                Signatory,
                Declaration,
                Signature,
                Detainee,
                Detainee.sources.through,
                Mention,
                StatusChange,
            ]
        )
        # bulk_create sends no signals: the derived values, computed once over every row.
        refresh_affiliations(signatory_ids=[s.pk for s in signatories], bulk=True)
        recount_public_declarations()
        recount_signatures()
        refresh_status(detainee_ids=[d.pk for d in detainees], bulk=True)
        # Again for the columns just derived (who is public, current group, status): with the
        # statistics of before, the planner counts one public signatory where there are
        # 19,000, and sorts the list of signatories on disk.
        analyse([Signatory, Detainee])
    summary.declarations = len(declarations)
    summary.signatories = len(signatories)
    summary.signatures = len(signatures)
    summary.detainees = len(detainees)
    summary.mentions = len(mentions)
    summary.status_changes = len(changes)
    return summary
