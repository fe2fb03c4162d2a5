from django.views.generic import DetailView
from django_filters.views import FilterView

from declaration_site.lib.views import AliasRedirectMixin, PreviewMixin, PublicListMixin

from .filters import DetaineeFilter
from .models import Detainee, DetaineeAlias


class DetaineeListView(PublicListMixin, FilterView):
    model = Detainee
    filterset_class = DetaineeFilter
    template_name = "prisoners/detainee_list.html"
    section = "detainees"

    def get_queryset(self):
        return super().get_queryset().with_counts()


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
        return super().get_context_data(
            timeline=timeline,
            custody=self.object.custody(timeline),
            mentions=self.object.mentions.public()
            .select_related("declaration")
            .order_by("-declaration__date", "-declaration__number"),
            **kwargs,
        )
