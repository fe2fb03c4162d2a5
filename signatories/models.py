import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField
from simple_history.models import HistoricalRecords

from declaration_site.lib.addresses import reverse_one
from declaration_site.lib.queries import count_distinct, count_of, may_preview
from declaration_site.lib.substrings import SubstringIndex
from declaration_site.lib.text import fold, name_words, unique_slug


class PoliticalGroupQuerySet(models.QuerySet):
    def public(self):
        """Groups are always public."""
        return self.all()

    def with_counts(self):
        """Annotate `signatory_count` (signed as this group), `signature_count` (public
        signatures given as this group) and `member_count` (public signatories now in it)."""
        public_signatures = Signature.objects.public()
        signed_as = (
            public_signatures.filter(political_group=OuterRef("pk"))
            .order_by()
            .values("political_group")
            .annotate(count=Count("signatory", distinct=True))
            .values("count")
        )
        return self.annotate(
            signatory_count=Coalesce(Subquery(signed_as), 0),
            signature_count=count_of(public_signatures, "political_group"),
            member_count=count_of(Signatory.objects.public(), "political_group"),
        )

    def represented(self):
        """Groups in which someone signed a public declaration, or to which a public signatory
        now belongs."""
        return self.filter(
            Exists(Signature.objects.public().filter(political_group=OuterRef("pk")))
            | Exists(Signatory.objects.public().filter(political_group=OuterRef("pk")))
        )

    def lineages(self):
        """Each group's rename chain, oldest first, from one query: {pk: [EDG, EC, EC/DA]}."""
        groups = {group.pk: group for group in self.model.objects.all()}
        predecessor = {group.successor_id: group for group in groups.values() if group.successor_id}
        chains = {}
        for group in groups.values():
            first = group
            while first.pk in predecessor and predecessor[first.pk] is not group:
                first = predecessor[first.pk]
            chain = [first]
            while chain[-1].successor_id in groups and groups[chain[-1].successor_id] not in chain:
                chain.append(groups[chain[-1].successor_id])
            chains[group.pk] = chain
        return chains


class PoliticalGroup(models.Model):
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, unique=True, help_text=_("As printed: EPP/CD.")
    )
    name = models.CharField(_("name"), max_length=200)
    abbreviation_fr = models.CharField(_("French abbreviation"), max_length=20, blank=True)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    dissolved = models.PositiveSmallIntegerField(
        _("dissolved or renamed (year)"), null=True, blank=True
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("renamed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1f4e9c."))],
    )

    history = HistoricalRecords()
    objects = PoliticalGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("political group")
        verbose_name_plural = _("political groups")
        ordering = ["abbreviation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved__isnull=True)
                | models.Q(founded__isnull=True)
                | models.Q(dissolved__gte=models.F("founded")),
                name="politicalgroup_dissolved_after_founded",
            ),
            models.CheckConstraint(
                condition=~models.Q(successor=models.F("pk")),
                name="politicalgroup_not_own_successor",
            ),
        ]

    def __str__(self):
        return self.abbreviation

    def get_absolute_url(self):
        return reverse_one("signatories:group_detail", self.slug, "slug")

    def lineage(self):
        """The rename chain this group belongs to, oldest first: [EDG, EC, EC/DA]."""
        first = self
        seen = {self.pk}
        while (earlier := first.predecessors.first()) is not None and earlier.pk not in seen:
            seen.add(earlier.pk)
            first = earlier
        chain = [first]
        while chain[-1].successor_id and chain[-1].successor_id not in {g.pk for g in chain}:
            chain.append(chain[-1].successor)
        return chain


class SignatoryQuerySet(models.QuerySet):
    def public(self):
        """Signatories with at least one signature on a published declaration."""
        return self.filter(public_declaration_count__gt=0)

    def with_counts(self):
        """Annotate `declaration_count`: the public declarations each one signed."""
        return self.annotate(declaration_count=F("public_declaration_count"))

    def for_rows(self):
        """The signatories with their current group, and only the columns a row of a
        signatories table shows (`signatory_rows`)."""
        return self.select_related("political_group").only(
            "slug",
            "given_name",
            "family_name",
            "country",
            "political_group",
            "public_declaration_count",
            "political_group__abbreviation",
            "political_group__abbreviation_fr",
            "political_group__name",
            "political_group__name_fr",
        )

    def table_rows(self):
        """These signatories as `SignatoryRow`s, in this QuerySet's order: the columns of a
        signatories table as plain values, from one query. A list page shows 50 rows, and a
        model instance with its group costs several times what reading its values does."""
        return [SignatoryRow._make(values) for values in self.values_list(*SignatoryRow.COLUMNS)]

    def recount(self):
        """Store again how many public declarations each of these signatories signed: see
        services.recount_public_declarations(), which computes it."""
        from .services import recount_public_declarations

        return recount_public_declarations(signatory_ids=list(self.values_list("pk", flat=True)))

    def search(self, query):
        """Signatories whose given and family names (or other names) contain every word of
        `query`, ignoring case and accents: "aberg" finds Boriana ÅBERG."""
        return self.named(*name_words(query))

    def named(self, *words):
        """Signatories with every one of `words` (folded, as `name_words()` gives them) in one
        of their names: `search()` once the query is read."""
        queryset = self
        for word in words:
            queryset = queryset.filter(
                SIGNATORY_NAMES.narrowing(word, self.db),
                Q(search_name__icontains=word) | Q(other_search_names__icontains=word),
            )
        return queryset

    def signed_as(self, **signature_filters):
        """Signatories with a public signature matching `signature_filters` (fields of
        Signature): `signed_as(country="IT")` are those who signed for the Italian delegation."""
        return self.filter(
            Exists(Signature.objects.public().filter(signatory=OuterRef("pk"), **signature_filters))
        )

    def co_signers_of(self, signatory, *, at_least=2, limit=None, declarations=None):
        """[CoSigner]: the public signatories who signed at least `at_least` of the same
        public declarations as `signatory`, each with `shared_count`, the most frequent first,
        then by name; the first `limit` of them. Sharing a single declaration says little
        (everyone on a list of 25 shares it), so by default it takes two.

        Each is a plain row of what a table of them shows (names, slug, country) with its
        current group (its abbreviations only) in `political_group`. One query,
        whatever the number of signatures: those of the same declarations are counted per
        signatory in a subquery, on the signature table alone, and only then joined to the
        signatories and their groups, to be ordered (a `GROUP BY` on the signatory table
        groups every joined row on all its columns: several times slower).

        `declarations`: the pks of the public declarations `signatory` signed, where the
        caller has read them already (their page lists them); else a subquery finds them.
        With them, the whole query is written here rather than built by the ORM, whose
        building and compiling of the count would cost more than the database's answer."""
        connection = connections[self.db]
        quote = connection.ops.quote_name
        if declarations is None:
            signed_sql, signed_params = (
                Signature.objects.public()
                .filter(signatory=signatory)
                .values("declaration")
                .query.sql_with_params()
            )
        elif not declarations:
            return []
        else:
            signed_sql = ", ".join(["%s"] * len(declarations))
            signed_params = tuple(declarations)
        signature = {
            name: quote(Signature._meta.get_field(name).column)
            for name in ("declaration", "signatory")
        }
        # A CoSigner's values in its order, then the group's id.
        names = ["id", "given_name", "family_name", "slug", "country", "political_group_id"]
        group_names = ["id", "abbreviation", "abbreviation_fr"]
        column = {name: quote(Signatory._meta.get_field(name).column) for name in names}
        column.update(
            (name, quote(Signatory._meta.get_field(name).column))
            for name in ("sort_name", "public_declaration_count")
        )
        columns = ", ".join(f"s.{column[name]}" for name in names)
        group_columns = ", ".join(
            f"g.{quote(PoliticalGroup._meta.get_field(name).column)}" for name in group_names
        )
        shared_count = quote("shared_count")
        sql = f"""
            SELECT {columns}, {group_columns}, counted.{shared_count}
            FROM {quote(Signatory._meta.db_table)} AS s
            JOIN (
                SELECT {signature["signatory"]} AS signatory_id, COUNT(*) AS {shared_count}
                FROM {quote(Signature._meta.db_table)}
                WHERE {signature["declaration"]} IN ({signed_sql})
                    AND {signature["signatory"]} <> %s
                GROUP BY {signature["signatory"]}
                HAVING COUNT(*) >= %s
            ) AS counted ON counted.signatory_id = s.{column["id"]}
            LEFT JOIN {quote(PoliticalGroup._meta.db_table)} AS g
                ON g.{quote(PoliticalGroup._meta.pk.column)} = s.{column["political_group_id"]}
            WHERE s.{column["public_declaration_count"]} > 0
            ORDER BY counted.{shared_count} DESC, s.{column["sort_name"]}, s.{column["id"]}
        """  # noqa: S608 (names come from the models; values are parameters)
        params = (*signed_params, signatory.pk, at_least)
        if limit is not None:
            sql += " LIMIT %s"
            params = (*params, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        co_signers, groups = [], {}
        for row in rows:
            group = row[len(names) : -1]
            if group[0] is not None and group[0] not in groups:
                groups[group[0]] = PoliticalGroup.from_db(self.db, group_names, group)
            pk, given_name, family_name, slug, country, _group = row[: len(names)]
            co_signers.append(
                CoSigner(pk, given_name, family_name, slug, country, groups.get(group[0]), row[-1])
            )
        return co_signers

    def most_active(self, **signature_filters):
        """Public signatories, those who signed the most public declarations first (then by
        name), with `declaration_count`. With `signature_filters` (fields of Signature), only
        the signatures matching them count: `most_active(country="IT")` ranks the members by
        the declarations they signed for the Italian delegation."""
        if not signature_filters:
            return (
                self.public().with_counts().order_by("-public_declaration_count", "sort_name", "pk")
            )
        # One join, filtered before it is counted, so that only the matching signatures count:
        # a GROUP BY over them, where a count subquery per signatory ran once per member.
        on_matching = {f"signatures__{field}": value for field, value in signature_filters.items()}
        return (
            self.filter(signatures__declaration__status=Declaration.Status.PUBLISHED, **on_matching)
            .annotate(declaration_count=Count("signatures"))
            .order_by("-declaration_count", "sort_name", "pk")
        )

    def matching(self, *, given_name, family_name, country):
        """Signatories with these names, folded, in this delegation, under their name or one
        of their other names (a spelling merged away): how imports recognise them."""
        folded = Signatory.folded_name(given_name, family_name)
        return self.filter(
            Q(search_name=folded) | Q(other_search_names__contains=f"\n{folded}\n"),
            country=country,
        ).order_by(Case(When(search_name=folded, then=0), default=1), "pk")


def row_full_name(row):
    """`Signatory.full_name` of a plain row of a signatory (`given_name`, `family_name`)."""
    return Signatory.join_names(row.given_name, row.family_name)


def row_address(row):
    """`Signatory.get_absolute_url()` of a plain row of a signatory (its `slug`)."""
    return reverse_one("signatories:signatory_detail", row.slug, "slug")


class SignatoryRow(NamedTuple):
    """A row of a table of signatories (`signatory_rows`), read by `table_rows()`: the
    signatory's own values under the names of a Signatory's attributes, and the labels of
    their current group (None for none)."""

    pk: int
    slug: str
    given_name: str
    family_name: str
    country: str  # the code
    political_group_id: int | None
    group_name: str | None
    group_abbreviation: str | None
    group_name_fr: str | None
    group_abbreviation_fr: str | None
    declaration_count: int

    # What each field is read from, in order.
    COLUMNS = (
        "pk",
        "slug",
        "given_name",
        "family_name",
        "country",
        "political_group_id",
        "political_group__name",
        "political_group__abbreviation",
        "political_group__name_fr",
        "political_group__abbreviation_fr",
        "public_declaration_count",
    )

    full_name = property(row_full_name)

    def group_labels(self, french):
        """(full name, abbreviation) of the current group, in French where `french` and
        recorded, as `bilingual.group_labels()` gives them for a group."""
        if french:
            return (
                self.group_name_fr or self.group_name,
                self.group_abbreviation_fr or self.group_abbreviation,
            )
        return self.group_name, self.group_abbreviation


class CoSigner(NamedTuple):
    """A signatory as `co_signers_of()` gives them, under the names of a Signatory's
    attributes: plain values, the current group (a PoliticalGroup with its abbreviations
    only, or None), and the declarations shared."""

    pk: int
    given_name: str
    family_name: str
    slug: str
    country: str  # the code
    political_group: "PoliticalGroup | None"
    shared_count: int

    full_name = property(row_full_name)
    get_absolute_url = row_address


class Signatory(models.Model):
    honorific = models.CharField(
        _("honorific"), max_length=30, blank=True, help_text=_("Mr, Ms, Lord, Baroness, ...")
    )
    given_name = models.CharField(_("given names"), max_length=150, blank=True)
    family_name = models.CharField(
        _("family name"),
        max_length=150,
        help_text=_("As printed, capitals included: De SUTTER, JOHNSSON FORNARVE."),
    )
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: other spellings of the full name, as printed elsewhere."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    country = CountryField(_("country"), help_text=_("Current national delegation."))
    political_group = models.ForeignKey(
        PoliticalGroup,
        verbose_name=_("political group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Current group: that of the most recent published declaration signed."),
    )
    affiliation_is_manual = models.BooleanField(
        _("affiliation set by hand"),
        default=False,
        help_text=_("Keep this country and group; imports will not update them."),
    )
    sort_name = models.CharField(max_length=310, editable=False, db_index=True)
    search_name = models.CharField(max_length=310, editable=False, db_index=True)
    # The other names folded, one per line, with a line break before and after each.
    other_search_names = models.TextField(editable=False, blank=True)
    # Kept by services.recount_public_declarations() (called by signals.py and by every bulk
    # writer) so that lists need not count signatures on every request: a signatory is public
    # when this is above zero.
    public_declaration_count = models.PositiveIntegerField(
        _("public declarations signed"), default=0, editable=False, db_index=True
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords()
    objects = SignatoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["sort_name", "country"]
        indexes = [
            # The list's order, to any page; the current-affiliation filters.
            # The public list's order, to any page, read from the index alone.
            models.Index(
                fields=["sort_name", "country", "id"],
                condition=models.Q(public_declaration_count__gt=0),
                name="signatory_public_order",
            ),
            models.Index(fields=["country", "political_group"], name="signatory_affiliation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(family_name=""), name="signatory_family_name_not_empty"
            ),
            models.UniqueConstraint(
                fields=["search_name", "country"], name="signatory_unique_name_per_country"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.derive_names()
        if not self.slug:
            self.slug = unique_slug(
                Signatory.objects.all(), f"{self.given_name} {self.family_name}", exclude_pk=self.pk
            )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_name", "family_name", "other_names"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {
                *update_fields,
                "sort_name",
                "search_name",
                "other_search_names",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_one("signatories:signatory_detail", self.slug, "slug")

    def derive_names(self):
        """Set the folded names that ordering, search and imports read, from the names as
        printed: save() calls it, and so does code that writes signatories in bulk."""
        self.sort_name = fold(f"{self.family_name} {self.given_name}")
        self.search_name = self.folded_name(self.given_name, self.family_name)
        folded_others = [fold(name) for name in self.other_names.splitlines() if fold(name)]
        self.other_search_names = "".join(f"\n{name}" for name in folded_others)
        if folded_others:
            self.other_search_names += "\n"

    @staticmethod
    def folded_name(given_name, family_name):
        return fold(f"{given_name} {family_name}")

    @property
    def full_name(self):
        return Signatory.join_names(self.given_name, self.family_name)

    @staticmethod
    def join_names(given_name, family_name):
        """The full name as the site writes it: "Boriana ÅBERG"."""
        return f"{given_name} {family_name}".strip()

    def all_names(self):
        """The full name first, then every other name, without repeats."""
        names = [self.full_name]
        for line in self.other_names.splitlines():
            if line.strip() and line.strip() not in names:
                names.append(line.strip())
        return names

    def refresh_affiliation(self):
        """Take country and group from the most recent published declaration signed, unless set
        by hand: see services.refresh_affiliations(), which computes them.

        Returns True when this instance's country or group changed.
        """
        from .services import refresh_affiliations

        before = (self.country, self.political_group_id)
        refresh_affiliations(signatory_ids=[self.pk])
        self.refresh_from_db(fields=["country", "political_group", "modified"])
        return (self.country, self.political_group_id) != before


# The names a search reads, indexed for it on SQLite (see lib/substrings.py).
SIGNATORY_NAMES = SubstringIndex(Signatory, ["search_name", "other_search_names"])


class Source(models.Model):
    """Where a recorded fact comes from: a document, an article, a court record."""

    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, help_text=_("Who published it.")
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty for a document that is not online."),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    accessed_on = models.DateField(
        _("accessed on"), null=True, blank=True, help_text=_("When a curator last read it.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="source_title_not_empty"),
        ]

    def __str__(self):
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return ", ".join(parts)


class SignatoryAlias(models.Model):
    """The address of a signatory merged into another: it redirects to the one kept."""

    slug = models.SlugField(_("old slug"), max_length=80, unique=True)
    signatory = models.ForeignKey(
        Signatory,
        verbose_name=_("signatory"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory alias")
        verbose_name_plural = _("signatory aliases")
        ordering = ["slug"]

    def __str__(self):
        return f"{self.slug} → {self.signatory.slug}"


# The year of the Parliamentary Assembly's first session: no declaration is older.
EARLIEST_DECLARATION_DATE = datetime.date(1949, 1, 1)


def latest_declaration_date():
    """One year from today: a date later than that is a typing error, not a date to come."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def validate_declaration_date(value):
    """Refuse a declaration date before 1 January 1949 or more than a year from today: a year 1
    or 9999 typed by mistake would make that declaration the oldest or everyone's latest."""
    latest = latest_declaration_date()
    if value is not None and not EARLIEST_DECLARATION_DATE <= value <= latest:
        raise ValidationError(
            _(
                "%(date)s is not a possible date for a declaration: enter a date between "
                "%(earliest)s, the year of the Assembly's first session, and %(latest)s, "
                "one year from today."
            ),
            code="declaration_date_out_of_range",
            params={
                "date": value.isoformat(),
                "earliest": date_format(EARLIEST_DECLARATION_DATE, "j F Y"),
                "latest": date_format(latest, "j F Y"),
            },
        )


def in_language(english, french, language=None):
    """(text, language code) of a field recorded in English and in French: the French one
    under French (`language`, the active language by default) where it is recorded, else the
    English one, and the other way round when only the French one is on record."""
    language = (language or translation.get_language() or "en")[:2]
    if language == "fr" and french:
        return french, "fr"
    if english:
        return english, "en"
    return french, "fr"


LARGEST_NUMBER = 2_147_483_647  # a PositiveIntegerField's, on every database


def search_terms(query):
    """(text, number) of a search for declarations: the query without its surrounding spaces,
    and the number it is, if it is one (else None).

    >>> search_terms(" 695 "), search_terms("Kazakhstan")
    (('695', 695), ('Kazakhstan', None))
    """
    text = query.strip()
    # isdecimal(), not isdigit(): "²" is a digit, which int() refuses. A number larger than
    # any declaration's (a positive integer field's) is no declaration's.
    if text.isdecimal() and int(text) <= LARGEST_NUMBER:
        return text, int(text)
    return text, None


class DeclarationRow(NamedTuple):
    """A row of a table of declarations (`declaration_rows`), read by `table_rows()`: the
    names are those of a Declaration's attributes, so that the table writes either."""

    pk: int
    number: int
    date: datetime.date
    title: str
    title_fr: str
    signature_count: int

    # What each field is read from, in order.
    COLUMNS = ("pk", "number", "date", "title", "title_fr", "signature_count")

    def title_in(self, language=None):
        """As Declaration.title_in()."""
        return in_language(self.title, self.title_fr, language)


class DeclarationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Declaration.Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for staff who may change declarations (to preview drafts), else public()."""
        return self.all() if may_preview(user, self.model) else self.public()

    def for_rows(self):
        """Only the columns a row of a declarations table shows (`declaration_rows`): the
        texts of 50 declarations are read, decoded and thrown away otherwise."""
        return self.only("number", "date", "title", "title_fr", "status", "signature_count")

    def table_rows(self):
        """These declarations as `DeclarationRow`s, in this QuerySet's order, from one query:
        the columns of a declarations table as plain values, not model instances."""
        rows = self.values_list(*DeclarationRow.COLUMNS)
        return [DeclarationRow._make(values) for values in rows]

    def search(self, query):
        """Declarations whose number is `query`, or whose title, text or document reference
        contain it."""
        return self.containing(*search_terms(query))

    def containing(self, text, number=None):
        """Declarations whose title, text or document reference contain `text`, or whose
        number is `number`: `search()` once the query is read (`search_terms()`)."""
        condition = DECLARATION_TEXTS.narrowing(text, self.db) & (
            Q(title__icontains=text)
            | Q(title_fr__icontains=text)
            | Q(text__icontains=text)
            | Q(text_fr__icontains=text)
            | Q(document_reference__icontains=text)
        )
        if number is not None:
            condition |= Q(number=number)
        return self.filter(condition)

    def signed_as(self, **signature_filters):
        """Declarations with a signature matching `signature_filters` (fields of Signature):
        `signed_as(political_group__slug="soc")` are those a SOC member signed as such."""
        return self.filter(
            Exists(Signature.objects.filter(declaration=OuterRef("pk"), **signature_filters))
        )

    def count_per_year(self):
        """{year: declarations} of these declarations, oldest year first. One query."""
        rows = (
            self.order_by()
            .values(year=ExtractYear("date"))
            .annotate(count=Count("pk"))
            .values_list("year", "count")
        )
        return dict(sorted(rows))

    def with_signatures(self):
        """Prefetch each declaration's signatures in list order, with the signatory and the
        group as of signing: what its API record shows. (Its page reads the same rows as plain
        values: see `plain_signatures()` in views.py.)"""
        return self.prefetch_related(
            models.Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("signatory", "political_group").order_by(
                    "position"
                ),
            )
        )


class Declaration(models.Model):
    class Status(models.TextChoices):
        # Being prepared by curators; visible only to staff.
        DRAFT = "draft", _("Draft")
        # Checked against the source and shown to everyone.
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("number"), unique=True)
    document_reference = models.CharField(
        _("document reference"), max_length=40, help_text=_("As printed after Doc.: 14983.")
    )
    date = models.DateField(
        _("date"),
        validators=[validate_declaration_date],
        help_text=_("Between 1 January 1949 and one year from today."),
    )
    title = models.CharField(
        _("title"),
        max_length=500,
        blank=True,
        help_text=_("In English; blank while only the French text is recorded."),
    )
    title_fr = models.CharField(_("French title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    text_fr = models.TextField(_("French text"), blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="declarations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Kept by services.recount_signatures() (called by signals.py and by every bulk writer) so
    # that lists, the search and the API need not count each declaration's signatures on every
    # request.
    signature_count = models.PositiveIntegerField(_("signatures"), default=0, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords()
    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-date", "-number"]
        indexes = [
            models.Index(fields=["status", "-date", "-number"], name="declaration_public_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="declaration_number_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]),
                name="declaration_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(title="") | ~models.Q(title_fr=""),
                name="declaration_has_a_title",
                violation_error_message=_("A declaration needs a title in English or French."),
            ),
            models.CheckConstraint(
                condition=models.Q(date__gte=EARLIEST_DECLARATION_DATE),
                name="declaration_date_from_1949",
                violation_error_message=_(
                    "A declaration cannot be dated before 1949, the year of the Assembly's "
                    "first session."
                ),
            ),
        ]

    def __str__(self):
        return _("Written declaration No. %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Declaration.objects.all(),
                f"{self.number} {self.title or self.title_fr}",
                exclude_pk=self.pk,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_one("signatories:declaration_detail", self.number, "number")

    def title_in(self, language=None):
        """(title, language code) in `language`, the active language by default: the French
        title under French where it is recorded, else the English one, and the other way round
        when only the French text is on record."""
        return in_language(self.title, self.title_fr, language)

    def text_in(self, language=None):
        """(text, language code), by the same rule as title_in()."""
        return in_language(self.text, self.text_fr, language)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def rule_check(self):
        """Whether the signatures meet PACE's rule for written declarations (see rules.py)."""
        from .rules import check_signatures

        return check_signatures(self.signatures.all())


# What a search for declarations reads, indexed for it on SQLite (see lib/substrings.py).
DECLARATION_TEXTS = SubstringIndex(
    Declaration, ["title", "title_fr", "text", "text_fr", "document_reference"]
)


class Year(ExtractYear):
    """The year of a date, as ExtractYear gives it, computed by SQLite itself: Django's own
    ExtractYear calls a Python function for every row there, which costs more than the rest of
    a count by year."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


class SignatureQuerySet(models.QuerySet):
    def count_by_group(self):
        """[(political group, signatures)] over these signatures, most first, then by
        abbreviation; the group is None for signatures printed with no group."""
        rows = self.order_by().values_list("political_group").annotate(count=Count("pk"))
        counts = dict(rows)
        groups = PoliticalGroup.objects.in_bulk([pk for pk in counts if pk is not None])
        return sorted(
            ((groups.get(pk), count) for pk, count in counts.items()),
            key=lambda row: (-row[1], row[0] is None, row[0].abbreviation if row[0] else ""),
        )

    def count_by_country(self):
        """[(country, signatures)] over these signatures, most first, then by name."""
        rows = self.order_by().values_list("country").annotate(count=Count("pk"))
        return sorted(
            ((Country(code=code), count) for code, count in rows),
            key=lambda row: (-row[1], row[0].name),
        )

    def count_per_year(self):
        """{year: (signatures, declarations)} of these signatures by the year of their
        declaration, oldest first: how many signatures, and on how many declarations. One
        query."""
        rows = (
            self.order_by()
            .values(year=Year("declaration__date"))
            .annotate(count=Count("pk"), declarations=Count("declaration", distinct=True))
            .values_list("year", "count", "declarations")
        )
        return {year: (count, declarations) for year, count, declarations in sorted(rows)}

    def count_by_signatory(self):
        """(signatory pk, signatures, signatories in all) over these signatures, the
        signatories with the most first, then by name: the order of
        `Signatory.objects.most_active()`, grouped by the signatory's key alone where
        most_active() groups by every column of the signatory. The third value, the same on
        every row, counts the rows before a slice. Slice it: `[:50]`."""
        return (
            self.order_by()
            .values_list("signatory")
            .annotate(count=Count("pk"), signatories=Window(Count("*")))
            .order_by("-count", "signatory__sort_name", "signatory")
        )

    def delegations(self):
        """One row per national delegation (the country as of signing) among these
        signatures: `country`, `signatories`, `declarations`, `signatures`, by country name.
        Three queries, whatever the number of signatures."""
        signatures = self.order_by().values_list("country").annotate(Count("pk"))
        signatories = count_distinct(self, "country", "signatory")
        declarations = count_distinct(self, "country", "declaration")
        return sorted(
            (
                {
                    "country": Country(code=code),
                    "signatories": signatories[code],
                    "declarations": declarations[code],
                    "signatures": count,
                }
                for code, count in signatures
            ),
            key=lambda row: row["country"].name,
        )

    def per_year_and_group(self):
        """{(year, group pk): signatures} over these signatures, by the year of the declaration
        and the group as of signing; the group is None for signatures printed with no group.
        One query."""
        rows = (
            self.order_by()
            .values(year=ExtractYear("declaration__date"), group=F("political_group"))
            .annotate(count=Count("pk"))
        )
        return {(row["year"], row["group"]): row["count"] for row in rows}

    def co_signing_groups(self):
        """{(group pk, group pk): declarations}: for each pair of groups (as of signing), in
        both orders, how many of the declarations of these signatures have at least one
        signature as each; the pair of a group with itself counts the declarations with a
        signature as that group. Signatures printed with no group are left out. One query, one
        row per declaration and group."""
        rows = (
            self.exclude(political_group=None)
            .order_by()
            .values_list("declaration", "political_group")
            .distinct()
        )
        groups_of = {}
        for declaration, group in rows:
            groups_of.setdefault(declaration, set()).add(group)
        counts = {}
        for groups in groups_of.values():
            for first in groups:
                for second in groups:
                    counts[first, second] = counts.get((first, second), 0) + 1
        return counts

    def totals(self):
        """How many distinct signatories, countries and groups these signatures have."""
        return self.aggregate(
            signatories=Count("signatory", distinct=True),
            countries=Count("country", distinct=True),
            groups=Count("political_group", distinct=True),
        )

    def public(self):
        return self.filter(declaration__status=Declaration.Status.PUBLISHED)


class Signature(models.Model):
    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    signatory = models.ForeignKey(
        Signatory,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("1 is the author; the others follow in list order.")
    )
    country = CountryField(_("country when signing"))
    political_group = models.ForeignKey(
        PoliticalGroup,
        verbose_name=_("group when signing"),
        on_delete=models.PROTECT,
        # PACE printed no group for some members (2010 lists, observer delegations).
        null=True,
        blank=True,
        related_name="signatures",
    )

    history = HistoricalRecords()
    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["declaration", "position"]
        indexes = [
            # Signed as (country, group as of signing), and a signatory's record.
            models.Index(fields=["country", "signatory"], name="signature_country"),
            models.Index(fields=["political_group", "signatory"], name="signature_group"),
            models.Index(fields=["signatory", "declaration"], name="signature_signatory"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "signatory"], name="signature_unique_signatory"
            ),
            models.UniqueConstraint(
                fields=["declaration", "position"], name="signature_unique_position"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="signature_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.signatory} — {self.declaration}"

    def get_absolute_url(self):
        return self.declaration.get_absolute_url()

    @property
    def is_author(self):
        return self.position == 1
