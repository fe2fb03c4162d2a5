from collections import Counter

from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView, ListView, TemplateView
from django_countries import countries
from django_countries.fields import Country
from django_filters.views import FilterView

from prisoners.models import Detainee, Mention

from .caching import memoise
from .filters import DeclarationFilter, SignatoryFilter
from .forms import SearchForm
from .models import Declaration, PoliticalGroup, Signatory, SignatoryAlias, Signature, count_of
from .references import linked_paragraphs


class SectionMixin:
    """Tells the navigation which section of the site the page belongs to."""

    section = None

    def get_context_data(self, **kwargs):
        kwargs.setdefault("section", self.section)
        return super().get_context_data(**kwargs)


class PublicMixin(SectionMixin):
    """Public pages start from the model's public() rows."""

    def get_queryset(self):
        return self.model.objects.public()


class PreviewMixin(PublicMixin):
    """Detail pages: users who may change the model also see what is not published yet."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class PublicListMixin(PublicMixin):
    """Lists of 50 rows a page. A page number past the end shows the last page, and one that is
    not a number the first, rather than an error page."""

    paginate_by = 50

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class AliasRedirectMixin:
    """A detail page whose slug belonged to a record merged into another one redirects
    (permanently) to the record kept, if the visitor may see it."""

    alias_model = None
    alias_target = None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            alias = self.alias_model.objects.filter(slug=kwargs.get(self.slug_url_kwarg)).first()
            if alias is None:
                raise
            target = self.get_queryset().filter(pk=getattr(alias, f"{self.alias_target}_id"))
            if not target.exists():
                raise
            return redirect(target.get(), permanent=True)


class HomeView(SectionMixin, TemplateView):
    template_name = "signatories/home.html"
    section = "home"
    latest_count = 8

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=Declaration.objects.public().with_counts()[: self.latest_count],
            totals=memoise("home-totals", self.totals),
            search_form=SearchForm(),
            **kwargs,
        )

    @staticmethod
    def totals():
        """Counted over every public signature, so kept until the next change."""
        totals = Signature.objects.public().aggregate(
            signatories=Count("signatory", distinct=True),
            countries=Count("country", distinct=True),
            groups=Count("political_group", distinct=True),
        )
        totals["declarations"] = Declaration.objects.public().count()
        totals["detainees"] = Detainee.objects.public().count()
        return totals


class DeclarationListView(PublicListMixin, FilterView):
    model = Declaration
    filterset_class = DeclarationFilter
    template_name = "signatories/declaration_list.html"
    section = "declarations"

    def get_queryset(self):
        return super().get_queryset().with_counts()


class DeclarationDetailView(PreviewMixin, DetailView):
    model = Declaration
    template_name = "signatories/declaration_detail.html"
    context_object_name = "declaration"
    slug_field = "number"
    slug_url_kwarg = "number"
    section = "declarations"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "signatures",
                    queryset=Signature.objects.select_related(
                        "signatory", "political_group"
                    ).order_by("position"),
                ),
                Prefetch(
                    "mentions",
                    queryset=Mention.objects.filter(detainee__is_published=True)
                    .select_related("detainee")
                    .order_by("detainee__name"),
                    to_attr="public_mentions",
                ),
                "sources",
            )
        )

    def get_context_data(self, **kwargs):
        signatures = list(self.object.signatures.all())
        text_html, related = linked_paragraphs(
            self.object.text,
            Declaration.objects.visible_to(self.request.user).exclude(pk=self.object.pk),
        )
        kwargs.update(
            text_html=text_html,
            related_declarations=related,
            rule_check=self.object.rule_check(),
            sources=self.object.sources.all(),
        )
        by_group = Counter(signature.political_group for signature in signatures)
        by_country = Counter(signature.country.code for signature in signatures)
        return super().get_context_data(
            signatures=signatures,
            author=signatures[0] if signatures else None,
            by_group=sorted(by_group.items(), key=lambda item: (-item[1], item[0].abbreviation)),
            by_country=sorted(
                ((Country(code=code), count) for code, count in by_country.items()),
                key=lambda item: (-item[1], item[0].name),
            ),
            **kwargs,
        )


class SignatoryListView(PublicListMixin, FilterView):
    model = Signatory
    filterset_class = SignatoryFilter
    template_name = "signatories/signatory_list.html"
    section = "signatories"

    def get_queryset(self):
        return super().get_queryset().with_counts().select_related("political_group")

    def get_context_data(self, **kwargs):
        return super().get_context_data(facets=self.filterset.facets(), **kwargs)


class SignatoryDetailView(AliasRedirectMixin, PublicMixin, DetailView):
    model = Signatory
    alias_model = SignatoryAlias
    alias_target = "signatory"
    template_name = "signatories/signatory_detail.html"
    context_object_name = "signatory"
    section = "signatories"
    co_signer_count = 10

    def get_queryset(self):
        return super().get_queryset().select_related("political_group")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            signatures=self.object.signatures.public()
            .select_related("declaration", "political_group")
            .order_by("-declaration__date", "-declaration__number"),
            co_signers=Signatory.objects.co_signers_of(self.object).select_related(
                "political_group"
            )[: self.co_signer_count],
            **kwargs,
        )


class GroupListView(PublicMixin, ListView):
    model = PoliticalGroup
    template_name = "signatories/group_list.html"
    context_object_name = "groups"
    section = "groups"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_counts()
            .order_by(F("dissolved").asc(nulls_first=True), "-signature_count", "abbreviation")
        )

    def get_context_data(self, **kwargs):
        lineages = PoliticalGroup.objects.lineages()
        groups = list(self.object_list)
        for group in groups:
            group.rename_chain = lineages[group.pk]
        return super().get_context_data(object_list=groups, **kwargs)


class GroupDetailView(PublicMixin, DetailView):
    model = PoliticalGroup
    template_name = "signatories/group_detail.html"
    context_object_name = "group"
    section = "groups"

    def get_context_data(self, **kwargs):
        group = self.object
        as_group = Signature.objects.public().filter(political_group=group)
        signatories = (
            Signatory.objects.public()
            .signed_as(political_group=group)
            .annotate(signed_as_group=count_of(as_group, "signatory"))
            .select_related("political_group")
        )
        declarations = (
            Declaration.objects.public()
            .signed_as(political_group=group)
            .with_counts()
            .annotate(group_signature_count=count_of(as_group, "declaration"))
        )
        return super().get_context_data(
            rename_chain=PoliticalGroup.objects.lineages()[group.pk],
            signatories=signatories,
            declarations=declarations,
            **kwargs,
        )


class CountryListView(SectionMixin, ListView):
    template_name = "signatories/country_list.html"
    context_object_name = "countries"
    section = "countries"

    def get_queryset(self):
        """Delegations whose members signed public declarations, by the country as of signing."""
        rows = (
            Signature.objects.public()
            .order_by()
            .values("country")
            .annotate(
                signatories=Count("signatory", distinct=True),
                declarations=Count("declaration", distinct=True),
                signatures=Count("pk"),
            )
        )
        return sorted(
            ({**row, "country": Country(code=row["country"])} for row in rows),
            key=lambda row: row["country"].name,
        )


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
        declarations = list(
            Declaration.objects.public()
            .signed_as(country=code)
            .with_counts()
            .annotate(
                delegation_count=count_of(Signature.objects.filter(country=code), "declaration")
            )
        )
        if not declarations:
            raise Http404("No public signature from this country.")
        signatories = (
            Signatory.objects.public()
            .signed_as(country=code)
            .with_counts()
            .select_related("political_group")
        )
        return super().get_context_data(
            country=Country(code=code),
            declarations=declarations,
            signatories=signatories,
            **kwargs,
        )


class SearchView(SectionMixin, TemplateView):
    """One query over declarations (number, title, text), signatories and detainees (every
    name, accent-insensitive), grouped by kind; each kind links to its full list."""

    template_name = "signatories/search.html"
    section = "search"
    shown = 20

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        context = {"form": form, "query": "", "results": None}
        if form.is_valid() and form.cleaned_data["q"]:
            query = form.cleaned_data["q"]
            kinds = {
                "declarations": Declaration.objects.public().with_counts().search(query),
                "signatories": Signatory.objects.public()
                .search(query)
                .with_counts()
                .select_related("political_group"),
                "detainees": Detainee.objects.public().search(query).with_counts(),
            }
            context["query"] = query
            context["results"] = {
                kind: {"count": queryset.count(), "rows": queryset[: self.shown]}
                for kind, queryset in kinds.items()
            }
            context["shown"] = self.shown
        return super().get_context_data(**context, **kwargs)
