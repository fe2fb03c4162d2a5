"""The statistics of the record: /statistics/, a CSV for each of its charts, /api/statistics/.

`statistics(country=, group=, year=)` counts once, over published records only, and returns
plain data (ISO codes, group abbreviations, status values, years): the page, the CSV downloads
and the API all read their numbers from it, so they cannot disagree. The counting itself is
done by QuerySet methods of the models (`Signature.objects.per_year_and_group()`, ...), a fixed
number of queries whatever the size of the record; the result is kept until the record changes.

What the filters mean (each one optional, all of them together):

- **signatures** (by group, by year and group, by delegation, the most active signatories)
  count the public signatures given as a member of the delegation `country` and of the group
  `group`, as of signing, on declarations of the year `year`;
- **declarations** (per year, and the coalitions) are the published declarations of `year`
  signed by a member of the delegation `country` and by a member of the group `group`: the
  declarations that /declarations/ lists with the same filters, so that every count links to
  its rows;
- **detainees** are the published detainees named in those declarations, or every published
  detainee when no filter is given.
"""

from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext, override
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_countries.fields import Country
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from declaration_site.lib.cache import memoise
from declaration_site.lib.csv import csv_response
from declaration_site.lib.filters import CountryCodeField, country_choices
from declaration_site.lib.forms import FilterForm
from declaration_site.lib.views import SectionMixin
from prisoners.models import Detainee, DetentionStatus, Mention
from signatories.countries import MEMBER_STATES, country_kind
from signatories.models import Declaration, PoliticalGroup, Signatory, Signature

from .lib import charts

# How many signatories the ranking shows, and how many detainees the timelines do.
TOP_SIGNATORIES = 20
TOP_DETAINEES = 30
# The colour of signatures printed with no group, and of groups that have none recorded.
NO_GROUP_COLOUR = "#b8bec6"
PALETTE = ["#2a7f62", "#7a4ea3", "#b45a1c", "#3b8ea5", "#8a6d1f", "#a33b6b"]


# The filters


class StatisticsForm(FilterForm):
    """The filters of the whole page: a delegation (ISO code, any case), a group (slug), a
    year. A value that does not exist is the form's error, and no number is shown."""

    country = CountryCodeField(
        label=gettext_lazy("Delegation"),
        required=False,
        empty_label=gettext_lazy("Every delegation"),
        help_text=gettext_lazy("Signatures given as a member of this delegation."),
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Political group"),
        required=False,
        help_text=gettext_lazy("Signatures given as a member of this group, as of signing."),
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names sorted in the page's language: one list per language.
        choices = memoise(
            f"statistics-filter-choices:{get_language()}", self.choices, in_process=True
        )
        self.fields["country"].choices = choices["countries"]
        self.fields["group"].choices = [("", _("Every group")), *choices["groups"]]
        self.fields["year"].choices = [
            ("", _("Every year")),
            *((str(year), str(year)) for year in choices["years"]),
        ]

    @staticmethod
    def choices():
        """Every member state and every delegation that signed (named and sorted in the
        language of the page), every group the record knows (groups are always public), the
        years of published declarations."""
        signed = Signature.objects.public().order_by().values_list("country", flat=True)
        return {
            "countries": country_choices(MEMBER_STATES | set(signed.distinct())),
            "groups": list(
                PoliticalGroup.objects.order_by("abbreviation").values_list("slug", "abbreviation")
            ),
            "years": [
                day.year for day in Declaration.objects.public().dates("date", "year", order="DESC")
            ],
        }

    @cached_property
    def active_filters(self):
        """[{"label", "value", "words", "remove"}] of the filters chosen, as the lists' chips
        and headings use them (see `lib.filters.FilterSummaryMixin`): the value in words, and
        the address of the page without it. None for a form with an error."""
        if not self.is_bound or not self.is_valid():
            return []
        filters = self.filters()
        chips = []
        for name in ("country", "group", "year"):
            value = filters[name]
            if not value:
                continue
            words = str(dict(self.fields[name].choices).get(value, value))
            if name == "country":
                words = Country(code=value).name
            remaining = {**filters, name: None}
            chips.append(
                {
                    "label": self.fields[name].label,
                    "value": words,
                    "words": words,
                    "remove": reverse("statistics") + filter_query(remaining),
                }
            )
        return chips

    @property
    def summary(self):
        """The chosen values, comma-separated: "Italy, SOC"; empty without a filter."""
        return ", ".join(chip["words"] for chip in self.active_filters)

    def filters(self):
        """{"country", "group", "year"} with the values given (None where none is), for
        statistics(); {} for a form that was not filled in. Only for a valid or unbound form."""
        if not self.is_bound:
            return {}
        return {name: self.cleaned_data.get(name) or None for name in ("country", "group", "year")}


def filter_query(filters, *extra):
    """The query string of these filters, country lower-case as in the site's addresses:
    "?country=it&year=2019", or "" for none. `extra` are more (name, value) pairs."""
    pairs = [*extra]
    for name in ("country", "group", "year"):
        value = filters.get(name)
        if value:
            pairs.append((name, str(value).lower() if name == "country" else str(value)))
    return f"?{urlencode(pairs)}" if pairs else ""


# The numbers


def statistics(*, country=None, group=None, year=None):
    """Every number of /statistics/ and /api/statistics/, over published records only.

    `country` is an ISO code (any case), `group` a group's slug, `year` a year; see the
    module's docstring for what each one selects. Plain data: ISO codes, abbreviations, status
    values and years as keys, so that the same result serves every language. Kept until the
    record changes.
    """
    country = country.upper() if country else None
    year = int(year) if year else None
    key = f"statistics:{country or ''}:{group or ''}:{year or ''}"
    return memoise(key, lambda: _count(country=country, group=group, year=year))


def summary(*, country=None, group=None, year=None):
    """{"declarations", "signatures", "detainees"} of `statistics()`: the totals the page
    states above its charts, kept apart so that a visitor's page reads three numbers rather
    than every number of the record (their charts are kept as HTML, see `charts_html()`)."""
    key = f"statistics-summary:{(country or '').upper()}:{group or ''}:{year or ''}"

    def count():
        data = statistics(country=country, group=group, year=year)
        return {name: data[name] for name in ("declarations", "signatures", "detainees")}

    return memoise(key, count)


def warm():
    """Count the statistics of the whole record and the choices of their filters, and draw
    their charts in each language, now, so that they are kept for the next visitor (run in the
    background after each change)."""
    summary()
    for language, _name in settings.LANGUAGES:
        with override(language):
            StatisticsForm()
            charts_html({})


def _count(*, country, group, year):
    lineages = PoliticalGroup.objects.lineages()
    slugs = {member.slug: member.pk for chain in lineages.values() for member in chain}
    # The group by its key rather than its slug: a join less in every subquery below.
    group_pk = slugs.get(group)
    signature_filters = {}
    if country:
        signature_filters["country"] = country
    if group:
        signature_filters["political_group"] = group_pk
    if year:
        signature_filters["declaration__date__year"] = year
    signatures = Signature.objects.public().filter(**signature_filters)

    declarations = Declaration.objects.public()
    if year:
        declarations = declarations.filter(date__year=year)
    # The rows of signed_as(), written as "pk IN (signatures' declarations)": SQLite runs that
    # subquery once, where it would run signed_as()'s EXISTS once per declaration.
    if country:
        declarations = declarations.filter(
            pk__in=Signature.objects.filter(country=country).values("declaration")
        )
    if group:
        declarations = declarations.filter(
            pk__in=Signature.objects.filter(political_group=group_pk).values("declaration")
        )
    declaration_ids = declarations.values("pk")

    detainees = Detainee.objects.public()
    if country or group or year:
        detainees = detainees.named_in_any(declarations)
    mentions = Mention.objects.public().filter(declaration__in=declaration_ids)

    per_year_and_group = signatures.per_year_and_group()
    co_signing = Signature.objects.filter(declaration__in=declaration_ids).co_signing_groups()
    groups = _groups(lineages, per_year_and_group, co_signing)
    declarations_per_year = declarations.count_per_year()
    detainees_by_status = detainees.count_by_status()
    return {
        "filters": {"country": country, "group": group, "year": year},
        "declarations": sum(declarations_per_year.values()),
        "signatures": sum(per_year_and_group.values()),
        "declarations_per_year": declarations_per_year,
        "groups": [row for pk, row in groups.items() if pk is not None],
        **_by_group(per_year_and_group, groups),
        **_by_delegation(signatures),
        "most_active_signatories": [
            {
                "slug": signatory.slug,
                "name": signatory.full_name,
                "country": signatory.country.code,
                "group": signatory.political_group.abbreviation
                if signatory.political_group
                else "",
                "declarations": signatory.declaration_count,
            }
            for signatory in Signatory.objects.most_active(**signature_filters).select_related(
                "political_group"
            )[:TOP_SIGNATORIES]
        ],
        "detainees": sum(detainees_by_status.values()),
        "detainees_by_status": {
            status: detainees_by_status[status]
            for status in DetentionStatus.values
            if detainees_by_status.get(status)
        },
        "detainees_by_country": dict(
            sorted(detainees.count_by_country().items(), key=lambda item: (-item[1], item[0]))
        ),
        "detainee_timelines": _timelines_of(mentions),
        "coalitions": _coalitions_of(co_signing, groups),
    }


def _by_group(per_year_and_group, groups):
    """Signatures by year and group, by group, and those printed with no group, keyed by the
    abbreviation as of signing ("" for no group), years and groups in order."""
    by_year_and_group = {}
    by_group = {}
    without_group = 0
    for (signed_in, pk), count in sorted(
        per_year_and_group.items(), key=lambda item: (item[0][0], groups[item[0][1]]["order"])
    ):
        name = groups[pk]["abbreviation"]
        by_year_and_group.setdefault(signed_in, {})[name] = count
        if pk is None:
            without_group += count
        else:
            by_group[name] = by_group.get(name, 0) + count
    return {
        "signatures_per_year_and_group": by_year_and_group,
        "signatures_by_group": by_group,
        "signatures_without_group": without_group,
    }


def _by_delegation(signatures):
    """Every delegation that signed and every member state, with its signatories, signatures
    and declarations (zero where none); and the signatures and signatories of those that
    signed, by ISO code."""
    delegations = {
        row["country"].code: {
            "signatories": row["signatories"],
            "signatures": row["signatures"],
            "declarations": row["declarations"],
        }
        for row in signatures.delegations()
    }
    for code in MEMBER_STATES - set(delegations):
        delegations[code] = {"signatories": 0, "signatures": 0, "declarations": 0}
    delegations = dict(sorted(delegations.items()))
    return {
        "delegations": [
            {"country": code, "kind": country_kind(code), **counts}
            for code, counts in delegations.items()
        ],
        "signatures_by_country": {
            code: row["signatures"] for code, row in delegations.items() if row["signatures"]
        },
        "signatories_by_country": {
            code: row["signatories"] for code, row in delegations.items() if row["signatories"]
        },
    }


def _timelines_of(mentions):
    """For each detainee these mentions name, the declarations naming them per year; the
    most named first."""
    timelines = {}
    for detainee, name, slug, named_in, count in mentions.per_detainee_and_year():
        row = timelines.setdefault(detainee, {"slug": slug, "name": name, "years": {}})
        row["years"][named_in] = count
    rows = [
        {
            **row,
            "declarations": sum(row["years"].values()),
            "years": dict(sorted(row["years"].items())),
        }
        for row in timelines.values()
    ]
    return sorted(rows, key=lambda row: (-row["declarations"], row["name"].casefold(), row["slug"]))


def _coalitions_of(co_signing, groups):
    """The groups that signed (in the order of `groups`) and, for each pair of them, the
    declarations signed by members of both."""
    signed = [pk for pk in groups if pk is not None and co_signing.get((pk, pk))]
    return {
        "groups": [groups[pk]["abbreviation"] for pk in signed],
        "slugs": [groups[pk]["slug"] for pk in signed],
        "declarations": {
            (groups[first]["abbreviation"], groups[second]["abbreviation"]): co_signing.get(
                (first, second), 0
            )
            for first in signed
            for second in signed
        },
    }


def _groups(lineages, per_year_and_group, co_signing):
    """{pk: {abbreviation, slug, colour, lineage, order}} for the groups signed as, and None
    for signatures printed with no group (last). Renamed groups follow each other, the oldest
    name first, and take the colour of their lineage; lineages come by signatures, most first."""
    used = {pk for (_year, pk) in per_year_and_group} | {pk for pk, _other in co_signing}
    by_pk = {group.pk: group for chain in lineages.values() for group in chain}
    totals = {}
    for (_year, pk), count in per_year_and_group.items():
        if pk is not None:
            head = lineages[pk][0].pk
            totals[head] = totals.get(head, 0) + count
    heads = sorted(
        {lineages[pk][0].pk for pk in used if pk is not None},
        key=lambda head: (-totals.get(head, 0), by_pk[head].abbreviation),
    )
    groups = {}
    for index, head in enumerate(heads):
        chain = lineages[head]
        colour = next(
            (group.colour for group in reversed(chain) if group.colour),
            PALETTE[index % len(PALETTE)],
        )
        for group in chain:
            if group.pk in used:
                groups[group.pk] = {
                    "abbreviation": group.abbreviation,
                    "slug": group.slug,
                    "colour": colour,
                    "lineage": [link.abbreviation for link in chain],
                    "order": len(groups),
                }
    groups[None] = {"abbreviation": "", "slug": "", "colour": NO_GROUP_COLOUR, "order": len(groups)}
    return groups


# The charts of the page, in the language of the request


def _years(counts):
    """Every year from the first to the last of `counts`, the years between included."""
    return list(range(min(counts), max(counts) + 1)) if counts else []


def _declarations_link(filters, *extra):
    return reverse("signatories:declaration_list") + filter_query(filters, *extra)


def _declarations_per_year(data, filters):
    per_year = data["declarations_per_year"]
    without_year = {**filters, "year": None}
    rows = [
        {
            "year": year,
            "count": per_year.get(year, 0),
            "url": _declarations_link(without_year, ("year", year)) if per_year.get(year) else None,
        }
        for year in _years(per_year)
    ]
    chart = charts.count_bars(
        rows,
        label=lambda row: row["year"],
        describe=lambda row: (
            ngettext(
                "%(year)s: %(count)s declaration", "%(year)s: %(count)s declarations", row["count"]
            )
            % {"year": row["year"], "count": row["count"]}
        ),
        category_title=_("Year"),
        axis_title=_("Published declarations"),
    )
    return {"chart": chart, "rows": rows}


def _signatures_per_group(data):
    per_year = data["signatures_per_year_and_group"]
    series = [
        {"key": group["abbreviation"], "label": group["abbreviation"], "colour": group["colour"]}
        for group in data["groups"]
        if group["abbreviation"] in data["signatures_by_group"]
    ]
    # One entry per line of renames (EDG → EC → EC/DA), which share a colour.
    legend = []
    for item in series:
        group = next(group for group in data["groups"] if group["abbreviation"] == item["key"])
        label = " → ".join(group["lineage"])
        if not legend or legend[-1]["label"] != label:
            legend.append({"label": label, "colour": group["colour"]})
    if data["signatures_without_group"]:
        series.append({"key": "", "label": _("No group printed"), "colour": NO_GROUP_COLOUR})
        legend.append({"label": _("No group printed"), "colour": NO_GROUP_COLOUR})
    rows = []
    for year in _years(per_year):
        counts = per_year.get(year, {})
        rows.append(
            {
                "year": year,
                "counts": [counts.get(item["key"], 0) for item in series],
                "total": sum(counts.values()),
            }
        )
    chart = charts.bar_chart(
        [
            {
                "label": str(row["year"]),
                "segments": [
                    (
                        count,
                        item["colour"],
                        ngettext(
                            "%(year)s, %(group)s: %(count)s signature",
                            "%(year)s, %(group)s: %(count)s signatures",
                            count,
                        )
                        % {"year": row["year"], "group": item["label"], "count": count},
                    )
                    for item, count in zip(series, row["counts"], strict=True)
                ],
            }
            for row in rows
        ],
        category_title=_("Year"),
        axis_title=_("Signatures"),
    )
    return {"chart": chart, "rows": rows, "series": series, "legend": legend}


def _delegations(data):
    rows = sorted(
        (
            {
                **row,
                "name": Country(code=row["country"]).name,
                "url": reverse("signatories:country_detail", args=[row["country"].lower()])
                if row["signatures"]
                else None,
            }
            for row in data["delegations"]
        ),
        key=lambda row: (-row["signatures"], -row["signatories"], row["name"]),
    )
    chart = charts.bar_chart(
        [
            {
                "label": row["name"],
                "segments": [
                    (
                        row["signatures"],
                        charts.ACCENT,
                        ngettext(
                            "%(country)s: %(count)s signature",
                            "%(country)s: %(count)s signatures",
                            row["signatures"],
                        )
                        % {"country": row["name"], "count": row["signatures"]},
                    ),
                    (
                        row["signatories"],
                        charts.SECOND,
                        ngettext(
                            "%(country)s: %(count)s signatory",
                            "%(country)s: %(count)s signatories",
                            row["signatories"],
                        )
                        % {"country": row["name"], "count": row["signatories"]},
                    ),
                ],
            }
            for row in rows
        ],
        category_title=_("Delegation"),
        axis_title=_("Signatures and signatories"),
        paired=True,
    )
    silent = [row for row in rows if row["kind"] == "member" and not row["signatures"]]
    return {
        "chart": chart,
        "rows": rows,
        "silent": silent,
        "legend": [
            {"label": _("Signatures"), "colour": charts.ACCENT},
            {"label": _("Signatories"), "colour": charts.SECOND},
        ],
    }


def _most_active(data):
    rows = [
        {
            **row,
            "rank": index,
            "url": reverse("signatories:signatory_detail", args=[row["slug"]]),
            "country_name": Country(code=row["country"]).name,
        }
        for index, row in enumerate(data["most_active_signatories"], start=1)
    ]
    chart = charts.bar_chart(
        [
            {
                "label": f"{row['name']} ({row['country']}{', ' + row['group'] if row['group'] else ''})",
                "segments": [
                    (
                        row["declarations"],
                        charts.ACCENT,
                        ngettext(
                            "%(name)s: %(count)s declaration",
                            "%(name)s: %(count)s declarations",
                            row["declarations"],
                        )
                        % {"name": row["name"], "count": row["declarations"]},
                    )
                ],
            }
            for row in rows
        ],
        category_title=_("Signatory (delegation, group now)"),
        axis_title=_("Published declarations signed"),
        labels_above=True,
    )
    return {"chart": chart, "rows": rows}


def _detainee_link(filters, **query):
    if any(filters.values()):
        return None
    return reverse("prisoners:detainee_list") + "?" + urlencode(query)


def _detainees_by_status(data, filters):
    counts = data["detainees_by_status"]
    rows = [
        {
            "status": status,
            "label": status.label,
            "count": counts.get(status.value, 0),
            "url": _detainee_link(filters, status=status.value)
            if counts.get(status.value)
            else None,
        }
        for status in DetentionStatus
    ]
    chart = charts.count_bars(
        rows,
        label=lambda row: row["label"],
        describe=lambda row: (
            ngettext(
                "%(status)s: %(count)s detainee", "%(status)s: %(count)s detainees", row["count"]
            )
            % {"status": row["label"], "count": row["count"]}
        ),
        category_title=_("Current status"),
        axis_title=_("Published detainees"),
    )
    return {"chart": chart, "rows": rows}


def _detainees_by_country(data, filters):
    rows = [
        {
            "country": code,
            "name": Country(code=code).name if code else _("Not recorded"),
            "count": count,
            "url": _detainee_link(filters, country=code.lower()) if code else None,
        }
        for code, count in data["detainees_by_country"].items()
    ]
    chart = charts.count_bars(
        rows,
        label=lambda row: row["name"],
        describe=lambda row: (
            ngettext(
                "%(country)s: %(count)s detainee", "%(country)s: %(count)s detainees", row["count"]
            )
            % {"country": row["name"], "count": row["count"]}
        ),
        category_title=_("Held in"),
        axis_title=_("Published detainees"),
    )
    return {"chart": chart, "rows": rows}


def _timelines(data):
    everyone = data["detainee_timelines"]
    rows = [
        {**row, "url": reverse("prisoners:detainee_detail", args=[row["slug"]])}
        for row in everyone[:TOP_DETAINEES]
    ]
    chart = charts.strip_chart(
        [
            {
                "label": row["name"],
                "years": {
                    year: (
                        count,
                        ngettext(
                            "%(name)s, %(year)s: named in %(count)s declaration",
                            "%(name)s, %(year)s: named in %(count)s declarations",
                            count,
                        )
                        % {"name": row["name"], "year": year, "count": count},
                    )
                    for year, count in row["years"].items()
                },
            }
            for row in rows
        ],
        axis_title=_("Year of the declaration"),
    )
    return {
        "chart": chart,
        "rows": rows,
        "total": len(everyone),
        "capped": len(everyone) > TOP_DETAINEES,
    }


def _coalitions(data, filters):
    coalitions = data["coalitions"]
    labels = coalitions["groups"]
    slugs = dict(zip(labels, coalitions["slugs"], strict=True))
    chosen = [("group", filters["group"])] if filters.get("group") else []
    without_group = {**filters, "group": None}
    cells = []
    for first in labels:
        row = []
        for second in labels:
            value = coalitions["declarations"][first, second]
            pair = dict.fromkeys([slugs[first], slugs[second]])
            groups = [("group", slug) for slug in pair if ("group", slug) not in chosen]
            if first == second:
                title = ngettext(
                    "%(count)s declaration signed by members of %(first)s",
                    "%(count)s declarations signed by members of %(first)s",
                    value,
                )
            else:
                title = ngettext(
                    "%(count)s declaration signed by members of %(first)s and of %(second)s",
                    "%(count)s declarations signed by members of %(first)s and of %(second)s",
                    value,
                )
            row.append(
                {
                    "value": value,
                    "first": first,
                    "second": second,
                    "url": _declarations_link(without_group, *chosen, *groups) if value else None,
                    "title": title % {"count": value, "first": first, "second": second},
                }
            )
        cells.append(row)
    return {
        "chart": charts.heat_map(labels, cells) if labels else None,
        "labels": labels,
        "rows": list(zip(labels, cells, strict=True)),
    }


def page_charts(data, filters):
    """What the page draws and tabulates, from statistics(): names, links and geometry in the
    language of the request."""
    return {
        "declarations_per_year": _declarations_per_year(data, filters),
        "signatures_per_group": _signatures_per_group(data),
        "delegations": _delegations(data),
        "most_active": _most_active(data),
        "detainees_by_status": _detainees_by_status(data, filters),
        "detainees_by_country": _detainees_by_country(data, filters),
        "timelines": _timelines(data),
        "coalitions": _coalitions(data, filters),
    }


class StatisticsView(SectionMixin, TemplateView):
    """Charts of the published record, each with its numbers in a table and a CSV."""

    template_name = "declaration_site/statistics.html"
    section = "statistics"

    def get_context_data(self, **kwargs):
        form = StatisticsForm(self.request.GET or None)
        context = {"form": form, "stats": None, "charts_html": ""}
        if not form.is_bound or form.is_valid():
            filters = form.filters()
            query = filter_query(filters)
            context.update(
                stats=summary(**filters),
                charts_html=charts_html(filters),
                filters=filters,
                query=query,
                api_url=reverse("api:statistics") + query,
                filtered=any(filters.values()),
            )
        return super().get_context_data(**context, **kwargs)


def charts_html(filters):
    """The charts of the page, their tables and CSV links, as HTML in the active language.

    Like the numbers they draw, they are the same for every visitor until the record changes:
    drawn once per change, filters and language (a few thousand template nodes), then kept."""
    query = filter_query(filters)
    language = get_language()

    def render():
        return render_to_string(
            "declaration_site/_statistics_charts.html",
            {
                "charts": page_charts(statistics(**filters), filters),
                "filters": filters,
                "query": query,
                "filtered": any(filters.values()),
            },
        )

    return mark_safe(memoise(f"statistics-charts:{language}:{query}", render))  # noqa: S308


# The CSV of each chart


def _csv_declarations_per_year(data, request):
    rows = _declarations_per_year(data, data["filters"])["rows"]
    return ["year", "declarations"], ([row["year"], row["count"]] for row in rows)


def _csv_signatures_per_group(data, request):
    groups = {group["abbreviation"]: group for group in data["groups"]}

    def rows():
        for signed_in, counts in data["signatures_per_year_and_group"].items():
            for name, count in counts.items():
                group = groups.get(name)
                yield [
                    signed_in,
                    name,
                    group["slug"] if group else "",
                    group["lineage"][-1] if group else "",
                    count,
                ]

    return ["year", "group", "group_slug", "lineage_now", "signatures"], rows()


def _csv_delegations(data, request):
    rows = _delegations(data)["rows"]
    return (
        ["country", "country_name", "kind", "signatories", "signatures", "declarations"],
        (
            [
                row["country"],
                row["name"],
                row["kind"] or "",
                row["signatories"],
                row["signatures"],
                row["declarations"],
            ]
            for row in rows
        ),
    )


def _csv_most_active(data, request):
    rows = _most_active(data)["rows"]
    return (
        ["rank", "name", "country", "group", "declarations", "url"],
        (
            [
                row["rank"],
                row["name"],
                row["country"],
                row["group"],
                row["declarations"],
                request.build_absolute_uri(row["url"]),
            ]
            for row in rows
        ),
    )


def _csv_detainees_by_status(data, request):
    rows = _detainees_by_status(data, data["filters"])["rows"]
    return (
        ["status", "status_label", "detainees"],
        ([row["status"].value, row["label"], row["count"]] for row in rows),
    )


def _csv_detainees_by_country(data, request):
    rows = _detainees_by_country(data, data["filters"])["rows"]
    return (
        ["country", "country_name", "detainees"],
        ([row["country"], row["name"], row["count"]] for row in rows),
    )


def _csv_timelines(data, request):
    """Every detainee named, not only those the chart shows."""

    def rows():
        for row in data["detainee_timelines"]:
            url = request.build_absolute_uri(
                reverse("prisoners:detainee_detail", args=[row["slug"]])
            )
            for year, count in row["years"].items():
                yield [row["name"], row["slug"], year, count, url]

    return ["detainee", "slug", "year", "declarations", "url"], rows()


def _csv_coalitions(data, request):
    coalitions = _coalitions(data, data["filters"])

    def rows():
        for index, (first, cells) in enumerate(coalitions["rows"]):
            for cell in cells[index:]:
                url = request.build_absolute_uri(cell["url"]) if cell["url"] else ""
                yield [first, cell["second"], cell["value"], url]

    return ["group", "other_group", "declarations", "url"], rows()


CSV_CHARTS = {
    "declarations-per-year": _csv_declarations_per_year,
    "signatures-per-group": _csv_signatures_per_group,
    "delegations": _csv_delegations,
    "most-active-signatories": _csv_most_active,
    "detainees-by-status": _csv_detainees_by_status,
    "detainees-by-country": _csv_detainees_by_country,
    "detainee-timelines": _csv_timelines,
    "coalitions": _csv_coalitions,
}


def form_errors(form):
    """{field: [messages]} of a form that is not valid, as the API and the CSV answer them."""
    return {field: [str(message) for message in errors] for field, errors in form.errors.items()}


class StatisticsCsvView(View):
    """/statistics/<chart>.csv: the numbers of one chart, with the page's filters; a filter
    value that does not exist answers 400 naming the field."""

    def get(self, request, chart):
        if chart not in CSV_CHARTS:
            raise Http404("No such chart.")
        form = StatisticsForm(request.GET)
        if not form.is_valid():
            messages = [
                f"{field}: {' '.join(errors)}" for field, errors in form_errors(form).items()
            ]
            return HttpResponseBadRequest(
                "\n".join(messages) + "\n", content_type="text/plain; charset=utf-8"
            )
        data = statistics(**form.filters())
        header, rows = CSV_CHARTS[chart](data, request)
        return csv_response(f"statistics-{chart}.csv", header, rows)


# The API


class CoalitionSerializer(serializers.Serializer):
    groups = serializers.ListField(
        child=serializers.CharField(),
        help_text="Two group abbreviations (as of signing); the same one twice for the "
        "declarations signed by members of that group.",
    )
    declarations = serializers.IntegerField(
        help_text="Published declarations with at least one signature as each group."
    )


class RankedSignatorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(help_text="Current delegation, ISO code.")
    group = serializers.CharField(help_text="Current group's abbreviation; empty if none.")
    declarations = serializers.IntegerField(help_text="Published declarations signed.")


class FiltersSerializer(serializers.Serializer):
    country = serializers.CharField(allow_null=True)
    group = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)


def _counts(help_text):
    return serializers.DictField(child=serializers.IntegerField(), help_text=help_text)


class StatisticsSerializer(serializers.Serializer):
    filters = FiltersSerializer(help_text="The filters applied (null where none).")
    declarations_per_year = _counts("Published declarations per year, oldest first.")
    signatures_by_group = _counts(
        "Public signatures per political group, by its abbreviation as of signing; "
        "signatures printed with no group are counted in `signatures_without_group`."
    )
    signatures_without_group = serializers.IntegerField(
        help_text="Public signatures printed with no political group."
    )
    signatures_by_country = _counts(
        "Public signatures per national delegation (ISO code, as of signing); delegations "
        "with none are left out."
    )
    signatories_by_country = _counts(
        "Signatories per national delegation (ISO code, as of signing): a member who signed "
        "for two delegations counts in both."
    )
    detainees_by_status = _counts(
        "Published detainees per current status (the values of the detainees' `status`)."
    )
    detainees_by_country = _counts(
        "Published detainees per country where held (ISO code; empty where not recorded)."
    )
    signatures_per_year_and_group = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="For each year, public signatures per group abbreviation as of signing; "
        'the key "" counts the signatures printed with no group.',
    )
    most_active_signatories = RankedSignatorySerializer(
        many=True, help_text=f"The {TOP_SIGNATORIES} who signed the most published declarations."
    )
    coalitions = CoalitionSerializer(
        many=True,
        help_text="For each pair of groups (as of signing), the published declarations signed "
        "by members of both.",
    )


def api_numbers(data):
    """The JSON of /api/statistics/ from statistics(): keys as strings."""
    coalitions = data["coalitions"]
    labels = coalitions["groups"]
    return {
        "filters": data["filters"],
        "declarations_per_year": {
            str(year): n for year, n in data["declarations_per_year"].items()
        },
        "signatures_by_group": data["signatures_by_group"],
        "signatures_without_group": data["signatures_without_group"],
        "signatures_by_country": data["signatures_by_country"],
        "signatories_by_country": data["signatories_by_country"],
        "detainees_by_status": data["detainees_by_status"],
        "detainees_by_country": data["detainees_by_country"],
        "signatures_per_year_and_group": {
            str(year): counts for year, counts in data["signatures_per_year_and_group"].items()
        },
        "most_active_signatories": data["most_active_signatories"],
        "coalitions": [
            {"groups": [first, second], "declarations": coalitions["declarations"][first, second]}
            for index, first in enumerate(labels)
            for second in labels[index:]
        ],
    }


class StatisticsAPIView(APIView):
    """The numbers of /statistics/, as JSON."""

    @extend_schema(
        operation_id="statistics",
        description="The numbers of the statistics page, over published records only: "
        "declarations per year, signatures per political group (abbreviation as of signing) "
        "and per national delegation (ISO code as of signing), signatories per delegation, "
        "published detainees per current status and per country, the most active "
        "signatories and how often groups sign together. `country` and `group` select the "
        "signatures given as a member of that delegation and group, `year` the declarations "
        "of that year; declarations and detainees are those of the declarations signed by "
        "such members.",
        parameters=[
            OpenApiParameter(
                "country",
                {"type": "string", "pattern": "^[A-Za-z]{2}$", "example": "IT"},
                description="ISO 3166-1 alpha-2 code of a delegation, in any case.",
            ),
            OpenApiParameter(
                "group",
                {"type": "string", "example": "soc"},
                description="A political group's slug.",
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "example": 2019},
                description="Year of the declarations.",
            ),
        ],
        responses={
            200: StatisticsSerializer,
            400: OpenApiResponse(
                description="A filter value is not valid; the body names the field."
            ),
        },
    )
    def get(self, request):
        form = StatisticsForm(request.query_params)
        if not form.is_valid():
            return Response(form_errors(form), status=400)
        data = statistics(**form.filters())
        return Response(StatisticsSerializer(api_numbers(data)).data)
