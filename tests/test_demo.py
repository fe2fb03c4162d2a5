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
