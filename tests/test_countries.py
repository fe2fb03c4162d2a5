"""Country names as PACE prints them, in English and in French, and what each country is to the
Assembly: member state, observer, partner for democracy or former member."""

import pytest
from django_countries import countries

from signatories.countries import (
    FORMER_MEMBERS,
    MEMBER_STATES,
    OBSERVERS,
    PARTNERS_FOR_DEMOCRACY,
    country_code,
    country_kind,
)

# (code, English name, French name) as PACE prints them.
MEMBERS = [
    ("AL", "Albania", "Albanie"),
    ("AD", "Andorra", "Andorre"),
    ("AM", "Armenia", "Arménie"),
    ("AT", "Austria", "Autriche"),
    ("AZ", "Azerbaijan", "Azerbaïdjan"),
    ("BE", "Belgium", "Belgique"),
    ("BA", "Bosnia and Herzegovina", "Bosnie-Herzégovine"),
    ("BG", "Bulgaria", "Bulgarie"),
    ("HR", "Croatia", "Croatie"),
    ("CY", "Cyprus", "Chypre"),
    ("CZ", "Czech Republic", "République tchèque"),
    ("DK", "Denmark", "Danemark"),
    ("EE", "Estonia", "Estonie"),
    ("FI", "Finland", "Finlande"),
    ("FR", "France", "France"),
    ("GE", "Georgia", "Géorgie"),
    ("DE", "Germany", "Allemagne"),
    ("GR", "Greece", "Grèce"),
    ("HU", "Hungary", "Hongrie"),
    ("IS", "Iceland", "Islande"),
    ("IE", "Ireland", "Irlande"),
    ("IT", "Italy", "Italie"),
    ("LV", "Latvia", "Lettonie"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LT", "Lithuania", "Lituanie"),
    ("LU", "Luxembourg", "Luxembourg"),
    ("MT", "Malta", "Malte"),
    ("MD", "Republic of Moldova", "République de Moldova"),
    ("MC", "Monaco", "Monaco"),
    ("ME", "Montenegro", "Monténégro"),
    ("NL", "Netherlands", "Pays-Bas"),
    ("MK", "North Macedonia", "Macédoine du Nord"),
    ("NO", "Norway", "Norvège"),
    ("PL", "Poland", "Pologne"),
    ("PT", "Portugal", "Portugal"),
    ("RO", "Romania", "Roumanie"),
    ("SM", "San Marino", "Saint-Marin"),
    ("RS", "Serbia", "Serbie"),
    ("SK", "Slovak Republic", "République slovaque"),
    ("SI", "Slovenia", "Slovénie"),
    ("ES", "Spain", "Espagne"),
    ("SE", "Sweden", "Suède"),
    ("CH", "Switzerland", "Suisse"),
    ("TR", "Türkiye", "Turquie"),
    ("UA", "Ukraine", "Ukraine"),
    ("GB", "United Kingdom", "Royaume-Uni"),
]
NON_MEMBERS = [
    ("RU", "Russian Federation", "Fédération de Russie", "former member"),
    ("CA", "Canada", "Canada", "observer"),
    ("IL", "Israel", "Israël", "observer"),
    ("MX", "Mexico", "Mexique", "observer"),
    ("MA", "Morocco", "Maroc", "partner"),
    ("JO", "Jordan", "Jordanie", "partner"),
    ("KG", "Kyrgyzstan", "Kirghizistan", "partner"),
    ("PS", "Palestine", "Palestine", "partner"),
]
EVERY_COUNTRY = [(code, en, fr, "member") for code, en, fr in MEMBERS] + NON_MEMBERS


@pytest.mark.parametrize(
    ("code", "english", "french", "kind"), EVERY_COUNTRY, ids=[c[0] for c in EVERY_COUNTRY]
)
def test_english_and_french_names_give_the_country_and_its_kind(code, english, french, kind):
    assert country_code(english) == code
    assert country_code(french) == code
    assert country_kind(code) == kind


@pytest.mark.parametrize(
    ("written", "code"),
    [
        # Names PACE printed before the country renamed itself, and other spellings.
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("TÜRKIYE", "TR"),
        ("The former Yugoslav Republic of Macedonia", "MK"),
        ("L'ex-République yougoslave de Macédoine", "MK"),
        ("L’ex-République yougoslave de Macédoine", "MK"),
        ("Russia", "RU"),
        ("Russie", "RU"),
        ("Czechia", "CZ"),
        ("Tchéquie", "CZ"),
        ("Slovakia", "SK"),
        ("Moldova", "MD"),
        ("The Netherlands", "NL"),
        ("Kyrgyz Republic", "KG"),
        ("République kirghize", "KG"),
        ("State of Palestine", "PS"),
        ("État de Palestine", "PS"),
        # Case, accents, spacing and hyphens do not matter.
        ("royaume-uni", "GB"),
        ("Royaume Uni", "GB"),
        ("ROYAUME–UNI", "GB"),
        ("Pays Bas", "NL"),
        ("Saint Marin", "SM"),
        ("San\u00a0Marino", "SM"),
        ("Republique de Moldova", "MD"),
        ("Federation de Russie", "RU"),
        ("Azerbaidjan", "AZ"),
        ("Montenegro", "ME"),
        ("Geórgie", "GE"),
        ("  Allemagne ", "DE"),
        ("Israel", "IL"),
    ],
)
def test_other_spellings_of_a_country_give_its_code(written, code):
    assert country_code(written) == code


@pytest.mark.parametrize("written", ["Atlantis", "", "   ", "Europe", "Palestinian", "Republic"])
def test_unknown_country_name_gives_none(written):
    assert country_code(written) is None


def test_there_are_46_member_states_and_no_code_is_in_two_sets():
    assert len(MEMBER_STATES) == 46
    sets = [MEMBER_STATES, OBSERVERS, PARTNERS_FOR_DEMOCRACY, FORMER_MEMBERS]
    assert sum(len(codes) for codes in sets) == len(frozenset().union(*sets))


def test_every_code_in_the_sets_is_a_country_django_countries_knows():
    for code in MEMBER_STATES | OBSERVERS | PARTNERS_FOR_DEMOCRACY | FORMER_MEMBERS:
        assert countries.name(code), code


def test_the_sets_are_the_countries_pace_prints():
    assert {code for code, *_ in MEMBERS} == MEMBER_STATES
    assert {"CA", "IL", "MX"} == OBSERVERS
    assert {"MA", "JO", "KG", "PS"} == PARTNERS_FOR_DEMOCRACY
    assert {"RU"} == FORMER_MEMBERS


@pytest.mark.parametrize(
    ("code", "kind"),
    [("fr", "member"), (" gb ", "member"), ("ca", "observer"), ("ps", "partner")],
)
def test_country_kind_ignores_the_case_and_spacing_of_the_code(code, kind):
    assert country_kind(code) == kind


@pytest.mark.parametrize("code", ["VA", "US", "JP", "KZ", "BY", "ZZ", "", None, "France"])
def test_country_kind_of_a_country_pace_does_not_print_is_none(code):
    assert country_kind(code) is None


def test_a_country_known_to_iso_but_not_to_pace_still_has_its_code():
    """The Assembly's declarations name other countries in their bodies, and the lists of older
    declarations may print a country the importer should name rather than refuse."""
    assert country_code("Kazakhstan") == "KZ"
    assert country_kind("KZ") is None
