"""A declaration's count of signatures is stored (`Declaration.signature_count`) and follows every
write of its signatures, whoever writes: the shell, the admin, the importer, merges, the
sample-data generator; `refresh_derived` repairs one written behind the functions' back. The
lists, the search and the API show it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signatories.importing import import_declarations
from signatories.models import Declaration, Signatory, Signature
from signatories.parsing import parse_declaration
from signatories.services import recount_signatures

from .curation import admin_url
from .factories import make_declaration, make_signatory, make_signature
from .test_admin import form_data
from .test_curation_merge import merge

pytestmark = pytest.mark.django_db

TEXT = """\
Written declaration No. 712 | Doc. 15123 | 27 January 2020

Protecting journalists held without trial

Signatories: Mr Paul GAVAN, Ireland, SOC ; Mr Andrej HUNKO, Germany, UEL

This written declaration commits only those who have signed it.

We, the undersigned members of the Parliamentary Assembly, call for the release of the
journalists held without trial.
"""


def count(declaration):
    return Declaration.objects.get(pk=declaration.pk).signature_count


def shown(client, number):
    """The count of declaration `number` on the list, the search and the API."""
    listed = {d.number: d.signature_count for d in client.get("/declarations/").context["page_obj"]}
    response = client.get("/search/", {"q": str(number)})
    found = {
        d.number: d.signature_count for d in response.context["results"]["declarations"]["rows"]
    }
    api = client.get(f"/api/declarations/{number}/").json()["signature_count"]
    return listed[number], found[number], api


def test_a_signature_added_deleted_or_moved_in_the_shell_is_counted(client):
    first, second = make_declaration(number=1), make_declaration(number=2)
    smith, jones = make_signatory(family_name="SMITH"), make_signatory(family_name="JONES")
    signature = make_signature(first, smith)
    make_signature(first, jones)
    assert (count(first), count(second)) == (2, 0)
    assert shown(client, 1) == (2, 2, 2)
    signature.declaration, signature.position = second, 1
    signature.save()
    assert (count(first), count(second)) == (1, 1)
    assert shown(client, 2) == (1, 1, 1)
    signature.delete()
    assert (count(first), count(second)) == (1, 0)
    Signature.objects.filter(declaration=first).delete()
    assert count(first) == 0


def test_a_signature_moved_to_another_declaration_in_the_admin_is_counted(admin_client, demo):
    other = make_declaration(number=700)
    signature = demo.signatures.get(signatory__family_name="GAVAN")
    url = admin_url(Signature, "change", signature.pk)
    data = form_data(admin_client.get(url), declaration=str(other.pk), position="1")
    assert admin_client.post(url, data).status_code == 302
    assert (count(demo), count(other)) == (24, 1)
    changelist = admin_url(Signature, "changelist")
    data = {"action": "delete_selected", "_selected_action": [signature.pk], "post": "yes"}
    assert admin_client.post(changelist, data).status_code == 302
    assert count(other) == 0


def test_a_declaration_saved_from_an_older_copy_keeps_the_count(demo):
    stale = Declaration.objects.get(pk=demo.pk)
    demo.signatures.get(signatory__family_name="GAVAN").delete()
    stale.title = "A new title"
    stale.save()
    assert count(demo) == 24


def test_reverting_a_declaration_in_the_admin_keeps_the_count(admin_client, demo):
    original = demo.history.earliest()
    assert original.signature_count != 25
    demo.title = "A title to undo"
    demo.save()
    revert_url = admin_url(Declaration, "simple_history", demo.pk, original.history_id)
    response = admin_client.get(revert_url)
    assert admin_client.post(revert_url, form_data(response)).status_code == 302
    assert count(demo) == 25


def test_an_imported_declaration_is_counted_and_so_are_signatures_added_later(client):
    [report] = import_declarations([parse_declaration(TEXT)], publish=True)
    assert count(report.declaration) == 2
    more = TEXT.replace("UEL\n", "UEL ; Mr Frank SCHWABE, Germany, SOC\n")
    import_declarations([parse_declaration(more)], publish=True)
    assert count(report.declaration) == 3
    assert shown(client, 712) == (3, 3, 3)


def test_merging_two_signatories_who_signed_the_same_declaration_counts_one(admin_client):
    declaration = make_declaration()
    kept, other = make_signatory(family_name="SMITH"), make_signatory(family_name="SMYTH")
    make_signature(declaration, kept)
    make_signature(declaration, other)
    make_signature(declaration, make_signatory(family_name="AUTHOR"))
    assert count(declaration) == 3
    merge(admin_client, Signatory, [kept, other], kept)
    assert count(declaration) == 2


def test_the_changelist_shows_and_sorts_by_the_stored_count(admin_client, demo):
    make_declaration(number=700)
    response = admin_client.get(admin_url(Declaration, "changelist"), {"o": "5"})
    assert [row.number for row in response.context["cl"].result_list] == [700, 695]
    assert [row.signature_count for row in response.context["cl"].result_list] == [0, 25]


def test_the_recount_is_one_grouped_update_that_writes_only_what_differs():
    first, second, _empty = (make_declaration(number=n) for n in (1, 2, 3))
    make_signature(first, make_signatory(family_name="SMITH"))
    make_signature(first, make_signatory(family_name="JONES"))
    make_signature(second, make_signatory(family_name="BROWN"))
    # Counts gone wrong behind the functions' back, as after a raw write.
    Declaration.objects.filter(number__in=[1, 3]).update(signature_count=7)
    with CaptureQueriesContext(connection) as queries:
        changed = recount_signatures()
    assert len(queries) == 1
    assert "GROUP BY" in queries[0]["sql"].upper()
    assert queries[0]["sql"].lstrip().upper().startswith("UPDATE")
    assert changed == 2
    counts = dict(Declaration.objects.values_list("number", "signature_count"))
    assert counts == {1: 2, 2: 1, 3: 0}
    Declaration.objects.update(signature_count=9)
    assert recount_signatures(declaration_ids=[first.pk]) == 1
    assert dict(Declaration.objects.values_list("number", "signature_count")) == {1: 2, 2: 9, 3: 9}


def test_refresh_derived_repairs_a_count_written_wrong(demo):
    Declaration.objects.filter(pk=demo.pk).update(signature_count=3)
    out = io.StringIO()
    call_command("refresh_derived", stdout=out)
    assert "Declarations whose count of signatures changed: 1" in out.getvalue().splitlines()
    assert count(demo) == 25
