"""Derived values have one home: a draft never changes what the public sees of a signatory, a
detainee's status follows the status changes left after any delete, a detainee is published
only with a source whoever saves it, and a declaration's date is one the Assembly could have."""

import csv
import dataclasses
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prisoners.models import Detainee, StatusChange
from signatories.importing import ImportFailed, import_declarations
from signatories.models import Declaration, Signatory, Signature
from signatories.parsing import parse_declaration
from signatories.services import recount_public_declarations, refresh_affiliations

from .curation import admin_url, make_source
from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_signatory,
    make_signature,
)

pytestmark = pytest.mark.django_db

DRAFT_TEXT = """\
Written declaration No. 712 | Doc. 15123 | 27 January 2020

Protecting journalists held without trial

Signatories: Mr Paul GAVAN, Ireland, SOC ; Mr Andrej HUNKO, Germany, UEL ; Mr Frank SCHWABE, \
Germany, SOC

This written declaration commits only those who have signed it.

We, the undersigned members of the Parliamentary Assembly, call for the release of the
journalists held without trial.
"""


def import_text(text, *, publish=False):
    [report] = import_declarations([parse_declaration(text)], publish=publish)
    return report


# What a visitor sees of Paul GAVAN's current group, on every public surface.


def page_group(client):
    response = client.get("/signatories/paul-gavan/")
    assert response.status_code == 200
    return response.context["signatory"].political_group.abbreviation


def api_group(client):
    response = client.get("/api/signatories/paul-gavan/")
    assert response.status_code == 200
    return response.json()["group"]


def listed_in_group(client, slug):
    response = client.get("/signatories/", {"group": slug})
    assert response.status_code == 200
    return "/signatories/paul-gavan/" in response.content.decode()


def csv_group(client, slug):
    """Paul GAVAN's group in the CSV filtered by `slug`, or None if he is not in it."""
    response = client.get("/signatories.csv", {"group": slug})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body))}
    return rows["paul-gavan"]["political_group"] if "paul-gavan" in rows else None


def assert_public_group(client, abbreviation):
    other = {"UEL": "SOC", "SOC": "UEL"}[abbreviation]
    assert page_group(client) == abbreviation
    page = client.get("/signatories/paul-gavan/").content.decode()
    assert f'<a href="/groups/{abbreviation.lower()}/">{abbreviation}</a> —' in page
    assert api_group(client) == abbreviation
    assert listed_in_group(client, abbreviation.lower())
    assert not listed_in_group(client, other.lower())
    assert csv_group(client, abbreviation.lower()) == abbreviation
    assert csv_group(client, other.lower()) is None


def test_importing_a_draft_leaves_the_public_group_as_the_published_signatures_say(client, demo):
    assert_public_group(client, "UEL")
    report = import_text(DRAFT_TEXT)
    assert report.declaration.status == Declaration.Status.DRAFT
    gavan = Signatory.objects.get(slug="paul-gavan")
    assert gavan.signatures.get(declaration__number=712).political_group == group("SOC")
    assert_public_group(client, "UEL")


def test_publishing_the_draft_in_the_admin_moves_him_and_withdrawing_it_moves_him_back(
    client, admin_client, demo
):
    draft = import_text(DRAFT_TEXT).declaration
    changelist = admin_url(Declaration, "changelist")
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert_public_group(client, "SOC")
    admin_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert_public_group(client, "UEL")


def test_publishing_and_withdrawing_from_the_shell_or_the_importer_is_followed(client, demo):
    draft = import_text(DRAFT_TEXT).declaration
    import_text(DRAFT_TEXT, publish=True)
    assert_public_group(client, "SOC")
    draft.refresh_from_db()
    draft.status = Declaration.Status.DRAFT
    draft.save()
    assert_public_group(client, "UEL")
    draft.status = Declaration.Status.PUBLISHED
    draft.save(update_fields=["status", "modified"])
    assert_public_group(client, "SOC")
    draft.delete()
    assert_public_group(client, "UEL")


def test_a_draft_only_signatory_is_not_public_and_counts_only_public_declarations(client, demo):
    import_text(DRAFT_TEXT)
    text = DRAFT_TEXT.replace("Mr Paul GAVAN, Ireland, SOC", "Ms Ada NEWCOMER, Ireland, SOC")
    import_text(text.replace("No. 712", "No. 713").replace("15123", "15124"))
    newcomer = Signatory.objects.get(family_name="NEWCOMER")
    assert newcomer.political_group == group("SOC")
    assert newcomer.public_declaration_count == 0
    assert client.get("/signatories/ada-newcomer/").status_code == 404
    gavan = Signatory.objects.get(slug="paul-gavan")
    assert gavan.public_declaration_count == 1


def test_an_affiliation_set_by_hand_survives_publishing(client, demo):
    gavan = Signatory.objects.get(slug="paul-gavan")
    gavan.political_group = group("NR")
    gavan.affiliation_is_manual = True
    gavan.save()
    draft = import_text(DRAFT_TEXT).declaration
    draft.status = Declaration.Status.PUBLISHED
    draft.save()
    gavan.refresh_from_db()
    assert gavan.political_group == group("NR")
    assert gavan.public_declaration_count == 2
    assert api_group(client) == "NR"


def test_unticking_set_by_hand_in_the_admin_gives_back_the_published_group(admin_client, demo):
    from .test_admin import form_data

    gavan = Signatory.objects.get(slug="paul-gavan")
    url = admin_url(Signatory, "change", gavan.pk)
    data = form_data(admin_client.get(url), political_group=str(group("NR").pk))
    assert admin_client.post(url, data).status_code == 302
    gavan.refresh_from_db()
    assert (gavan.political_group, gavan.affiliation_is_manual) == (group("NR"), True)
    data = form_data(admin_client.get(url))
    del data["affiliation_is_manual"]
    assert admin_client.post(url, data).status_code == 302
    gavan.refresh_from_db()
    assert (gavan.political_group, gavan.affiliation_is_manual) == (group("UEL"), False)


def test_deleting_signatures_in_bulk_recounts_and_moves_back(demo):
    later = make_declaration(number=720, date=datetime.date(2021, 1, 1))
    gavan = Signatory.objects.get(slug="paul-gavan")
    make_signature(later, gavan, political_group=group("SOC"))
    gavan.refresh_from_db()
    assert (gavan.political_group, gavan.public_declaration_count) == (group("SOC"), 2)
    Signature.objects.filter(declaration=later).delete()
    gavan.refresh_from_db()
    assert (gavan.political_group, gavan.public_declaration_count) == (group("UEL"), 1)
    Declaration.objects.filter(number=695).delete()
    gavan.refresh_from_db()
    assert gavan.public_declaration_count == 0
    assert not Signatory.objects.public().exists()


def test_the_recount_is_one_grouped_update_and_sets_zero_where_nothing_is_left():
    published = make_declaration(number=1)
    draft = make_declaration(number=2, status=Declaration.Status.DRAFT)
    signatories = [make_signatory(family_name=f"NAME{n}") for n in range(3)]
    make_signature(published, signatories[0])
    make_signature(draft, signatories[0])
    make_signature(draft, signatories[1])
    # Counts gone wrong behind the functions' back, as after a raw write.
    Signatory.objects.update(public_declaration_count=7)
    with CaptureQueriesContext(connection) as queries:
        changed = recount_public_declarations()
    assert len(queries) == 1
    assert "GROUP BY" in queries[0]["sql"].upper()
    assert queries[0]["sql"].lstrip().upper().startswith("UPDATE")
    assert changed == 3
    counts = dict(Signatory.objects.values_list("family_name", "public_declaration_count"))
    assert counts == {"NAME0": 1, "NAME1": 0, "NAME2": 0}
    assert recount_public_declarations() == 0


def test_refreshing_affiliations_in_bulk_writes_only_what_changes():
    older = make_declaration(number=1, date=datetime.date(2018, 1, 1))
    newer = make_declaration(number=2, date=datetime.date(2019, 1, 1))
    newest_draft = make_declaration(
        number=3, date=datetime.date(2020, 1, 1), status=Declaration.Status.DRAFT
    )
    maire = make_signatory(family_name="MAIRE", political_group=group("NR"))
    make_signature(newer, maire, political_group=group("ALDE"))
    make_signature(older, maire, political_group=group("NR"))
    make_signature(newest_draft, maire, political_group=group("EPP/CD"))
    Signatory.objects.update(political_group=group("NR"))
    assert refresh_affiliations(signatory_ids=None, bulk=True) == {maire.pk}
    maire.refresh_from_db()
    assert maire.political_group == group("ALDE")
    assert refresh_affiliations(signatory_ids=[maire.pk]) == set()


# Case 3: a detainee's status after deleting status changes, whatever the path.


@pytest.fixture
def released():
    """A detainee detained in 2020 and released in 2021."""
    detainee = make_detainee(name="Serik Zhahin")
    StatusChange.objects.create(
        detainee=detainee, date=datetime.date(2020, 3, 1), status="detained"
    )
    change = StatusChange.objects.create(
        detainee=detainee, date=datetime.date(2021, 5, 1), status="released"
    )
    detainee.refresh_from_db()
    assert detainee.status == "released"
    return change


def test_delete_selected_in_the_admin_gives_back_the_previous_status(admin_client, released):
    response = admin_client.post(
        admin_url(StatusChange, "changelist"),
        {"action": "delete_selected", "_selected_action": [released.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not StatusChange.objects.filter(pk=released.pk).exists()
    detainee = Detainee.objects.get(pk=released.detainee_id)
    assert detainee.status == "detained"


def test_a_queryset_delete_gives_back_the_previous_status(client, released):
    StatusChange.objects.filter(pk=released.pk).delete()
    detainee = Detainee.objects.get(pk=released.detainee_id)
    assert detainee.status == "detained"
    page = client.get(detainee.get_absolute_url()).content.decode()
    assert "Released" not in page


def test_a_status_change_moved_to_another_detainee_moves_both_statuses(released):
    other = make_detainee(name="Other Person", status="unknown")
    released.detainee = other
    released.save()
    assert Detainee.objects.get(name="Serik Zhahin").status == "detained"
    assert Detainee.objects.get(name="Other Person").status == "released"


def test_a_status_typed_over_the_newest_change_goes_back_to_it(released):
    detainee = Detainee.objects.get(pk=released.detainee_id)
    detainee.status = "on_trial"
    detainee.save()
    detainee.refresh_from_db()
    assert detainee.status == "released"


# A detainee is published only with a source, whoever saves it.


def test_publishing_from_the_shell_without_a_source_is_refused():
    detainee = make_detainee(is_published=False)
    history = detainee.history.count()
    detainee.is_published = True
    with pytest.raises(ValidationError) as refused:
        detainee.save()
    assert "only with at least one source" in str(refused.value.message_dict["is_published"])
    detainee.refresh_from_db()
    assert not detainee.is_published
    assert detainee.history.count() == history


def test_creating_a_published_detainee_without_a_source_is_refused():
    with pytest.raises(ValidationError, match="only with at least one source"):
        Detainee.objects.create(name="Nobody Checked", is_published=True)
    assert not Detainee.objects.filter(name="Nobody Checked").exists()
    assert not Detainee.history.filter(name="Nobody Checked").exists()


def test_publishing_from_the_shell_with_a_source_works():
    detainee = make_detainee(is_published=False)
    detainee.sources.add(make_source())
    detainee.is_published = True
    detainee.save()
    assert Detainee.objects.public().get() == detainee


@pytest.mark.parametrize(
    "remove",
    [
        lambda detainee, source: detainee.sources.remove(source),
        lambda detainee, source: detainee.sources.clear(),
        lambda detainee, source: detainee.sources.set([]),
        lambda detainee, source: source.detainees.clear(),
        lambda detainee, source: source.detainees.remove(detainee),
    ],
    ids=["remove", "clear", "set-empty", "source-clear", "source-remove"],
)
def test_a_published_detainee_keeps_their_last_source(remove):
    detainee = make_detainee(is_published=False)
    source = make_source()
    detainee.sources.add(source)
    detainee.is_published = True
    detainee.save()
    with (
        pytest.raises(ValidationError, match="only with at least one source"),
        transaction.atomic(),
    ):
        remove(detainee, source)
    assert list(detainee.sources.all()) == [source]


def test_an_unpublished_detainee_may_lose_every_source():
    detainee = make_detainee(is_published=False)
    detainee.sources.add(make_source())
    detainee.sources.clear()
    assert not detainee.sources.exists()


def detainee_add_form(**changes):
    data = {
        "name": "Zhanbolat Mamai",
        "other_names": "",
        "slug": "",
        "country": "KZ",
        "status": "detained",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_the_admin_adds_a_published_detainee_with_their_source(admin_client):
    source = make_source()
    data = detainee_add_form(is_published="on", sources=[source.pk])
    response = admin_client.post(admin_url(Detainee, "add"), data)
    assert response.status_code == 302
    detainee = Detainee.objects.get(name="Zhanbolat Mamai")
    assert detainee.is_published
    assert list(detainee.sources.all()) == [source]


def test_the_admin_replaces_the_only_source_of_a_published_detainee(admin_client):
    from .test_admin import form_data

    first, second = make_source(title="First report"), make_source(title="Second report")
    detainee = make_detainee(is_published=False)
    detainee.sources.add(first)
    detainee.is_published = True
    detainee.save()
    url = admin_url(Detainee, "change", detainee.pk)
    data = form_data(admin_client.get(url), sources=[str(second.pk)])
    assert admin_client.post(url, data).status_code == 302
    detainee.refresh_from_db()
    assert detainee.is_published
    assert list(detainee.sources.all()) == [second]


# Case 8: a declaration's date lies between 1949 and one year from today.


def one_year_from_today():
    today = timezone.localdate()
    if (today.month, today.day) == (2, 29):
        return datetime.date(today.year + 1, 2, 28)
    return today.replace(year=today.year + 1)


@pytest.mark.parametrize(
    "date",
    [
        datetime.date(1, 1, 1),
        datetime.date(9999, 12, 31),
        datetime.date(1948, 12, 31),
        "one year and a day",
    ],
    ids=["year-1", "year-9999", "before-1949", "over-a-year-ahead"],
)
def test_full_clean_refuses_an_impossible_declaration_date(date):
    if date == "one year and a day":
        date = one_year_from_today() + datetime.timedelta(days=1)
    declaration = Declaration(number=900, document_reference="1", date=date, title="T")
    with pytest.raises(ValidationError) as refused:
        declaration.full_clean()
    [message] = refused.value.message_dict["date"]
    assert f"{date.isoformat()} is not a possible date for a declaration" in message
    assert "1 January 1949" in message


@pytest.mark.parametrize(
    "date",
    [datetime.date(1949, 1, 1), datetime.date(2019, 10, 4), "one year ahead"],
    ids=["first-day", "wd-695", "one-year-ahead"],
)
def test_full_clean_accepts_a_possible_declaration_date(date):
    if date == "one year ahead":
        date = one_year_from_today()
    Declaration(number=900, document_reference="1", date=date, title="T").full_clean()


def test_the_database_refuses_a_date_before_1949():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_declaration(date=datetime.date(1, 1, 1))


def test_the_admin_form_refuses_a_year_9999_declaration(admin_client):
    data = {
        "number": "900",
        "document_reference": "15000",
        "date": "9999-12-31",
        "title": "A typing error",
        "slug": "",
        "status": "draft",
        "text": "",
        "source_url": "",
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(admin_url(Declaration, "add"), data)
    assert response.status_code == 200
    assert "9999-12-31 is not a possible date for a declaration" in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_importer_refuses_a_year_9999_declaration(demo):
    parsed = dataclasses.replace(parse_declaration(DRAFT_TEXT), date=datetime.date(9999, 1, 27))
    with pytest.raises(ImportFailed) as refused:
        import_declarations([parsed])
    assert "is not a possible date for a declaration" in str(refused.value)
    assert not Declaration.objects.filter(number=712).exists()
    assert Signatory.objects.get(slug="paul-gavan").political_group == group("UEL")


def test_refresh_derived_repairs_values_written_behind_the_functions_back(demo, released):
    import_text(DRAFT_TEXT)
    # As after an update() or raw SQL, or an earlier rule that let a draft set the group.
    Signatory.objects.filter(slug="paul-gavan").update(
        political_group=group("SOC"), public_declaration_count=5
    )
    Detainee.objects.filter(pk=released.detainee_id).update(status="on_trial")
    out = io.StringIO()
    call_command("refresh_derived", stdout=out)
    assert out.getvalue().splitlines() == [
        "Signatories whose current affiliation changed: 1",
        "Signatories whose count of public declarations changed: 1",
        "Declarations whose count of signatures changed: 0",
        "Detainees whose current status changed: 1",
    ]
    gavan = Signatory.objects.get(slug="paul-gavan")
    assert (gavan.political_group, gavan.public_declaration_count) == (group("UEL"), 1)
    assert Detainee.objects.get(pk=released.detainee_id).status == "released"
    out = io.StringIO()
    call_command("refresh_derived", stdout=out)
    assert out.getvalue().count(": 0") == 4


def test_a_signatory_saved_from_an_older_copy_keeps_their_count_of_declarations():
    """A curator's copy read before a signature was added writes the names it changes, not the
    count it was read with."""
    signatory = make_signatory(family_name="STALE")
    copy = Signatory.objects.get(pk=signatory.pk)
    make_signature(make_declaration(), signatory)
    assert Signatory.objects.get(pk=signatory.pk).public_declaration_count == 1
    copy.given_name = "Corrected"
    copy.save()
    saved = Signatory.objects.get(pk=signatory.pk)
    assert (saved.given_name, saved.public_declaration_count) == ("Corrected", 1)
    assert Signatory.objects.public().filter(pk=signatory.pk).exists()
