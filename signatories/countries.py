"""Country names as the Parliamentary Assembly prints them, in English and in French.

django-countries knows the ISO names; PACE lists use their own forms ("Republic of Moldova",
"Slovak Republic"), French forms ("République de Moldova", "Royaume-Uni") and, in older
documents, names that have since changed ("Turkey", "The former Yugoslav Republic of
Macedonia"). Names are looked up here first, then in django-countries.

Besides the member states, PACE lists print the members of the delegations of observer
parliaments (Canada, Israel, Mexico) and of partners for democracy (Morocco, Jordan,
Kyrgyzstan, Palestine); `country_kind()` tells them apart.
"""

from django.utils import translation
from django_countries import countries

from declaration_site.lib.text import fold

# The 46 member states of the Council of Europe.
MEMBER_STATES = frozenset(
    {
        "AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE",
        "ES", "FI", "FR", "GB", "GE", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU",
        "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI",
        "SK", "SM", "TR", "UA",
    }
)  # fmt: skip
# Parliaments with observer status at the Assembly.
OBSERVERS = frozenset({"CA", "IL", "MX"})
# Parliaments with partner for democracy status at the Assembly.
PARTNERS_FOR_DEMOCRACY = frozenset({"JO", "KG", "MA", "PS"})
# States that have left the Council of Europe: the Russian Federation, expelled in 2022.
FORMER_MEMBERS = frozenset({"RU"})

_KINDS = (
    (MEMBER_STATES, "member"),
    (OBSERVERS, "observer"),
    (PARTNERS_FOR_DEMOCRACY, "partner"),
    (FORMER_MEMBERS, "former member"),
)

ALIASES = {
    # English forms printed by PACE, including those ISO or django-countries spell otherwise.
    "Albania": "AL",
    "Andorra": "AD",
    "Armenia": "AM",
    "Austria": "AT",
    "Azerbaijan": "AZ",
    "Belgium": "BE",
    "Bosnia and Herzegovina": "BA",
    "Bulgaria": "BG",
    "Croatia": "HR",
    "Cyprus": "CY",
    "Czech Republic": "CZ",
    "Denmark": "DK",
    "Estonia": "EE",
    "Finland": "FI",
    "France": "FR",
    "Georgia": "GE",
    "Germany": "DE",
    "Greece": "GR",
    "Hungary": "HU",
    "Iceland": "IS",
    "Ireland": "IE",
    "Italy": "IT",
    "Latvia": "LV",
    "Liechtenstein": "LI",
    "Lithuania": "LT",
    "Luxembourg": "LU",
    "Malta": "MT",
    "Republic of Moldova": "MD",
    "Monaco": "MC",
    "Montenegro": "ME",
    "Netherlands": "NL",
    "The Netherlands": "NL",
    "North Macedonia": "MK",
    "Republic of North Macedonia": "MK",
    "The former Yugoslav Republic of Macedonia": "MK",
    "Former Yugoslav Republic of Macedonia": "MK",
    "Norway": "NO",
    "Poland": "PL",
    "Portugal": "PT",
    "Romania": "RO",
    "San Marino": "SM",
    "Serbia": "RS",
    "Slovak Republic": "SK",
    "Slovenia": "SI",
    "Spain": "ES",
    "Sweden": "SE",
    "Switzerland": "CH",
    "Türkiye": "TR",
    "Turkey": "TR",
    "Ukraine": "UA",
    "United Kingdom": "GB",
    "Russian Federation": "RU",
    "Holy See": "VA",
    "Canada": "CA",
    "Israel": "IL",
    "Mexico": "MX",
    "Morocco": "MA",
    "Jordan": "JO",
    "Kyrgyzstan": "KG",
    "Kyrgyz Republic": "KG",
    "Palestine": "PS",
    "State of Palestine": "PS",
    # ISO's short forms, which the settings rename to PACE's.
    "Moldova": "MD",
    "Slovakia": "SK",
    "Czechia": "CZ",
    "Russia": "RU",
    # French forms.
    "Albanie": "AL",
    "Andorre": "AD",
    "Arménie": "AM",
    "Autriche": "AT",
    "Azerbaïdjan": "AZ",
    "Belgique": "BE",
    "Bosnie-Herzégovine": "BA",
    "Bulgarie": "BG",
    "Croatie": "HR",
    "Chypre": "CY",
    "République tchèque": "CZ",
    "Tchéquie": "CZ",
    "Danemark": "DK",
    "Estonie": "EE",
    "Finlande": "FI",
    "Géorgie": "GE",
    "Allemagne": "DE",
    "Grèce": "GR",
    "Hongrie": "HU",
    "Islande": "IS",
    "Irlande": "IE",
    "Italie": "IT",
    "Lettonie": "LV",
    "Lituanie": "LT",
    "Malte": "MT",
    "République de Moldova": "MD",
    "Moldavie": "MD",
    "Monténégro": "ME",
    "Pays-Bas": "NL",
    "Macédoine du Nord": "MK",
    "République de Macédoine du Nord": "MK",
    "L'ex-République yougoslave de Macédoine": "MK",
    "Ex-République yougoslave de Macédoine": "MK",
    "Norvège": "NO",
    "Pologne": "PL",
    "Roumanie": "RO",
    "Saint-Marin": "SM",
    "Serbie": "RS",
    "République slovaque": "SK",
    "Slovaquie": "SK",
    "Slovénie": "SI",
    "Espagne": "ES",
    "Suède": "SE",
    "Suisse": "CH",
    "Turquie": "TR",
    "Royaume-Uni": "GB",
    "Fédération de Russie": "RU",
    "Russie": "RU",
    "Saint-Siège": "VA",
    "Israël": "IL",
    "Mexique": "MX",
    "Maroc": "MA",
    "Jordanie": "JO",
    "Kirghizistan": "KG",
    "Kirghizstan": "KG",
    "République kirghize": "KG",
    "État de Palestine": "PS",
}
# Names the same in both languages (France, Liechtenstein, Luxembourg, Monaco, Portugal,
# Ukraine, Canada, Palestine, Türkiye) are listed once above.

_DASHES = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u2014": " "})


def _key(name):
    """A name folded for lookup: case, accents, spacing and hyphens do not matter."""
    return " ".join(fold(name).translate(_DASHES).split())


_INDEX = {_key(name): code for name, code in ALIASES.items()}


def country_code(name):
    """The ISO 3166-1 alpha-2 code for a country name as PACE prints it, or None.

    English and French names are both read. Case, accents, spacing and hyphens do not
    matter: "TÜRKIYE", "Turkiye", "Türkiye" and "Turquie" are all "TR", "Royaume Uni" is "GB".
    """
    key = _key(name)
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    with translation.override("en"):
        for code, country_name in countries:
            if _key(str(country_name)) == key:
                return code
    return None


def country_kind(code):
    """What the Assembly makes of a country, by its ISO code (any case).

    "member" for the member states, "observer" for Canada, Israel and Mexico, whose
    parliaments have observer status, "partner" for the partners for democracy (Morocco,
    Jordan, Kyrgyzstan, Palestine), "former member" for the Russian Federation, and None for
    any other code: PACE prints no other country in its lists.
    """
    code = str(code or "").strip().upper()
    for codes, kind in _KINDS:
        if code in codes:
            return kind
    return None
