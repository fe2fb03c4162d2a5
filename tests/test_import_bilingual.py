"""One record per declaration whatever the language or order of arrival, and every shape of a
real PACE list: items with no group, observer and partner delegations, particles."""

import datetime
from pathlib import Path

import pytest

from signatories.importing import ImportFailed, import_declarations
from signatories.models import Declaration, Signatory, Signature
from signatories.parsing import parse_declaration

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = (ROOT / "data" / "demo" / "wd-695.txt").read_text(encoding="utf-8")
FRENCH = (Path(__file__).resolve().parent / "data" / "wd-695-fr.txt").read_text(encoding="utf-8")
FRENCH_TITLE = (
    "La communauté internationale doit réagir aux arrestations massives et aux poursuites "
    "politiques au Kazakhstan"
)


def run_import(*texts, publish=False, dry_run=False):
    return import_declarations(
        [parse_declaration(text) for text in texts], publish=publish, dry_run=dry_run
    )


def english(items, *, number=620, date="27 January 2010", title="Items as PACE printed them"):
    return (
        f"Written declaration No. {number} | Doc. {12000 + number} | {date}\n\n{title}\n\n"
        f"Signatories: {' ; '.join(items)}\n\n"
        "This written declaration commits only those who have signed it.\n\n"
        "We, the undersigned, call for the release of every political prisoner.\n"
    )


def french(items, *, number=620, date="27 janvier 2010", title="Éléments tels que publiés"):
    return (
        f"Déclaration écrite No. {number} | Doc. {12000 + number} | {date}\n\n{title}\n\n"
        f"Signataires :\n{' ; '.join(items)}\n\n"
        "Cette déclaration écrite n'engage que ses signataires.\n\n"
        "Nous, soussignés, appelons à la libération de tous les prisonniers politiques.\n"
    )


def signature_rows(number):
    return [
        (
            s.position,
            s.signatory.family_name,
            s.country.code,
            s.political_group_id and str(s.political_group),
        )
        for s in Signature.objects.filter(declaration__number=number)
        .select_related("signatory", "political_group")
        .order_by("position")
    ]


# Items with no group, observers and partners.

ITEMS_2010 = [
    "Mr Andreas GROSS, Switzerland, SOC",
    "Ms Kateřina JACQUES, Czech Republic",
    "Mr Scott SIMMS, Canada",
    "Ms Elke TINDEMANS, Belgium",
    "Mr Tiny KOX, Netherlands, UEL",
]


@pytest.mark.django_db
def test_items_printed_without_a_group_are_signatures_with_no_group():
    [report] = run_import(english(ITEMS_2010), publish=True)
    assert report.created
    assert signature_rows(620) == [
        (1, "GROSS", "CH", "SOC"),
        (2, "JACQUES", "CZ", None),
        (3, "SIMMS", "CA", None),
        (4, "TINDEMANS", "BE", None),
        (5, "KOX", "NL", "UEL"),
    ]
    simms = Signatory.objects.get(family_name="SIMMS")
    assert (simms.country.code, simms.political_group) == ("CA", None)


@pytest.mark.django_db
def test_a_signatory_keeps_the_group_of_an_earlier_declaration_when_a_list_prints_none():
    run_import(english(["Ms Kateřina JACQUES, Czech Republic, SOC"], number=600), publish=True)
    run_import(english(ITEMS_2010, date="27 January 2011"), publish=True)
    jacques = Signatory.objects.get(family_name="JACQUES")
    assert Signature.objects.get(signatory=jacques, declaration__number=620).political_group is None
    assert str(jacques.political_group) == "SOC"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("item", "code"),
    [
        ("Mr Scott SIMMS, Canada, SOC", "CA"),
        ("Ms Ksenia SVETLOVA, Israel", "IL"),
        ("Mr Ricardo MONREAL, Mexico", "MX"),
        ("Mr Mohammed AMEUR, Morocco", "MA"),
        ("Mr Hussein AL-MAJALI, Jordan", "JO"),
        ("Mr Bernard SABELLA, Palestine", "PS"),
        ("Ms Asel KODURANOVA, Kyrgyzstan", "KG"),
    ],
)
def test_members_of_observer_and_partner_delegations_are_accepted(item, code):
    run_import(english(["Mr Andreas GROSS, Switzerland, SOC", item]))
    [signature] = Signature.objects.filter(position=2)
    assert signature.country.code == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("item", "given", "family"),
    [
        ("Mr Caspar Van den BERG, Netherlands, EPP/CD", "Caspar", "Van den BERG"),
        ("Ms Petra De SUTTER, Belgium, SOC", "Petra", "De SUTTER"),
        ("Mr Pieter van de VEN, Netherlands, ALDE", "Pieter", "van de VEN"),
        ("Ms Ria de BRUIJN-WEZEMAN, Netherlands, ALDE", "Ria", "de BRUIJN-WEZEMAN"),
        ("Mr Jordi de PUIG i OLIVE, Andorra, SOC", "Jordi", "de PUIG i OLIVE"),
    ],
)
def test_particles_and_connectors_belong_to_the_family_name(item, given, family):
    run_import(english(["Mr Andreas GROSS, Switzerland, SOC", item]))
    signatory = Signature.objects.get(position=2).signatory
    assert (signatory.given_name, signatory.family_name) == (given, family)


# One record in either order.


@pytest.mark.django_db
def test_a_french_text_alone_fills_the_french_title_and_leaves_the_english_one_blank():
    [report] = run_import(FRENCH, publish=True)
    declaration = Declaration.objects.get(number=695)
    assert report.created
    assert (declaration.title, declaration.title_fr) == ("", FRENCH_TITLE)
    assert declaration.text == ""
    assert declaration.text_fr.startswith("Nous, soussignés")
    assert declaration.date == datetime.date(2019, 10, 4)
    gattolin = Signatory.objects.get(family_name="GATTOLIN")
    assert (gattolin.honorific, str(gattolin.political_group)) == ("Mr", "ALDE")
    assert Signatory.objects.get(family_name="ÅBERG").honorific == "Ms"


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["english first", "french first"])
def test_both_texts_make_one_record_with_the_same_25_signatures(order):
    texts = [ENGLISH, FRENCH] if order == "english first" else [FRENCH, ENGLISH]
    first, second = (run_import(text, publish=True)[0] for text in texts)
    declaration = Declaration.objects.get(number=695)
    assert declaration.title.startswith("The international community must respond")
    assert declaration.title_fr == FRENCH_TITLE
    assert declaration.text.startswith("We, the undersigned")
    assert declaration.text_fr.startswith("Nous, soussignés")
    assert Declaration.objects.count() == 1
    assert Signatory.objects.count() == Signature.objects.count() == 25
    assert (first.created, second.created) == (True, False)
    assert second.added_signatures == [] and second.new_signatories == []
    assert [line.kind for line in second.signature_lines] == ["recorded"] * 25
    assert signature_rows(695)[0] == (1, "GATTOLIN", "FR", "ALDE")
    # The person keeps the English honorific whatever the language of the text.
    assert set(Signatory.objects.values_list("honorific", flat=True)) <= {"Mr", "Ms", "Lord"}


@pytest.mark.django_db
def test_importing_the_other_language_again_changes_nothing():
    run_import(ENGLISH, FRENCH, publish=True)
    [report] = run_import(FRENCH, publish=True)
    assert not report.changed


@pytest.mark.django_db
def test_the_other_language_adds_a_signature_it_has_and_the_record_lacks():
    run_import(english(["Mr Andreas GROSS, Switzerland, SOC"]))
    [report] = run_import(
        french(["M. Andreas GROSS, Suisse, SOC", "Mme Kateřina JACQUES, République tchèque"])
    )
    assert [line.kind for line in report.signature_lines] == ["recorded", "new"]
    assert signature_rows(620) == [(1, "GROSS", "CH", "SOC"), (2, "JACQUES", "CZ", None)]
    assert Declaration.objects.get(number=620).title_fr == "Éléments tels que publiés"


@pytest.mark.django_db
def test_another_group_for_the_same_person_stops_the_import_naming_the_position():
    run_import(english(["Mr Andreas GROSS, Switzerland, SOC", "Mr Tiny KOX, Netherlands, UEL"]))
    before = signature_rows(620)
    with pytest.raises(ImportFailed) as failure:
        run_import(french(["M. Andreas GROSS, Suisse, SOC", "M. Tiny KOX, Pays-Bas, ADLE"]))
    message = str(failure.value)
    assert "position 2" in message and "KOX" in message
    assert "UEL" in message and "ALDE" in message
    assert signature_rows(620) == before
    assert Declaration.objects.get(number=620).title_fr == ""


@pytest.mark.django_db
def test_a_dry_run_of_the_french_text_writes_nothing():
    run_import(ENGLISH)
    run_import(FRENCH, dry_run=True)
    assert Declaration.objects.get(number=695).title_fr == ""


# What the pages make of them.


@pytest.mark.django_db
def test_the_countries_page_tells_member_states_from_observers(client):
    run_import(english(ITEMS_2010), publish=True)
    page = client.get("/countries/").content.decode()
    members, observers = page.index("Member states"), page.index("Observer delegations")
    assert members < page.index("Switzerland") < observers < page.index("Canada")
    assert "Partners for democracy" not in page


@pytest.mark.django_db
def test_a_signature_printed_without_a_group_shows_so_on_the_declaration_page(client):
    run_import(english(ITEMS_2010), publish=True)
    page = client.get("/declarations/620/").content.decode()
    row = page[page.index("SIMMS") :]
    assert "no group printed" in row[: row.index("</tr>")]
    french = client.get("/fr/declarations/620/").content.decode()
    assert "aucun groupe indiqué" in french
