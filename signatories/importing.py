"""Write parsed declarations to the database.

`parsing.parse_declaration()` turns text into plain data; `import_declarations()` checks every name
it refers to (countries, groups), then writes everything in one transaction. Importing adds what is
missing and never overwrites or deletes what curators recorded: the same file twice changes
nothing, an extended list adds the new signatures, and any difference from what is recorded is
reported, not applied.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.formats import date_format

from declaration_site.lib.text import fold

from .countries import country_code
from .models import Declaration, PoliticalGroup, Signatory, Signature
from .parsing import ParsedDeclaration, ParseError, Problem
from .services import refresh_signatories

MAX_FILE_SIZE = 1_000_000

# Sent inside the import's transaction once a declaration and its signatures are written, with
# `declaration` and `report` (an ImportReport). Receivers link other records to the
# declaration and list what they linked in `report.new_mentions`, so that a dry run shows it
# and a failed import undoes it. The detainees app links the detainees the text names.
declaration_imported = Signal()


class ImportFailed(ParseError):
    """The text reads well but names a country or group we do not know; nothing was written."""


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
        lines.append(
            f"  signatures {would}added: {len(self.added_signatures)}"
            f" ({len(self.new_signatories)} new signatories, "
            f"{len(self.matched_signatories)} matched)"
        )
        for signature in self.added_signatures:
            kind = "new" if signature.signatory in self.new_signatories else "matches existing"
            name = " ".join(filter(None, [signature.signatory.honorific, str(signature.signatory)]))
            lines.append(
                f"    {signature.position:>3}. {name}"
                f" ({signature.country.name}, {signature.political_group}) — {kind}"
            )
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
    resolved, problems, seen = [], [], {}
    for item in parsed.signatories:
        code = country_code(item.country)
        group = groups.get(fold(item.group))
        if code is None:
            problems.append(Problem(item.line, f"unknown country {item.country!r}", item.item))
        if group is None:
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


def _validated(instance, *, line=0, item="", what=""):
    """`instance` after full_clean(), or ImportFailed saying which value does not fit."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise _failure(error, line=line, item=item, what=what) from None
    return instance


def _write(parsed: ParsedDeclaration, *, publish, source_url):
    resolved = resolve_references(parsed)
    declaration = Declaration.objects.filter(number=parsed.number).first()
    report = ImportReport(declaration=declaration)
    if declaration is None:
        declaration = Declaration(
            number=parsed.number,
            document_reference=parsed.document_reference,
            date=parsed.date,
            title=parsed.title,
            text=parsed.text,
            source_url=source_url,
            status=Declaration.Status.PUBLISHED if publish else Declaration.Status.DRAFT,
        )
        _validated(declaration, what=f"declaration No. {parsed.number}, ").save()
        report.declaration, report.created = declaration, True
    else:
        for name, value in [
            ("document_reference", parsed.document_reference),
            ("date", parsed.date),
            ("title", parsed.title),
            ("text", parsed.text),
        ]:
            if getattr(declaration, name) != value:
                label = Declaration._meta.get_field(name).verbose_name
                report.notes.append(f"the {label} differs from the file; the recorded one is kept")
        if publish and not declaration.is_published:
            declaration.status = Declaration.Status.PUBLISHED
            declaration.save(update_fields=["status", "modified"])
            report.published = True

    existing = {signature.signatory_id: signature for signature in declaration.signatures.all()}
    order, touched = [], []
    for item, code, group in resolved:
        signatory = Signatory.objects.matching(
            given_name=item.given_name, family_name=item.family_name, country=code
        ).first()
        if signatory is None:
            signatory = Signatory(
                honorific=item.honorific,
                given_name=item.given_name,
                family_name=item.family_name,
                country=code,
                political_group=group,
            )
            _validated(signatory, line=item.line, item=item.item).save()
            report.new_signatories.append(signatory)
        elif any(line.signature.signatory_id == signatory.pk for line in report.signature_lines):
            raise ImportFailed(
                [Problem(item.line, f"{signatory} is already listed under another name", item.item)]
            )
        elif signatory.pk not in existing:
            report.matched_signatories.append(signatory)
        signature = existing.get(signatory.pk)
        if signature is None:
            signature = Signature(
                declaration=declaration, signatory=signatory, country=code, political_group=group
            )
            report.added_signatures.append(signature)
            touched.append(signatory)
            kind = "new" if signatory in report.new_signatories else "matched"
        else:
            kind = "recorded"
        report.signature_lines.append(SignatureLine(signature, kind, item.item, item.line))
        if kind == "recorded" and (signature.country, signature.political_group_id) != (
            code,
            group.pk,
        ):
            report.notes.append(
                f"{signatory} signed as {signature.country.code}/{signature.political_group} "
                f"on record but {code}/{group} in the file; the record is kept"
            )
        order.append(signature)

    # Signatures already recorded but missing from the file stay, after the listed ones.
    listed = {signature.signatory_id for signature in order}
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
    try:
        declaration_imported.send(sender=Declaration, declaration=declaration, report=report)
    except ValidationError as error:
        raise _failure(error, what=f"{declaration}, ") from None
    return report


def _number(declaration, signatures, report):
    """Give `signatures` positions 1, 2, ... in that order, saving only what changes.

    `signatures` holds every recorded signature of the declaration and the new ones. Recorded
    ones move first, each into a free place, so that the unique (declaration, position)
    constraint holds after every statement; a row steps aside above every position only when
    the moves go round in a circle.
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
    for signature in signatures:
        if signature.pk is None:
            signature.position = target[id(signature)]
            _validated(signature).save()


def import_declarations(parsed_declarations, *, publish=False, dry_run=False, source_url=""):
    """Write every parsed declaration in one transaction; return one ImportReport each.

    Raises ImportFailed (and writes nothing) if any of them refers to an unknown country or group,
    lists a signatory twice or holds a value the database cannot take.
    With dry_run, everything is done and then rolled back, so the reports tell exactly what an
    import would do.
    """
    with transaction.atomic():
        reports = [
            _write(parsed, publish=publish, source_url=source_url) for parsed in parsed_declarations
        ]
        if dry_run:
            transaction.set_rollback(True)
    return reports
