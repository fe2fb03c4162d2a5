"""Writing parsed declarations to the database: what an import creates, matches and keeps."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps

from prisoners.models import Detainee, Mention
from signatories.countries import country_code
from signatories.importing import ImportFailed, import_declarations
from signatories.models import Declaration, Signatory, Signature
from signatories.parsing import parse_declaration

from .factories import group, make_detainee

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo" / "wd-695.txt"
DATA = Path(__file__).resolve().parent / "data"


def declaration_text(items, *, number=700, date="12 March 2020", title=None, body=None):
    """A declaration in the PACE layout with these `Name, Country, GROUP` items."""
    title = title or f"Declaration {number}, written for the tests"
    body = body or "We, the undersigned, declare the following:\n\nNothing of note."
    return (
        f"Written declaration No. {number} | Doc. {15000 + number} | {date}\n\n"
        f"{title}\n\nSignatories: {' ; '.join(items)}\n\n{body}\n"
    )


def run_import(*texts, publish=False, dry_run=False):
    return import_declarations(
        [parse_declaration(text) for text in texts], publish=publish, dry_run=dry_run
    )


def counted_models():
    """Every model of the two apps, history models included."""
    return [
        model
        for app in ("signatories", "prisoners")
        for model in apps.get_app_config(app).get_models()
    ]


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in counted_models()}


def demo_text():
    return DEMO.read_text(encoding="utf-8")


def test_row_counts_cover_the_history_tables():
    labels = {model._meta.label for model in counted_models()}
    assert {"signatories.HistoricalSignature", "prisoners.HistoricalMention"} <= labels


# Importing the demo.


@pytest.mark.django_db
def test_importing_the_demo_creates_one_declaration_25_signatories_and_25_signatures():
    [report] = run_import(demo_text())
    assert report.created
    assert Declaration.objects.count() == 1
    assert Signatory.objects.count() == 25
    assert Signature.objects.count() == 25
    declaration = Declaration.objects.get(number=695)
    assert (declaration.document_reference, declaration.date) == (
        "14983",
        datetime.date(2019, 10, 4),
    )
    assert declaration.text.startswith("We, the undersigned")
    assert len(report.new_signatories) == 25
    assert len(report.added_signatures) == 25


@pytest.mark.django_db
def test_imported_signatures_keep_list_order_and_the_affiliation_as_printed():
    run_import(demo_text())
    signatures = list(
        Signature.objects.filter(declaration__number=695).select_related(
            "signatory", "political_group"
        )
    )
    assert [s.position for s in signatures] == list(range(1, 26))
    author = signatures[0]
    assert (author.signatory.family_name, author.country.code, str(author.political_group)) == (
        "GATTOLIN",
        "FR",
        "ALDE",
    )
    grigoriu = Signatory.objects.get(family_name="GRIGORIU")
    assert (grigoriu.country.code, grigoriu.political_group.abbreviation) == ("MD", "EPP/CD")
    foulkes = Signatory.objects.get(family_name="FOULKES")
    assert (foulkes.honorific, foulkes.given_name, foulkes.country.code) == ("Lord", "George", "GB")
    assert Signatory.objects.get(search_name="boriana aberg").family_name == "ÅBERG"


@pytest.mark.django_db
def test_imported_demo_has_eleven_countries_and_five_groups_as_of_signing():
    run_import(demo_text())
    assert Signature.objects.values("country").distinct().count() == 11
    assert set(Signature.objects.values_list("political_group__slug", flat=True)) == {
        "alde",
        "epp-cd",
        "soc",
        "nr",
        "uel",
    }


@pytest.mark.django_db
def test_new_declaration_is_a_draft_unless_published():
    run_import(demo_text())
    assert Declaration.objects.get(number=695).status == Declaration.Status.DRAFT
    run_import(declaration_text(["Mr Jean DUPONT, France, ALDE"]), publish=True)
    assert Declaration.objects.get(number=700).status == Declaration.Status.PUBLISHED


@pytest.mark.django_db
def test_publishing_a_recorded_draft_publishes_it_and_nothing_else():
    run_import(demo_text())
    signature_history = Signature.history.count()
    [report] = run_import(demo_text(), publish=True)
    assert report.published and not report.created
    assert Declaration.objects.get(number=695).is_published
    assert Signature.history.count() == signature_history


@pytest.mark.django_db
def test_importing_without_publish_never_unpublishes():
    run_import(demo_text(), publish=True)
    run_import(demo_text())
    assert Declaration.objects.get(number=695).is_published


# Idempotence.


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing():
    make_detainee(name="Maks Bokayev")
    run_import(demo_text(), publish=True)
    before = row_counts()
    [report] = run_import(demo_text(), publish=True)
    assert row_counts() == before
    assert not report.changed
    assert report.notes == []
    assert report.lines()[0].endswith("already recorded, nothing to change")


def test_reloading_the_demo_saves_no_row_again(demo):
    before = row_counts()
    modified = Declaration.objects.get(number=695).modified
    run_import(demo_text(), publish=True)
    assert row_counts() == before
    assert Declaration.objects.get(number=695).modified == modified


# Detainees.


def test_demo_links_the_nine_detainees_it_names(demo):
    mentions = Mention.objects.filter(declaration=demo).select_related("detainee")
    assert mentions.count() == 9 == Detainee.objects.count()
    for mention in mentions:
        assert mention.name_as_written in demo.text


@pytest.mark.django_db
def test_mention_records_the_spelling_used_in_the_text():
    detainee = make_detainee(name="Max Bokayev", other_names="Maks Bokaev\nMaks Bokayev")
    [report] = run_import(demo_text())
    mention = Mention.objects.get(detainee=detainee)
    assert mention.name_as_written == "Maks Bokayev"
    assert mention.declaration.number == 695
    assert report.new_mentions == [mention]


@pytest.mark.django_db
def test_detainee_not_named_in_the_text_is_not_linked():
    make_detainee(name="Jan Kowalski")
    make_detainee(name="Serik Zhahinov")
    run_import(demo_text())
    assert not Mention.objects.exists()


@pytest.mark.django_db
def test_importing_again_links_detainees_recorded_since():
    run_import(demo_text())
    detainee = make_detainee(name="Oksana Shevchuk")
    [report] = run_import(demo_text())
    assert [mention.detainee for mention in report.new_mentions] == [detainee]
    assert Signature.objects.count() == 25


# Signatories across declarations.


@pytest.mark.django_db
@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-first", "older-first"])
def test_signatory_keeps_each_group_as_of_signing_and_takes_the_latest_as_current(newer_first):
    older = (DATA / "wd-660.txt").read_text(encoding="utf-8")
    newer = (DATA / "wd-682.txt").read_text(encoding="utf-8")
    for text in [newer, older] if newer_first else [older, newer]:
        run_import(text)
    [maire] = Signatory.objects.filter(family_name="MAIRE")
    as_of_signing = dict(
        maire.signatures.values_list("declaration__number", "political_group__abbreviation")
    )
    assert as_of_signing == {660: "NR", 682: "ALDE"}
    assert maire.political_group.abbreviation == "ALDE"


@pytest.mark.django_db
def test_curator_set_affiliation_is_not_changed_by_an_import():
    run_import((DATA / "wd-660.txt").read_text(encoding="utf-8"))
    maire = Signatory.objects.get(family_name="MAIRE")
    maire.affiliation_is_manual = True
    maire.political_group = group("EPP/CD")
    maire.save()
    run_import((DATA / "wd-682.txt").read_text(encoding="utf-8"))
    maire.refresh_from_db()
    assert maire.political_group.abbreviation == "EPP/CD"
    assert maire.signatures.get(declaration__number=682).political_group.abbreviation == "ALDE"


@pytest.mark.django_db
def test_signatories_are_matched_by_folded_name_and_country():
    run_import((DATA / "wd-660.txt").read_text(encoding="utf-8"))
    [report] = run_import((DATA / "wd-682.txt").read_text(encoding="utf-8"))
    assert Signatory.objects.count() == 4
    assert {s.family_name for s in report.matched_signatories} == {"MAIRE", "ÅBERG", "CILEVIČS"}
    assert [s.family_name for s in report.new_signatories] == ["De SUTTER"]
    aberg = Signatory.objects.get(family_name="ÅBERG")
    assert sorted(aberg.signatures.values_list("declaration__number", flat=True)) == [660, 682]


@pytest.mark.django_db
def test_particle_written_in_other_capitals_matches_the_same_signatory():
    run_import(declaration_text(["Ms Petra De SUTTER, Belgium, SOC"], number=701))
    run_import(declaration_text(["Ms Petra de SUTTER, Belgium, SOC"], number=702))
    [signatory] = Signatory.objects.all()
    assert signatory.family_name == "De SUTTER"
    assert signatory.signatures.count() == 2


@pytest.mark.django_db
def test_same_name_in_another_delegation_is_another_signatory():
    run_import(declaration_text(["Mr Jean DUPONT, France, ALDE"], number=701))
    run_import(declaration_text(["Mr Jean DUPONT, Belgium, ALDE"], number=702))
    assert sorted(Signatory.objects.values_list("country", flat=True)) == ["BE", "FR"]


@pytest.mark.django_db
def test_groups_are_matched_by_english_or_french_abbreviation_in_any_case():
    items = [
        "Mr Jean DUPONT, France, PPE/DC",
        "Ms Jane DOE, France, soc",
        "Mr Jan JANSEN, Netherlands, ADLE",
    ]
    run_import(declaration_text(items))
    assert list(
        Signature.objects.order_by("position").values_list("political_group__slug", flat=True)
    ) == ["epp-cd", "soc", "alde"]


# Extended lists.


@pytest.mark.django_db
def test_extended_list_adds_only_the_new_signature_and_renumbers_the_others():
    listed = ["Mr Jean DUPONT, France, ALDE", "Ms Ada BYRON, United Kingdom, SOC"]
    listed.append("Mr Karl ZANDER, Germany, SOC")
    run_import(declaration_text(listed))
    before = {s.signatory.family_name: s.pk for s in Signature.objects.select_related("signatory")}
    history_before = Signature.history.count()

    extended = [*listed[:2], "Ms Eva MÜLLER, Germany, EPP/CD", listed[2]]
    [report] = run_import(declaration_text(extended))

    assert [s.signatory.family_name for s in report.added_signatures] == ["MÜLLER"]
    assert report.moved_signatures == 1
    signatures = Signature.objects.select_related("signatory").order_by("position")
    assert [(s.position, s.signatory.family_name) for s in signatures] == [
        (1, "DUPONT"),
        (2, "BYRON"),
        (3, "MÜLLER"),
        (4, "ZANDER"),
    ]
    kept = {s.signatory.family_name: s.pk for s in signatures if s.signatory.family_name in before}
    assert kept == before
    # One signature created, one renumbered once, none deleted.
    new_history = Signature.history.order_by("history_id")[history_before:]
    assert [(h.history_type, h.signatory.family_name, h.position) for h in new_history] == [
        ("~", "ZANDER", 4),
        ("+", "MÜLLER", 3),
    ]


@pytest.mark.django_db
def test_several_signatures_added_before_a_recorded_one_get_their_places():
    run_import(declaration_text(["Mr Jean DUPONT, France, ALDE", "Mr Karl ZANDER, Germany, SOC"]))
    extended = [
        "Mr Jean DUPONT, France, ALDE",
        "Ms Ada BYRON, United Kingdom, SOC",
        "Ms Eva MÜLLER, Germany, EPP/CD",
        "Ms Ines PRADO, Spain, SOC",
        "Mr Karl ZANDER, Germany, SOC",
    ]
    run_import(declaration_text(extended))
    assert list(
        Signature.objects.order_by("position").values_list("signatory__family_name", flat=True)
    ) == ["DUPONT", "BYRON", "MÜLLER", "PRADO", "ZANDER"]


@pytest.mark.django_db
def test_list_in_another_order_swaps_recorded_positions():
    items = [
        "Mr Jean DUPONT, France, ALDE",
        "Ms Ada BYRON, France, SOC",
        "Mr Karl ZANDER, Germany, SOC",
    ]
    run_import(declaration_text(items))
    [report] = run_import(declaration_text([items[0], items[2], items[1]]))
    assert report.moved_signatures == 2
    assert list(
        Signature.objects.order_by("position").values_list("signatory__family_name", flat=True)
    ) == ["DUPONT", "ZANDER", "BYRON"]
    assert Signature.objects.count() == 3


@pytest.mark.django_db
def test_recorded_signature_missing_from_the_file_is_kept_last_and_reported():
    run_import(declaration_text(["Mr Jean DUPONT, France, ALDE", "Ms Ada BYRON, France, SOC"]))
    [report] = run_import(
        declaration_text(["Mr Jean DUPONT, France, ALDE", "Mr Karl ZANDER, Germany, SOC"])
    )
    assert list(
        Signature.objects.order_by("position").values_list("signatory__family_name", flat=True)
    ) == ["DUPONT", "ZANDER", "BYRON"]
    assert any("Ada BYRON" in note for note in report.notes)


@pytest.mark.django_db
def test_differences_from_the_record_are_reported_not_applied():
    run_import(declaration_text(["Mr Jean DUPONT, France, ALDE"], title="The first title"))
    [report] = run_import(declaration_text(["Mr Jean DUPONT, France, ALDE"], title="Another"))
    declaration = Declaration.objects.get(number=700)
    assert declaration.title == "The first title"
    assert report.notes == ["the title differs from the file; the recorded one is kept"]


@pytest.mark.django_db
def test_another_group_as_of_signing_than_the_record_is_refused():
    run_import(declaration_text(["Mr Jean DUPONT, France, ALDE"], title="The first title"))
    with pytest.raises(ImportFailed, match="Jean DUPONT .* as ALDE on record.* prints SOC"):
        run_import(declaration_text(["Mr Jean DUPONT, France, SOC"], title="Another"))
    declaration = Declaration.objects.get(number=700)
    assert declaration.signatures.get().political_group.abbreviation == "ALDE"


# Atomicity: a bad declaration writes nothing.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("Mr Jean DUPONT, Atlantis, ALDE", "unknown country 'Atlantis'"),
        ("Mr Jean DUPONT, France, XYZ", "unknown political group 'XYZ'"),
    ],
)
def test_unknown_country_or_group_fails_naming_line_and_item(item, message):
    run_import(demo_text())
    before = row_counts()
    text = declaration_text(["Ms Ada BYRON, France, SOC", item])
    with pytest.raises(ImportFailed) as caught:
        run_import(text)
    [problem] = caught.value.problems
    assert (problem.line, problem.item, problem.message) == (5, item, message)
    assert row_counts() == before


@pytest.mark.django_db
def test_same_person_under_two_spellings_of_the_country_fails():
    items = ["Ms Ina GRIGORIU, Republic of Moldova, EPP/CD", "Ms Ina GRIGORIU, Moldova, EPP/CD"]
    with pytest.raises(ImportFailed, match="signatory already listed on line 5"):
        run_import(declaration_text(items))
    assert not Signatory.objects.exists()


@pytest.mark.django_db
def test_value_too_long_for_the_database_fails_without_writing():
    before = row_counts()
    with pytest.raises(ImportFailed, match="declaration No. 700, title"):
        run_import(declaration_text(["Mr Jean DUPONT, France, ALDE"], title="Long " * 120))
    assert row_counts() == before


@pytest.mark.django_db
def test_one_bad_declaration_among_several_writes_none_of_them():
    before = row_counts()
    bad = declaration_text(["Mr Jean DUPONT, France, ALDE"], title="Long " * 120)
    with pytest.raises(ImportFailed):
        run_import(demo_text(), bad)
    assert row_counts() == before
    assert not Declaration.objects.exists()


@pytest.mark.django_db
def test_dry_run_reports_what_would_happen_and_writes_nothing():
    make_detainee(name="Iskander Yerimbetov")
    before = row_counts()
    [report] = run_import(demo_text(), dry_run=True)
    assert row_counts() == before
    assert report.created
    assert len(report.added_signatures) == 25
    assert [m.name_as_written for m in report.new_mentions] == ["Iskander Yerimbetov"]
    assert report.lines(dry_run=True)[0].endswith("would be created as draft")


# Countries as PACE writes them.


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Republic of Moldova", "MD"),
        ("République de Moldova", "MD"),
        ("Slovak Republic", "SK"),
        ("Czech Republic", "CZ"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("TURKIYE", "TR"),
        ("The former Yugoslav Republic of Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Russian Federation", "RU"),
        ("United Kingdom", "GB"),
        ("Royaume-Uni", "GB"),
        ("Bosnia and Herzegovina", "BA"),
        ("Netherlands", "NL"),
        ("Iceland", "IS"),
        ("San\u00a0Marino", "SM"),
        (" Allemagne ", "DE"),
    ],
)
def test_country_names_as_pace_prints_them_map_to_iso_codes(written, code):
    assert country_code(written) == code


@pytest.mark.parametrize("written", ["Atlantis", "", "  ", "Europe"])
def test_unknown_country_name_maps_to_none(written):
    assert country_code(written) is None
