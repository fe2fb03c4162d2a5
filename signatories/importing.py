"""Write parsed declarations to the database.

`parsing.parse_declaration()` turns text into plain data; `import_declarations()` checks every name
it refers to (countries, groups), then writes everything in one transaction. Importing adds what is
missing and never overwrites or deletes what curators recorded: the same file twice changes
nothing, an extended list adds the new signatures, and a title or text that differs from what is
recorded is reported, not applied. A text that contradicts the record (the same number with
another document reference, date or author) is refused: it is another declaration, or a typing
error in its header, and merging it would put a wrong fact on a public page.

Imports run one at a time: on PostgreSQL each takes a transaction-level advisory lock before it
looks for the signatories it names, so that two imports naming the same new signatory both land,
the second matching the signatory the first created.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.dispatch import Signal
from django.utils.formats import date_format
from django_countries.fields import Country
from simple_history.utils import bulk_create_with_history

from declaration_site.lib.cache import bump
from declaration_site.lib.text import fold, unique_slug

from .countries import country_code
from .models import Declaration, PoliticalGroup, Signatory, Signature
from .parsing import ParsedDeclaration, ParseError, Problem
from .services import recount_signatures, refresh_signatories

MAX_FILE_SIZE = 1_000_000
# The key of the PostgreSQL advisory lock every import holds until its transaction ends
# (any constant that no other code of the site uses as a lock key).
IMPORT_LOCK_KEY = 695_14983
# How many times an import is tried when the database refuses it because of a write made at the
# same time (a unique key taken meanwhile, a lock it could not get).
ATTEMPTS = 3

# Sent inside the import's transaction once a declaration and its signatures are written, with
# `declaration` and `report` (an ImportReport). Receivers link other records to the
# declaration and list what they linked in `report.new_mentions`, so that a dry run shows it
# and a failed import undoes it. The detainees app links the detainees the text names.
declaration_imported = Signal()


class ImportFailed(ParseError):
    """The text reads well but cannot be imported (a country or group we do not know, a
    contradiction with the record, a value the database cannot take); nothing was written.
    `number` is that of the declaration refused, when one is."""

    number = None


class UnreadableText(ValueError):
    """Uploaded or read bytes that cannot be a declaration's text."""


def decode_declaration(data):
    """The text of a declaration file's bytes, or UnreadableText saying why not."""
    if len(data) > MAX_FILE_SIZE:
        raise UnreadableText("larger than 1 MB; is it really a declaration?")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableText(f"not UTF-8 text ({error.reason} at byte {error.start})") from None


@dataclass
class SignatureLine:
    """One signature of the file, and what the import does with it: `new` (a new signatory),
    `matched` (an existing signatory signs), or `recorded` (already signed)."""

    signature: Signature
    kind: str
    item: str
    line: int


@dataclass
class ImportReport:
    declaration: Declaration
    created: bool = False
    published: bool = False
    new_signatories: list = field(default_factory=list)
    matched_signatories: list = field(default_factory=list)
    added_signatures: list = field(default_factory=list)
    moved_signatures: int = 0
    # The fields of a recorded declaration the text filled: the French title and text of an
    # English record, or the other way round.
    filled: list = field(default_factory=list)
    new_mentions: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    signature_lines: list = field(default_factory=list)

    @property
    def rule_check(self):
        """The rule check of every signature the declaration has after this import."""
        from .rules import check_signatures

        return check_signatures(line.signature for line in self.signature_lines)

    @property
    def changed(self):
        return bool(
            self.created
            or self.published
            or self.filled
            or self.added_signatures
            or self.moved_signatures
            or self.new_mentions
        )

    def lines(self, *, dry_run=False):
        """A plain-text account of what the import did (or, with dry_run, would do)."""
        declaration = self.declaration
        would = "would be " if dry_run else ""
        if self.created:
            state = f"{would}created as {declaration.get_status_display().lower()}"
        elif self.changed:
            state = f"already recorded, {would}updated"
        else:
            state = "already recorded, nothing to change"
        if self.published and not self.created:
            state += f", {would}published"
        date = date_format(declaration.date, "j F Y")
        lines = [f"{declaration} (Doc. {declaration.document_reference}, {date}): {state}"]
        new_count = len(self.new_signatories)
        lines.append(
            f"  signatures {would}added: {len(self.added_signatures)}"
            f" ({new_count} new {'signatory' if new_count == 1 else 'signatories'}, "
            f"{len(self.matched_signatories)} matched)"
        )
        new = {signatory.pk for signatory in self.new_signatories}
        for signature in self.added_signatures:
            kind = "new" if signature.signatory_id in new else "matches existing"
            name = " ".join(filter(None, [signature.signatory.honorific, str(signature.signatory)]))
            lines.append(
                f"    {signature.position:>3}. {name}"
                f" ({signature.country.name}, {_group_name(signature.political_group)}) — {kind}"
            )
        if self.filled:
            labels = ", ".join(
                str(Declaration._meta.get_field(name).verbose_name) for name in self.filled
            )
            lines.append(f"  {would}filled from this text: {labels}")
        if self.moved_signatures:
            lines.append(f"  signatures {would}renumbered: {self.moved_signatures}")
        for mention in self.new_mentions:
            lines.append(
                f"  detainee {would}linked: {mention.detainee} (written {mention.name_as_written!r})"
            )
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


def _group_index():
    """Groups by folded abbreviation, English first, then French where it does not clash."""
    groups = list(PoliticalGroup.objects.all())
    index = {fold(group.abbreviation): group for group in groups}
    for group in groups:
        if group.abbreviation_fr:
            index.setdefault(fold(group.abbreviation_fr), group)
    return index


def resolve_references(parsed):
    """(signatory, country code, group) for each parsed signatory, or ImportFailed.

    Also catches one person listed twice under two spellings of the country
    ("Republic of Moldova", "République de Moldova"), which the parser cannot tell apart.
    """
    groups = _group_index()
    codes = {}  # a list names each country many times; look each name up once
    resolved, problems, seen = [], [], {}
    for item in parsed.signatories:
        if item.country not in codes:
            codes[item.country] = country_code(item.country)
        code = codes[item.country]
        # An item printed with no group ("Ms Kateřina JACQUES, Czech Republic") signs with none.
        group = groups.get(fold(item.group)) if item.group else None
        if code is None:
            problems.append(Problem(item.line, f"unknown country {item.country!r}", item.item))
        if item.group and group is None:
            problems.append(
                Problem(item.line, f"unknown political group {item.group!r}", item.item)
            )
        key = (Signatory.folded_name(item.given_name, item.family_name), code)
        if code is not None and key in seen:
            problems.append(
                Problem(item.line, f"signatory already listed on line {seen[key]}", item.item)
            )
        seen.setdefault(key, item.line)
        resolved.append((item, code, group))
    if problems:
        raise ImportFailed(problems)
    return resolved


def _failure(error, *, line=0, item="", what=""):
    """The ImportFailed that says which value of a ValidationError does not fit."""
    return ImportFailed(
        Problem(line, f"{what}{field}: {message}" if field != NON_FIELD_ERRORS else message, item)
        for field, messages in error.message_dict.items()
        for message in messages
    )


def _validated(instance, *, line=0, item="", what="", resolved=(), checked_unique=False):
    """`instance` after full_clean(), or ImportFailed saying which value does not fit.

    `resolved` names fields whose values the importer looked up itself (a country code from
    its own map, a row it just read or wrote), which need no query to check again. With
    `checked_unique`, the importer has already made sure that no row conflicts with this one
    (under the import lock); the database's constraints still guard every write.
    """
    try:
        instance.full_clean(
            exclude=resolved,
            validate_unique=not checked_unique,
            validate_constraints=not checked_unique,
        )
    except ValidationError as error:
        raise _failure(error, line=line, item=item, what=what) from None
    return instance


def match_signatories(resolved):
    """The recorded signatory each of `resolved` (from resolve_references) is, or None.

    The rule of `Signatory.objects.matching()` (the folded name, else one of the other names,
    in the same delegation; the lowest key among several), for a whole list in two queries.
    """
    wanted = [
        (Signatory.folded_name(item.given_name, item.family_name), code)
        for item, code, _group in resolved
    ]
    by_name = {
        (signatory.search_name, signatory.country.code): signatory
        for signatory in Signatory.objects.filter(
            search_name__in={name for name, _code in wanted},
            country__in={code for _name, code in wanted},
        )
    }
    missing = [key for key in wanted if key not in by_name]
    by_other_name = {}
    if missing:
        merged = (
            Signatory.objects.exclude(other_search_names="")
            .filter(country__in={code for _name, code in missing})
            .order_by("pk")
        )
        for signatory in merged:
            for name in signatory.other_search_names.split("\n"):
                if name:
                    by_other_name.setdefault((name, signatory.country.code), signatory)
    return [by_name.get(key) or by_other_name.get(key) for key in wanted]


def _signed_name(signatory, country):
    """How a list prints a signatory: "Mr André GATTOLIN (France)"."""
    name = " ".join(filter(None, [signatory.honorific, signatory.full_name]))
    return f"{name} ({country.name})"


def _contradictions(declaration, parsed, resolved, matches):
    """What in `parsed` contradicts the recorded `declaration` of the same number: another
    document reference or date, or another author (first signatory). Title and text
    differences are not contradictions: PACE corrects them, and they are reported as notes."""
    problems = []
    recorded = (fold(declaration.document_reference), declaration.date)
    if recorded != (fold(parsed.document_reference), parsed.date):
        problems.append(
            Problem(
                0,
                f"written declaration No. {declaration.number} is recorded as "
                f"Doc. {declaration.document_reference} of {date_format(declaration.date, 'j F Y')}"
                f", but this text has Doc. {parsed.document_reference} of "
                f"{date_format(parsed.date, 'j F Y')}; a text with another document reference "
                "or date is another declaration: check the number in its header",
            )
        )
    author = (
        declaration.signatures.order_by("position").select_related("signatory").first()
        if resolved
        else None
    )
    if author is not None and (matches[0] is None or matches[0].pk != author.signatory_id):
        item, code, _group = resolved[0]
        listed = Signatory(
            honorific=item.honorific, given_name=item.given_name, family_name=item.family_name
        )
        problems.append(
            Problem(
                item.line,
                f"the author (first signatory) of written declaration No. {declaration.number} "
                f"is {_signed_name(author.signatory, author.country)} on record, but this text "
                f"lists {_signed_name(listed, Country(code=code))} first; "
                "an import does not change a declaration's author",
                item.item,
            )
        )
    return problems


def _reference_used_elsewhere(parsed):
    """A note when another declaration number already carries the text's document reference."""
    others = list(
        Declaration.objects.filter(document_reference__iexact=parsed.document_reference)
        .exclude(number=parsed.number)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if not others:
        return None
    numbers = ", ".join(f"No. {number}" for number in others)
    return (
        f"Doc. {parsed.document_reference} is already the document reference of written "
        f"declaration {numbers}; check the header of this text"
    )


def _new_signatories(rows):
    """Create a Signatory for each (item, code, group) of `rows`, people no one recorded yet
    in that delegation (as matched under the import lock); return them, saved, in that order.

    They are written together, with their history, and the slugs of all of them are checked
    in one query: saving them one by one costs several queries and a cache change each, which
    made a list of hundreds of new names take tens of seconds.
    """
    signatories = []
    for item, code, group in rows:
        signatory = Signatory(
            honorific=item.honorific,
            given_name=item.given_name,
            family_name=item.family_name,
            country=code,
            political_group=group,
        )
        signatory.derive_names()  # as save() does; bulk_create does not call save()
        # The slug each name has when nobody has it yet (an empty queryset takes nothing).
        signatory.slug = unique_slug(Signatory.objects.none(), signatory.full_name)
        _validated(
            signatory,
            line=item.line,
            item=item.item,
            resolved=["country", "political_group", "slug"],
            checked_unique=True,
        )
        signatories.append(signatory)
    fresh, clashing = [], []
    taken = set(
        Signatory.objects.filter(slug__in=[s.slug for s in signatories]).values_list(
            "slug", flat=True
        )
    )
    for signatory in signatories:
        if signatory.slug in taken:
            # Rare (a namesake elsewhere): saved on its own once the others are written, so
            # that save() finds the next free slug among them too.
            signatory.slug = ""
            clashing.append(signatory)
        else:
            taken.add(signatory.slug)
            fresh.append(signatory)
    bulk_create_with_history(fresh, Signatory)
    for signatory in clashing:
        signatory.save()
    return signatories


def _write(parsed: ParsedDeclaration, *, publish, source_url):
    resolved = resolve_references(parsed)
    matches = match_signatories(resolved)
    declaration = Declaration.objects.filter(number=parsed.number).first()
    if declaration is not None:
        problems = _contradictions(declaration, parsed, resolved, matches)
        if problems:
            raise ImportFailed(problems)
    report = ImportReport(declaration=declaration)
    if declaration is None:
        declaration = Declaration(
            number=parsed.number,
            document_reference=parsed.document_reference,
            date=parsed.date,
            **_language_fields(parsed),
            source_url=source_url,
            status=Declaration.Status.PUBLISHED if publish else Declaration.Status.DRAFT,
        )
        _validated(declaration, what=f"declaration No. {parsed.number}, ").save()
        report.declaration, report.created = declaration, True
    else:
        if declaration.document_reference != parsed.document_reference:
            report.notes.append(
                "the document reference differs from the file in its spelling; "
                "the recorded one is kept"
            )
        filled = []
        for name, value in _language_fields(parsed).items():
            recorded = getattr(declaration, name)
            if not recorded and value:
                setattr(declaration, name, value)
                filled.append(name)
            elif recorded != value:
                label = Declaration._meta.get_field(name).verbose_name
                report.notes.append(f"the {label} differs from the file; the recorded one is kept")
        if filled:
            _validated(declaration, what=f"declaration No. {parsed.number}, ")
            declaration.save(update_fields=[*filled, "modified"])
            report.filled = filled
        if publish and not declaration.is_published:
            declaration.status = Declaration.Status.PUBLISHED
            declaration.save(update_fields=["status", "modified"])
            report.published = True
    elsewhere = _reference_used_elsewhere(parsed)
    if elsewhere:
        report.notes.append(elsewhere)

    existing = {
        signature.signatory_id: signature
        for signature in declaration.signatures.select_related("signatory", "political_group")
    }
    created = iter(
        _new_signatories(
            row for row, signatory in zip(resolved, matches, strict=True) if signatory is None
        )
    )
    order, touched, listed, contradictions = [], [], set(), []
    for (item, code, group), signatory in zip(resolved, matches, strict=True):
        is_new = signatory is None
        if is_new:
            signatory = next(created)
            report.new_signatories.append(signatory)
        elif signatory.pk in listed:
            raise ImportFailed(
                [Problem(item.line, f"{signatory} is already listed under another name", item.item)]
            )
        elif signatory.pk not in existing:
            report.matched_signatories.append(signatory)
        listed.add(signatory.pk)
        signature = existing.get(signatory.pk)
        if signature is None:
            signature = Signature(
                declaration=declaration, signatory=signatory, country=code, political_group=group
            )
            report.added_signatures.append(signature)
            touched.append(signatory)
            kind = "new" if is_new else "matched"
        else:
            kind = "recorded"
        report.signature_lines.append(SignatureLine(signature, kind, item.item, item.line))
        if kind == "recorded" and signature.political_group_id != (group and group.pk):
            contradictions.append(
                Problem(
                    item.line,
                    f"position {len(order) + 1}: {signatory} signed written declaration "
                    f"No. {declaration.number} as {_group_name(signature.political_group)} on "
                    f"record, but this text prints {_group_name(group)} (as {item.group!r}); "
                    "a signature's group as of signing is not changed by an import",
                    item.item,
                )
            )
        order.append(signature)

    if contradictions:
        raise ImportFailed(contradictions)

    # Signatures already recorded but missing from the file stay, after the listed ones.
    kept = sorted(
        (s for s in existing.values() if s.signatory_id not in listed), key=lambda s: s.position
    )
    if kept:
        report.notes.append(
            f"{len(kept)} recorded signature(s) not in the file are kept: "
            + ", ".join(str(s.signatory) for s in kept)
        )
    _number(declaration, order + kept, report)
    report.signature_lines.extend(SignatureLine(s, "recorded", "", 0) for s in kept)

    refresh_signatories(signatory_ids=[signatory.pk for signatory in touched])
    if report.added_signatures:
        recount_signatures(declaration_ids=[declaration.pk])
    if report.new_signatories or report.added_signatures:
        # Rows written in bulk send no signal: start a new generation of the page cache here.
        bump()
    try:
        declaration_imported.send(sender=Declaration, declaration=declaration, report=report)
    except ValidationError as error:
        raise _failure(error, what=f"{declaration}, ") from None
    return report


def _language_fields(parsed):
    """The declaration's fields that the text fills: the English title and text, or the
    French ones."""
    if parsed.language == "fr":
        return {"title_fr": parsed.title, "text_fr": parsed.text}
    return {"title": parsed.title, "text": parsed.text}


def _group_name(group):
    """A group as a report names it; "no group" where PACE printed none."""
    return str(group) if group is not None else "no group"


def _number(declaration, signatures, report):
    """Give `signatures` positions 1, 2, ... in that order, saving only what changes.

    `signatures` holds every recorded signature of the declaration and the new ones. Recorded
    ones move first, each into a free place, so that the unique (declaration, position)
    constraint holds after every statement; a row steps aside above every position only when
    the moves go round in a circle. The new ones are then written together, with their
    history.
    """
    target = {id(signature): position for position, signature in enumerate(signatures, 1)}
    pending = [s for s in signatures if s.pk and s.position != target[id(s)]]
    report.moved_signatures = len(pending)
    occupied = {s.position for s in signatures if s.pk}
    while pending:
        ready = [s for s in pending if target[id(s)] not in occupied]
        if ready:
            signature, position = ready[0], target[id(ready[0])]
            pending.remove(signature)
        else:
            signature, position = pending[0], max(occupied | {len(signatures)}) + 1
        occupied.discard(signature.position)
        occupied.add(position)
        signature.position = position
        signature.save(update_fields=["position"])
    new = [signature for signature in signatures if signature.pk is None]
    for signature in new:
        signature.position = target[id(signature)]
        # Declaration, signatory, country and group were read or written by the import; the
        # positions are free, and each signatory is listed once (checked while matching).
        _validated(
            signature,
            resolved=["declaration", "signatory", "country", "political_group"],
            checked_unique=True,
        )
    if new:
        # Written at once: saving them one by one costs several queries each (history,
        # counts, cache), seconds for a list of hundreds. bulk_create sends no signals, so
        # _write() refreshes their signatories (services.refresh_signatories) and the
        # declaration's count (services.recount_signatures), and starts a new cache
        # generation itself.
        bulk_create_with_history(new, Signature)


def _take_import_lock(using=None):
    """Make the other imports wait until this transaction ends.

    On PostgreSQL, a transaction-level advisory lock: two imports naming the same new signatory
    would otherwise both find no one and both create them, and the second would fail on the
    unique slug. SQLite lets one transaction write at a time; writing first (a statement that
    changes no row) takes its write lock before the import reads anything, so that a second
    import waits for the first instead of failing with "database is locked".
    """
    connection = transaction.get_connection(using)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        elif connection.vendor == "sqlite":
            table = Declaration._meta.db_table
            cursor.execute(f"UPDATE {table} SET number = number WHERE 0 = 1")  # noqa: S608


def import_declarations(parsed_declarations, *, publish=False, dry_run=False, source_url=""):
    """Write every parsed declaration in one transaction; return one ImportReport each.

    Raises ImportFailed (and writes nothing) if any of them refers to an unknown country or group,
    lists a signatory twice, contradicts the record (another document reference, date or
    author under a recorded number) or holds a value the database cannot take.
    With dry_run, everything is done and then rolled back, so the reports tell exactly what an
    import would do.

    Imports wait for one another (see _take_import_lock). Should the database still refuse the
    import because of a write made at the same moment elsewhere (a curator saving a signatory
    in the admin), it is tried again from the start, and then refused with a message.
    """
    parsed_declarations = list(parsed_declarations)
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                _take_import_lock()
                reports = []
                for parsed in parsed_declarations:
                    try:
                        reports.append(_write(parsed, publish=publish, source_url=source_url))
                    except ImportFailed as error:
                        error.number = parsed.number
                        raise
                if dry_run:
                    transaction.set_rollback(True)
            return reports
        except (IntegrityError, OperationalError) as error:
            if attempt >= ATTEMPTS:
                raise ImportFailed(
                    [
                        Problem(
                            0,
                            "the database refused the import, most likely because the same "
                            "records were being saved at the same moment; nothing was "
                            f"imported: try again ({error})",
                        )
                    ]
                ) from error
            attempt += 1
