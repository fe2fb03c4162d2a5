from django.views.generic import DetailView
from django_filters.views import FilterView

from signatories.views import PreviewMixin, PublicListMixin

from .filters import DetaineeFilter
from .models import Detainee


class DetaineeListView(PublicListMixin, FilterView):
    model = Detainee
    filterset_class = DetaineeFilter
    template_name = "prisoners/detainee_list.html"
    section = "detainees"

    def get_queryset(self):
        return super().get_queryset().with_counts()


class DetaineeDetailView(PreviewMixin, DetailView):
    model = Detainee
    template_name = "prisoners/detainee_detail.html"
    context_object_name = "detainee"
    section = "detainees"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mentions=self.object.mentions.public()
            .select_related("declaration")
            .order_by("-declaration__date", "-declaration__number"),
            **kwargs,
        )
