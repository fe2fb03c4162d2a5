from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView, ListView

from prisoners.models import Mention

from .models import Declaration, PoliticalGroup, Signatory, Signature


class HomeView(ListView):
    template_name = "signatories/home.html"
    context_object_name = "declarations"

    def get_queryset(self):
        return Declaration.objects.public().annotate(signature_count=Count("signatures"))[:20]


class DeclarationDetailView(DetailView):
    template_name = "signatories/declaration_detail.html"
    context_object_name = "declaration"
    slug_field = "number"
    slug_url_kwarg = "number"

    def get_queryset(self):
        return Declaration.objects.visible_to(self.request.user).prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("signatory", "political_group"),
            ),
            Prefetch(
                "mentions",
                queryset=Mention.objects.public().select_related("detainee"),
                to_attr="public_mentions",
            ),
        )


class SignatoryDetailView(DetailView):
    template_name = "signatories/signatory_detail.html"
    context_object_name = "signatory"

    def get_queryset(self):
        return Signatory.objects.public().select_related("political_group")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            signatures=self.object.signatures.public()
            .select_related("declaration", "political_group")
            .order_by("-declaration__date", "-declaration__number"),
            **kwargs,
        )


class GroupDetailView(DetailView):
    template_name = "signatories/group_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return PoliticalGroup.objects.public().select_related("successor")

    def get_context_data(self, **kwargs):
        members = (
            Signatory.objects.public()
            .filter(political_group=self.object)
            .annotate(
                declaration_count=Count(
                    "signatures",
                    filter=Q(signatures__declaration__status=Declaration.Status.PUBLISHED),
                )
            )
        )
        return super().get_context_data(lineage=self.object.lineage(), members=members, **kwargs)
