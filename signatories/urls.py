from django.urls import path

from . import exports, feeds, views

app_name = "signatories"

urlpatterns = [
    path("declarations/", views.DeclarationListView.as_view(), name="declaration_list"),
    path(
        "declarations/<int:number>/",
        views.DeclarationDetailView.as_view(),
        name="declaration_detail",
    ),
    path("signatories/", views.SignatoryListView.as_view(), name="signatory_list"),
    path("signatories/<slug:slug>/", views.SignatoryDetailView.as_view(), name="signatory_detail"),
    path("signatories/<slug:slug>/feed/", feeds.SignatoryFeed(), name="signatory_feed"),
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/<slug:slug>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<slug:slug>/feed/", feeds.GroupDeclarationsFeed(), name="group_feed"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("countries/<str:code>/feed/", feeds.CountryDeclarationsFeed(), name="country_feed"),
    path("declarations.csv", exports.DeclarationCsvView.as_view(), name="declaration_csv"),
    path(
        "declarations/<int:number>/signatures.csv",
        exports.SignatureCsvView.as_view(),
        name="signature_csv",
    ),
    path("signatories.csv", exports.SignatoryCsvView.as_view(), name="signatory_csv"),
]
