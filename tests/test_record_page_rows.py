"""The rows of a signatory's page (the declarations signed, who signed most often with them)
and of a declaration's page (its signatures, their counts, PACE's rule), read from plain values
rather than model instances: the same rows, in the same order, written as the template code
that wrote them before, in a number of queries that does not grow with the record."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from signatories.models import PoliticalGroup, Signatory, Signature

from .curation import make_source
from .factories import group, make_declaration, make_signatory, make_signature

pytestmark = pytest.mark.django_db


def shared_counts(me):
    """{co-signer: declarations in common} with `me`, counted in Python from every signature."""
    mine = {s.declaration_id for s in me.signatures.all() if s.declaration.is_published}
    counts = Counter()
    for signature in Signature.objects.select_related("declaration"):
        if signature.declaration_id in mine and signature.signatory_id != me.pk:
            counts[signature.signatory] += 1
    return counts


def a_record():
    """Six declarations (one a draft) signed by overlapping sets of signatories, with ties in
    the number of declarations shared and two signatories of the same name."""
    declarations = [
        make_declaration(number=880 + n, date=datetime.date(2020, 1, 1 + n)) for n in range(5)
    ]
    draft = make_declaration(number=890, status="draft")
    me = make_signatory(family_name="CENTRE")
    for declaration in [*declarations, draft]:
        make_signature(declaration, me)
    others = [
        make_signatory(family_name=name, country=country, political_group=group(abbreviation))
        for name, country, abbreviation in [
            ("ZULU", "DE", "EPP/CD"),
            ("ALPHA", "IT", "ALDE"),
            ("TWIN", "FR", "SOC"),
            ("TWIN", "BE", "UEL"),
            ("OMEGA", "GB", "NR"),
            ("ONCE", "ES", "SOC"),
            ("DRAFTY", "PT", "SOC"),
        ]
    ]
    zulu, alpha, twin, twin_again, omega, once, drafty = others
    for signatory, signed in [
        (zulu, declarations[:4]),
        (alpha, declarations[1:5]),
        (twin, declarations[:2]),
        (twin_again, declarations[2:4]),
        (omega, declarations),
        (once, declarations[:1]),
        # Shares one published declaration and the draft: not two public ones.
        (drafty, [declarations[0], draft]),
    ]:
        for declaration in signed:
            make_signature(declaration, signatory)
    return me, others


def test_co_signers_are_counted_as_every_signature_says_most_first_then_by_name_then_first_recorded():
    me, _others = a_record()
    counts = shared_counts(me)
    expected = sorted(
        ((signatory, count) for signatory, count in counts.items() if count >= 2),
        key=lambda row: (-row[1], row[0].sort_name, row[0].pk),
    )
    found = Signatory.objects.co_signers_of(me)
    assert [(s.pk, s.shared_count) for s in found] == [(s.pk, n) for s, n in expected]
    assert [s.family_name for s in found] == ["OMEGA", "ALPHA", "ZULU", "TWIN", "TWIN"]
    assert found[3].country == "FR" and found[4].country == "BE"  # codes
    limited = Signatory.objects.co_signers_of(me, limit=2)
    assert [s.pk for s in limited] == [s.pk for s, _n in expected[:2]]
    signed = list(me.signatures.public().values_list("declaration", flat=True))
    given = Signatory.objects.co_signers_of(me, declarations=signed)
    assert [(s.pk, s.shared_count) for s in given] == [(s.pk, s.shared_count) for s in found]
    assert Signatory.objects.co_signers_of(me, declarations=[]) == []
    at_least_four = Signatory.objects.co_signers_of(me, at_least=4)
    assert [(s.family_name, s.shared_count) for s in at_least_four] == [
        ("OMEGA", 5),
        ("ALPHA", 4),
        ("ZULU", 4),
    ]


def test_co_signers_carry_their_current_group_or_none():
    me, others = a_record()
    Signatory.objects.filter(pk=others[0].pk).update(political_group=None)
    found = {s.family_name: s for s in Signatory.objects.co_signers_of(me)}
    assert found["ZULU"].political_group is None
    assert found["ALPHA"].political_group.abbreviation == "ALDE"
    assert found["ALPHA"].get_absolute_url() == others[1].get_absolute_url()


def test_a_signatory_withdrawn_from_every_public_declaration_is_no_co_signer():
    me, others = a_record()
    omega = others[4]
    Signatory.objects.filter(pk=omega.pk).update(public_declaration_count=0)
    assert "OMEGA" not in [s.family_name for s in Signatory.objects.co_signers_of(me)]


CO_SIGNER_ROWS = Template(
    "{% load humanize bilingual %}{% for other in co_signers %}\n      <tr>\n"
    '        <th scope="row"><a href="{{ other.get_absolute_url }}">{{ other.full_name }}</a>'
    "</th>\n        <td>{{ other.country.name }}</td>\n"
    '        <td>{{ other.political_group|abbreviation|default:"—" }}</td>\n'
    '        <td class="num">{{ other.shared_count|intcomma }}</td>\n      </tr>\n      '
    "{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_co_signer_rows_are_those_the_template_wrote(client, language):
    me, others = a_record()
    Signatory.objects.filter(pk=others[1].pk).update(given_name="Ann & <Co>")
    Signatory.objects.filter(pk=others[0].pk).update(political_group=None)
    prefix = "/fr" if language == "fr" else ""
    html = client.get(f"{prefix}{me.get_absolute_url()}").content.decode()
    with translation.override(language):
        expected_co_signers = []
        for signatory, count in shared_counts(me).items():
            if count >= 2:
                signatory = Signatory.objects.select_related("political_group").get(pk=signatory.pk)
                signatory.shared_count = count
                expected_co_signers.append(signatory)
        expected_co_signers.sort(key=lambda s: (-s.shared_count, s.sort_name, s.pk))
        expected = CO_SIGNER_ROWS.render(Context({"co_signers": expected_co_signers}))
    assert "Ann &amp; &lt;Co&gt;" in expected
    assert f"<tbody>\n      {expected}\n    </tbody>" in html


def test_a_signatory_page_lists_their_public_signatures_newest_first_as_of_signing(client):
    me, _others = a_record()
    later = make_declaration(number=895, date=datetime.date(2020, 1, 3))
    make_signature(later, me, position=1, country="BE", political_group=group("UEL"))
    response = client.get(me.get_absolute_url())
    rows = response.context["signatures"]
    expected = (
        me.signatures.public()
        .select_related("declaration", "political_group")
        .order_by("-declaration__date", "-declaration__number")
    )
    assert [
        (r.declaration.number, r.position, r.country.code, r.political_group.abbreviation)
        for r in rows
    ] == [
        (s.declaration.number, s.position, s.country.code, s.political_group.abbreviation)
        for s in expected
    ]
    # 895 and 882 share a date: the higher number first.
    assert [r.declaration.number for r in rows] == [884, 883, 895, 882, 881, 880]
    html = response.content.decode()
    assert "<dd>6</dd>" in html
    assert re.search(
        r'href="/declarations/895/">Declaration number 895 <span class="tag">author</span>'
        r"</a></th>\s*<td>Belgium, <abbr [^>]*>UEL</abbr></td>",
        html,
    )


def test_a_declaration_page_counts_and_checks_the_rows_it_shows(client):
    declaration = make_declaration(number=897)
    groups = ["SOC", "SOC", "EPP/CD", None, "ALDE", "SOC"]
    countries = ["FR", "DE", "DE", "IT", "FR", "AT"]
    for n, (abbreviation, country) in enumerate(zip(groups, countries, strict=True)):
        signatory = make_signatory(family_name=f"SIGNER{n}", country=country)
        make_signature(
            declaration,
            signatory,
            political_group=group(abbreviation) if abbreviation else None,
        )
        if abbreviation is None:
            Signature.objects.filter(signatory=signatory).update(political_group=None)
    declaration.sources.add(make_source(title="Minutes of the sitting"))
    response = client.get(declaration.get_absolute_url())
    context = response.context
    rows = context["signatures"]
    assert [r.position for r in rows] == list(range(1, 7))
    assert [r.signatory.family_name for r in rows] == [f"SIGNER{n}" for n in range(6)]
    assert context["author"].signatory.family_name == "SIGNER0"
    assert context["rule_check"] == declaration.rule_check()
    signatures = declaration.signatures.all()
    by_group = [(g.abbreviation if g else None, n) for g, n in context["by_group"]]
    assert by_group == [(g.abbreviation if g else None, n) for g, n in signatures.count_by_group()]
    assert sorted((c.code, n) for c, n in context["by_country"]) == sorted(
        (c.code, n) for c, n in signatures.count_by_country()
    )
    html = response.content.decode()
    assert "Minutes of the sitting" in html
    assert html.count('<span class="no-group">no group printed</span>') == 2  # row and bar
    soc = group("SOC")
    assert re.search(
        r'<td class="num">1</td>\s*<th scope="row"><a href="/signatories/[^"]+/">Jane SIGNER0'
        r'</a> <span class="tag">author</span></th>\s*<td>France</td>\s*'
        rf'<td><abbr title="{re.escape(soc.name)}">SOC</abbr></td>',
        html,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Germany", "Czech Republic", "Romania", "United Kingdom"]),
        # Accents aside: République before Roumanie and Royaume-Uni.
        ("fr", ["Allemagne", "République tchèque", "Roumanie", "Royaume-Uni"]),
    ],
)
def test_delegations_of_a_declaration_are_counted_most_first_then_by_name_in_the_page_language(
    client, language, expected
):
    declaration = make_declaration(number=896)
    for n, country in enumerate(["GB", "RO", "DE", "CZ", "DE"]):
        make_signature(declaration, make_signatory(family_name=f"MEMBER{n}", country=country))
    prefix = "/fr" if language == "fr" else ""
    response = client.get(f"{prefix}{declaration.get_absolute_url()}")
    assert [(country.code, n) for country, n in response.context["by_country"]] == [
        ("DE", 2),
        ("CZ", 1),
        ("RO", 1),
        ("GB", 1),
    ]
    names = re.findall(
        r'<tr><th scope="row"><a href="[^"]*/countries/[a-z]+/">([^<]+)</a></th>',
        response.content.decode(),
    )
    assert names == expected


def test_rows_of_one_group_share_the_group_and_keep_its_french_names(client):
    declaration = make_declaration(number=898)
    epp = PoliticalGroup.objects.get(abbreviation="EPP/CD")
    for n in range(3):
        make_signature(declaration, make_signatory(family_name=f"SAME{n}", political_group=epp))
    rows = client.get(declaration.get_absolute_url()).context["signatures"]
    assert rows[0].political_group is rows[1].political_group is rows[2].political_group
    html = client.get(f"/fr{declaration.get_absolute_url()}").content.decode()
    assert epp.abbreviation_fr and epp.name_fr
    # The author's line, then each row.
    assert html.count(f'<abbr title="{epp.name_fr}">{epp.abbreviation_fr}</abbr>') == 4


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_signatory_page_runs_as_many_queries_with_no_co_signer_as_with_ten(client):
    me = make_signatory(family_name="CENTRE")
    lone = make_declaration(number=899)
    make_signature(lone, me)
    alone = query_count(client, me.get_absolute_url())
    declarations = [make_declaration(number=900 + n) for n in range(3)]
    for n in range(12):
        other = make_signatory(family_name=f"OTHER{n:02}")
        for declaration in declarations:
            if n == 0:
                make_signature(declaration, me)
            make_signature(declaration, other)
    assert len(Signatory.objects.co_signers_of(me, limit=10)) == 10
    assert query_count(client, me.get_absolute_url()) == alone


def test_a_declaration_page_runs_as_many_queries_for_one_signature_as_for_forty(client):
    declaration = make_declaration(number=905)
    make_signature(declaration, make_signatory(family_name="FIRST"))
    one = query_count(client, declaration.get_absolute_url())
    for n in range(39):
        make_signature(
            declaration,
            make_signatory(family_name=f"MORE{n:02}", country=["DE", "IT", "AT"][n % 3]),
            political_group=group(["SOC", "ALDE", "UEL"][n % 3]),
        )
    assert query_count(client, declaration.get_absolute_url()) == one


def test_a_declaration_page_and_its_api_record_list_the_same_signatures(client, demo):
    """The page reads its signatures as plain values, the API through `with_signatures()`:
    the same rows, in the same order, with the same country and group as of signing."""
    page = client.get("/declarations/695/").context["signatures"]
    record = client.get("/api/declarations/695/").json()["signatures"]

    assert [
        (row.position, row.signatory.slug, row.country.code, row.political_group.abbreviation)
        for row in page
    ] == [
        (row["position"], row["signatory"]["slug"], row["country"], row["group"]) for row in record
    ]
    assert len(page) == 25


def test_a_signature_s_country_is_the_field_s_own_named_in_the_page_s_language(client):
    """Rows of one country share one Country for every request: it is what the field gives,
    and it names itself in the language of the page that reads it."""
    from signatories.views import signature_country

    declaration = make_declaration(number=695)
    for family_name in ("MÜLLER", "SCHMIDT"):
        make_signature(declaration, make_signatory(family_name=family_name, country="DE"))
    stored = Signature.objects.filter(declaration=declaration).first()
    assert signature_country("DE") is signature_country("DE")
    assert signature_country("DE") == stored.country
    assert signature_country("") == Signature(country="").country
    with translation.override("fr"):
        assert signature_country("DE").name == "Allemagne"
    assert signature_country("DE").name == "Germany"
    english = client.get(declaration.get_absolute_url()).content.decode()
    french = client.get("/fr" + declaration.get_absolute_url()).content.decode()
    assert english.count("<td>Germany</td>") == 2 and "Allemagne" not in english
    assert french.count("<td>Allemagne</td>") == 2 and "Germany" not in french
