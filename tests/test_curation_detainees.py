"""A detainee's status history and sources, in the admin and on the public page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prisoners.models import Detainee, StatusChange
from signatories.models import Source

from .curation import admin_url, make_source
from .factories import make_detainee

pytestmark = pytest.mark.django_db


def change(detainee, date, status, **fields):
    return StatusChange.objects.create(detainee=detainee, date=date, status=status, **fields)


def test_current_status_follows_the_newest_change_whatever_the_order_entered():
    detainee = make_detainee()
    change(detainee, datetime.date(2019, 3, 1), "sentenced")
    change(detainee, datetime.date(2018, 6, 1), "detained")
    detainee.refresh_from_db()
    assert detainee.status == "sentenced"
    released = change(detainee, datetime.date(2021, 1, 10), "released")
    detainee.refresh_from_db()
    assert detainee.status == "released"
    released.delete()
    detainee.refresh_from_db()
    assert detainee.status == "sentenced"


def test_public_page_shows_the_timeline_oldest_first_with_sources(client):
    detainee = make_detainee(name="Serik Zhahin")
    verdict = make_source(title="Verdict of the district court", url="https://example.org/v")
    change(detainee, datetime.date(2019, 3, 1), "sentenced", note="Seven years")
    change(detainee, datetime.date(2018, 6, 1), "detained").sources.add(verdict)
    detainee.sources.add(verdict)
    page = client.get(detainee.get_absolute_url()).content.decode()
    timeline = page[page.index("Timeline") :]
    assert timeline.index("Detained") < timeline.index("Sentenced") < timeline.index("Sources")
    assert "Seven years" in page
    assert (
        '<a href="https://example.org/v" rel="external">Verdict of the district court</a>' in page
    )


def test_public_page_says_how_long_the_person_has_been_held(client):
    start = timezone.localdate() - datetime.timedelta(days=800)
    detainee = make_detainee()
    change(detainee, start, "detained")
    page = client.get(detainee.get_absolute_url()).content.decode().replace("\xa0", " ")
    assert "Held for" in page
    assert "2 years" in page


def test_a_released_person_shows_how_long_they_were_held(client):
    detainee = make_detainee(
        detained_on=datetime.date(2018, 1, 1), released_on=datetime.date(2019, 7, 1)
    )
    change(detainee, datetime.date(2019, 7, 1), "released")
    page = client.get(detainee.get_absolute_url()).content.decode().replace("\xa0", " ")
    assert "Was held for" in page
    assert "1 year, 6 months" in page


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (datetime.date(1979, 12, 31), "before the person"),
        (timezone.localdate() + datetime.timedelta(days=1), "in the future"),
    ],
    ids=["before-birth", "future"],
)
def test_an_impossible_date_is_refused(date, message):
    detainee = make_detainee(born_on=datetime.date(1980, 1, 1))
    with pytest.raises(ValidationError, match=message):
        StatusChange(detainee=detainee, date=date, status="detained").full_clean()


def detainee_form(detainee, **changes):
    data = {
        "name": detainee.name,
        "other_names": detainee.other_names,
        "slug": detainee.slug,
        "born_on": "1980-01-01",
        "country": "KZ",
        "status": detainee.status,
        "status_changes-TOTAL_FORMS": "1",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-0-date": "2018-06-01",
        "status_changes-0-status": "detained",
        "status_changes-0-note": "Arrested at home",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_a_status_change_added_in_the_admin_sets_the_status(admin_client, admin_user):
    detainee = make_detainee(is_published=False)
    response = admin_client.post(
        admin_url(Detainee, "change", detainee.pk), detainee_form(detainee)
    )
    assert response.status_code == 302
    detainee.refresh_from_db()
    assert detainee.status == "detained"
    assert detainee.status_changes.get().note == "Arrested at home"
    assert detainee.history.first().history_user == admin_user


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("1970-01-01", "before the person&#x27;s birth"),
        ((timezone.localdate() + datetime.timedelta(days=3)).isoformat(), "in the future"),
    ],
    ids=["before-birth", "future"],
)
def test_the_admin_refuses_an_impossible_status_date(admin_client, date, message):
    detainee = make_detainee(is_published=False)
    data = detainee_form(detainee, **{"status_changes-0-date": date})
    response = admin_client.post(admin_url(Detainee, "change", detainee.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StatusChange.objects.exists()


def test_a_detainee_without_a_source_cannot_be_published_in_the_form(admin_client):
    detainee = make_detainee(is_published=False)
    data = detainee_form(detainee, is_published="on")
    response = admin_client.post(admin_url(Detainee, "change", detainee.pk), data)
    assert response.status_code == 200
    assert "only with at least one source" in response.content.decode()
    detainee.refresh_from_db()
    assert not detainee.is_published
    assert not StatusChange.objects.exists()


def test_a_detainee_with_a_source_can_be_published_in_the_form(admin_client):
    detainee = make_detainee(is_published=False)
    source = make_source()
    data = detainee_form(detainee, is_published="on", sources=[source.pk])
    response = admin_client.post(admin_url(Detainee, "change", detainee.pk), data)
    assert response.status_code == 302
    detainee.refresh_from_db()
    assert detainee.is_published


def test_the_publish_action_refuses_detainees_without_a_source(admin_client):
    sourced = make_detainee(name="With Source", is_published=False)
    sourced.sources.add(make_source())
    unsourced = make_detainee(name="Without Source", is_published=False)
    response = admin_client.post(
        admin_url(Detainee, "changelist"),
        {"action": "publish", "_selected_action": [sourced.pk, unsourced.pk]},
        follow=True,
    )
    assert "Nothing was published" in response.content.decode()
    assert "Without Source" in response.content.decode()
    assert not Detainee.objects.filter(is_published=True).exists()


def test_the_demo_detainees_are_published_with_a_source(demo):
    for detainee in Detainee.objects.all():
        assert detainee.is_published
        assert [str(s) for s in detainee.sources.all()] == [
            "Written declaration No. 695, Doc. 14983, "
            + "Parliamentary Assembly of the Council of Europe, 2019-10-04"
        ]


def published_with(*sources, name="Serik Zhahin"):
    detainee = make_detainee(name=name, is_published=False)
    detainee.sources.set(sources)
    detainee.is_published = True
    detainee.save()
    return detainee


def test_the_only_source_of_a_published_detainee_cannot_be_deleted_in_the_admin(admin_client):
    verdict = make_source(title="Verdict of the district court")
    published_with(verdict)

    page = admin_client.post(admin_url(Source, "delete", verdict.pk), {"post": "yes"})

    assert "Cannot delete source" in page.content.decode()
    assert "Detainee: Serik Zhahin, published with no other source" in page.content.decode()
    assert Source.objects.filter(pk=verdict.pk).exists()


def test_the_delete_action_keeps_the_only_sources_of_published_detainees(admin_client):
    verdict, report = make_source(title="Verdict"), make_source(title="Report")
    published_with(verdict)
    changelist = admin_url(Source, "changelist")

    page = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [verdict.pk, report.pk], "post": "yes"},
    )

    assert "Serik Zhahin" in page.content.decode()
    assert Source.objects.filter(pk__in=[verdict.pk, report.pk]).count() == 2


def test_a_source_the_detainee_has_another_of_can_be_deleted(admin_client):
    verdict, report = make_source(title="Verdict"), make_source(title="Report")
    detainee = published_with(verdict, report)

    admin_client.post(admin_url(Source, "delete", verdict.pk), {"post": "yes"})

    assert not Source.objects.filter(pk=verdict.pk).exists()
    assert [source.title for source in detainee.sources.all()] == ["Report"]


def test_deleting_the_last_source_from_code_is_refused_and_changes_nothing():
    verdict = make_source(title="Verdict of the district court")
    detainee = published_with(verdict)

    with pytest.raises(ValidationError), transaction.atomic():
        verdict.delete()

    assert list(detainee.sources.all()) == [verdict]
    unpublished = make_detainee(name="Not yet", is_published=False)
    unpublished.sources.add(verdict)
    detainee.is_published = False
    detainee.save()
    verdict.delete()
    assert not Source.objects.filter(pk=verdict.pk).exists()
