from django.urls import path

from . import exports, views

app_name = "prisoners"

urlpatterns = [
    path("detainees/", views.DetaineeListView.as_view(), name="detainee_list"),
    path("detainees/<slug:slug>/", views.DetaineeDetailView.as_view(), name="detainee_detail"),
    path("detainees.csv", exports.DetaineeCsvView.as_view(), name="detainee_csv"),
]
