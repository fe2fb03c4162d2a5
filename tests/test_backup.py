"""`manage.py backup` and `restore`: a copy of the database brings back every row, history
included, after records were changed and deleted."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from prisoners.models import Detainee
from signatories.models import Declaration, Signatory

from .factories import load_demo

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
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), interactive=False, stdout=io.StringIO())
    assert every_row() == before


def test_restoring_a_missing_file_says_so(recorded, tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "nowhere.dump"), interactive=False)
