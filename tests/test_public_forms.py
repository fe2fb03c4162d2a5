"""The filter forms of the public lists: a field left empty is the same markup for every
visitor of a page in one language until the record changes, and is rendered once for them
(`declaration_site.lib.forms.PublicBoundField`); what a visitor chose is always their own."""

import datetime
import re

import pytest

from .factories import make_declaration, make_signatory, make_signature

pytestmark = pytest.mark.django_db


def year_options(html):
    select = re.search(r'<select name="year"[^>]*>(.*?)</select>', html, re.DOTALL).group(1)
    return re.findall(r'<option value="(\d*)"( selected)?>', select)


def test_a_new_year_is_a_choice_at_the_next_request(client, demo):
    assert ("2031", "") not in year_options(client.get("/declarations/").content.decode())

    declaration = make_declaration(date=datetime.date(2031, 5, 4))
    make_signature(declaration, make_signatory())

    assert ("2031", "") in year_options(client.get("/declarations/").content.decode())


def test_the_visitors_choice_is_selected_and_only_for_them(client, demo):
    chosen = year_options(client.get("/declarations/?year=2019").content.decode())
    assert ("2019", " selected") in chosen

    after = year_options(client.get("/declarations/").content.decode())
    assert ("2019", "") in after
    assert [value for value, selected in after if selected] == [""]  # "Any year"


def test_a_wrong_value_is_shown_with_its_error_not_the_empty_form(client, demo):
    response = client.get("/declarations/?year=1850")

    html = response.content.decode()
    assert "Select a valid choice" in html
    assert client.get("/declarations/").content.decode().count("Select a valid choice") == 0


def test_each_language_has_its_own_labels(client, demo):
    english = client.get("/declarations/").content.decode()
    french = client.get("/fr/declarations/").content.decode()

    assert "Any year" in english and "Any year" not in french
    assert "Any country" in english and "Any country" not in french
    assert "Any year" not in client.get("/fr/declarations/").content.decode()


def test_the_words_typed_are_kept_in_the_field(client, demo):
    html = client.get("/signatories/?q=brenan").content.decode()

    assert re.search(r'<input type="text" name="q" value="brenan"', html)
    assert 'value="brenan"' not in client.get("/signatories/").content.decode()


def test_visitors_do_not_add_to_what_is_kept(client, demo):
    from declaration_site.lib.forms import PublicBoundField

    client.get("/declarations/")
    client.get("/signatories/")
    kept = len(PublicBoundField._rendered)
    for number in range(20):
        client.get(f"/declarations/?q=word{number}&year=2019")
        client.get(f"/signatories/?q=name{number}&sort=signed")
        client.get("/declarations/")

    assert len(PublicBoundField._rendered) == kept


def test_each_language_has_its_own_choices_and_a_new_one_is_valid_at_once(client, demo):
    def labels(address):
        html = client.get(address).content.decode()
        return re.findall(r'<span class="facet__label">([^<]*)</span>', html)

    assert "Italy" in labels("/signatories/")
    assert "Italie" in labels("/fr/signatories/")
    assert "Italy" in labels("/signatories/")  # the French form did not replace the English one
    assert "San Marino" not in labels("/signatories/")

    make_signature(make_declaration(), make_signatory(family_name="NEW", country="SM"))

    assert "San Marino" in labels("/signatories/")
    response = client.get("/signatories/?country=sm")
    assert [row.family_name for row in response.context["object_list"]] == ["NEW"]
