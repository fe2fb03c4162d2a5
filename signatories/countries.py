"""Country names as the Parliamentary Assembly prints them, in English and in French.

django-countries knows the ISO names; PACE lists use their own forms ("Republic of Moldova",
"Slovak Republic") and, in older documents, names that have since changed ("Turkey",
"The former Yugoslav Republic of Macedonia"). Names are looked up here first, then in
django-countries.
"""

from django.utils import translation
from django_countries import countries

from declaration_site.lib.text import fold

ALIASES = {
    # English forms printed by PACE that ISO or django-countries spell otherwise.
    "republic of moldova": "MD",
    "slovak republic": "SK",
    "czech republic": "CZ",
    "russian federation": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "the former yugoslav republic of macedonia": "MK",
    "former yugoslav republic of macedonia": "MK",
    "north macedonia": "MK",
    "bosnia and herzegovina": "BA",
    "united kingdom": "GB",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holy see": "VA",
    # ISO's short forms, which the settings rename to PACE's.
    "moldova": "MD",
    "slovakia": "SK",
    "czechia": "CZ",
    "russia": "RU",
    # French forms.
    "albanie": "AL",
    "allemagne": "DE",
    "andorre": "AD",
    "armenie": "AM",
    "autriche": "AT",
    "azerbaidjan": "AZ",
    "belgique": "BE",
    "bosnie-herzegovine": "BA",
    "bulgarie": "BG",
    "chypre": "CY",
    "croatie": "HR",
    "danemark": "DK",
    "espagne": "ES",
    "estonie": "EE",
    "finlande": "FI",
    "federation de russie": "RU",
    "georgie": "GE",
    "grece": "GR",
    "hongrie": "HU",
    "irlande": "IE",
    "islande": "IS",
    "italie": "IT",
    "lettonie": "LV",
    "lituanie": "LT",
    "macedoine du nord": "MK",
    "l'ex-republique yougoslave de macedoine": "MK",
    "malte": "MT",
    "monaco": "MC",
    "montenegro": "ME",
    "norvege": "NO",
    "pays-bas": "NL",
    "pologne": "PL",
    "republique de moldova": "MD",
    "republique slovaque": "SK",
    "republique tcheque": "CZ",
    "roumanie": "RO",
    "royaume-uni": "GB",
    "saint-marin": "SM",
    "serbie": "RS",
    "slovaquie": "SK",
    "slovenie": "SI",
    "suede": "SE",
    "suisse": "CH",
    "tchequie": "CZ",
    "turquie": "TR",
    "ukraine": "UA",
}


def country_code(name):
    """The ISO 3166-1 alpha-2 code for a country name as PACE prints it, or None.

    Case, accents and spacing do not matter: "TÜRKIYE", "Turkiye" and "Türkiye" are all "TR".
    """
    folded = fold(name)
    if not folded:
        return None
    if folded in ALIASES:
        return ALIASES[folded]
    with translation.override("en"):
        for code, country_name in countries:
            if fold(str(country_name)) == folded:
                return code
    return None
