from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from declaration_site.lib.admin import FoldedSearchMixin, changelist_link, merge_action
from signatories.admin import DeclarationAdmin, SourceAdmin
from signatories.models import Declaration, Source

from .merging import merge_detainees
from .models import SOURCE_NEEDED, Detainee, DetaineeAlias, Mention, StatusChange
from .services import refresh_status


class DetaineeForm(forms.ModelForm):
    class Meta:
        model = Detainee
        # The admin lists every field through its fieldsets.
        fields = ["is_published", "sources"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_published") and not cleaned.get("sources"):
            self.add_error("is_published", SOURCE_NEEDED)
        return cleaned


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["date", "status", "note", "sources"]
    autocomplete_fields = ["sources"]
    ordering = ["date", "pk"]
    extra = 0


class MentionInline(admin.TabularInline):
    model = Mention
    fields = ["declaration", "name_as_written"]
    autocomplete_fields = ["declaration"]
    extra = 0


class DeclarationMentionInline(admin.TabularInline):
    """The detainees a declaration names, edited on the declaration's page."""

    model = Mention
    fields = ["detainee", "name_as_written"]
    autocomplete_fields = ["detainee"]
    extra = 0


# The declarations' admin is the signatories app's; this app adds the detainees named to its
# page (the signatories app knows nothing of detainees).
admin.site.unregister(Declaration)


@admin.register(Declaration)
class DeclarationWithMentionsAdmin(DeclarationAdmin):
    inlines = [*DeclarationAdmin.inlines, DeclarationMentionInline]


# Likewise the sources' admin: a source that is the only one of a published detainee cannot be
# deleted (the signals refuse it too, whoever deletes).
admin.site.unregister(Source)


@admin.register(Source)
class SourceKeptByDetaineesAdmin(SourceAdmin):
    def get_deleted_objects(self, objs, request):
        deleted, counts, permissions, protected = super().get_deleted_objects(objs, request)
        stranded = Detainee.objects.citing_only([source.pk for source in objs])
        protected = [
            *protected,
            *(
                gettext("Detainee: %(name)s, published with no other source") % {"name": name}
                for name in stranded.order_by("name").values_list("name", flat=True)
            ),
        ]
        return deleted, counts, permissions, protected


@admin.register(Detainee)
class DetaineeAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = DetaineeForm
    list_display = ["name", "country", "status", "is_published", "mention_count"]
    list_filter = ["status", "is_published", ("country", CountryFilter)]
    search_fields = ["search_name", "slug"]
    search_help_text = _(
        "Any of the names; accents and capitals do not matter: bokaev finds Maks Bokayev."
    )
    ordering = ["name"]
    readonly_fields = ["created", "modified"]
    fieldsets = [
        (_("Identity"), {"fields": ["name", "other_names", "slug", "born_on"]}),
        (
            _("Case"),
            {
                "fields": [
                    "country",
                    "status",
                    "detained_on",
                    "released_on",
                    "place_of_detention",
                    "charges",
                    "sentence",
                    "summary",
                ]
            },
        ),
        (_("Publication"), {"fields": ["sources", "is_published", "created", "modified"]}),
    ]
    autocomplete_fields = ["sources"]
    inlines = [StatusChangeInline, MentionInline]
    actions = ["publish", "unpublish", "merge"]

    def save_model(self, request, obj, form, change):
        # A detainee is published only with a source already recorded (signals.py refuses any
        # other save): record the sources chosen before the row that says it is published.
        # Adding them first also lets a curator replace a published detainee's only source.
        sources = list(form.cleaned_data.get("sources") or [])
        if change or not obj.is_published:
            if change and sources:
                obj.sources.add(*sources)
            super().save_model(request, obj, form, change)
            return
        obj.is_published = False
        super().save_model(request, obj, form, change)
        obj.sources.add(*sources)
        obj.is_published = True
        obj.save(update_fields=["is_published", "modified"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_status(detainee_ids=[form.instance.pk])

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mention_count=Count("mentions"))

    @admin.display(description=_("declarations naming them"), ordering="mention_count")
    def mention_count(self, detainee):
        return changelist_link(Mention, "detainee__id__exact", detainee, detainee.mention_count)

    @admin.action(description=_("Publish the selected detainees"), permissions=["change"])
    def publish(self, request, queryset):
        unsourced = list(queryset.filter(sources__isnull=True).order_by("name"))
        if unsourced:
            message = gettext(
                "Nothing was published: without a source yet: %(names)s. "
                "A detainee can be published only with at least one source."
            ) % {"names": ", ".join(str(detainee) for detainee in unsourced)}
            self.message_user(request, message, messages.ERROR)
            return
        count = self._set_published(queryset, True)
        message = ngettext(
            "%(count)d detainee was published.", "%(count)d detainees were published.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected detainees"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._set_published(queryset, False)
        message = ngettext(
            "%(count)d detainee was unpublished.", "%(count)d detainees were unpublished.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Merge the selected detainees (duplicates)"),
        permissions=["change", "delete"],
    )
    def merge(self, request, queryset):
        return merge_action(self, request, queryset, merge_detainees)

    def _set_published(self, queryset, is_published):
        """Save each row that changes, so that its history records who changed it."""
        with transaction.atomic():
            detainees = list(queryset.exclude(is_published=is_published))
            for detainee in detainees:
                detainee.is_published = is_published
                detainee.save(update_fields=["is_published", "modified"])
        return len(detainees)


@admin.register(Mention)
class MentionAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name_as_written", "detainee", "declaration"]
    list_select_related = ["detainee", "declaration"]
    list_filter = ["detainee__is_published", "declaration__status"]
    date_hierarchy = "declaration__date"
    search_fields = ["detainee__search_name", "name_as_written", "declaration__number__exact"]
    search_help_text = _(
        "Detainee name (accents and capitals do not matter) or declaration number."
    )
    ordering = ["-declaration__date", "-declaration__number", "detainee__name"]
    autocomplete_fields = ["declaration", "detainee"]


@admin.register(StatusChange)
class StatusChangeAdmin(SimpleHistoryAdmin):
    list_display = ["detainee", "date", "status"]
    list_select_related = ["detainee"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["detainee__search_name", "note"]
    ordering = ["-date"]
    autocomplete_fields = ["detainee", "sources"]

    def delete_queryset(self, request, queryset):
        # "Delete selected": each detainee's status follows the changes left.
        detainee_ids = set(queryset.values_list("detainee_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_status(detainee_ids=detainee_ids)


@admin.register(DetaineeAlias)
class DetaineeAliasAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "detainee", "created"]
    list_select_related = ["detainee"]
    search_fields = ["slug", "detainee__search_name"]
    autocomplete_fields = ["detainee"]
