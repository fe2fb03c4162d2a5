from django.views.generic import DetailView
from django_filters.views import FilterView

from declaration_site.lib.views import (
    AliasRedirectMixin,
    PreparedPageMixin,
    PreviewMixin,
    PublicListMixin,
)

from .filters import DetaineeFilter
from .models import Detainee, DetaineeAlias, DetaineeRow


class DetaineeListView(PreparedPageMixin, PublicListMixin, FilterView):
    model = Detainee
    filterset_class = DetaineeFilter
    template_name = "prisoners/detainee_list.html"
    section = "detainees"
    # The page reads only what its table shows (the CSV download, all of it).
    row_class = DetaineeRow

    @classmethod
    def listed(cls):
        # By family name (the last word of the name shown), then as shown: see sort_name_of().
        return Detainee.objects.public().with_counts().order_by("sort_name", "name", "slug")


def events_of(timeline, mentions):
    """One list of what happened to a detainee, oldest first: each status change of `timeline`
    and each declaration of `mentions` that named them, as (date, kind, record) with kind
    "status" or "declaration". On one day, the status change comes first."""
    events = [(change.date, "status", change) for change in timeline]
    events += [(mention.declaration.date, "declaration", mention) for mention in mentions]
    order = {"status": 0, "declaration": 1}
    return sorted(
        events,
        key=lambda event: (
            event[0],
            order[event[1]],
            event[2].pk if event[1] == "status" else event[2].declaration.number,
        ),
    )


class DetaineeDetailView(AliasRedirectMixin, PreviewMixin, DetailView):
    model = Detainee
    alias_model = DetaineeAlias
    alias_target = "detainee"
    template_name = "prisoners/detainee_detail.html"
    context_object_name = "detainee"
    section = "detainees"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sources")

    def get_context_data(self, **kwargs):
        timeline = list(
            self.object.status_changes.prefetch_related("sources").order_by("date", "pk")
        )
        mentions = list(
            self.object.mentions.public()
            .select_related("declaration")
            .order_by("-declaration__date", "-declaration__number")
        )
        return super().get_context_data(
            timeline=timeline,
            events=events_of(timeline, mentions),
            # The current status follows the newest status change; without one, it is as a
            # curator recorded it, undated.
            status_as_of=timeline[-1].date if timeline else None,
            custody=self.object.custody(timeline),
            mentions=mentions,
            **kwargs,
        )
