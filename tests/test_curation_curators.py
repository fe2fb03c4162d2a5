"""The Curators group: staff in it curate everything; other staff and users' pages are closed."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from prisoners.models import Detainee
from signatories.models import Declaration, Signatory

from .curation import DEMO_TEXT, IMPORT_URL, admin_url, make_curator, make_source
from .factories import make_detainee, make_signatory
from .test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    client.force_login(make_curator())
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_user("staff", password="x", is_staff=True))
    return client


def test_the_group_exists_with_no_permission_on_users():
    permissions = Group.objects.get(name="Curators").permissions
    assert permissions.filter(codename="change_detainee").exists()
    assert permissions.filter(codename="add_statuschange").exists()
    assert not permissions.filter(content_type__app_label="auth").exists()


def test_a_curator_can_import(curator_client):
    response = curator_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "confirm": "1"})
    assert response.status_code == 302
    assert Declaration.objects.get(number=695).signatures.count() == 25


def test_a_curator_can_edit_and_revert(curator_client, demo):
    url = admin_url(Declaration, "change", demo.pk)
    data = form_data(curator_client.get(url), title="A changed title")
    assert curator_client.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.title == "A changed title"
    assert demo.history.first().history_user.username == "curator"

    original = demo.history.order_by("history_date").first()
    revert_url = reverse(
        "admin:signatories_declaration_simple_history", args=[demo.pk, original.history_id]
    )
    response = curator_client.post(revert_url, form_data(curator_client.get(revert_url)))
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.title == original.title
    assert demo.signatures.count() == 25


def test_a_curator_can_merge(curator_client):
    kept = make_signatory(given_name="Ian", family_name="MURRAY")
    other = make_signatory(given_name="Iain", family_name="MURRAY")
    curator_client.post(
        admin_url(Signatory, "changelist"),
        {"action": "merge", "_selected_action": [kept.pk, other.pk], "keep": kept.pk, "merge": "1"},
    )
    assert list(Signatory.objects.all()) == [kept]


def test_a_curator_can_publish_a_sourced_detainee(curator_client):
    detainee = make_detainee(is_published=False)
    detainee.sources.add(make_source())
    curator_client.post(
        admin_url(Detainee, "changelist"), {"action": "publish", "_selected_action": [detainee.pk]}
    )
    detainee.refresh_from_db()
    assert detainee.is_published
    assert detainee.history.first().history_user.username == "curator"


def test_a_curator_cannot_manage_users(curator_client):
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse(IMPORT_URL),
        lambda: admin_url(Declaration, "changelist"),
        lambda: admin_url(Detainee, "changelist"),
    ],
    ids=["import", "declarations", "detainees"],
)
def test_staff_outside_the_group_cannot_curate(staff_client, url):
    assert staff_client.get(url()).status_code == 403


def test_staff_outside_the_group_cannot_merge_or_publish(staff_client):
    kept = make_signatory(given_name="Ian", family_name="MURRAY")
    other = make_signatory(given_name="Iain", family_name="MURRAY")
    response = staff_client.post(
        admin_url(Signatory, "changelist"),
        {"action": "merge", "_selected_action": [kept.pk, other.pk], "keep": kept.pk, "merge": "1"},
    )
    assert response.status_code == 403
    assert Signatory.objects.count() == 2
