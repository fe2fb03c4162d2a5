import functools
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from django_countries import countries
from django_countries.fields import Country
from django_filters.views import FilterView

from declaration_site.lib import charts
from declaration_site.lib.cache import memoise
from declaration_site.lib.prepared import PreparedQuery
from declaration_site.lib.rendering import country_name
from declaration_site.lib.text import fold
from declaration_site.lib.views import (
    AliasRedirectMixin,
    PreparedObjectMixin,
    PreparedPageMixin,
    PreviewMixin,
    PublicListMixin,
    PublicMixin,
    SectionMixin,
    instance_from_row,
    object_columns,
)

from . import rules
from .countries import country_kind
from .filters import DeclarationFilter, SignatoryFilter
from .models import (
    Declaration,
    DeclarationRow,
    PoliticalGroup,
    Signatory,
    SignatoryAlias,
    SignatoryRow,
    Signature,
    Source,
    row_address,
    row_full_name,
)
from .references import linked_paragraphs

# How many signatories and declarations a group's or a delegation's page lists; the rest are
# one link away, on the paginated lists.
DETAIL_ROWS = 50


class DeclarationListView(PreparedPageMixin, PublicListMixin, FilterView):
    model = Declaration
    filterset_class = DeclarationFilter
    template_name = "signatories/declaration_list.html"
    section = "declarations"
    row_class = DeclarationRow


def bars(counts):
    """[(label, count, width)] for [(label, count)]: `width` is the bar's length in percent of
    the longest one (the largest count), for the SVG bars of a breakdown table; 0 stays 0."""
    largest = max((count for _label, count in counts), default=0)
    return [
        (label, count, round(100 * count / largest, 1) if largest else 0) for label, count in counts
    ]


@functools.lru_cache(maxsize=16)
def _folded_country_names(language):
    """{country code: its name in `language`, folded}: what delegations are sorted by."""
    with translation.override(language):
        return {code: fold(str(name)) for code, name in countries}


def signature_counts(signatures):
    """([(political group, signatures)], [(country, signatures)]) over `signatures` (a
    declaration's, already fetched with their groups): what `count_by_group()` and
    `count_by_country()` give, counted in Python rather than in three more queries. Groups
    most first, then by abbreviation, no group last; countries most first, then by name as
    the page's language writes it, accents aside (République before Royaume-Uni). Each group
    and country is the first signature's instance of it."""
    groups, by_group, countries_by_code, by_country = {}, Counter(), {}, Counter()
    for signature in signatures:
        group = signature.political_group_id
        if group not in groups:
            groups[group] = signature.political_group
        by_group[group] += 1
        country = signature.country
        if country.code not in countries_by_code:
            countries_by_code[country.code] = country
        by_country[country.code] += 1
    group_rows = sorted(
        ((groups[pk], count) for pk, count in by_group.items()),
        key=lambda row: (-row[1], row[0] is None, row[0].abbreviation if row[0] else ""),
    )
    folded = _folded_country_names(get_language())
    country_rows = sorted(
        ((countries_by_code[code], count) for code, count in by_country.items()),
        key=lambda row: (-row[1], folded.get(row[0].code) or fold(country_name(row[0]))),
    )
    return group_rows, country_rows


class SignerRow(NamedTuple):
    """What the table of a declaration's signatures shows of each signatory, from plain
    values, under the names of a Signatory's attributes."""

    pk: int
    given_name: str
    family_name: str
    slug: str

    full_name = property(row_full_name)
    get_absolute_url = row_address


@dataclass(eq=False, slots=True)
class SignatureRow:
    """A signature as the tables of a declaration's or a signatory's page read it: built from
    plain values (`plain_signatures()`), which a page of dozens of signatures reads several
    times faster than model instances joined to their declaration or signatory and group."""

    position: int
    country: Country
    political_group: PoliticalGroup | None
    declaration: DeclarationRow | None = None
    signatory: SignerRow | None = None

    @property
    def is_author(self):
        return self.position == 1

    @property
    def political_group_id(self):
        return None if self.political_group is None else self.political_group.pk

    @property
    def signatory_id(self):
        return self.signatory.pk


# What the tables show of each record a signature joins, as the plain rows whose fields are
# read: the declaration's number, date and titles (not its text); the signatory's names and
# address. And the group's names and address.
_ROWS = {"declaration": DeclarationRow, "signatory": SignerRow}
_GROUP_FIELDS = ("id", "abbreviation", "name", "abbreviation_fr", "name_fr", "slug")


def _signature_columns(joined):
    return (
        "position",
        "country",
        *(f"{joined}__{name}" for name in _ROWS[joined]._fields),
        *(f"political_group__{name}" for name in _GROUP_FIELDS),
    )


# What the two pages read of signatures, built and compiled once a process: a declaration's
# signatures in the list's order, with their signatories; a signatory's public signatures,
# with their declarations (unordered: see SignatoryDetailView).
DECLARATION_SIGNATURES = PreparedQuery(
    lambda shape, declaration: (
        Signature.objects.filter(declaration=declaration)
        .order_by("position")
        .values_list(*_signature_columns("signatory"))
    )
)
# The sources of a declaration, in their order, as Source instances (`instance_from_row()`).
DECLARATION_SOURCES = PreparedQuery(
    lambda shape, declaration: Source.objects.filter(declarations=declaration).values_list(
        *object_columns(Source)
    )
)
SIGNATORY_SIGNATURES = PreparedQuery(
    lambda shape, signatory: (
        Signature.objects.public()
        .filter(signatory=signatory)
        .order_by()
        .values_list(*_signature_columns("declaration"))
    )
)


def plain_signatures(values, joined):
    """[SignatureRow] of signatures read as `values` (`DECLARATION_SIGNATURES`,
    `SIGNATORY_SIGNATURES`: the columns of `_signature_columns(joined)`), each with its group
    as of signing and the record `joined` ("declaration" or "signatory") as a plain row of
    the fields the tables show (`DeclarationRow`, `SignerRow`). Rows of the same group share
    one instance of it, and of the same country one for the process (`signature_country()`)."""
    row_class = _ROWS[joined]
    make_record = row_class._make
    db = "default"
    groups, rows = {}, []
    size = len(row_class._fields)
    for values_of_row in values:
        position, code = values_of_row[0], values_of_row[1]
        group_values = values_of_row[2 + size :]
        group = None
        if group_values[0] is not None:
            group = groups.get(group_values[0])
            if group is None:
                group = PoliticalGroup.from_db(db, _GROUP_FIELDS, group_values)
                groups[group.pk] = group
        record = make_record(values_of_row[2 : 2 + size])
        row = SignatureRow(position, signature_country(code), group)
        setattr(row, joined, record)
        rows.append(row)
    return rows


@functools.lru_cache(maxsize=512)
def signature_country(code):
    """What a signature's country field gives for the stored `code`: a django-countries
    Country, which names itself in the language active when it is read, so one per code
    serves every request. Building one looks the code up in the list of countries, which
    cost a declaration's page of 30 signatures a twentieth of its time."""
    return Signature.country.country(code)


class DeclarationDetailView(PreparedObjectMixin, PreviewMixin, DetailView):
    model = Declaration
    template_name = "signatories/declaration_detail.html"
    context_object_name = "declaration"
    slug_field = "number"
    slug_url_kwarg = "number"
    section = "declarations"

    def get_context_data(self, **kwargs):
        signatures = plain_signatures(
            DECLARATION_SIGNATURES.rows(None, self.object.pk), "signatory"
        )
        # The text in the page's language where it is recorded, else in the other one.
        text, text_language = self.object.text_in()
        text_html, related = linked_paragraphs(
            text,
            lambda: Declaration.objects.visible_to(self.request.user).exclude(pk=self.object.pk),
        )
        by_group, by_country = signature_counts(signatures)
        return super().get_context_data(
            signatures=signatures,
            author=signatures[0] if signatures else None,
            by_group=by_group,
            by_country=by_country,
            group_bars=bars(by_group),
            country_bars=bars(by_country),
            rule_minimums={
                "signatories": rules.MIN_SIGNATORIES,
                "delegations": rules.MIN_DELEGATIONS,
                "groups": rules.MIN_GROUPS,
            },
            text_html=text_html,
            text_language=text_language,
            related_declarations=related,
            # What Declaration.rule_check() gives, from the rows already read.
            rule_check=rules.check_signatures(signatures),
            sources=[
                instance_from_row(Source, row)
                for row in DECLARATION_SOURCES.rows(None, self.object.pk)
            ],
            **kwargs,
        )


class SignatoryListView(PreparedPageMixin, PublicListMixin, FilterView):
    model = Signatory
    filterset_class = SignatoryFilter
    template_name = "signatories/signatory_list.html"
    section = "signatories"
    row_class = SignatoryRow

    @classmethod
    def listed(cls):
        return Signatory.objects.public().with_counts()

    def known_count(self, queryset):
        # The counts the facets are summed from, which the page reads anyway, give its size.
        count = super().known_count(queryset)
        return self.filterset.matching_count() if count is None else count

    def get_context_data(self, **kwargs):
        return super().get_context_data(facets=self.filterset.facets(), **kwargs)


class SignatoryDetailView(AliasRedirectMixin, PreparedObjectMixin, PublicMixin, DetailView):
    model = Signatory
    alias_model = SignatoryAlias
    alias_target = "signatory"
    template_name = "signatories/signatory_detail.html"
    context_object_name = "signatory"
    section = "signatories"
    co_signer_count = 10
    related = ("political_group",)

    def get_context_data(self, **kwargs):
        signatures = plain_signatures(
            SIGNATORY_SIGNATURES.rows(None, self.object.pk), "declaration"
        )
        # Newest first, as the declarations' own order. Sorted here: asked to sort them, SQLite
        # walks every public declaration in that order looking for this signatory's, where
        # unsorted it reads only theirs (several times faster).
        signatures.sort(
            key=lambda row: (row.declaration.date, row.declaration.number), reverse=True
        )
        co_signers = Signatory.objects.co_signers_of(
            self.object,
            limit=self.co_signer_count,
            declarations=[row.declaration.pk for row in signatures],
        )
        return super().get_context_data(signatures=signatures, co_signers=co_signers, **kwargs)


class GroupListView(PublicMixin, ListView):
    model = PoliticalGroup
    template_name = "signatories/group_list.html"
    context_object_name = "groups"
    section = "groups"

    def get_queryset(self):
        """Every group with its counts and its rename chain, in the table's order: groups in
        use first, then by signatures. The counts are kept until the next change: each counts
        every signature given as the group."""
        counted = (
            super()
            .get_queryset()
            .with_counts()
            .order_by(F("dissolved").asc(nulls_first=True), "-signature_count", "abbreviation")
            .values_list("pk", "signatory_count", "signature_count", "member_count")
        )
        lineages = PoliticalGroup.objects.lineages()
        by_pk = {group.pk: group for chain in lineages.values() for group in chain}
        groups = []
        for pk, signatories, signatures, members in memoise("group-list", lambda: list(counted)):
            group = by_pk.get(pk)
            if group is None:  # deleted since it was counted
                continue
            group.signatory_count, group.signature_count = signatories, signatures
            group.member_count = members
            group.rename_chain = lineages[pk]
            groups.append(group)
        return groups


def signatures_per_year(counts):
    """The small chart of a group's or a delegation's page: `counts`, {year: signatures} of
    its signatures by the year of their declaration, for every year from the first to the
    last (a year with none at zero), as rows for its table and the geometry of its bars."""
    if not counts:
        return None
    years = range(min(counts), max(counts) + 1)
    rows = [{"year": year, "count": counts.get(year, 0)} for year in years]
    chart = charts.count_bars(
        rows,
        label=lambda row: row["year"],
        describe=lambda row: (
            ngettext(
                "%(year)s: %(count)s signature", "%(year)s: %(count)s signatures", row["count"]
            )
            % {"year": row["year"], "count": row["count"]}
        ),
        category_title=_("Year"),
        axis_title=_("Signatures on published declarations"),
    )
    return {"rows": rows, "chart": chart}


def per_year_section(name, counts, statistics):
    """The section of a group's or a delegation's page that shows its signatures per year
    (`includes/_per_year.html`: a chart and its numbers; nothing without signatures), from
    `counts` ({year: signatures}), with a link to `statistics`. Rendered once a language until
    the next change, as the statistics' charts are: drawn by template code, its bars would
    cost more than the rest of the page."""
    html = memoise(
        f"{name}:{get_language()}",
        lambda: render_to_string(
            "includes/_per_year.html",
            {"per_year": signatures_per_year(counts), "statistics": statistics},
        ),
    )
    return mark_safe(html)  # noqa: S308 (rendered by the template, which escapes)


def signed_as_counts(**signature_filters):
    """What a group's or a delegation's page counts over the public signatures matching
    `signature_filters` (fields of Signature), kept until the next change (`memoise()`): each
    would otherwise count every signature the group or the delegation ever gave, on every
    request. Plain numbers and keys:

    - `per_year`: {year: signatures}; `declaration_total`;
    - `declarations`: [(pk, signatures, of which matching)] of the newest DETAIL_ROWS public
      declarations with a matching signature, newest first.

    Each page adds its own ranking of signatories and their total.
    """
    signatures = Signature.objects.public().filter(**signature_filters)
    per_year = signatures.count_per_year()
    # Counted among each declaration's own signatures, and only for the rows shown: the
    # database finds them by declaration, where counting the matching signatures per
    # declaration (or testing each declaration with EXISTS) made SQLite look through every
    # signature of the group for each declaration.
    matching = Coalesce(
        Subquery(
            Signature.objects.filter(declaration=OuterRef("pk"))
            .order_by()
            .values("declaration")
            .annotate(count=Count("pk", filter=Q(**signature_filters)))
            .values("count")
        ),
        0,
    )
    declarations = (
        Declaration.objects.public()
        .filter(pk__in=Signature.objects.filter(**signature_filters).values("declaration"))
        .annotate(matching=matching)
        .values_list("pk", "signature_count", "matching")[:DETAIL_ROWS]
    )
    return {
        "per_year": {year: count for year, (count, _declarations) in per_year.items()},
        "declaration_total": sum(declarations for _count, declarations in per_year.values()),
        "declarations": list(declarations),
    }


def in_order(queryset, pks):
    """The rows of `queryset` whose keys are `pks`, in that order, in one query."""
    rows = queryset.in_bulk(pks)
    return [rows[pk] for pk in pks if pk in rows]


def rows_in_order(rows, pks):
    """`rows` (plain rows with a `pk`) in the order of `pks`, leaving out keys with no row."""
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def newest_declarations(rows, count_name):
    """The declarations of `rows` ([(pk, signatures, of which matching)], from
    signed_as_counts()), with `signature_count` and the matching signatures as `count_name`:
    the columns of the declarations table of a group's or a delegation's page."""
    declarations = in_order(Declaration.objects.for_rows(), [pk for pk, *_ in rows])
    counts = {pk: (total, matching) for pk, total, matching in rows}
    for declaration in declarations:
        declaration.signature_count, matching = counts[declaration.pk]
        setattr(declaration, count_name, matching)
    return declarations


class GroupDetailView(PublicMixin, DetailView):
    model = PoliticalGroup
    template_name = "signatories/group_detail.html"
    context_object_name = "group"
    section = "groups"

    def get_context_data(self, **kwargs):
        group = self.object
        counts = memoise(f"group-page:{group.pk}", lambda: self.count(group))
        # The members who signed the most as this group, and its newest declarations: a group
        # of the Assembly counts its signatories in thousands over the years, so the page shows
        # the first rows and links to the paginated lists for the rest.
        signatories = in_order(
            Signatory.objects.for_rows(),
            [pk for pk, _count in counts["signatories"]],
        )
        signed = dict(counts["signatories"])
        for signatory in signatories:
            # The declarations they signed as this group, as most_active() names them too.
            signatory.signed_as_group = signatory.declaration_count = signed[signatory.pk]
        return super().get_context_data(
            rename_chain=PoliticalGroup.objects.lineages()[group.pk],
            signatories=signatories,
            signatory_total=counts["signatory_total"],
            declarations=newest_declarations(counts["declarations"], "group_signature_count"),
            declaration_total=counts["declaration_total"],
            per_year_section=per_year_section(
                f"group-per-year:{group.pk}",
                counts["per_year"],
                f"{reverse('statistics')}?group={group.slug}",
            ),
            **kwargs,
        )

    @staticmethod
    def count(group):
        """signed_as_counts() of the group, and its members who signed the most as the group
        first, then by name, with the declarations they signed as the group."""
        counts = signed_as_counts(political_group=group.pk)
        ranking = list(
            Signature.objects.public()
            .filter(political_group=group.pk)
            .count_by_signatory()[:DETAIL_ROWS]
        )
        return {
            **counts,
            "signatories": [(pk, count) for pk, count, _total in ranking],
            "signatory_total": ranking[0][2] if ranking else 0,
        }


class CountryListView(SectionMixin, ListView):
    template_name = "signatories/country_list.html"
    context_object_name = "countries"
    section = "countries"

    # The sections of the page: the Assembly's member states, then the countries whose
    # members PACE also prints in its lists.
    KINDS = [
        ("member", _("Member states")),
        ("former member", _("Former member states")),
        ("observer", _("Observer delegations")),
        ("partner", _("Partners for democracy")),
        (None, _("Other countries")),
    ]

    def get_queryset(self):
        """Delegations whose members signed public declarations, by the country as of signing,
        in the order of their names in the page's language (accents aside). Their counts are
        kept until the next change: they count every public signature."""
        counts = memoise(
            "country-list",
            lambda: [
                (row["country"].code, row["signatories"], row["declarations"], row["signatures"])
                for row in Signature.objects.public().delegations()
            ],
        )
        rows = [
            {
                "country": Country(code=code),
                "signatories": signatories,
                "declarations": declarations,
                "signatures": signatures,
            }
            for code, signatories, declarations, signatures in counts
        ]
        return sorted(rows, key=lambda row: fold(row["country"].name))

    def get_context_data(self, **kwargs):
        kinds = {}
        for row in self.object_list:
            kinds.setdefault(country_kind(row["country"].code), []).append(row)
        sections = [(kind, label, kinds[kind]) for kind, label in self.KINDS if kind in kinds]
        return super().get_context_data(sections=sections, **kwargs)


class CountryDetailView(SectionMixin, TemplateView):
    """One delegation: who signed as its member, and what they signed. The code is lower-case
    in the URL; any other case redirects there."""

    template_name = "signatories/country_detail.html"
    section = "countries"

    def get(self, request, *args, code, **kwargs):
        if code != code.lower():
            return redirect("signatories:country_detail", code=code.lower(), permanent=True)
        if code.upper() not in countries:
            raise Http404("No such country.")
        return super().get(request, *args, code=code, **kwargs)

    def get_context_data(self, *, code, **kwargs):
        code = code.upper()
        counts = memoise(f"country-page:{code}", lambda: self.count(code))
        if not counts["declaration_total"]:
            raise Http404("No public signature from this country.")
        return super().get_context_data(
            country=Country(code=code),
            declarations=newest_declarations(counts["declarations"], "delegation_count"),
            declaration_total=counts["declaration_total"],
            signatories=rows_in_order(
                Signatory.objects.filter(pk__in=counts["signatories"]).table_rows(),
                counts["signatories"],
            ),
            signatory_total=counts["signatory_total"],
            per_year_section=per_year_section(
                f"country-per-year:{code}",
                counts["per_year"],
                f"{reverse('statistics')}?country={code.lower()}",
            ),
            **kwargs,
        )

    @staticmethod
    def count(code):
        """signed_as_counts() of the delegation, and its signatories: those who signed the
        most public declarations first (whichever delegation they signed them for), then by
        name."""
        ranking = list(
            Signatory.objects.public()
            .filter(pk__in=Signature.objects.public().filter(country=code).values("signatory"))
            # How many they are, before the slice.
            .annotate(total=Window(Count("*")))
            .order_by("-public_declaration_count", "sort_name", "pk")
            .values_list("pk", "total")[:DETAIL_ROWS]
        )
        return {
            **signed_as_counts(country=code),
            "signatories": [pk for pk, _total in ranking],
            "signatory_total": ranking[0][1] if ranking else 0,
        }
