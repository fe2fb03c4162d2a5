"""Helpers of the curation tests: curators, sources, the demo text, admin addresses."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.urls import reverse

from signatories.models import Source

DEMO_TEXT = (Path(settings.BASE_DIR) / "data" / "demo" / "wd-695.txt").read_text(encoding="utf-8")
IMPORT_URL = "admin:signatories_declaration_import"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_curator(username="curator"):
    """A staff user in the Curators group, not a superuser."""
    user = User.objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def make_source(title="Court record", **fields):
    defaults = {"publisher": "District court", "published_on": datetime.date(2020, 5, 1)}
    return Source.objects.create(title=title, **{**defaults, **fields})


def extended(text, *items):
    """The demo text with `items` appended to its signatory list."""
    marker = "Mr Frank SCHWABE, Germany, SOC"
    return text.replace(marker, " ; ".join([marker, *items]))
