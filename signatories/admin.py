from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, F, Max
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from declaration_site.lib.admin import FoldedSearchMixin, changelist_link, merge_action

from .admin_forms import ImportForm
from .importing import import_declarations
from .merging import merge_signatories
from .models import Declaration, PoliticalGroup, Signatory, SignatoryAlias, Signature, Source
from .parsing import ParseError, parse_declaration
from .rules import RuleCheck, check_signatures
from .services import refresh_affiliations, refresh_signatories, refresh_signatories_of

admin.site.site_header = _("Declaration Watch")
admin.site.site_title = _("Declaration Watch")
admin.site.index_title = _("Curation")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "accessed_on", "url"]
    search_fields = ["title", "publisher", "url"]
    ordering = ["title"]
    date_hierarchy = "published_on"
    readonly_fields = ["created", "modified"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SignatoryAlias)
class SignatoryAliasAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "signatory", "created"]
    list_select_related = ["signatory"]
    search_fields = ["slug", "signatory__search_name"]
    autocomplete_fields = ["signatory"]


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
    search_fields = ["search_name", "other_search_names", "slug"]
    ordering = ["sort_name", "country"]
    autocomplete_fields = ["political_group"]
    readonly_fields = ["created", "modified"]
    actions = ["merge"]
    fieldsets = [
        (None, {"fields": ["honorific", "given_name", "family_name", "other_names", "slug"]}),
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
        # Unticking the box gives the signatory back the affiliation their signatures say.
        refresh_affiliations(signatory_ids=[obj.pk])

    @admin.display(description=_("name"), ordering="sort_name")
    def name(self, signatory):
        return signatory.full_name

    @admin.action(
        description=_("Merge the selected signatories (duplicates)"),
        permissions=["change", "delete"],
    )
    def merge(self, request, queryset):
        return merge_action(self, request, queryset, merge_signatories)

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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A declaration has dozens of signatures: a code box per row, not a list of every
        # country in the world repeated on each (which made the page slow to open).
        if db_field.name == "country":
            kwargs["widget"] = forms.TextInput(
                attrs={"size": 3, "maxlength": 2, "placeholder": "IT", "class": "country-code"}
            )
            kwargs["help_text"] = _("ISO code as of signing, in capitals: IT, GB.")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Declaration)
class DeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "date", "title", "status", "signature_count", "meets_rule"]
    list_display_links = ["number", "title"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["number__exact", "document_reference", "title"]
    search_help_text = _("Number, document reference or words of the title.")
    ordering = ["-date", "-number"]
    readonly_fields = ["rule_check", "created", "modified"]
    autocomplete_fields = ["sources"]
    fieldsets = [
        (None, {"fields": ["number", "document_reference", "date", "title", "slug", "status"]}),
        (_("PACE's rule"), {"fields": ["rule_check"]}),
        (_("Text"), {"fields": ["text", "source_url", "sources"]}),
        (_("Record"), {"fields": ["created", "modified"]}),
    ]
    inlines = [SignatureInline]
    # A source address typed without a scheme is taken as https, as PACE serves its documents.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                signatory_count=Count("signatures__signatory", distinct=True),
                delegation_count=Count("signatures__country", distinct=True),
                group_count=Count("signatures__political_group", distinct=True),
            )
        )

    @admin.display(description=_("meets PACE's rule"), boolean=True)
    def meets_rule(self, declaration):
        return RuleCheck(
            declaration.signatory_count, declaration.delegation_count, declaration.group_count
        ).meets

    @admin.display(description=_("rule check"))
    def rule_check(self, declaration):
        if declaration.pk is None:
            return "-"
        check = check_signatures(declaration.signatures.all())
        css = "rule-check rule-check--meets" if check.meets else "rule-check rule-check--short"
        icon = static("admin/img/icon-yes.svg" if check.meets else "admin/img/icon-alert.svg")
        return format_html('<span class="{}"><img src="{}" alt=""> {}</span>', css, icon, check)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="signatories_declaration_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Paste or upload a declaration, preview what the import would do, then confirm."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        changelist = reverse("admin:signatories_declaration_changelist")
        if request.method == "POST" and "cancel" in request.POST:
            self.message_user(request, gettext("Nothing was imported."), messages.INFO)
            return redirect(changelist)
        form = ImportForm(request.POST or None, request.FILES or None)
        report = problems = None
        if request.method == "POST" and form.is_valid():
            text, publish = form.cleaned_data["text"], form.cleaned_data["publish"]
            confirm = "confirm" in request.POST
            try:
                [report] = import_declarations(
                    [parse_declaration(text)], publish=publish, dry_run=not confirm
                )
            except ParseError as error:
                problems = error.problems
            else:
                if confirm:
                    self._report_import(request, report)
                    return redirect("admin:signatories_declaration_change", report.declaration.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a declaration from text"),
            "subtitle": None,
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "problems": problems,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/signatories/declaration/import.html", context)

    def _report_import(self, request, report):
        if report.created:
            message = gettext("%(declaration)s was imported with %(count)d signatures.") % {
                "declaration": report.declaration,
                "count": len(report.added_signatures),
            }
        elif report.added_signatures:
            message = ngettext(
                "%(declaration)s: %(count)d signature added (%(names)s).",
                "%(declaration)s: %(count)d signatures added (%(names)s).",
                len(report.added_signatures),
            ) % {
                "declaration": report.declaration,
                "count": len(report.added_signatures),
                "names": ", ".join(str(s.signatory) for s in report.added_signatures),
            }
        else:
            message = gettext("%(declaration)s was already recorded; nothing changed.") % {
                "declaration": report.declaration
            }
        self.message_user(request, message, messages.SUCCESS)
        for note in report.notes:
            self.message_user(request, note, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        signatures = Signature.objects.filter(declaration=form.instance)
        signed_before = set(signatures.values_list("signatory_id", flat=True))
        super().save_related(request, form, formsets, change)
        refresh_signatories(
            signatory_ids=signed_before | set(signatures.values_list("signatory_id", flat=True))
        )

    def delete_model(self, request, obj):
        signatory_ids = list(obj.signatures.values_list("signatory_id", flat=True))
        super().delete_model(request, obj)
        refresh_signatories(signatory_ids=signatory_ids)

    def delete_queryset(self, request, queryset):
        signatory_ids = list(
            Signature.objects.filter(declaration__in=queryset).values_list(
                "signatory_id", flat=True
            )
        )
        super().delete_queryset(request, queryset)
        refresh_signatories(signatory_ids=signatory_ids)

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
        """Save each row that changes, so that its history records who changed it; then the
        signatories of those declarations follow (who is public, their current affiliation)."""
        with transaction.atomic():
            declarations = list(queryset.exclude(status=status))
            for declaration in declarations:
                declaration.status = status
                declaration.save(update_fields=["status", "modified"])
            refresh_signatories_of(declaration_ids=[declaration.pk for declaration in declarations])
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
        refresh_signatories(signatory_ids=signatory_ids)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_signatories(signatory_ids=[obj.signatory_id])

    def delete_queryset(self, request, queryset):
        signatory_ids = list(queryset.values_list("signatory_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_signatories(signatory_ids=signatory_ids)
