"""What a group's and a delegation's pages count (their first rows, totals and signatures per
year), and the lists of groups and of countries: the same rows and numbers as counting every
signature again, and up to date after each change although they are kept until the next one."""

import datetime
import re

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear

from signatories.models import Signatory, Signature, Year

from .factories import group, make_declaration, make_signatory, make_signature

# Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
pytestmark = [
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db,
]


def per_year_rows(response):
    """The table of signatures per year: [(year, signatures)]."""
    html = response.content.decode()
    section = html[html.index('id="per-year-heading"') :]
    return [
        (int(year), int(count.replace(",", "").replace("\u202f", "").replace("\xa0", "")))
        for year, count in re.findall(
            r'<tr><th scope="row">(\d+)</th><td class="num">([^<]+)</td></tr>', section
        )
    ]


@pytest.fixture
def record(db):
    """Maltese and Italian members, SOC and EPP/CD, over three years with a year of none:

    No. 1 (2019): ABEL, BRUNO as SOC (MT), CARLA as EPP/CD (IT)
    No. 2 (2019): ABEL as SOC, DORA as SOC (IT)
    No. 3 (2021): BRUNO as SOC, ABEL as EPP/CD (after changing group), EMIL with no group (MT)
    No. 4 (2022, draft): everyone, as SOC, from Malta
    """
    soc, epp = group("SOC"), group("EPP/CD")
    abel = make_signatory(family_name="ABEL", country="MT", political_group=soc)
    bruno = make_signatory(family_name="BRUNO", country="MT", political_group=soc)
    carla = make_signatory(family_name="CARLA", country="IT", political_group=epp)
    dora = make_signatory(family_name="DORA", country="IT", political_group=soc)
    emil = make_signatory(family_name="EMIL", country="MT", political_group=soc)
    first = make_declaration(number=1, date=datetime.date(2019, 3, 1))
    second = make_declaration(number=2, date=datetime.date(2019, 9, 1))
    third = make_declaration(number=3, date=datetime.date(2021, 5, 1))
    draft = make_declaration(number=4, date=datetime.date(2022, 1, 1), status="draft")
    make_signature(first, abel)
    make_signature(first, bruno)
    make_signature(first, carla)
    make_signature(second, abel)
    make_signature(second, dora)
    make_signature(third, bruno)
    make_signature(third, abel, political_group=epp)
    emil_signature = make_signature(third, emil)
    Signature.objects.filter(pk=emil_signature.pk).update(political_group=None)
    for member in (abel, bruno, carla, dora, emil):
        make_signature(draft, member, country="MT", political_group=soc)
    for member in (abel, bruno, carla, dora, emil):
        member.refresh_affiliation()
        Signatory.objects.filter(pk=member.pk).recount()


def test_group_page_ranks_members_by_declarations_signed_as_the_group(client, record):
    response = client.get("/groups/soc/")
    ranked = [(s.family_name, s.signed_as_group) for s in response.context["signatories"]]
    # Two each, ABEL before BRUNO by name; DORA one; drafts and other groups do not count.
    assert ranked == [("ABEL", 2), ("BRUNO", 2), ("DORA", 1)]
    expected = Signatory.objects.most_active(political_group=group("SOC"))
    assert ranked == [(s.family_name, s.declaration_count) for s in expected]
    assert response.context["signatory_total"] == 3


def test_group_page_lists_newest_declarations_with_the_groups_share(client, record):
    response = client.get("/groups/soc/")
    rows = [
        (d.number, d.group_signature_count, d.signature_count)
        for d in response.context["declarations"]
    ]
    assert rows == [(3, 1, 3), (2, 2, 2), (1, 2, 3)]
    assert response.context["declaration_total"] == 3
    assert "1 of 3" in response.content.decode()


def test_group_page_counts_signatures_per_year_with_the_years_between(client, record):
    assert per_year_rows(client.get("/groups/soc/")) == [(2019, 4), (2020, 0), (2021, 1)]
    assert per_year_rows(client.get("/groups/epp-cd/")) == [(2019, 1), (2020, 0), (2021, 1)]


def test_group_page_writes_its_members_table_as_before(client, record):
    Signatory.objects.filter(family_name="DORA").update(given_name="<b>Dora & co</b>")
    html = client.get("/groups/soc/").content.decode()
    dora = Signatory.objects.get(family_name="DORA")
    assert (
        "\n      <tr>\n"
        f'        <th scope="row"><a href="/signatories/{dora.slug}/">'
        "&lt;b&gt;Dora &amp; co&lt;/b&gt; DORA</a></th>\n"
        "        <td>Italy</td>\n"
        "        <td>SOC</td>\n"
        '        <td class="num">1</td>\n'
        "      </tr>\n"
    ) in html
    # A member now without a group.
    Signatory.objects.filter(family_name="DORA").update(political_group=None)
    html = client.get("/groups/soc/").content.decode()
    assert "        <td>—</td>\n" in html


def test_delegation_page_lists_members_and_declarations_with_its_share(client, record):
    response = client.get("/countries/mt/")
    assert [(s.family_name, s.declaration_count) for s in response.context["signatories"]] == [
        ("ABEL", 3),
        ("BRUNO", 2),
        ("EMIL", 1),
    ]
    assert response.context["signatory_total"] == 3
    rows = [
        (d.number, d.delegation_count, d.signature_count) for d in response.context["declarations"]
    ]
    assert rows == [(3, 3, 3), (2, 1, 2), (1, 2, 3)]
    assert response.context["declaration_total"] == 3
    assert per_year_rows(response) == [(2019, 3), (2020, 0), (2021, 3)]


def test_delegation_page_of_a_country_with_only_draft_signatures_is_404(client, record):
    Signature.objects.filter(country="IT", declaration__status="published").delete()
    assert client.get("/countries/it/").status_code == 404
    assert client.get("/countries/mt/").status_code == 200


def test_pages_count_again_after_a_change(client, record):
    # Counted once and kept...
    assert client.get("/groups/soc/").context["declaration_total"] == 3
    assert client.get("/countries/it/").context["signatory_total"] == 2
    groups = {g.abbreviation: g for g in client.get("/groups/").context["groups"]}
    assert (groups["SOC"].signatory_count, groups["SOC"].signature_count) == (3, 5)
    countries = {row["country"].code: row for row in client.get("/countries/").context["countries"]}
    assert countries["IT"]["signatures"] == 2
    # ...until a new declaration is published.
    newcomer = make_signatory(family_name="AARON", country="IT", political_group=group("SOC"))
    fifth = make_declaration(number=5, date=datetime.date(2024, 2, 1))
    make_signature(fifth, newcomer)
    newcomer.refresh_affiliation()
    Signatory.objects.filter(pk=newcomer.pk).recount()

    response = client.get("/groups/soc/")
    assert response.context["declaration_total"] == 4
    assert [d.number for d in response.context["declarations"]][:1] == [5]
    assert per_year_rows(response)[-1] == (2024, 1)
    assert client.get("/countries/it/").context["signatory_total"] == 3
    groups = {g.abbreviation: g for g in client.get("/groups/").context["groups"]}
    assert (groups["SOC"].signatory_count, groups["SOC"].signature_count) == (4, 6)
    countries = {row["country"].code: row for row in client.get("/countries/").context["countries"]}
    assert (countries["IT"]["signatures"], countries["IT"]["declarations"]) == (3, 3)


def test_signatures_per_year_are_written_in_the_pages_language(client, record):
    assert "Signatures per year" in client.get("/groups/soc/").content.decode()
    french = client.get("/fr/groups/soc/").content.decode()
    assert "Signatures par année" in french
    assert 'href="/fr/statistics/?group=soc"' in french
    assert 'href="/statistics/?country=mt"' in client.get("/countries/mt/").content.decode()


def test_year_of_a_date_is_the_one_extractyear_gives(record):
    signatures = Signature.objects.order_by("pk")
    assert list(signatures.values_list(Year("declaration__date"), flat=True)) == list(
        signatures.values_list(ExtractYear("declaration__date"), flat=True)
    )


def test_signatures_count_per_year_and_by_signatory(record):
    as_soc = Signature.objects.public().filter(political_group=group("SOC"))
    # Signatures, and the declarations they are on.
    assert as_soc.count_per_year() == {2019: (4, 2), 2021: (1, 1)}
    ranking = list(as_soc.count_by_signatory())
    signatories = dict(Signatory.objects.values_list("pk", "family_name"))
    assert [(signatories[pk], count, total) for pk, count, total in ranking] == [
        ("ABEL", 2, 3),
        ("BRUNO", 2, 3),
        ("DORA", 1, 3),
    ]
    by_signatory = as_soc.values("signatory").annotate(n=Count("pk")).values_list("signatory", "n")
    assert {pk: count for pk, count, _total in ranking} == dict(by_signatory)
