"""Everyday curation never puts a wrong fact on a public page: an import that contradicts the
record is refused with nothing changed, two imports at once both land, a database refusal is a
message and never a traceback, and a long list previews in seconds."""

import contextlib
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declaration_site.backups import backup
from signatories import importing
from signatories.models import Declaration, Signatory, Signature

from .conftest import restore_pace_groups
from .curation import DEMO_TEXT, IMPORT_URL
from .factories import load_demo, make_signatory

ROOT = Path(__file__).resolve().parents[1]
DEMO_HEADER = "Written declaration No. 695 | Doc. 14983 | 04 October 2019"
DEMO_TITLE = (
    "The international community must respond to mass arrests and political prosecution in "
    "Kazakhstan"
)
DEMO_AUTHOR = "Mr André GATTOLIN, France, ALDE"
NEWCOMER = "Ms Nina NEWCOMER, Norway, SOC"


def demo_variant(*, header=DEMO_HEADER, title=DEMO_TITLE, author=None, body=None):
    """The demo text with another header, title, first signatory or body."""
    text = DEMO_TEXT.replace(DEMO_HEADER, header).replace(DEMO_TITLE, title)
    if author is not None:
        text = text.replace(f"Signatories: {DEMO_AUTHOR} ;", f"Signatories: {author} ;")
    if body is not None:
        text = text[: text.index("We, the undersigned")] + body + "\n"
    return text


# The text of the report: No. 695 again, with another document, date, title and first signatory.
TAKEN_NUMBER = demo_variant(
    header="Written declaration No. 695 | Doc. 16001 | 12 March 2024",
    title="Another declaration altogether",
    author=f"{NEWCOMER} ; {DEMO_AUTHOR}",
)


def record():
    """Everything a visitor could see change: No. 695's fields and signatures in order, and
    the number of rows of every table of the two apps, history included."""
    declaration = Declaration.objects.get(number=695)
    return {
        "declaration": (
            declaration.document_reference,
            declaration.date,
            declaration.title,
            declaration.text,
            declaration.status,
        ),
        "signatures": list(
            declaration.signatures.order_by("position").values_list(
                "position", "signatory__given_name", "signatory__family_name", "country"
            )
        ),
        "rows": {
            model._meta.label: model._default_manager.count()
            for app in ("signatories", "prisoners")
            for model in apps.get_app_config(app).get_models()
        },
    }


def author_of(number):
    return Signature.objects.get(declaration__number=number, position=1).signatory.full_name


def write(tmp_path, text, name="declaration.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_command(*args):
    """call_command("import_declaration", ...): (stdout) or CommandError."""
    output = io.StringIO()
    call_command("import_declaration", *map(str, args), stdout=output, stderr=io.StringIO())
    return output.getvalue()


def preview(client, text, button="preview"):
    return client.post(reverse(IMPORT_URL), {"text": text, button: "1"})


# Case: a text under a taken number that contradicts the record.


@pytest.mark.django_db
def test_a_taken_number_with_another_reference_date_and_author_is_refused(demo, tmp_path):
    before = record()
    with pytest.raises(CommandError) as caught:
        import_command(write(tmp_path, TAKEN_NUMBER), "--publish")
    message = str(caught.value)
    assert message.startswith("Nothing was imported:")
    for fragment in [
        "No. 695",
        "Doc. 14983 of 4 October 2019",
        "Doc. 16001 of 12 March 2024",
        "Mr André GATTOLIN (France)",
        "Ms Nina NEWCOMER (Norway)",
        "declaration.txt",
    ]:
        assert fragment in message
    assert record() == before
    assert author_of(695) == "André GATTOLIN"
    assert not Signatory.objects.filter(family_name="NEWCOMER").exists()


@pytest.mark.django_db
def test_a_dry_run_of_a_contradicting_text_is_refused_too(demo, tmp_path):
    with pytest.raises(CommandError, match="Doc. 16001 of 12 March 2024"):
        import_command(write(tmp_path, TAKEN_NUMBER), "--dry-run")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "recorded", "in_file"),
    [
        (
            "Written declaration No. 695 | Doc. 14983 | 05 October 2019",
            "Doc. 14983 of 4 October 2019",
            "Doc. 14983 of 5 October 2019",
        ),
        (
            "Written declaration No. 695 | Doc. 14984 | 04 October 2019",
            "Doc. 14983 of 4 October 2019",
            "Doc. 14984 of 4 October 2019",
        ),
    ],
    ids=["another-date", "another-reference"],
)
def test_another_date_or_reference_alone_is_refused(demo, tmp_path, header, recorded, in_file):
    before = record()
    with pytest.raises(CommandError) as caught:
        import_command(write(tmp_path, demo_variant(header=header)))
    [line] = str(caught.value).splitlines()[1:]
    assert "No. 695" in line
    assert recorded in line
    assert in_file in line
    assert record() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "named"),
    [
        (NEWCOMER, "Ms Nina NEWCOMER (Norway)"),
        ("Ms Boriana ÅBERG, Sweden, EPP/CD", "Ms Boriana ÅBERG (Sweden)"),
    ],
    ids=["a-new-person", "another-signatory-of-the-declaration"],
)
def test_another_author_is_refused_naming_both_authors(demo, tmp_path, first, named):
    text = demo_variant(author=f"{first} ; {DEMO_AUTHOR}")
    if "ÅBERG" in first:  # listed first instead of second, not twice
        text = text.replace(
            " ; Ms Boriana ÅBERG, Sweden, EPP/CD ; Ms Thorhildur", " ; Ms Thorhildur"
        )
    before = record()
    with pytest.raises(CommandError) as caught:
        import_command(write(tmp_path, text))
    [line] = str(caught.value).splitlines()[1:]
    assert "the author (first signatory) of written declaration No. 695" in line
    assert "Mr André GATTOLIN (France)" in line
    assert named in line
    assert "line 7" in line
    assert record() == before


@pytest.mark.django_db
def test_title_and_text_differences_stay_notes_and_change_nothing(demo, tmp_path):
    before = record()
    text = demo_variant(title="A corrected title", body="A corrected body.")
    output = import_command(write(tmp_path, text))
    assert "already recorded, nothing to change" in output
    assert "note: the title differs from the file; the recorded one is kept" in output
    assert "note: the text differs from the file; the recorded one is kept" in output
    assert record() == before


@pytest.mark.django_db
def test_a_reference_already_used_by_another_number_is_a_warning_not_a_refusal(demo, tmp_path):
    text = demo_variant(header="Written declaration No. 700 | Doc. 14983 | 04 October 2019")
    output = import_command(write(tmp_path, text))
    assert "Written declaration No. 700 (Doc. 14983, 4 October 2019): created as draft" in output
    assert (
        "note: Doc. 14983 is already the document reference of written declaration No. 695"
        in output
    )
    assert Declaration.objects.filter(number=700).exists()


def database_url_for_a_subprocess(tmp_path):
    """An address at which another process reaches the test database: the test database
    itself on PostgreSQL; on SQLite (in memory in tests) a file copy of it."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "")
        password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"
    copy = tmp_path / "database.sqlite3"
    backup(copy)
    return f"sqlite:///{copy}"


def manage(database_url, *args):
    """Start `manage.py ARGS` on `database_url`, as an operator would run it."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    environment["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def signatures_in(database_url, number):
    """(position, family name) of declaration `number`'s signatures, read where `manage()`
    wrote them."""
    query = (
        "SELECT s.position, p.family_name FROM signatories_signature s "
        "JOIN signatories_signatory p ON p.id = s.signatory_id "
        "JOIN signatories_declaration d ON d.id = s.declaration_id "
        "WHERE d.number = %s ORDER BY s.position"
    )
    if database_url.startswith("sqlite:///"):
        # closing(): a Connection used as a context manager commits but stays open.
        with contextlib.closing(
            sqlite3.connect(database_url.removeprefix("sqlite:///"))
        ) as database:
            return database.execute(query.replace("%s", "?"), [number]).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(query, [number])
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_1_with_one_line_per_problem_and_no_traceback(tmp_path):
    restore_pace_groups()
    load_demo()
    database_url = database_url_for_a_subprocess(tmp_path)
    before = signatures_in(database_url, 695)
    path = write(tmp_path, TAKEN_NUMBER)

    process = manage(database_url, "import_declaration", path, "--publish")
    stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 1
    assert "Traceback" not in stderr
    problems = [line.strip() for line in stderr.splitlines() if line.startswith("  ")]
    assert problems == [
        (
            f"{path}: file: written declaration No. 695 is recorded as Doc. 14983 of 4 October"
            " 2019, but this text has Doc. 16001 of 12 March 2024; a text with another document"
            " reference or date is another declaration: check the number in its header"
        ),
        (
            f"{path}: line 7: {NEWCOMER!r}: the author (first signatory) of written declaration"
            " No. 695 is Mr André GATTOLIN (France) on record, but this text lists Ms Nina"
            " NEWCOMER (Norway) first; an import does not change a declaration's author"
        ),
    ]
    assert "CommandError: Nothing was imported:" in stderr
    assert stdout == ""
    assert signatures_in(database_url, 695) == before
    assert before[0] == (1, "GATTOLIN")
    assert len(before) == 25


@pytest.mark.django_db
def test_the_admin_preview_refuses_a_contradicting_text_with_no_confirm_button(admin_client, demo):
    before = record()
    page = preview(admin_client, TAKEN_NUMBER).content.decode()
    assert "This text cannot be imported; nothing was written" in page
    assert 'class="module import-problems" role="alert"' in page
    assert '<ul class="errorlist">' in page
    assert "Doc. 14983 of 4 October 2019, but this text has Doc. 16001 of 12 March 2024" in page
    assert "is Mr André GATTOLIN (France) on record" in page
    assert "lists Ms Nina NEWCOMER (Norway) first" in page
    assert "Confirm import" not in page
    assert record() == before


@pytest.mark.django_db
def test_confirming_a_contradicting_text_in_the_admin_writes_nothing(admin_client, demo):
    before = record()
    response = preview(admin_client, TAKEN_NUMBER, button="confirm")
    assert response.status_code == 200
    assert "This text cannot be imported; nothing was written" in response.content.decode()
    assert record() == before
    assert author_of(695) == "André GATTOLIN"


@pytest.mark.django_db
def test_the_admin_preview_warns_when_the_reference_belongs_to_another_number(admin_client, demo):
    text = demo_variant(header="Written declaration No. 700 | Doc. 14983 | 04 October 2019")
    page = preview(admin_client, text).content.decode()
    assert (
        '<li class="warning">Doc. 14983 is already the document reference of written '
        "declaration No. 695; check the header of this text</li>"
    ) in page
    assert "Confirm import" in page
    assert not Declaration.objects.filter(number=700).exists()


# Case: two imports at once.


def shared_list_texts(count=120):
    """Two declarations (801, 802) naming the same `count` people, none of them recorded."""
    items = " ; ".join(f"Mr Ivan SHARED{index:03d}, France, SOC" for index in range(count))
    return [
        f"Written declaration No. {number} | Doc. {16000 + number} | 12 March 2024\n\n"
        f"Declaration {number}\n\nSignatories: {items}\n\nWe, the undersigned, declare.\n"
        for number in (801, 802)
    ]


def run_two_imports_at_once(database_url, tmp_path):
    paths = [
        write(tmp_path, text, f"wd-{index}.txt") for index, text in enumerate(shared_list_texts())
    ]
    processes = [manage(database_url, "import_declaration", path) for path in paths]
    return [(process, *process.communicate(timeout=180)) for process in processes]


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_on_postgresql_both_land(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: its advisory lock is what is tested (SQLite: see the next test); "
            "run with DATABASE_URL=postgres://..."
        )
    restore_pace_groups()
    results = run_two_imports_at_once(database_url_for_a_subprocess(tmp_path), tmp_path)
    for process, _stdout, stderr in results:
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
    assert Signatory.objects.filter(family_name="SHARED000").count() == 1
    assert Signatory.objects.filter(family_name__startswith="SHARED").count() == 120
    for number in (801, 802):
        assert Signature.objects.filter(declaration__number=number).count() == 120


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_on_sqlite_both_land(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: the same for PostgreSQL is the test above")
    restore_pace_groups()
    database_url = database_url_for_a_subprocess(tmp_path)
    results = run_two_imports_at_once(database_url, tmp_path)
    for process, _stdout, stderr in results:
        assert process.returncode == 0, stderr
    with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as database:
        [(shared,)] = database.execute(
            "SELECT COUNT(*) FROM signatories_signatory WHERE family_name = 'SHARED000'"
        ).fetchall()
    assert shared == 1
    for number in (801, 802):
        assert len(signatures_in(database_url, number)) == 120


@pytest.mark.django_db(transaction=True)
def test_two_curators_confirming_at_once_both_get_an_answer_not_a_500():
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: SQLite's in-memory test database cannot take writes from two "
            "threads; run with DATABASE_URL=postgres://..."
        )
    restore_pace_groups()
    texts = shared_list_texts()
    curators = [
        User.objects.create_superuser(f"curator{index}", f"c{index}@example.org", "x")
        for index in range(2)
    ]
    responses = [None, None]

    def confirm(index):
        try:
            client = Client()
            client.force_login(curators[index])
            responses[index] = preview(client, texts[index], button="confirm")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [response.status_code for response in responses] == [302, 302]
    assert Signatory.objects.filter(family_name="SHARED000").count() == 1
    assert Signature.objects.filter(declaration__number__in=[801, 802]).count() == 240


def refuse_once(real):
    """A stand-in for the bulk writer that fails like a unique key taken at the same moment,
    the first time only."""
    calls = []

    def write(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise IntegrityError(
                'duplicate key value violates unique constraint "signatories_signatory_slug_key"'
            )
        return real(*args, **kwargs)

    return write


def always_refuse(*args, **kwargs):
    raise IntegrityError(
        'duplicate key value violates unique constraint "signatories_signatory_slug_key"'
    )


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["preview", "confirm"])
def test_a_database_refusal_is_a_message_in_the_admin_not_a_500(admin_client, button):
    with mock.patch.object(importing, "bulk_create_with_history", always_refuse):
        response = preview(admin_client, DEMO_TEXT, button=button)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This text cannot be imported; nothing was written" in page
    assert "the database refused the import" in page
    assert "try again" in page
    assert "Confirm import" not in page
    assert not Declaration.objects.exists()
    assert not Signatory.objects.exists()


@pytest.mark.django_db
def test_a_database_refusal_is_one_line_from_the_command(tmp_path):
    with (
        mock.patch.object(importing, "bulk_create_with_history", always_refuse),
        pytest.raises(CommandError) as caught,
    ):
        import_command(write(tmp_path, DEMO_TEXT))
    lines = str(caught.value).splitlines()
    assert lines[0] == "Nothing was imported:"
    [problem] = lines[1:]
    assert "the database refused the import" in problem
    assert "signatories_signatory_slug_key" in problem
    assert not Declaration.objects.exists()


@pytest.mark.django_db
def test_an_import_the_database_refused_once_is_tried_again_and_lands(admin_client):
    real = importing.bulk_create_with_history
    with mock.patch.object(importing, "bulk_create_with_history", refuse_once(real)):
        response = preview(admin_client, DEMO_TEXT, button="confirm")
    assert response.status_code == 302
    declaration = Declaration.objects.get(number=695)
    assert declaration.signatures.count() == 25
    assert Signatory.objects.count() == 25
    assert author_of(695) == "André GATTOLIN"


# Case: a long list previews well within gunicorn's timeout.

COUNTRIES = ["France", "Germany", "Italy", "Sweden", "Austria", "United Kingdom", "Spain"]
GROUPS = ["SOC", "EPP/CD", "ALDE", "UEL", "EC/DA", "NR"]


def long_list_text(count=500, number=900):
    items = " ; ".join(
        f"Mr Ivan LONG{chr(65 + index // 26 % 26)}{chr(65 + index % 26)}{index // 676}, "
        f"{COUNTRIES[index % len(COUNTRIES)]}, {GROUPS[index % len(GROUPS)]}"
        for index in range(count)
    )
    return (
        f"Written declaration No. {number} | Doc. {16000 + number} | 12 March 2024\n\n"
        f"A long list\n\nSignatories: {items}\n\n"
        "This written declaration commits only those who have signed it.\n\n"
        "We, the undersigned, declare the following.\n"
    )


@dataclass
class Cost:
    """What one request cost this process: processor seconds (the site's work, however busy
    the machine is with other work), seconds on the clock, and SQL queries."""

    processor: float = 0.0
    clock: float = 0.0
    queries: int = 0


@contextlib.contextmanager
def measured():
    cost = Cost()
    processor, clock = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        yield cost
    cost.processor = time.process_time() - processor
    cost.clock = time.perf_counter() - clock
    cost.queries = len(queries)


@pytest.mark.django_db
def test_previewing_and_importing_500_signatures_takes_seconds(admin_client):
    """Generous bounds guarding the complexity: about 1 s and 550 queries here (most of them
    refreshing each new signatory's affiliation), where it was about 20 s and more than
    9,000 queries when every signature cost a dozen queries and a cache write. The bound on
    the clock is looser, for a machine busy with other work."""
    text = long_list_text()
    admin_client.get(reverse(IMPORT_URL))  # load the admin's code first

    with measured() as cost:
        response = preview(admin_client, text)
    page = response.content.decode()
    assert (cost.processor < 3, cost.clock < 15, cost.queries < 1000) == (True, True, True), cost
    assert "500 signatures will be added" in page
    assert page.count("new signatory") == 500
    assert not Declaration.objects.filter(number=900).exists()

    with measured() as cost:
        response = preview(admin_client, text, button="confirm")
    assert response.status_code == 302
    assert (cost.processor < 3, cost.clock < 15, cost.queries < 1000) == (True, True, True), cost
    assert Signature.objects.filter(declaration__number=900).count() == 500
    assert Signatory.objects.count() == 500

    with measured() as cost:
        response = preview(admin_client, text)
    page = response.content.decode()
    assert (cost.processor < 3, cost.clock < 15, cost.queries < 100) == (True, True, True), cost
    assert page.count("already signed") == 500


@pytest.mark.django_db
def test_signatories_written_in_bulk_are_what_saving_them_would_make(tmp_path):
    """The derived fields the importer writes itself equal those Signatory.save() computes,
    namesakes get the next free address, and each new signatory has its history row and its
    count of public declarations."""
    make_signatory(given_name="Jean", family_name="DUPONT", country="FR")
    namesakes = "Mr Jean DUPONT, Belgium, SOC ; Mr Jean DUPONT, Luxembourg, ALDE ; "
    text = long_list_text(count=30).replace("Signatories: ", f"Signatories: {namesakes}")
    text = text.replace("Mr Ivan LONGAB0, Germany", "Ms Åsa Ørsted LONGAB0, Germany")
    import_command(write(tmp_path, text), "--publish")

    assert set(Signatory.objects.filter(family_name="DUPONT").values_list("slug", flat=True)) == {
        "jean-dupont",
        "jean-dupont-2",
        "jean-dupont-3",
    }
    new = Signatory.objects.exclude(country="FR", family_name="DUPONT")
    assert new.count() == 32
    for signatory in new:
        derived = (signatory.slug, signatory.sort_name, signatory.search_name)
        signatory.slug = ""
        signatory.save()
        assert (signatory.slug, signatory.sort_name, signatory.search_name) == derived
        assert signatory.public_declaration_count == 1
        assert signatory.history.filter(history_type="+").count() == 1
    assert Signature.history.filter(history_type="+").count() == 32
    assert Signatory.objects.get(slug="asa-orsted-longab0").search_name == "asa orsted longab0"
