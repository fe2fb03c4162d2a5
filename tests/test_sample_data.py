"""generate_sample_data: invented records at a chosen scale, the same for the same seed, never
mixed into curated data by accident."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from declaration_site import sample_data
from declaration_site.lib.text import fold
from prisoners.models import Detainee, Mention, StatusChange
from signatories.models import Declaration, Signatory, Signature, Source

from .factories import make_declaration


@pytest.fixture
def small(monkeypatch):
    """A tenth of a unit of scale, to keep the test quick."""
    monkeypatch.setattr(sample_data, "DECLARATIONS_PER_SCALE", 70)
    monkeypatch.setattr(sample_data, "SIGNATORIES_PER_SCALE", 200)
    monkeypatch.setattr(sample_data, "DETAINEES_PER_SCALE", 200)


def generate(*args):
    out = io.StringIO()
    call_command("generate_sample_data", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Signatory.objects.order_by("slug").values_list("slug", "country", "honorific")),
        list(
            Signature.objects.order_by("declaration__number", "position").values_list(
                "declaration__number", "signatory__slug", "political_group__abbreviation"
            )
        ),
        list(Detainee.objects.order_by("slug").values_list("slug", "other_names", "status")),
    )


def test_generates_the_shape_asked_for(db, small):
    output = generate("--scale", "2")
    assert Declaration.objects.count() == 140
    assert Signatory.objects.count() == 400
    assert Detainee.objects.count() == 400
    assert "declarations: 140" in output
    for declaration in Declaration.objects.all()[:20]:
        assert 20 <= declaration.signatures.count() <= 40
    assert Mention.objects.exists()
    assert StatusChange.objects.exists()
    assert Declaration.objects.public().exists()
    assert Declaration.objects.exclude(status=Declaration.Status.PUBLISHED).exists()
    assert 40 <= len(set(Signatory.objects.values_list("country", flat=True))) <= 46


def test_the_same_seed_gives_the_same_data(db, small):
    generate("--seed", "7")
    first = snapshot()
    Mention.objects.all().delete()
    StatusChange.objects.all().delete()
    Signature.objects.all().delete()
    Declaration.objects.all().delete()
    Signatory.objects.all().delete()
    Detainee.objects.all().delete()
    generate("--seed", "7")
    assert snapshot() == first


def test_folded_names_and_slugs_are_those_save_would_compute(db, small):
    generate()
    for signatory in Signatory.objects.all()[:50]:
        search_name, sort_name = signatory.search_name, signatory.sort_name
        signatory.save()
        assert (signatory.search_name, signatory.sort_name) == (search_name, sort_name)
    for detainee in Detainee.objects.exclude(other_names="")[:50]:
        search_name = detainee.search_name
        detainee.save()
        assert detainee.search_name == search_name
    assert Signatory.objects.values("slug").distinct().count() == Signatory.objects.count()
    # Accents are there to exercise folding.
    accented = Signatory.objects.filter(family_name__regex=r"[ÅÖØŠČŽÂ]").first()
    assert accented is not None
    assert accented.search_name == fold(accented.search_name)


def test_the_current_group_is_that_of_the_latest_published_signature(db, small):
    generate()
    for signatory in Signatory.objects.public():
        latest = signatory.signatures.public().order_by(
            "-declaration__date", "-declaration__number"
        )[0]
        assert signatory.political_group_id == latest.political_group_id


def test_public_counts_are_right_after_the_generator(db, small):
    generate()
    expected = dict(
        Signature.objects.public()
        .order_by()
        .values_list("signatory")
        .annotate(count=Count("declaration", distinct=True))
    )
    counts = dict(Signatory.objects.values_list("pk", "public_declaration_count"))
    assert counts == {pk: expected.get(pk, 0) for pk in counts}
    assert set(Signatory.objects.public().values_list("pk", flat=True)) == set(expected)
    assert 0 < len(expected) < len(counts)


def test_signature_counts_are_right_after_the_generator(db, small):
    generate()
    expected = dict(
        Signature.objects.order_by().values_list("declaration").annotate(count=Count("pk"))
    )
    counts = dict(Declaration.objects.values_list("pk", "signature_count"))
    assert counts == {pk: expected.get(pk, 0) for pk in counts}
    assert all(counts.values())


def test_statuses_follow_the_newest_change_and_published_detainees_cite_a_source(db, small):
    generate()
    newest = {}
    for detainee_id, status in StatusChange.objects.order_by("detainee", "date", "pk").values_list(
        "detainee", "status"
    ):
        newest[detainee_id] = status
    assert newest
    statuses = dict(Detainee.objects.filter(pk__in=newest).values_list("pk", "status"))
    assert statuses == newest
    public = Detainee.objects.public()
    assert public.exists()
    assert not public.filter(sources__isnull=True).exists()
    [source] = Source.objects.filter(detainees__in=public).distinct()
    assert source.title == sample_data.SAMPLE_SOURCE


def test_refuses_a_database_with_curated_data(db, small):
    make_declaration(number=695)
    with pytest.raises(CommandError, match="curated data"):
        generate()
    assert Declaration.objects.count() == 1


def test_force_adds_beside_curated_data(db, small):
    make_declaration(number=695)
    generate("--force")
    assert Declaration.objects.count() == 71
    assert Declaration.objects.get(number=695).document_reference == "10695"


def test_refuses_to_generate_twice(db, small):
    generate()
    with pytest.raises(CommandError, match="already holds sample data"):
        generate()
