"""`manage.py backup` and `restore`: a copy of the database brings back every row, history
included, after records were changed and deleted; copies are private; what a restore takes
away is gone from every page at the next request."""

import importlib
import io
import os
import stat
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from prisoners.models import Detainee
from signatories.models import Declaration, Signatory

from .factories import load_demo, make_declaration, make_detainee, make_signatory, make_signature

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db(transaction=True)


def every_row():
    """{table: [row, ...]} of every table the project's models use, history tables included."""
    return {
        model._meta.db_table: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def recorded():
    """The demo, with history: a curator's edit of the declaration and of a detainee."""
    migration = importlib.import_module("signatories.migrations.0002_pace_political_groups")
    migration.create_groups(apps, schema_editor=None)
    declaration = load_demo()
    declaration.title = "A corrected title"
    declaration.save()
    detainee = Detainee.objects.get(slug="maks-bokayev")
    detainee.sentence = "Five years"
    detainee.save()
    return declaration


def test_a_restore_brings_back_every_row_and_the_history(recorded, tmp_path):
    before = every_row()
    assert len(before["signatories_historicaldeclaration"]) >= 2

    output = io.StringIO()
    call_command("backup", output=str(tmp_path / "copy"), stdout=output)
    assert "Backup written to" in output.getvalue()

    Declaration.objects.filter(pk=recorded.pk).update(title="Vandalised")
    recorded.signatures.all().delete()
    Signatory.objects.all().delete()
    Detainee.history.all().delete()
    bokayev = Detainee.objects.get(slug="maks-bokayev")
    bokayev.mentions.all().delete()
    bokayev.delete()
    assert every_row() != before

    call_command("restore", str(tmp_path / "copy"), interactive=False, stdout=io.StringIO())
    assert every_row() == before
    assert Declaration.objects.get(number=695).title == "A corrected title"
    assert Detainee.history.filter(sentence="Five years").exists()


def test_new_records_can_be_added_after_a_restore(recorded, tmp_path):
    call_command("backup", output=str(tmp_path / "copy"), stdout=io.StringIO())
    call_command("restore", str(tmp_path / "copy"), interactive=False, stdout=io.StringIO())
    Detainee.objects.create(name="Added After Restore")
    assert Detainee.objects.filter(name="Added After Restore").exists()


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(recorded, tmp_path):
    before = every_row()
    bogus = tmp_path / "notes.dump"
    bogus.write_text("this is not a backup")
    bogus.chmod(0o600)
    with pytest.raises(CommandError, match="notes.dump"):
        call_command("restore", str(bogus), interactive=False, stdout=io.StringIO())
    assert every_row() == before


def test_restoring_a_missing_file_says_so(recorded, tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "nowhere.dump"), interactive=False)


# Copies are private.


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual umask, under which files are created readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_backup_is_readable_by_its_owner_only_in_a_private_folder(recorded, tmp_path, open_umask):
    copy = tmp_path / "copies" / "copy"
    call_command("backup", output=str(copy), stdout=io.StringIO())
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    assert copy.stat().st_size > 0


def test_the_sites_backups_folder_is_made_private_even_when_it_was_open(
    recorded, tmp_path, settings, open_umask
):
    settings.BASE_DIR = tmp_path
    (tmp_path / "backups").mkdir(mode=0o755)
    output = io.StringIO()
    call_command("backup", stdout=output)
    [copy] = (tmp_path / "backups").iterdir()
    assert str(copy) in output.getvalue()
    assert mode(copy) == 0o600
    assert mode(tmp_path / "backups") == 0o700


def test_a_backup_written_over_an_open_file_makes_it_private(recorded, tmp_path, open_umask):
    copy = tmp_path / "copy"
    copy.write_text("an older file, readable by everyone")
    copy.chmod(0o644)
    call_command("backup", output=str(copy), stdout=io.StringIO())
    assert mode(copy) == 0o600
    assert b"an older file" not in copy.read_bytes()


def test_a_folder_chosen_for_the_copy_is_left_as_it_is(recorded, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    call_command("backup", output=str(folder / "copy"), stdout=io.StringIO())
    assert mode(folder) == 0o755
    assert mode(folder / "copy") == 0o600


@pytest.mark.parametrize("open_mode", [0o644, 0o640, 0o606, 0o660], ids=lambda m: f"{m:04o}")
def test_restore_refuses_a_copy_that_others_can_read_or_change(recorded, tmp_path, open_mode):
    copy = tmp_path / "copy"
    call_command("backup", output=str(copy), stdout=io.StringIO())
    Declaration.objects.filter(pk=recorded.pk).update(title="Changed after the backup")
    before = every_row()
    copy.chmod(open_mode)
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(copy), interactive=False, stdout=io.StringIO())
    message = str(caught.value)
    assert str(copy) in message
    assert f"mode {open_mode:04o}" in message
    assert f"chmod 600 {copy}" in message
    assert "--force" in message
    assert every_row() == before


def test_restore_refuses_an_open_copy_before_asking_for_confirmation(
    recorded, tmp_path, monkeypatch
):
    copy = tmp_path / "copy"
    call_command("backup", output=str(copy), stdout=io.StringIO())
    copy.chmod(0o644)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "yes")
    with pytest.raises(CommandError, match="chmod 600"):
        call_command("restore", str(copy), stdout=io.StringIO())
    assert asked == []


def test_restore_with_force_restores_an_open_copy(recorded, tmp_path):
    copy = tmp_path / "copy"
    call_command("backup", output=str(copy), stdout=io.StringIO())
    before = every_row()
    Declaration.objects.filter(pk=recorded.pk).update(title="Changed after the backup")
    copy.chmod(0o644)
    call_command("restore", str(copy), interactive=False, force=True, stdout=io.StringIO())
    assert every_row() == before


def test_make_restore_passes_force_only_when_asked():
    def planned(*variables):
        result = subprocess.run(  # noqa: S603
            # --no-print-directory: run under `make test`, make would add "Leaving directory".
            ["make", "-n", "--no-print-directory", "restore", "FILE=backups/copy.dump", *variables],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    assert planned().endswith('manage.py restore "backups/copy.dump"')
    assert planned("FORCE=1").endswith('manage.py restore "backups/copy.dump" --force')


# A restore is seen at once.


@pytest.mark.parametrize("page_cache_seconds", [300, 0], ids=["page-cache", "no-page-cache"])
def test_what_a_restore_takes_away_is_gone_from_the_next_request(
    recorded, tmp_path, settings, client, page_cache_seconds
):
    """A wrongly published detainee and declaration, taken down by restoring the copy made
    before them: pages, the API, the home totals and Popolo stop showing them at once, however
    long the pages and memoised totals would otherwise be kept."""
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    settings.MEMO_CACHE_SECONDS = 3600
    copy = tmp_path / "copy"
    call_command("backup", output=str(copy), stdout=io.StringIO())

    detainee = make_detainee(name="Wrongly Published", is_published=True)
    declaration = make_declaration(number=900, title="Withdrawn declaration")
    make_signature(declaration, make_signatory(given_name="Ivo", family_name="WITHDRAWN"))
    pages = {
        "/": "10</span> named detainees",
        detainee.get_absolute_url(): "Wrongly Published",
        "/declarations/900/": "Withdrawn declaration",
        "/api/declarations/": "Withdrawn declaration",
        "/api/popolo.json": "WITHDRAWN",
    }
    for url, text in pages.items():
        for _ in range(2):  # the second request is served from what was kept
            response = client.get(url)
            assert response.status_code == 200, url
            assert text in response.getvalue().decode(), url
        if page_cache_seconds and url != "/api/popolo.json":  # served from its file
            assert response["X-Page-Cache"] == "hit", url

    call_command("restore", str(copy), interactive=False, stdout=io.StringIO())

    home = client.get("/").content.decode()
    assert "9</span> named detainees" in home
    assert "10</span> named detainees" not in home
    assert client.get(detainee.get_absolute_url()).status_code == 404
    assert client.get("/declarations/900/").status_code == 404
    assert "Withdrawn declaration" not in client.get("/api/declarations/").content.decode()
    assert "WITHDRAWN" not in client.get("/api/popolo.json").getvalue().decode()
    assert "Withdrawn declaration" not in client.get("/declarations/").content.decode()
