"""The read-only JSON API, under /api/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from prisoners.api import DetaineeViewSet

from . import api

app_name = "api"

router = DefaultRouter()
router.register("declarations", api.DeclarationViewSet, basename="declaration")
router.register("signatories", api.SignatoryViewSet, basename="signatory")
router.register("groups", api.GroupViewSet, basename="group")
router.register("countries", api.CountryViewSet, basename="country")
router.register("detainees", DetaineeViewSet, basename="detainee")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api.DocsView.as_view(), name="docs"),
    *router.urls,
    re_path(r"^.*/$", api.not_found),
]
