import pathlib

from prisoners.models import Detainee, Mention
from signatories.models import Declaration, Signatory, Signature

from .factories import load_demo


def test_demo_holds_declaration_695_with_its_signatories_and_detainees(demo):
    assert demo.is_published
    assert demo.signatures.count() == 25
    assert Signatory.objects.count() == 25
    assert Detainee.objects.public().count() == 9
    assert set(Mention.objects.values_list("detainee__name", flat=True)) == set(
        Detainee.objects.values_list("name", flat=True)
    )


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = [m.objects.count() for m in (Declaration, Signatory, Signature, Detainee, Mention)]
    load_demo()
    assert [
        m.objects.count() for m in (Declaration, Signatory, Signature, Detainee, Mention)
    ] == counts


def test_the_quick_start_commands_of_the_readme_run_in_development_mode():
    """A newcomer copies the README's quick start lines as they are: each `manage.py` line runs
    with DJANGO_DEBUG=true, in front of it or exported before it, or it stops at once asking
    for a secret key."""
    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    exported = False
    commands = []
    for line in quick_start.splitlines():
        line = line.strip()
        if line.startswith("export ") and "DJANGO_DEBUG=true" in line:
            exported = True
        if "manage.py" in line and line.startswith((".venv", "DJANGO_DEBUG")):
            commands.append((line, exported or line.startswith("DJANGO_DEBUG=true ")))
    assert len(commands) >= 5
    assert [line for line, development in commands if not development] == []
