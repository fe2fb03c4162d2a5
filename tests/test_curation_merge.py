"""Merging duplicate signatories and detainees in the admin."""

import datetime

import pytest

from prisoners.models import Detainee, DetaineeAlias, StatusChange
from signatories.importing import import_declarations
from signatories.models import Signatory, SignatoryAlias, Signature
from signatories.parsing import parse_declaration

from .curation import DEMO_TEXT, admin_url, make_source
from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

pytestmark = pytest.mark.django_db


def merge(client, model, records, keep):
    return client.post(
        admin_url(model, "changelist"),
        {
            "action": "merge",
            "_selected_action": [record.pk for record in records],
            "keep": keep.pk,
            "merge": "Merge",
        },
        follow=True,
    )


@pytest.fixture
def duplicates():
    """One person recorded twice: Jacques MAIRE and Jaques MAIRE, each with a signature."""
    kept = make_signatory(given_name="Jacques", family_name="MAIRE", political_group=group("ALDE"))
    other = make_signatory(given_name="Jaques", family_name="MAIRE", political_group=group("NR"))
    first = make_declaration(number=660, date=datetime.date(2018, 1, 1))
    second = make_declaration(number=682, date=datetime.date(2019, 1, 1))
    make_signature(first, make_signatory(family_name="AUTHOR"))
    make_signature(first, other, political_group=group("NR"))
    make_signature(second, kept, political_group=group("ALDE"))
    return kept, other


def test_the_action_asks_which_one_to_keep(admin_client, duplicates):
    response = admin_client.post(
        admin_url(Signatory, "changelist"),
        {"action": "merge", "_selected_action": [s.pk for s in duplicates]},
    )
    page = response.content.decode()
    assert "Choose the signatory to keep" in page
    assert "Jaques MAIRE" in page
    assert Signatory.objects.count() == 3


def test_merge_keeps_every_signature_with_its_snapshot(admin_client, duplicates):
    kept, other = duplicates
    snapshots = {
        (s.declaration_id, s.position, s.country, s.political_group_id)
        for s in Signature.objects.filter(signatory__in=duplicates)
    }
    response = merge(admin_client, Signatory, duplicates, kept)
    assert "Jaques MAIRE merged into Jacques MAIRE." in response.content.decode()
    assert not Signatory.objects.filter(pk=other.pk).exists()
    assert {
        (s.declaration_id, s.position, s.country, s.political_group_id)
        for s in kept.signatures.all()
    } == snapshots
    kept.refresh_from_db()
    assert kept.other_names == "Jaques MAIRE"
    assert kept.political_group == group("ALDE")


def test_the_old_signatory_address_redirects_permanently(admin_client, client, duplicates):
    kept, other = duplicates
    old_url = other.get_absolute_url()
    merge(admin_client, Signatory, duplicates, kept)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response.url == kept.get_absolute_url()
    assert SignatoryAlias.objects.get(slug=other.slug).signatory == kept


def test_an_unknown_address_is_still_not_found(client, duplicates):
    assert client.get("/signatories/nobody-at-all/").status_code == 404


def test_a_merged_spelling_is_found_by_search_and_matched_by_the_next_import(admin_client, demo):
    maire = Signatory.objects.get(family_name="MAIRE")
    double = make_signatory(given_name="Jacques", family_name="MAYRE", country="FR")
    merge(admin_client, Signatory, [maire, double], maire)
    assert list(Signatory.objects.search("mayre")) == [maire]
    text = DEMO_TEXT.replace("Mr Jacques MAIRE, France", "Mr Jacques MAYRE, France")
    text = text.replace("No. 695", "No. 696")
    [report] = import_declarations([parse_declaration(text)])
    assert maire in report.matched_signatories
    assert not Signatory.objects.filter(family_name="MAYRE").exists()


def test_two_signatures_on_one_declaration_keep_one_and_say_so(admin_client):
    declaration = make_declaration()
    kept = make_signatory(family_name="SMITH")
    other = make_signatory(family_name="SMYTH")
    make_signature(declaration, kept)
    make_signature(declaration, other)
    response = merge(admin_client, Signatory, [kept, other], kept)
    assert "one entry was kept" in response.content.decode()
    assert list(declaration.signatures.values_list("signatory", flat=True)) == [kept.pk]


def test_merging_a_record_into_itself_is_refused(admin_client, duplicates):
    kept, _other = duplicates
    response = merge(admin_client, Signatory, [kept], kept)
    assert "a record cannot be merged into itself" in response.content.decode()
    assert Signatory.objects.count() == 3
    assert not SignatoryAlias.objects.exists()


def test_keeping_a_record_that_was_not_selected_is_refused(admin_client, duplicates):
    outsider = make_signatory(family_name="OUTSIDER")
    response = merge(admin_client, Signatory, duplicates, outsider)
    assert "Select a valid choice" in response.content.decode()
    assert Signatory.objects.count() == 4


def test_merging_detainees_moves_mentions_history_and_sources(admin_client, client):
    declaration = make_declaration()
    maks = make_detainee(name="Maks Bokayev")
    max_ = make_detainee(name="Max Bokayev", other_names="Макс Бокаев")
    make_mention(declaration, max_)
    source = make_source()
    max_.sources.add(source)
    # Both are published, so both cite a source already: the kept record ends with every one.
    sources = {*maks.sources.all(), *max_.sources.all()}
    assert source in sources
    StatusChange.objects.create(detainee=max_, date=datetime.date(2016, 5, 17), status="detained")
    response = merge(admin_client, Detainee, [maks, max_], maks)
    assert "Max Bokayev merged into Maks Bokayev." in response.content.decode()
    maks.refresh_from_db()
    assert maks.all_names() == ["Maks Bokayev", "Max Bokayev", "Макс Бокаев"]
    assert maks.mentions.get().name_as_written == "Max Bokayev"
    assert set(maks.sources.all()) == sources
    assert maks.status == "detained"
    assert DetaineeAlias.objects.get(slug="max-bokayev").detainee == maks
    response = client.get("/detainees/max-bokayev/")
    assert response.status_code == 301
    assert response.url == "/detainees/maks-bokayev/"
