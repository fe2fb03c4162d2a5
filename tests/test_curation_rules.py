"""PACE's rule check, and links between declarations that refer to each other."""

import pytest

from signatories.models import Declaration

from .curation import admin_url
from .factories import make_declaration, make_signatory, make_signature

pytestmark = pytest.mark.django_db


def short_list():
    """Three signatories of one delegation and one group."""
    declaration = make_declaration(number=700)
    for name in ["ONE", "TWO", "THREE"]:
        make_signature(declaration, make_signatory(family_name=name, country="FR"))
    return declaration


def test_the_demo_meets_the_rule(demo):
    check = demo.rule_check()
    assert (check.signatories, check.delegations, check.groups) == (25, 11, 5)
    assert check.meets


def test_a_short_list_does_not_meet_the_rule_and_says_what_is_missing():
    check = short_list().rule_check()
    assert not check.meets
    assert check.shortfalls == [
        "3 signatories (at least 20)",
        "1 national delegation (at least 4)",
        "1 political group (at least 2)",
    ]


def test_the_admin_shows_the_rule_check(admin_client, demo):
    short = short_list()
    page = admin_client.get(admin_url(Declaration, "change", short.pk)).content.decode()
    assert "Does not meet the rule: 3 signatories (at least 20)" in page
    page = admin_client.get(admin_url(Declaration, "change", demo.pk)).content.decode()
    assert "Meets the rule: 25 signatories, 11 national delegations, 5 political groups." in page
    changelist = admin_client.get(admin_url(Declaration, "changelist"))
    rows = {d.number: d for d in changelist.context["cl"].result_list}
    admin = changelist.context["cl"].model_admin
    assert admin.meets_rule(rows[695]) is True
    assert admin.meets_rule(rows[700]) is False


def test_the_public_page_flags_a_short_list_only(client, demo):
    short = short_list()
    page = " ".join(client.get(short.get_absolute_url()).content.decode().split())
    assert (
        "<strong>Short of PACE's rule.</strong> A written declaration needs at least 20"
        " signatories from at least 4 national delegations and 2 political groups; this record"
        " has 3 signatories (at least 20); 1 national delegation (at least 4); 1 political group"
        " (at least 2)."
    ) in page
    assert "Short of PACE" not in client.get(demo.get_absolute_url()).content.decode()


def test_references_to_other_declarations_become_links(client):
    make_declaration(number=660, title="Free the journalists")
    make_declaration(number=652)
    make_declaration(number=655, status=Declaration.Status.DRAFT)
    declaration = make_declaration(
        text="As written declaration No. 660 said, and written declarations 652 and 655 "
        "before it, <b>nothing</b> changed. See also written declaration 999."
    )
    page = client.get(declaration.get_absolute_url()).content.decode()
    assert '<a href="/declarations/660/" title="Free the journalists">660</a>' in page
    assert '<a href="/declarations/652/"' in page
    assert '<a href="/declarations/655/"' not in page
    assert "/declarations/999/" not in page
    assert "&lt;b&gt;nothing&lt;/b&gt;" in page
    assert "Related declarations" in page


def test_references_in_a_french_text_become_links_titled_in_french(client):
    make_declaration(number=660, title="Free the journalists", title_fr="Libérez les journalistes")
    make_declaration(number=652)
    make_declaration(number=655)
    declaration = make_declaration(
        title="",
        text="",
        title_fr="Libérez-les",
        text_fr="Rappelant la déclaration écrite "
        "n° 660 et les déclarations écrites nos 652 et 655, ainsi que la déclaration 1.",
    )
    page = client.get(f"/fr{declaration.get_absolute_url()}").content.decode()

    assert '<a href="/fr/declarations/660/" title="Libérez les journalistes">660</a>' in page
    assert '<a href="/fr/declarations/652/"' in page
    assert '<a href="/fr/declarations/655/"' in page
    assert '<a href="/fr/declarations/1/"' not in page


def test_staff_see_links_to_draft_declarations(admin_client):
    make_declaration(number=655, status=Declaration.Status.DRAFT)
    declaration = make_declaration(text="Recalling written declaration No. 655,")
    page = admin_client.get(declaration.get_absolute_url()).content.decode()
    assert '<a href="/declarations/655/"' in page


def test_a_declaration_lists_its_sources(client, demo):
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Sources" in page
    assert "Written declaration No. 695, Doc. 14983</cite>" in page
