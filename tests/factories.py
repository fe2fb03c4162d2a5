"""Small helpers that create rows for tests, with sensible defaults and keyword overrides."""

import datetime
import io
import itertools

from django.core.management import call_command

from prisoners.models import Detainee, Mention
from signatories.models import Declaration, PoliticalGroup, Signatory, Signature, Source

_numbers = itertools.count(9000)


def group(abbreviation="SOC"):
    """One of the PACE groups that every database holds."""
    return PoliticalGroup.objects.get(abbreviation=abbreviation)


def make_declaration(*, number=None, status=Declaration.Status.PUBLISHED, **fields):
    number = number or next(_numbers)
    defaults = {
        "document_reference": str(10000 + number),
        "date": datetime.date(2020, 1, 1),
        "title": f"Declaration number {number}",
        "text": "We, the undersigned, declare the following.",
    }
    return Declaration.objects.create(number=number, status=status, **{**defaults, **fields})


def make_signatory(
    *, family_name="DOE", given_name="Jane", country="FR", political_group=None, **fields
):
    return Signatory.objects.create(
        family_name=family_name,
        given_name=given_name,
        country=country,
        political_group=political_group or group("SOC"),
        **fields,
    )


def make_signature(declaration, signatory, *, position=None, country=None, political_group=None):
    if position is None:
        position = declaration.signatures.count() + 1
    return Signature.objects.create(
        declaration=declaration,
        signatory=signatory,
        position=position,
        country=country or signatory.country,
        political_group=political_group or signatory.political_group,
    )


def make_detainee(*, name="Jan Kowalski", is_published=True, **fields):
    """A detainee; a published one cites a source, as every published detainee must."""
    detainee = Detainee.objects.create(name=name, **fields)
    if is_published:
        source, _created = Source.objects.get_or_create(
            title="Report of the working group on arbitrary detention"
        )
        detainee.sources.add(source)
        detainee.is_published = True
        detainee.save(update_fields=["is_published", "modified"])
    return detainee


def make_mention(declaration, detainee, *, name_as_written=None):
    return Mention.objects.create(
        declaration=declaration,
        detainee=detainee,
        name_as_written=name_as_written or detainee.name,
    )


def load_demo():
    """Written declaration No. 695 and its nine detainees, as `make run` loads them."""
    call_command("load_demo", stdout=io.StringIO())
    return Declaration.objects.get(number=695)
