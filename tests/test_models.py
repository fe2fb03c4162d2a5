import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.db import IntegrityError, transaction

from prisoners.models import Detainee, Mention
from signatories.models import Declaration, PoliticalGroup, Signatory, Signature

from .factories import (
    group,
    make_declaration,
    make_detainee,
    make_mention,
    make_signatory,
    make_signature,
)

pytestmark = pytest.mark.django_db


def test_every_database_holds_the_pace_groups_with_their_renames():
    groups = {g.abbreviation: g for g in PoliticalGroup.objects.all()}
    assert set(groups) == {"EPP/CD", "SOC", "EDG", "EC", "EC/DA", "LDR", "ALDE", "UEL", "FDG", "NR"}
    assert {g.slug for g in groups.values()} >= {"epp-cd", "soc", "ec-da", "alde", "uel", "nr"}
    assert groups["EPP/CD"].abbreviation_fr == "PPE/DC"
    assert [g.abbreviation for g in groups["EC"].lineage()] == ["EDG", "EC", "EC/DA"]
    assert [g.abbreviation for g in groups["LDR"].lineage()] == ["LDR", "ALDE"]
    assert groups["UEL"].lineage() == [groups["UEL"]]


def test_public_declarations_are_the_published_ones():
    published = make_declaration(number=1)
    make_declaration(number=2, status=Declaration.Status.DRAFT)
    assert list(Declaration.objects.public()) == [published]


def test_a_signatory_is_public_only_through_a_published_declaration():
    published, draft = make_declaration(number=1), make_declaration(number=2, status="draft")
    both = make_signatory(family_name="BOTH")
    only_draft = make_signatory(family_name="HIDDEN")
    make_signature(published, both)
    make_signature(draft, both)
    make_signature(draft, only_draft)
    assert list(Signatory.objects.public()) == [both]
    assert list(Signature.objects.public()) == list(published.signatures.all())


def test_unpublished_detainees_and_their_mentions_stay_hidden():
    declaration = make_declaration(number=1)
    shown = make_detainee(name="Shown Person")
    hidden = make_detainee(name="Hidden Person", is_published=False)
    make_mention(declaration, shown)
    make_mention(declaration, hidden)
    assert list(Detainee.objects.public()) == [shown]
    assert [m.detainee for m in Mention.objects.public()] == [shown]


def test_mentions_in_a_draft_declaration_are_not_public():
    draft = make_declaration(number=1, status="draft")
    make_mention(draft, make_detainee())
    assert not Mention.objects.public().exists()


def test_staff_who_may_change_declarations_see_drafts():
    draft = make_declaration(number=1, status="draft")
    visitor = User.objects.create_user("visitor")
    curator = User.objects.create_user("curator", is_staff=True)
    curator.user_permissions.add(Permission.objects.get(codename="change_declaration"))
    curator = User.objects.get(pk=curator.pk)  # drop the cached permissions
    assert draft not in Declaration.objects.visible_to(visitor)
    assert draft in Declaration.objects.visible_to(curator)


def test_folded_names_follow_every_rename():
    signatory = make_signatory(given_name="Boriana", family_name="ÅBERG", country="SE")
    assert (signatory.search_name, signatory.sort_name) == ("boriana aberg", "aberg boriana")
    signatory.family_name = "ÆVARSDÓTTIR"
    signatory.save(update_fields=["family_name"])
    signatory.refresh_from_db()
    assert signatory.search_name == "boriana aevarsdottir"
    assert (
        Signatory.objects.matching(
            given_name="BORIANA", family_name="Ævarsdóttir", country="SE"
        ).get()
        == signatory
    )


def test_detainee_search_name_holds_every_name_folded():
    detainee = make_detainee(name="Maks Bokayev", other_names="Max Bokayev\n\nМакс Бокаев\n")
    assert detainee.all_names() == ["Maks Bokayev", "Max Bokayev", "Макс Бокаев"]
    assert detainee.search_name.splitlines() == ["maks bokayev", "max bokayev", "макс бокаев"]


def test_slugs_are_unique_and_stable():
    first = make_signatory(given_name="Ian", family_name="MURRAY", country="GB")
    second = make_signatory(given_name="Ian", family_name="MURRAY", country="IE")
    assert (first.slug, second.slug) == ("ian-murray", "ian-murray-2")
    first.given_name = "Iain"
    first.save()
    assert first.slug == "ian-murray"


def test_the_same_signatory_cannot_sign_a_declaration_twice():
    declaration, signatory = make_declaration(), make_signatory()
    make_signature(declaration, signatory, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_signature(declaration, signatory, position=2)


def test_two_signatures_cannot_share_a_position():
    declaration = make_declaration()
    make_signature(declaration, make_signatory(family_name="ONE"), position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_signature(declaration, make_signatory(family_name="TWO"), position=1)


def test_current_affiliation_follows_the_most_recent_declaration_signed():
    older = make_declaration(number=660, date=datetime.date(2018, 6, 1))
    newer = make_declaration(number=682, date=datetime.date(2019, 4, 1))
    maire = make_signatory(given_name="Jacques", family_name="MAIRE", political_group=group("NR"))
    make_signature(newer, maire, political_group=group("ALDE"))
    make_signature(older, maire, political_group=group("NR"))
    assert maire.refresh_affiliation()
    assert maire.political_group == group("ALDE")
    assert not maire.refresh_affiliation()


def test_an_affiliation_set_by_hand_is_kept():
    declaration = make_declaration()
    signatory = make_signatory(political_group=group("EPP/CD"), affiliation_is_manual=True)
    make_signature(declaration, signatory, political_group=group("SOC"))
    assert not signatory.refresh_affiliation()
    assert signatory.political_group == group("EPP/CD")


def test_records_link_to_their_public_pages():
    declaration = make_declaration(number=695)
    assert declaration.get_absolute_url() == "/declarations/695/"
    assert str(declaration) == "Written declaration No. 695"
    assert make_signatory(given_name="Petra", family_name="BAYR").get_absolute_url() == (
        "/signatories/petra-bayr/"
    )
    assert group("EC/DA").get_absolute_url() == "/groups/ec-da/"
    assert make_detainee(name="Serik Zhahin").get_absolute_url() == "/detainees/serik-zhahin/"


def test_a_signatory_follows_every_change_to_the_declarations_they_signed():
    declaration = make_declaration(number=1, status="draft")
    signatory = make_signatory(family_name="FOLLOWED")
    signature = make_signature(declaration, signatory)
    assert signatory not in Signatory.objects.public()

    declaration.status = Declaration.Status.PUBLISHED
    declaration.save()
    assert Signatory.objects.public().with_counts().get().declaration_count == 1

    other = make_signatory(family_name="OTHER")
    signature.signatory = other
    signature.save()
    assert list(Signatory.objects.public()) == [other]

    declaration.status = Declaration.Status.DRAFT
    declaration.save()
    assert not Signatory.objects.public().exists()

    declaration.status = Declaration.Status.PUBLISHED
    declaration.save()
    signature.delete()
    assert not Signatory.objects.public().exists()


def test_deleting_a_declaration_hides_those_who_signed_only_it():
    kept, deleted = make_declaration(number=1), make_declaration(number=2)
    both, only = make_signatory(family_name="BOTH"), make_signatory(family_name="ONLY")
    make_signature(kept, both)
    make_signature(deleted, both)
    make_signature(deleted, only)
    deleted.delete()
    assert list(
        Signatory.objects.public().with_counts().values_list("family_name", "declaration_count")
    ) == [("BOTH", 1)]
