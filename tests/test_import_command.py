"""`manage.py import_declaration FILE... [--dry-run] [--publish]`: output, errors, atomicity."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from prisoners.models import Mention
from signatories.models import Declaration, Signatory, Signature
from signatories.parsing import parse_declaration

from .factories import make_detainee

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo" / "wd-695.txt"
DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.django_db

GOOD_ITEMS = ["Mr Jean DUPONT, France, ALDE", "Ms Ada BYRON, United Kingdom, SOC"]


def declaration_text(items=GOOD_ITEMS, *, number=700, header=None, listing=None):
    header = header or f"Written declaration No. {number} | Doc. {15000 + number} | 12 March 2020"
    listing = listing if listing is not None else "Signatories: " + " ; ".join(items)
    return (
        f"{header}\n\nA declaration written for the tests\n\n{listing}\n\n"
        "This written declaration commits only those who have signed it.\n\n"
        "We, the undersigned, declare the following:\n"
    )


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command("import_declaration", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row_counts():
    """Rows in every table of the two apps, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("signatories", "prisoners")
        for model in apps.get_app_config(app).get_models()
    }


def test_import_prints_what_it_created():
    output = run(DEMO)
    lines = output.splitlines()
    assert lines[0] == (
        "Written declaration No. 695 (Doc. 14983, 4 October 2019): created as draft"
    )
    assert lines[1] == "  signatures added: 25 (25 new signatories, 0 matched)"
    assert lines[2] == "      1. Mr André GATTOLIN (France, ALDE) — new"
    assert Declaration.objects.get(number=695).status == Declaration.Status.DRAFT
    assert Signature.objects.count() == 25


def test_publish_option_publishes_the_declaration():
    output = run(DEMO, "--publish")
    assert "created as published" in output
    assert Declaration.objects.get(number=695).is_published


def test_second_import_of_the_same_file_says_nothing_changed():
    run(DEMO)
    before = row_counts()
    output = run(DEMO)
    assert output.splitlines()[0].endswith("already recorded, nothing to change")
    assert "signatures added: 0 (0 new signatories, 0 matched)" in output
    assert row_counts() == before


def test_several_files_are_imported_together_and_signatories_matched_across_them():
    output = run(DATA / "wd-660.txt", DATA / "wd-682.txt")
    assert "Written declaration No. 660" in output
    assert "Written declaration No. 682" in output
    assert "signatures added: 4 (1 new signatory, 3 matched)" in output
    assert "Mr Jacques MAIRE (France, ALDE) — matches existing" in output
    assert Signatory.objects.count() == 4


def test_dry_run_prints_what_would_be_created_matched_and_linked_and_writes_nothing():
    detainee = make_detainee(name="Max Bokayev", other_names="Maks Bokayev")
    run(DATA / "wd-660.txt")
    before = row_counts()

    output = run(DEMO, "--dry-run")

    assert row_counts() == before
    lines = output.splitlines()
    assert lines[0].endswith("would be created as draft")
    assert lines[1] == "  signatures would be added: 25 (22 new signatories, 3 matched)"
    signature_lines = lines[2:27]
    parsed = parse_declaration(DEMO.read_text(encoding="utf-8"))
    expected = [f"{s.honorific} {s.given_name} {s.family_name}" for s in parsed.signatories]
    assert [line.split(". ", 1)[1].split(" (")[0] for line in signature_lines] == expected
    assert sum(line.endswith("— new") for line in signature_lines) == 22
    matched = [line for line in signature_lines if line.endswith("— matches existing")]
    assert matched == [
        "      2. Ms Boriana ÅBERG (Sweden, EPP/CD) — matches existing",
        "      7. Mr Boriss CILEVIČS (Latvia, SOC) — matches existing",
        "     17. Mr Jacques MAIRE (France, ALDE) — matches existing",
    ]
    assert f"  detainee would be linked: {detainee} (written 'Maks Bokayev')" in lines
    assert lines[-1] == "Dry run: nothing was written."
    assert not Mention.objects.exists()


def test_dry_run_of_an_extended_list_shows_the_added_signature_and_the_renumbering(tmp_path):
    run(DATA / "wd-660.txt")
    extended = (DATA / "wd-660.txt").read_text(encoding="utf-8")
    extended = extended.replace(
        "EPP/CD ; Mr Boriss", "EPP/CD ; Ms Carina OHLSSON, Sweden, SOC ; Mr Boriss"
    )
    before = row_counts()
    output = run(write(tmp_path, "wd-660-extended.txt", extended), "--dry-run")
    assert row_counts() == before
    assert "already recorded, would be updated" in output
    assert "  signatures would be added: 1 (1 new signatory, 0 matched)" in output
    assert "      3. Ms Carina OHLSSON (Sweden, SOC) — new" in output
    assert "  signatures would be renumbered: 1" in output


# Bad files: the command fails with status 1, names the line and the item, and writes nothing.

BAD_FILES = {
    "no-header": (
        declaration_text(header="Written declaration 700 of 12 March 2020"),
        ["line 1", "'Written declaration 700 of 12 March 2020'", "expected the header"],
    ),
    "unknown-group": (
        declaration_text([GOOD_ITEMS[0], "Ms Ada BYRON, United Kingdom, XYZ"]),
        ["line 5", "'Ms Ada BYRON, United Kingdom, XYZ'", "unknown political group 'XYZ'"],
    ),
    "unknown-country": (
        declaration_text(["Mr Jean DUPONT, Atlantis, ALDE", GOOD_ITEMS[1]]),
        ["line 5", "'Mr Jean DUPONT, Atlantis, ALDE'", "unknown country 'Atlantis'"],
    ),
    "not-name-country-group": (
        declaration_text(
            listing=f"Signatories: {GOOD_ITEMS[0]} ;\nMs Ada BYRON United Kingdom SOC"
        ),
        ["line 6", "'Ms Ada BYRON United Kingdom SOC'", "expected 'Name, Country, GROUP'"],
    ),
    "name-without-capitals": (
        declaration_text(["Mr Jean Dupont, France, ALDE", GOOD_ITEMS[1]]),
        ["line 5", "'Mr Jean Dupont, France, ALDE'", "no family name in capitals"],
    ),
    "empty-list": (
        declaration_text(listing="Signatories:"),
        ["line 5", "the signatory list is empty"],
    ),
    "duplicate-signatory": (
        declaration_text([*GOOD_ITEMS, "Mr Jean DUPONT, FRANCE, ALDE"]),
        ["line 5", "'Mr Jean DUPONT, FRANCE, ALDE'", "signatory already listed on line 5"],
    ),
    "bad-date": (
        declaration_text(header="Written declaration No. 700 | Doc. 15700 | 30 February 2020"),
        ["line 1", "'30 February 2020'", "the date is not like '04 October 2019'"],
    ),
    "not-utf-8": (
        declaration_text(["Mr Eduard KÖCK, Austria, EPP/CD"]).encode("latin-1"),
        ["not UTF-8 text"],
    ),
}


@pytest.mark.parametrize(("content", "fragments"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_fails_naming_line_and_item_and_writes_nothing(demo, tmp_path, content, fragments):
    path = write(tmp_path, "bad.txt", content)
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        run(path)
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert message.startswith("Nothing was imported:")
    assert path in message
    for fragment in fragments:
        assert fragment in message
    assert row_counts() == before


def test_missing_file_fails_and_writes_nothing(demo, tmp_path):
    before = row_counts()
    with pytest.raises(CommandError, match=r"missing\.txt: no such file") as caught:
        run(tmp_path / "missing.txt")
    assert caught.value.returncode == 1
    assert row_counts() == before


def test_folder_given_as_a_file_fails(tmp_path):
    with pytest.raises(CommandError, match="is a folder, not a file"):
        run(tmp_path)


def test_second_file_bad_means_nothing_from_the_first_is_written(tmp_path):
    before = row_counts()
    bad = write(tmp_path, "bad.txt", declaration_text(["Mr Jean DUPONT, Atlantis, ALDE"]))
    with pytest.raises(CommandError) as caught:
        run(DEMO, bad)
    assert "unknown country 'Atlantis'" in str(caught.value)
    assert str(DEMO) not in str(caught.value)
    assert row_counts() == before


def test_problem_found_only_while_writing_the_second_file_undoes_the_first(tmp_path):
    before = row_counts()
    too_long = declaration_text().replace(
        "A declaration written for the tests", "A title far too long " * 30
    )
    bad = write(tmp_path, "bad.txt", too_long)
    with pytest.raises(CommandError, match="declaration No. 700, title") as caught:
        run(DEMO, bad)
    assert caught.value.returncode == 1
    assert row_counts() == before


def test_problems_of_every_file_are_listed_together(tmp_path):
    first = write(tmp_path, "first.txt", declaration_text(["Mr Jean DUPONT, France, XYZ"]))
    second = write(
        tmp_path, "second.txt", declaration_text(["Mr Jean DUPONT, Atlantis, ALDE"], number=701)
    )
    with pytest.raises(CommandError) as caught:
        run(first, second)
    problems = str(caught.value).splitlines()[1:]
    assert problems == [
        f"  {first}: line 5: 'Mr Jean DUPONT, France, XYZ': unknown political group 'XYZ'",
        f"  {second}: line 5: 'Mr Jean DUPONT, Atlantis, ALDE': unknown country 'Atlantis'",
    ]
