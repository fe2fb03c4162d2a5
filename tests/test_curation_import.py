"""The admin page that imports a declaration from pasted text or an uploaded file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prisoners.models import Mention
from signatories.models import Declaration, Signatory, Signature

from .curation import DEMO_TEXT, IMPORT_URL, extended
from .factories import make_detainee, make_signatory

pytestmark = pytest.mark.django_db


def counts():
    return (
        Declaration.objects.count(),
        Signatory.objects.count(),
        Signature.objects.count(),
        Mention.objects.count(),
    )


def preview(client, text, **data):
    return client.post(reverse(IMPORT_URL), {"text": text, "preview": "Preview", **data})


def test_changelist_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:signatories_declaration_changelist"))
    assert reverse(IMPORT_URL) in response.content.decode()
    assert "Import from text" in response.content.decode()


def test_preview_shows_new_and_matched_signatories_and_writes_nothing(admin_client):
    make_signatory(given_name="Petra", family_name="BAYR", country="AT")
    make_detainee(name="Maks Bokayev", other_names="Max Bokayev")
    before = counts()
    response = preview(admin_client, DEMO_TEXT)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Written declaration No. 695" in page
    assert "Doc. 14983" in page
    assert "matches Petra BAYR" in page
    assert page.count("new signatory") == 24
    assert "Republic of Moldova" in page
    assert "EPP/CD" in page
    assert "Known detainees that will be linked" in page
    assert "Maks Bokayev" in page
    assert "Confirm import" in page
    assert counts() == before


def test_confirm_writes_the_declaration_in_one_go(admin_client):
    make_detainee(name="Maks Bokayev")
    response = admin_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "confirm": "Confirm"})
    declaration = Declaration.objects.get(number=695)
    assert response.status_code == 302
    assert response.url == reverse("admin:signatories_declaration_change", args=[declaration.pk])
    assert declaration.signatures.count() == 25
    assert declaration.status == Declaration.Status.DRAFT
    assert declaration.mentions.get().detainee.name == "Maks Bokayev"
    page = admin_client.get(response.url).content.decode()
    assert "was imported with 25 signatures" in page


def test_confirm_can_publish(admin_client):
    admin_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "publish": "on", "confirm": "1"})
    assert Declaration.objects.get(number=695).is_published


def test_cancel_writes_nothing_and_returns_to_the_list(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "cancel": "Cancel"})
    assert response.status_code == 302
    assert response.url == reverse("admin:signatories_declaration_changelist")
    assert counts() == (0, 0, 0, 0)


def test_an_uploaded_file_is_previewed_and_carried_to_the_confirmation(admin_client):
    upload = SimpleUploadedFile("wd-695.txt", DEMO_TEXT.encode(), content_type="text/plain")
    response = admin_client.post(reverse(IMPORT_URL), {"file": upload, "preview": "1"})
    assert "new signatory" in response.content.decode()
    assert response.context["form"].cleaned_data["text"] == DEMO_TEXT
    assert Declaration.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Dear colleagues, lunch is at noon."}, "expected the header"),
        (
            {"text": DEMO_TEXT.replace("Latvia, SOC", "Latvia, XYZ")},
            "unknown political group &#x27;XYZ&#x27;",
        ),
        ({"text": "   "}, "Paste the text of a declaration or choose a file."),
    ],
    ids=["not-a-declaration", "unknown-group", "empty"],
)
def test_bad_text_shows_the_problem_and_writes_nothing(admin_client, data, message):
    response = admin_client.post(reverse(IMPORT_URL), {**data, "confirm": "Confirm"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_a_problem_names_its_line(admin_client):
    response = preview(admin_client, DEMO_TEXT.replace("Latvia, SOC", "Latvia, XYZ"))
    assert "Line 7" in response.content.decode()
    assert "nothing was written" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Written declaration No. 1 \xff\xfe", "not UTF-8 text"),
        (b"x" * 1_000_001, "larger than 1 MB"),
    ],
    ids=["not-utf8", "too-large"],
)
def test_a_bad_file_is_refused_on_the_form(admin_client, content, message):
    upload = SimpleUploadedFile("declaration.txt", content, content_type="text/plain")
    response = admin_client.post(reverse(IMPORT_URL), {"file": upload, "confirm": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_reimporting_an_extended_list_adds_only_the_new_signatures(admin_client):
    admin_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "confirm": "1"})
    declaration = Declaration.objects.get(number=695)
    before = {
        s.signatory_id: (s.position, s.country, s.political_group_id)
        for s in declaration.signatures.all()
    }
    longer = extended(DEMO_TEXT, "Ms Ada LOVELACE, United Kingdom, SOC")

    page = preview(admin_client, longer).content.decode()
    assert page.count('<td class="kind-new">new signatory</td>') == 1
    assert "(1 new signatory, 0 matched)" in page
    assert page.count("already signed") == 25
    assert "1 signature will be added" in page

    response = admin_client.post(reverse(IMPORT_URL), {"text": longer, "confirm": "1"}, follow=True)
    assert "1 signature added (Ada LOVELACE)" in response.content.decode()
    after = {
        s.signatory_id: (s.position, s.country, s.political_group_id)
        for s in declaration.signatures.all()
    }
    assert len(after) == 26
    assert {key: after[key] for key in before} == before
    assert declaration.signatures.get(position=26).signatory.family_name == "LOVELACE"


def test_reimporting_a_shorter_list_removes_no_signature(admin_client):
    admin_client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "confirm": "1"})
    shorter = DEMO_TEXT.replace(" ; Mr Frank SCHWABE, Germany, SOC", "")
    admin_client.post(reverse(IMPORT_URL), {"text": shorter, "confirm": "1"})
    assert Signature.objects.filter(signatory__family_name="SCHWABE").exists()
    assert Signature.objects.count() == 25


def test_staff_without_the_add_permission_cannot_open_the_import_page(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert client.post(reverse(IMPORT_URL), {"text": DEMO_TEXT, "confirm": "1"}).status_code == 403
    assert Declaration.objects.count() == 0
