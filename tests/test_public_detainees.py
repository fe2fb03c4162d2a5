"""The public list of detainees (/detainees/) and a detainee's page."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from prisoners.models import Detainee

from .factories import make_declaration, make_detainee, make_mention

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

LIST = reverse("prisoners:detainee_list")


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    detainees = list(response.context["object_list"])
    html = response.content.decode()
    for detainee in detainees:
        address = reverse("prisoners:detainee_detail", kwargs={"slug": detainee.slug})
        assert f'<a href="{address}">{detainee.name}</a>' in html
    return {detainee.name for detainee in detainees}


def test_list_shows_the_published_detainees_with_their_declaration_counts(client, demo):
    response = client.get(LIST)
    rows = list(response.context["object_list"])
    assert len(rows) == 9
    assert {row.declaration_count for row in rows} == {1}
    assert "9 detainees match" in response.content.decode()


def test_list_hides_unpublished_detainees(client, demo):
    make_detainee(name="Not Yet Checked", is_published=False)
    assert "Not Yet Checked" not in listed(client)
    assert "Not Yet Checked" not in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?q=max+bokayev", {"Maks Bokayev"}),
        ("?q=bokaev", {"Maks Bokayev"}),
        ("?q=Бокаев", {"Maks Bokayev"}),
        ("?q=erimbetov", {"Iskander Yerimbetov"}),
        ("?q=ZHAKISHEV", {"Mukhtar Dzhakishev"}),
        ("?q=nobody", set()),
    ],
)
def test_name_search_covers_every_spelling(client, demo, query, names):
    assert listed(client, query) == names


def test_filters_by_status_country_and_declaration(client, demo):
    released = make_detainee(name="Freed Person", status="released", country="BY")
    make_mention(make_declaration(number=710), released)
    assert listed(client, "?status=released") == {"Freed Person"}
    assert listed(client, "?country=by") == {"Freed Person"}
    assert listed(client, "?declaration=710") == {"Freed Person"}
    assert len(listed(client, "?declaration=695")) == 9
    assert len(listed(client, "?country=KZ&status=detained")) == 3


def test_declaration_filter_ignores_draft_declarations(client, demo):
    named = make_detainee(name="Named In Draft")
    make_mention(make_declaration(number=711, status="draft"), named)
    assert listed(client, "?declaration=711") == set()
    assert client.get(LIST + "?q=named+in+draft").context["object_list"][0].declaration_count == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?country=ZZ", "Select a valid choice. ZZ is not one of the available choices."),
        ("?status=free", "Select a valid choice. free is not one of the available choices."),
        ("?declaration=abc", "Enter a whole number."),
    ],
)
def test_bad_filter_values_show_the_error_and_no_rows(client, demo, query, message):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["object_list"]) == []


def test_detainee_page_shows_the_case_and_the_declarations_that_name_them(client, demo):
    detainee = Detainee.objects.get(name="Maks Bokayev")
    detainee.detained_on = datetime.date(2016, 5, 17)
    detainee.charges = "Inciting social discord."
    detainee.sentence = "Five years"
    detainee.place_of_detention = "Atyrau"
    detainee.save()
    mention = demo.mentions.get(detainee=detainee)
    mention.name_as_written = "Maks  BOKAYEV"
    mention.save()
    response = client.get(detainee.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Detained",
        "17 May 2016",
        "Inciting social discord.",
        "Five years",
        "Atyrau",
        "Civic activist from Atyrau.",
        "Макс Бокаев",
    ]:
        assert text in html, text
    [row] = response.context["mentions"]
    assert (row.declaration.number, row.name_as_written) == (695, "Maks  BOKAYEV")
    assert '<a href="/declarations/695/">' in html
    assert "<td>Maks  BOKAYEV</td>" in html


def test_detainee_page_leaves_out_draft_declarations(client, demo):
    detainee = Detainee.objects.get(name="Maks Bokayev")
    make_mention(make_declaration(number=712, status="draft", title="Secret draft"), detainee)
    response = client.get(detainee.get_absolute_url())
    assert [m.declaration.number for m in response.context["mentions"]] == [695]
    assert "Secret draft" not in response.content.decode()


def test_unpublished_detainee_is_404_to_visitors(client, demo):
    hidden = make_detainee(name="Not Yet Checked", is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_staff_who_may_change_detainees_preview_them_with_a_banner(client, demo):
    hidden = make_detainee(name="Not Yet Checked", is_published=False)
    curator = User.objects.create_user("curator", password="unused", is_staff=True)
    curator.user_permissions.add(Permission.objects.get(codename="change_detainee"))
    client.force_login(curator)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "<strong>Draft</strong>" in response.content.decode()
    assert "Not Yet Checked" not in client.get(LIST).content.decode()
    published = Detainee.objects.get(name="Maks Bokayev").get_absolute_url()
    assert "<strong>Draft</strong>" not in client.get(published).content.decode()
