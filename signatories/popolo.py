"""The public record in the Popolo data specification (https://www.popoloproject.com/).

Persons are the signatories, organizations the assembly and its political groups (with their
renames), memberships the groups each person signed in (from the first to the last signature in
that group), and each declaration a motion of the assembly whose `signatures` keep the group
and country as of signing (no `organization_id` where PACE printed no group). A motion's `text`
is its English title (the French one while only the French text is recorded); `titles` lists
each recorded title with its language. Only public records are included.
"""

from collections import defaultdict

from django.db.models import Max, Min, Prefetch
from django.urls import reverse

from .models import Declaration, PoliticalGroup, Signatory, Signature

ASSEMBLY_ID = "pace"
ASSEMBLY = {
    "id": ASSEMBLY_ID,
    "name": "Parliamentary Assembly of the Council of Europe",
    "other_names": [
        {"name": "PACE"},
        {"name": "Assemblée parlementaire du Conseil de l'Europe", "note": "fr"},
        {"name": "APCE", "note": "fr"},
    ],
    "classification": "legislature",
}


def person_id(slug):
    return f"person/{slug}"


def group_id(slug):
    return f"group/{slug}"


def _year(year):
    return str(year) if year else None


def _without_empty(record):
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _addresses(absolute, name, field):
    """The absolute address of a record's page from its `field`, for the URL called `name`:
    reversed once, not once per record (which cost a fifth of the build at scale 10)."""
    marker = "1234567890"  # a value both the int and the slug converters accept
    before, after = absolute(reverse(name, kwargs={field: marker})).split(marker)
    return lambda value: f"{before}{value}{after}"


def _person(signatory, address, country_names):
    code = signatory.country.code
    if code not in country_names:
        country_names[code] = signatory.country.name
    return _without_empty(
        {
            "id": person_id(signatory.slug),
            "name": signatory.full_name,
            "given_name": signatory.given_name,
            "family_name": signatory.family_name,
            "honorific_prefix": signatory.honorific,
            "sort_name": signatory.sort_name,
            "other_names": [{"name": f"{signatory.honorific} {signatory.full_name}".strip()}],
            "national_identity": country_names[code],
            "links": [{"url": address(signatory.slug), "note": "Declaration Watch"}],
        }
    )


def _organization(group, absolute):
    other_names = [{"name": group.abbreviation, "note": "abbreviation"}]
    if group.abbreviation_fr:
        other_names.append({"name": group.abbreviation_fr, "note": "abbreviation, fr"})
    if group.name_fr:
        other_names.append({"name": group.name_fr, "note": "fr"})
    predecessors = [group_id(earlier.slug) for earlier in group.predecessors.all()]
    return _without_empty(
        {
            "id": group_id(group.slug),
            "name": group.name,
            "other_names": other_names,
            "classification": "political group",
            "parent_id": ASSEMBLY_ID,
            "founding_date": _year(group.founded),
            "dissolution_date": _year(group.dissolved),
            # Renames, which Popolo has no field for: the group this one became, and the
            # groups that became this one.
            "successor_id": group_id(group.successor.slug) if group.successor_id else None,
            "predecessor_ids": predecessors,
            "links": [{"url": absolute(group.get_absolute_url()), "note": "Declaration Watch"}],
        }
    )


def _titles(declaration):
    return [
        {"text": title, "language": language}
        for title, language in ((declaration.title, "en"), (declaration.title_fr, "fr"))
        if title
    ]


def _motion(declaration, signatures, address):
    """`signatures`: (position, signatory slug, group slug or None, country code) in list
    order."""
    return _without_empty(
        {
            "id": f"motion/{declaration.number}",
            "organization_id": ASSEMBLY_ID,
            "identifier": f"Doc. {declaration.document_reference}",
            "classification": "written declaration",
            "text": declaration.title_in("en")[0],
            "titles": _titles(declaration),
            "date": declaration.date.isoformat(),
            "creator_id": person_id(signatures[0][1]) if signatures else None,
            "sources": [{"url": declaration.source_url}] if declaration.source_url else [],
            "links": [{"url": address(declaration.number), "note": "Declaration Watch"}],
            "signatures": [
                _without_empty(
                    {
                        "position": position,
                        "person_id": person_id(signatory),
                        "organization_id": group_id(group) if group else None,
                        "area": country,
                    }
                )
                for position, signatory, group, country in signatures
            ],
        }
    )


def popolo_document(absolute):
    """The whole public record as a Popolo dict. `absolute(path)` makes a full URL of a path."""
    public = Signature.objects.public()
    signatories = Signatory.objects.public().order_by("sort_name", "pk")
    groups = (
        PoliticalGroup.objects.public()
        .select_related("successor")
        .prefetch_related(
            Prefetch("predecessors", queryset=PoliticalGroup.objects.order_by("abbreviation"))
        )
    )
    declarations = Declaration.objects.public().order_by("number")
    country_names = {}  # each country's name, looked up once
    person_address = _addresses(absolute, "signatories:signatory_detail", "slug")
    motion_address = _addresses(absolute, "signatories:declaration_detail", "number")
    # The signatures as plain rows, read once: a model instance per signature (210,000 at
    # scale 10) would cost most of the build.
    signatures = defaultdict(list)
    rows = public.order_by("declaration_id", "position").values_list(
        "declaration", "position", "signatory__slug", "political_group__slug", "country"
    )
    for declaration_pk, *signature in rows.iterator(chunk_size=5000):
        signatures[declaration_pk].append(signature)
    # One membership per person and group they signed in, dated by their first and last
    # signature in that group (a signature printed with no group is no membership).
    spans = (
        public.filter(political_group__isnull=False)
        .values("signatory__slug", "political_group__slug")
        .annotate(first=Min("declaration__date"), last=Max("declaration__date"))
        .order_by("signatory__slug", "first")
    )
    memberships = [
        {
            "id": f"membership/{span['signatory__slug']}/{span['political_group__slug']}",
            "person_id": person_id(span["signatory__slug"]),
            "organization_id": group_id(span["political_group__slug"]),
            "role": "member",
            "note": "dated by the first and last declaration signed in this group",
            "start_date": span["first"].isoformat(),
            "end_date": span["last"].isoformat(),
        }
        for span in spans
    ]
    return {
        "persons": [_person(signatory, person_address, country_names) for signatory in signatories],
        "organizations": [ASSEMBLY] + [_organization(group, absolute) for group in groups],
        "memberships": memberships,
        "motions": [
            _motion(declaration, signatures[declaration.pk], motion_address)
            for declaration in declarations
        ],
    }
