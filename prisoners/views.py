from django.views.generic import DetailView

from .models import Detainee


class DetaineeDetailView(DetailView):
    template_name = "prisoners/detainee_detail.html"
    context_object_name = "detainee"

    def get_queryset(self):
        return Detainee.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mentions=self.object.mentions.public()
            .select_related("declaration")
            .order_by("-declaration__date"),
            **kwargs,
        )
