from django.http import HttpResponse
from django.urls import re_path

BODY = b"<!doctype html><title>baseline</title><p>A constant response.</p>\n"


def constant(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", constant)]
