from django.urls import path

from . import views

app_name = "signatories"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "declarations/<int:number>/",
        views.DeclarationDetailView.as_view(),
        name="declaration_detail",
    ),
    path("signatories/<slug:slug>/", views.SignatoryDetailView.as_view(), name="signatory_detail"),
    path("groups/<slug:slug>/", views.GroupDetailView.as_view(), name="group_detail"),
]
