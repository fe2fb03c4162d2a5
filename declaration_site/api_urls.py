"""The read-only JSON API, under /api/: one router over the endpoints of both apps."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from prisoners.api import DeclarationViewSet, DetaineeViewSet
from signatories import api as declarations_api

from . import api
from .statistics import StatisticsAPIView

app_name = "api"

router = DefaultRouter()
# A declaration's record names the detainees it mentions: its viewset is the detainees' app's
# extension of the declarations' one.
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("signatories", declarations_api.SignatoryViewSet, basename="signatory")
router.register("groups", declarations_api.GroupViewSet, basename="group")
router.register("countries", declarations_api.CountryViewSet, basename="country")
router.register("detainees", DetaineeViewSet, basename="detainee")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api.DocsView.as_view(), name="docs"),
    path("statistics/", StatisticsAPIView.as_view(), name="statistics"),
    *router.urls,
    re_path(r"^.*/$", api.not_found),
]
