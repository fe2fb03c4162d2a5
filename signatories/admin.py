from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, F, Max
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from prisoners.models import Mention

from .models import Declaration, PoliticalGroup, Signatory, Signature
from .text import fold

admin.site.site_header = _("Declaration Watch")
admin.site.site_title = _("Declaration Watch")
admin.site.index_title = _("Curation")


class FoldedSearchMixin:
    """Search folded columns with the folded term, so that "aberg" finds ÅBERG.

    Autocomplete widgets search through the same method.
    """

    search_help_text = _("Accents and capitals do not matter: aberg finds ÅBERG.")

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


def refresh_affiliations(signatory_ids):
    """Let each signatory's current country and group follow their most recent signature."""
    for signatory in Signatory.objects.filter(pk__in=signatory_ids):
        signatory.refresh_affiliation()


def changelist_link(model, lookup, obj, text):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}={}">{}</a>', url, lookup, obj.pk, text)


@admin.register(PoliticalGroup)
class PoliticalGroupAdmin(SimpleHistoryAdmin):
    list_display = ["abbreviation", "name", "founded", "dissolved", "successor", "member_count"]
    list_select_related = ["successor"]
    search_fields = ["abbreviation", "name", "abbreviation_fr", "name_fr", "slug"]
    ordering = ["abbreviation"]
    autocomplete_fields = ["successor"]
    fieldsets = [
        (None, {"fields": ["abbreviation", "name", "slug", "colour"]}),
        (_("In French"), {"fields": ["abbreviation_fr", "name_fr"]}),
        (_("Lifetime"), {"fields": ["founded", "dissolved", "successor"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("current members"), ordering="member_count")
    def member_count(self, group):
        return changelist_link(Signatory, "political_group__id__exact", group, group.member_count)


@admin.register(Signatory)
class SignatoryAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "country", "political_group", "signature_count"]
    list_select_related = ["political_group"]
    list_filter = [
        ("country", CountryFilter),
        ("political_group", admin.RelatedOnlyFieldListFilter),
        "affiliation_is_manual",
    ]
    search_fields = ["search_name", "slug"]
    ordering = ["sort_name", "country"]
    autocomplete_fields = ["political_group"]
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (None, {"fields": ["honorific", "given_name", "family_name", "slug"]}),
        (
            _("Current affiliation"),
            {"fields": ["country", "political_group", "affiliation_is_manual"]},
        ),
        (_("Record"), {"fields": ["created", "modified"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(signature_count=Count("signatures"))

    def save_model(self, request, obj, form, change):
        # A country or group a curator sets by hand stays, unless they untick the box themselves.
        if (
            change
            and {"country", "political_group"} & set(form.changed_data)
            and "affiliation_is_manual" not in form.changed_data
        ):
            obj.affiliation_is_manual = True
        super().save_model(request, obj, form, change)

    @admin.display(description=_("name"), ordering="sort_name")
    def name(self, signatory):
        return signatory.full_name

    @admin.display(description=_("signatures"), ordering="signature_count")
    def signature_count(self, signatory):
        return changelist_link(
            Signature, "signatory__id__exact", signatory, signatory.signature_count
        )


class SignatureFormSet(BaseInlineFormSet):
    def save_existing_objects(self, commit=True):
        # Rows are saved one by one and a position is unique within a declaration: for two
        # signatures to swap places, first move the rows that change position (or go) past the end.
        if commit:
            moving = [
                form.instance.pk
                for form in self.initial_forms
                if "position" in form.changed_data or form in self.deleted_forms
            ]
            if moving:
                end = self.instance.signatures.aggregate(end=Max("position"))["end"]
                Signature.objects.filter(pk__in=moving).update(position=F("position") + end)
        return super().save_existing_objects(commit)


class SignatureInline(admin.TabularInline):
    model = Signature
    formset = SignatureFormSet
    fields = ["position", "signatory", "country", "political_group"]
    autocomplete_fields = ["signatory", "political_group"]
    ordering = ["position"]
    extra = 0


class MentionInline(admin.TabularInline):
    model = Mention
    fields = ["detainee", "name_as_written"]
    autocomplete_fields = ["detainee"]
    extra = 0


@admin.register(Declaration)
class DeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "date", "title", "status", "signature_count"]
    list_display_links = ["number", "title"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["number__exact", "document_reference", "title"]
    search_help_text = _("Number, document reference or words of the title.")
    ordering = ["-date", "-number"]
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (None, {"fields": ["number", "document_reference", "date", "title", "slug", "status"]}),
        (_("Text"), {"fields": ["text", "source_url"]}),
        (_("Record"), {"fields": ["created", "modified"]}),
    ]
    inlines = [SignatureInline, MentionInline]
    # A source address typed without a scheme is taken as https, as PACE serves its documents.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(signature_count=Count("signatures"))

    @admin.display(description=_("signatures"), ordering="signature_count")
    def signature_count(self, declaration):
        return declaration.signature_count

    def save_related(self, request, form, formsets, change):
        signatures = Signature.objects.filter(declaration=form.instance)
        signed_before = set(signatures.values_list("signatory_id", flat=True))
        super().save_related(request, form, formsets, change)
        refresh_affiliations(signed_before | set(signatures.values_list("signatory_id", flat=True)))

    def delete_model(self, request, obj):
        signatory_ids = list(obj.signatures.values_list("signatory_id", flat=True))
        super().delete_model(request, obj)
        refresh_affiliations(signatory_ids)

    def delete_queryset(self, request, queryset):
        signatory_ids = list(
            Signature.objects.filter(declaration__in=queryset).values_list(
                "signatory_id", flat=True
            )
        )
        super().delete_queryset(request, queryset)
        refresh_affiliations(signatory_ids)

    @admin.action(description=_("Publish the selected declarations"), permissions=["change"])
    def publish(self, request, queryset):
        count = self._set_status(queryset, Declaration.Status.PUBLISHED)
        message = ngettext(
            "%(count)d declaration was published.",
            "%(count)d declarations were published.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Return the selected declarations to draft"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = self._set_status(queryset, Declaration.Status.DRAFT)
        message = ngettext(
            "%(count)d declaration was returned to draft.",
            "%(count)d declarations were returned to draft.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _set_status(self, queryset, status):
        """Save each row that changes, so that its history records who changed it."""
        with transaction.atomic():
            declarations = list(queryset.exclude(status=status))
            for declaration in declarations:
                declaration.status = status
                declaration.save(update_fields=["status", "modified"])
        return len(declarations)


@admin.register(Signature)
class SignatureAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["declaration", "position", "signatory", "country", "political_group"]
    list_display_links = ["declaration", "position"]
    list_select_related = ["declaration", "signatory", "political_group"]
    list_filter = [
        ("country", CountryFilter),
        ("political_group", admin.RelatedOnlyFieldListFilter),
        "declaration__status",
    ]
    date_hierarchy = "declaration__date"
    search_fields = ["signatory__search_name", "declaration__number__exact"]
    search_help_text = _(
        "Signatory name (accents and capitals do not matter) or declaration number."
    )
    ordering = ["-declaration__date", "-declaration__number", "position"]
    autocomplete_fields = ["declaration", "signatory", "political_group"]

    def save_model(self, request, obj, form, change):
        signatory_ids = {obj.signatory_id}
        if change and "signatory" in form.changed_data:
            signatory_ids.add(form.initial["signatory"])
        super().save_model(request, obj, form, change)
        refresh_affiliations(signatory_ids)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_affiliations([obj.signatory_id])

    def delete_queryset(self, request, queryset):
        signatory_ids = list(queryset.values_list("signatory_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_affiliations(signatory_ids)
