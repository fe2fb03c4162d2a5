from django.urls import path

from . import exports, feeds, views

app_name = "prisoners"

urlpatterns = [
    path("detainees/", views.DetaineeListView.as_view(), name="detainee_list"),
    path("detainees/<slug:slug>/", views.DetaineeDetailView.as_view(), name="detainee_detail"),
    path(
        "detainees/<slug:slug>/feed/",
        feeds.DetaineeRecordFeed(),
        name="detainee_record_feed",
    ),
    path("detainees.csv", exports.DetaineeCsvView.as_view(), name="detainee_csv"),
]
