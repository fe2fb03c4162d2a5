from django.urls import path

from . import views

app_name = "prisoners"

urlpatterns = [
    path("detainees/<slug:slug>/", views.DetaineeDetailView.as_view(), name="detainee_detail"),
]
