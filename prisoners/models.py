import functools
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from declaration_site.lib.addresses import reverse_one
from declaration_site.lib.queries import count_of, may_preview
from declaration_site.lib.substrings import SubstringIndex
from declaration_site.lib.text import name_words, unique_slug
from signatories.models import Declaration, Source

# Why a detainee cannot be published (or lose their last source while published): signals.py
# refuses such a write, whoever makes it; the admin form says it before.
SOURCE_NEEDED = _("A detainee can be published only with at least one source. Add a source first.")


class DetaineeRow(NamedTuple):
    """A row of the table of detainees (`detainee_rows`), read by `table_rows()`: where held
    as its code, and `declaration_count` (`with_counts()`). The long texts stay in the
    database."""

    slug: str
    name: str
    country_code: str
    status: str
    declaration_count: int

    # What each field is read from, in order.
    COLUMNS = ("slug", "name", "country", "status", "declaration_count")


class DetaineeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Everything for staff who may change detainees (to preview), else public()."""
        return self.all() if may_preview(user, self.model) else self.public()

    def with_counts(self):
        """Annotate `declaration_count`: the public declarations that name each one."""
        return self.annotate(declaration_count=_public_declaration_count())

    def table_rows(self):
        """These detainees as `DetaineeRow`s, in this QuerySet's order, from one query: the
        columns a row of the table shows (`declaration_count` from `with_counts()`, which comes
        first) as plain values. A list page shows 50 rows, and a model instance costs several
        times what reading its values does."""
        return [DetaineeRow._make(values) for values in self.values_list(*DetaineeRow.COLUMNS)]

    def citing_only(self, source_ids):
        """Published detainees every source of whom is among `source_ids`: deleting those
        sources would leave them published without one."""
        others = Detainee.sources.through.objects.filter(detainee=OuterRef("pk")).exclude(
            source_id__in=source_ids
        )
        return self.filter(
            Exists(Detainee.sources.through.objects.filter(detainee=OuterRef("pk"))),
            is_published=True,
        ).exclude(Exists(others))

    def search(self, query):
        """Detainees with a name (any spelling) containing every word of `query`, ignoring case
        and accents."""
        return self.named(*name_words(query))

    def named(self, *words):
        """Detainees with every one of `words` (folded, as `name_words()` gives them) in a
        name: `search()` once the query is read."""
        queryset = self
        for word in words:
            queryset = queryset.filter(
                DETAINEE_NAMES.narrowing(word, self.db), search_name__icontains=word
            )
        return queryset

    def named_in_any(self, declarations):
        """Detainees that one of `declarations` (a queryset) names, the declaration being
        published."""
        return self.filter(
            Exists(
                Mention.objects.public().filter(
                    detainee=OuterRef("pk"), declaration__in=declarations.values("pk")
                )
            )
        )

    def count_by_status(self):
        """{status: detainees} over these detainees, for the statuses that have any."""
        rows = self.order_by().values_list("status").annotate(count=models.Count("pk"))
        return dict(rows)

    def count_by_country(self):
        """{ISO code: detainees} over these detainees, by the country where each is held ("" where
        it is not recorded)."""
        rows = self.order_by().values_list("country").annotate(count=models.Count("pk"))
        return dict(rows)

    def named_in(self, number):
        """Detainees that published declaration No. `number` names."""
        return self.filter(
            Exists(
                Mention.objects.public().filter(detainee=OuterRef("pk"), declaration__number=number)
            )
        )


def all_names(name, other_names):
    """A detainee's display `name` first, then each line of `other_names`, without repeats.

    >>> all_names("Maks Bokayev", "Max Bokayev\\nMaks Bokayev\\n\\n Бокаев ")
    ['Maks Bokayev', 'Max Bokayev', 'Бокаев']
    """
    names = [name.strip()]
    for line in other_names.splitlines():
        if line.strip() and line.strip() not in names:
            names.append(line.strip())
    return names


@functools.cache
def _public_declaration_count():
    """The subquery of `with_counts()`, built once per process rather than on each request: a
    query that uses an expression works on its own copy, so one can serve every query."""
    return count_of(Mention.objects.public(), "detainee")


class DetentionStatus(models.TextChoices):
    """Where a detainee's case stands, as far as the sources tell."""

    # Held by the authorities, with or without charge; the usual state of a named prisoner.
    DETAINED = "detained", _("Detained")
    # A criminal investigation is open; the person may or may not be held.
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    # Indicted and standing trial.
    ON_TRIAL = "on_trial", _("On trial")
    # Convicted and serving a sentence (see `sentence`).
    SENTENCED = "sentenced", _("Sentenced")
    # Confined to their home by a court or the police.
    HOUSE_ARREST = "house_arrest", _("House arrest")
    # Free again, whether pardoned, acquitted, at the end of a sentence or on parole.
    RELEASED = "released", _("Released")
    # Died, in detention or after.
    DECEASED = "deceased", _("Deceased")
    # The sources do not tell.
    UNKNOWN = "unknown", _("Unknown")


class Detainee(models.Model):
    Status = DetentionStatus

    name = models.CharField(_("name"), max_length=200, help_text=_("The spelling shown."))
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: other spellings, transliterations, names in other scripts."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    born_on = models.DateField(_("born on"), null=True, blank=True)
    country = CountryField(_("country"), blank=True, help_text=_("Where the person is held."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.UNKNOWN,
        help_text=_("Follows the newest status change, when there is one."),
    )
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    charges = models.TextField(_("charges"), blank=True)
    sentence = models.CharField(_("sentence"), max_length=300, blank=True)
    place_of_detention = models.CharField(_("place of detention"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="detainees"
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Needs at least one source.")
    )
    search_name = models.TextField(editable=False, blank=True)
    # The family name (the last word) first, folded: what lists order by. See services.py.
    sort_name = models.CharField(max_length=200, editable=False, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords()
    objects = DetaineeQuerySet.as_manager()

    class Meta:
        verbose_name = _("detainee")
        verbose_name_plural = _("detainees")
        ordering = ["sort_name", "name"]
        indexes = [
            models.Index(fields=["is_published", "name"], name="detainee_public_order"),
            # The public list's order, to any page, read from the index alone.
            models.Index(
                fields=["sort_name", "name", "slug"],
                condition=models.Q(is_published=True),
                name="detainee_public_sort",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="detainee_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(status__in=DetentionStatus.values),
                name="detainee_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(released_on__isnull=True)
                | models.Q(detained_on__isnull=True)
                | models.Q(released_on__gte=models.F("detained_on")),
                name="detainee_released_after_detained",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .services import search_name_of, sort_name_of

        self.search_name = search_name_of(self)
        self.sort_name = sort_name_of(self)
        if not self.slug:
            self.slug = unique_slug(Detainee.objects.all(), self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_one("prisoners:detainee_detail", self.slug, "slug")

    def all_names(self):
        """The display name first, then every other name, without repeats."""
        return all_names(self.name, self.other_names)

    def refresh_status(self):
        """Let `status` follow the newest status change, if any: see services.refresh_status(),
        which computes it. Returns True when this instance's status changed."""
        from .services import refresh_status

        before = self.status
        refresh_status(detainee_ids=[self.pk])
        self.refresh_from_db(fields=["status", "modified"])
        return self.status != before

    def has_sources(self):
        """Whether at least one source is recorded for this detainee (False before it is saved)."""
        return self.pk is not None and self.sources.exists()

    def custody(self, timeline=None):
        """(held since, held until or None while still held), or None when not known.

        From `detained_on` or the first change into custody, to `released_on` or the first
        change to released or deceased after it. `timeline` is the status changes, oldest first.
        """
        if timeline is None:
            timeline = list(self.status_changes.order_by("date", "pk"))
        start = self.detained_on
        end = self.released_on
        if start is None:
            start = next(
                (change.date for change in timeline if change.status in CUSTODY_STATUSES), None
            )
        if start is None:
            return None
        if end is None:
            end = next(
                (
                    change.date
                    for change in timeline
                    if change.status in FREE_STATUSES and change.date >= start
                ),
                None,
            )
        if end is None and self.status in FREE_STATUSES:
            # Free again, but the sources do not say since when.
            return None
        return start, end


# The names a search reads, indexed for it on SQLite (see lib/substrings.py).
DETAINEE_NAMES = SubstringIndex(Detainee, ["search_name"])


CUSTODY_STATUSES = {
    DetentionStatus.DETAINED,
    DetentionStatus.ON_TRIAL,
    DetentionStatus.SENTENCED,
    DetentionStatus.HOUSE_ARREST,
}
FREE_STATUSES = {DetentionStatus.RELEASED, DetentionStatus.DECEASED}


class StatusChange(models.Model):
    """One step of a detainee's case: arrest, charge, trial, sentence, release."""

    detainee = models.ForeignKey(
        Detainee,
        verbose_name=_("detainee"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=DetentionStatus.choices)
    note = models.TextField(_("note"), blank=True, help_text=_("What happened, in a sentence."))
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="status_changes"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DetentionStatus.values),
                name="statuschange_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.date.isoformat()}: {self.get_status_display()}"

    def clean(self):
        super().clean()
        if self.date is None:
            return
        if self.date > timezone.localdate():
            raise ValidationError({"date": _("A status change cannot be dated in the future.")})
        born_on = self.detainee.born_on if _has_detainee(self) else None
        if born_on and self.date < born_on:
            raise ValidationError(
                {
                    "date": _("This date is before the person's birth (%(born)s).")
                    % {"born": born_on.isoformat()}
                }
            )


def _has_detainee(change):
    try:
        return change.detainee is not None
    except Detainee.DoesNotExist:
        return False


class DetaineeAlias(models.Model):
    """The address of a detainee merged into another: it redirects to the one kept."""

    slug = models.SlugField(_("old slug"), max_length=80, unique=True)
    detainee = models.ForeignKey(
        Detainee, verbose_name=_("detainee"), on_delete=models.CASCADE, related_name="aliases"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("detainee alias")
        verbose_name_plural = _("detainee aliases")
        ordering = ["slug"]

    def __str__(self):
        return f"{self.slug} → {self.detainee.slug}"


class MentionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(
            declaration__status=Declaration.Status.PUBLISHED, detainee__is_published=True
        )

    def per_detainee_and_year(self):
        """[(detainee pk, name, slug, year, declarations)] over these mentions: how many
        declarations named each detainee in each year. One query."""
        return list(
            self.order_by()
            .values(
                "detainee",
                "detainee__name",
                "detainee__slug",
                year=ExtractYear("declaration__date"),
            )
            .annotate(count=models.Count("pk"))
            .values_list("detainee", "detainee__name", "detainee__slug", "year", "count")
        )

    def prefetched_as_public(self, other, *ordering):
        """A Prefetch of the public mentions of each declaration or detainee into its
        `public_mentions`, with the `other` record of each ("detainee" or "declaration"), in
        this order."""
        return models.Prefetch(
            "mentions",
            queryset=self.public().select_related(other).order_by(*ordering),
            to_attr="public_mentions",
        )


class Mention(models.Model):
    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    detainee = models.ForeignKey(
        Detainee, verbose_name=_("detainee"), on_delete=models.PROTECT, related_name="mentions"
    )
    name_as_written = models.CharField(
        _("name as written"), max_length=200, help_text=_("The spelling this declaration uses.")
    )

    history = HistoricalRecords()
    objects = MentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["declaration", "detainee__name"]
        indexes = [models.Index(fields=["detainee", "declaration"], name="mention_detainee")]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "detainee"], name="mention_unique_detainee"
            ),
        ]

    def __str__(self):
        return f"{self.name_as_written} — {self.declaration}"

    def get_absolute_url(self):
        return self.detainee.get_absolute_url()
