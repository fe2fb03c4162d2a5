"""Reading the PACE text layout: signatory names, the two list layouts, and the errors."""

import datetime
from pathlib import Path

import pytest

from declaration_site.lib.text import find_name, fold
from signatories.parsing import ParseError, parse_declaration, split_name

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "wd-695.txt"

HEADER = "Written declaration No. 700 | Doc. 15000 | 12 March 2020"
TITLE = "A declaration written for the tests"
ITEMS = [
    "Mr Jean DUPONT, France, ALDE",
    "Ms Petra De SUTTER, Belgium, SOC",
    "Lord John E. TOMLINSON, United Kingdom, SOC",
]
BODY = "We, the undersigned, declare the following:\n\nThe body, in a second paragraph."
DISCLAIMER = "This written declaration commits only those who have signed it."


def declaration_text(
    *,
    header=HEADER,
    title=TITLE,
    items=ITEMS,
    label=True,
    disclaimer=True,
    related=False,
    body=BODY,
):
    """A declaration in the PACE layout, blank lines between its parts."""
    parts = ["See related documents"] if related else []
    signatories = " ; ".join(items)
    parts += [header, title, f"Signatories: {signatories}" if label else signatories]
    if disclaimer:
        parts.append(DISCLAIMER)
    parts.append(body)
    return "\n\n".join(parts) + "\n"


def problems_of(text):
    with pytest.raises(ParseError) as caught:
        parse_declaration(text)
    return caught.value.problems


def names(parsed):
    return [(s.honorific, s.given_name, s.family_name) for s in parsed.signatories]


def content(parsed):
    """What a declaration says, leaving out how and where in the file each item was written."""
    return (
        parsed.number,
        parsed.document_reference,
        parsed.date,
        parsed.title,
        parsed.text,
        [
            (s.honorific, s.given_name, s.family_name, s.country, s.group)
            for s in parsed.signatories
        ],
    )


# The demo file: written declaration No. 695.


@pytest.fixture(scope="module")
def demo():
    return parse_declaration(DEMO.read_text(encoding="utf-8"))


def test_demo_header_gives_number_reference_date_and_title(demo):
    assert demo.language == "en"
    assert demo.number == 695
    assert demo.document_reference == "14983"
    assert demo.date == datetime.date(2019, 10, 4)
    assert demo.title == (
        "The international community must respond to mass arrests and political prosecution "
        "in Kazakhstan"
    )


def test_demo_signatures_keep_list_order_with_the_author_first(demo):
    assert [s.family_name for s in demo.signatories] == [
        "GATTOLIN", "ÅBERG", "ÆVARSDÓTTIR", "BAYR", "BERLINGHIERI", "BUCCARELLA", "CILEVIČS",
        "COAKER", "FOULKES", "GAVAN", "GRIGORIU", "HUNKO", "JALLOW", "JONES", "KÖCK", "KOPŘIVA",
        "MAIRE", "MANIERO", "MARILOTTI", "MURRAY", "OHLSSON", "PRINGLE", "RAMPI", "SCHENNACH",
        "SCHWABE",
    ]  # fmt: skip
    author = demo.signatories[0]
    assert (author.honorific, author.given_name, author.country, author.group) == (
        "Mr",
        "André",
        "France",
        "ALDE",
    )


@pytest.mark.parametrize(
    ("family_name", "honorific", "given_name"),
    [
        ("ÆVARSDÓTTIR", "Ms", "Thorhildur Sunna"),
        ("JALLOW", "Mr", "Momodou Malcolm"),
        ("FOULKES", "Lord", "George"),
        ("JONES", "Ms", "Susan Elan"),
        ("KOPŘIVA", "Mr", "František"),
    ],
)
def test_demo_names_are_split_into_honorific_given_and_family_name(
    demo, family_name, honorific, given_name
):
    [signatory] = [s for s in demo.signatories if s.family_name == family_name]
    assert (signatory.honorific, signatory.given_name) == (honorific, given_name)


def test_demo_has_eleven_countries_and_five_groups(demo):
    countries = {s.country for s in demo.signatories}
    assert len(countries) == 11
    assert {"Republic of Moldova", "Czech Republic", "United Kingdom"} <= countries
    assert {s.group for s in demo.signatories} == {"ALDE", "EPP/CD", "SOC", "NR", "UEL"}


def test_demo_body_starts_after_the_disclaimer(demo):
    assert demo.text.startswith("We, the undersigned, declare the following:\n\nFrom February")
    assert demo.text.endswith(
        "We hereby call for the immediate release of all political prisoners."
    )
    assert "commits only those" not in demo.text
    assert "See related documents" not in demo.text
    assert "GATTOLIN" not in demo.text
    assert demo.text.count("\n\n") == 4


def test_demo_items_name_the_line_they_stand_on(demo):
    assert {s.line for s in demo.signatories} == {7}
    assert demo.signatories[8].item == "Lord George FOULKES, United Kingdom, SOC"


# Names.


@pytest.mark.parametrize(
    ("written", "honorific", "given_name", "family_name"),
    [
        ("Mr Jean DUPONT", "Mr", "Jean", "DUPONT"),
        ("Ms Jane DOE", "Ms", "Jane", "DOE"),
        ("Mrs Margaret SMITH", "Mrs", "Margaret", "SMITH"),
        ("Lord George FOULKES", "Lord", "George", "FOULKES"),
        ("Baroness Doreen MASSEY", "Baroness", "Doreen", "MASSEY"),
        ("Sir Roger GALE", "Sir", "Roger", "GALE"),
        ("Dame Cheryl GILLAN", "Dame", "Cheryl", "GILLAN"),
        ("Lady Sylvia HERMON", "Lady", "Sylvia", "HERMON"),
        ("Lord John E. TOMLINSON", "Lord", "John E.", "TOMLINSON"),
        ("Ms Susan Elan JONES", "Ms", "Susan Elan", "JONES"),
        ("Mr Björn JOHNSSON FORNARVE", "Mr", "Björn", "JOHNSSON FORNARVE"),
        ("Ms Ria OOMEN-RUIJTEN", "Ms", "Ria", "OOMEN-RUIJTEN"),
        ("Ms Petra De SUTTER", "Ms", "Petra", "De SUTTER"),
        ("Mr Henk van de VEN", "Mr", "Henk", "van de VEN"),
        ("Ms Reina de BRUIJN-WEZEMAN", "Ms", "Reina", "de BRUIJN-WEZEMAN"),
        ("Mr Joseph O'REILLY", "Mr", "Joseph", "O'REILLY"),
        ("Mr Tom McCARTHY", "Mr", "Tom", "McCARTHY"),
        ("Ms Ulla SANDBÆK", "Ms", "Ulla", "SANDBÆK"),
        ("Ms Boriana ÅBERG", "Ms", "Boriana", "ÅBERG"),
        ("Mr Boriss CILEVIČS", "Mr", "Boriss", "CILEVIČS"),
        ("Mr İlhan KESİCİ", "Mr", "İlhan", "KESİCİ"),
        ("Mr Hans STRAß", "Mr", "Hans", "STRAß"),
        ("Ms Ewa ŁĘTOWSKA", "Ms", "Ewa", "ŁĘTOWSKA"),
        ("Mr Pablo Ignacio de la SERNA", "Mr", "Pablo Ignacio", "de la SERNA"),
        ("Ms Maria de Belém ROSEIRA", "Ms", "Maria de Belém", "ROSEIRA"),
        ("Mr Jacques LE NAY", "Mr", "Jacques", "LE NAY"),
    ],
)
def test_split_name_finds_honorific_given_names_and_family_name_in_capitals(
    written, honorific, given_name, family_name
):
    assert split_name(written) == (honorific, given_name, family_name)


def test_honorific_written_with_a_dot_is_kept_without_it():
    assert split_name("Mr. Jean DUPONT") == ("Mr", "Jean", "DUPONT")
    assert split_name("Dr. Ana ROSSI") == ("Dr", "Ana", "ROSSI")


def test_initials_in_capitals_stay_with_the_given_names():
    assert split_name("Mr Axel E.K. FISCHER") == ("Mr", "Axel E.K.", "FISCHER")
    assert split_name("Mr J.-P. DUPONT") == ("Mr", "J.-P.", "DUPONT")


def test_lower_case_connector_between_capitals_belongs_to_the_family_name():
    assert split_name("Mr José GARCÍA y PÉREZ") == ("Mr", "José", "GARCÍA y PÉREZ")
    assert split_name("Mr Jordi PUIG i FERRER") == ("Mr", "Jordi", "PUIG i FERRER")


def test_peer_without_given_name_keeps_the_title_and_territorial_name():
    assert split_name("Earl of DUNDEE") == ("Earl", "", "of DUNDEE")
    assert split_name("Lord JUDD") == ("Lord", "", "JUDD")


def test_name_without_honorific_is_read_all_the_same():
    assert split_name("Jean DUPONT") == ("", "Jean", "DUPONT")


@pytest.mark.parametrize("written", ["Mr Jean Dupont", "Mr Jean", "Ms Ewa E.", "Mr"])
def test_name_with_no_word_in_capitals_is_refused(written):
    with pytest.raises(ValueError, match="no family name in capitals"):
        split_name(written)


def test_unicode_names_survive_a_whole_parse():
    items = [
        "Mr İlhan KESİCİ, Türkiye, SOC",
        "Ms Ewa ŁĘTOWSKA, Poland, EPP/CD",
        "Mr Hans STRAß, Germany, EPP/CD",
        "Ms Thorhildur Sunna ÆVARSDÓTTIR, Iceland, SOC",
    ]
    parsed = parse_declaration(declaration_text(items=items))
    assert names(parsed) == [
        ("Mr", "İlhan", "KESİCİ"),
        ("Ms", "Ewa", "ŁĘTOWSKA"),
        ("Mr", "Hans", "STRAß"),
        ("Ms", "Thorhildur Sunna", "ÆVARSDÓTTIR"),
    ]
    assert parsed.signatories[0].country == "Türkiye"


def test_decomposed_accents_are_composed():
    parsed = parse_declaration(declaration_text(items=["Ms Boriana A\u030aBERG, Sweden, EPP/CD"]))
    assert parsed.signatories[0].family_name == "ÅBERG"


# Layouts.


@pytest.mark.parametrize("label", [True, False], ids=["label", "no-label"])
@pytest.mark.parametrize("disclaimer", [True, False], ids=["disclaimer", "no-disclaimer"])
@pytest.mark.parametrize("related", [True, False], ids=["related", "no-related"])
def test_optional_parts_of_the_layout_do_not_change_what_is_read(label, disclaimer, related):
    parsed = parse_declaration(
        declaration_text(label=label, disclaimer=disclaimer, related=related)
    )
    assert parsed.number == 700
    assert parsed.title == TITLE
    assert names(parsed) == [
        ("Mr", "Jean", "DUPONT"),
        ("Ms", "Petra", "De SUTTER"),
        ("Lord", "John E.", "TOMLINSON"),
    ]
    assert [s.country for s in parsed.signatories] == ["France", "Belgium", "United Kingdom"]
    assert parsed.text == BODY


def test_list_wrapped_over_several_lines_is_one_list():
    text = (
        f"{HEADER}\n\n{TITLE}\n\n"
        "Signatories: Mr Jean DUPONT, France, ALDE ; Ms Petra De\n"
        "SUTTER, Belgium, SOC ;\n"
        "Lord John E. TOMLINSON, United Kingdom,\n"
        "SOC\n\n"
        f"{BODY}\n"
    )
    parsed = parse_declaration(text)
    assert names(parsed) == [
        ("Mr", "Jean", "DUPONT"),
        ("Ms", "Petra", "De SUTTER"),
        ("Lord", "John E.", "TOMLINSON"),
    ]
    assert [s.line for s in parsed.signatories] == [5, 5, 7]
    assert parsed.signatories[2].group == "SOC"


def test_wrapped_title_is_joined_into_one_line():
    parsed = parse_declaration(declaration_text(title="A declaration written\nfor the tests"))
    assert parsed.title == "A declaration written for the tests"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Doc. 13774 rev 2", "13774 rev 2"),
        ("Doc. 14983", "14983"),
        ("Doc.  13774  rev.  2", "13774 rev. 2"),
        ("Doc. 12345 add", "12345 add"),
    ],
)
def test_document_reference_keeps_its_suffix(written, kept):
    header = f"Written declaration No. 571 | {written} | 27 June 2014"
    assert parse_declaration(declaration_text(header=header)).document_reference == kept


def test_windows_line_endings_read_like_unix_ones():
    text = declaration_text(related=True)
    windows = parse_declaration(text.replace("\n", "\r\n"))
    assert windows == parse_declaration(text)
    assert "\r" not in windows.text


def test_byte_order_mark_before_the_header_is_ignored():
    text = declaration_text()
    assert parse_declaration("\ufeff" + text) == parse_declaration(text)
    assert parse_declaration("\ufeff" + declaration_text(related=True)).number == 700


def test_non_breaking_and_zero_width_spaces_in_the_list_read_as_spaces():
    items = [
        "Mr\u00a0Jean\u00a0DUPONT,\u00a0France,\u00a0ALDE",
        "Ms Petra De\u200b SUTTER, Belgium\u202f, SOC",
        "Lord John E. TOMLINSON, United\u00a0Kingdom, SOC",
    ]
    parsed = parse_declaration(declaration_text(items=items).replace(" ; ", "\u00a0;\u00a0"))
    assert content(parsed) == content(parse_declaration(declaration_text()))


def test_trailing_semicolon_after_the_last_item_is_accepted():
    text = declaration_text(items=[*ITEMS[:-1], ITEMS[-1] + " ;"])
    assert names(parse_declaration(text)) == names(parse_declaration(declaration_text()))


def test_disclaimer_and_title_without_blank_lines_around_them_are_still_recognised():
    text = (
        f"{HEADER}\n{TITLE}\n\n"
        f"Signatories: {' ; '.join(ITEMS)}\n"
        f"{DISCLAIMER}\n"
        "We, the undersigned, declare the following:\n\n"
        "The body, in a second paragraph.\n"
    )
    assert content(parse_declaration(text)) == content(parse_declaration(declaration_text()))


def test_disclaimer_after_the_body_is_left_out_of_it():
    text = declaration_text(disclaimer=False) + "\n" + DISCLAIMER + "\n"
    assert parse_declaration(text).text == BODY


def test_french_layout_is_read():
    text = (
        "Déclaration écrite n° 512 | Doc. 13000 | 1er octobre 2012\n\n"
        "Une déclaration écrite pour les tests\n\n"
        "Signataires : M. Jean DUPONT, France, ADLE ; Mme Petra De SUTTER, Belgique, SOC\n\n"
        "Cette déclaration écrite n'engage que ses signataires.\n\n"
        "Nous, soussignés, déclarons ce qui suit :\n"
    )
    parsed = parse_declaration(text)
    assert (parsed.number, parsed.date, parsed.language) == (512, datetime.date(2012, 10, 1), "fr")
    assert names(parsed) == [("Mr", "Jean", "DUPONT"), ("Ms", "Petra", "De SUTTER")]
    assert [(s.country, s.group) for s in parsed.signatories] == [
        ("France", "ADLE"),
        ("Belgique", "SOC"),
    ]
    assert parsed.title == "Une déclaration écrite pour les tests"
    assert parsed.text == "Nous, soussignés, déclarons ce qui suit :"


def test_declaration_without_body_has_empty_text():
    parsed = parse_declaration(f"{HEADER}\n\n{TITLE}\n\nSignatories: {ITEMS[0]}\n")
    assert parsed.text == ""
    assert len(parsed.signatories) == 1


# The French text of written declaration No. 695.

FRENCH_DEMO = Path(__file__).resolve().parent / "data" / "wd-695-fr.txt"
# The groups' French abbreviations, as PACE prints them, and their English ones.
FRENCH_GROUPS = {"ADLE": "ALDE", "PPE/DC": "EPP/CD", "SOC": "SOC", "GUE": "UEL", "NI": "NR"}


@pytest.fixture(scope="module")
def french_demo():
    return parse_declaration(FRENCH_DEMO.read_text(encoding="utf-8"))


def test_french_text_is_read_in_french(french_demo):
    assert french_demo.language == "fr"
    assert (french_demo.number, french_demo.document_reference, french_demo.date) == (
        695,
        "14983",
        datetime.date(2019, 10, 4),
    )
    assert french_demo.title == (
        "La communauté internationale doit réagir aux arrestations massives et aux poursuites "
        "politiques au Kazakhstan"
    )


def test_french_text_lists_the_same_people_in_the_same_order_as_the_english_one(demo, french_demo):
    assert len(french_demo.signatories) == 25
    assert [(s.given_name, s.family_name) for s in french_demo.signatories] == [
        (s.given_name, s.family_name) for s in demo.signatories
    ]
    assert [FRENCH_GROUPS[s.group] for s in french_demo.signatories] == [
        s.group for s in demo.signatories
    ]


def test_french_countries_name_the_same_countries_as_the_english_ones(demo, french_demo):
    from signatories.countries import country_code

    french = [country_code(s.country) for s in french_demo.signatories]
    assert None not in french
    assert french == [country_code(s.country) for s in demo.signatories]


def test_french_honorifics_are_stored_in_english(demo, french_demo):
    assert {s.honorific for s in french_demo.signatories} == {"Mr", "Ms", "Lord"}
    assert [s.honorific for s in french_demo.signatories] == [s.honorific for s in demo.signatories]


def test_french_body_names_the_detainees_and_leaves_out_the_disclaimer(french_demo):
    text = french_demo.text
    assert text.startswith("Nous, soussignés, déclarons ce qui suit :\n\nEntre février 2018")
    assert text.count("\n\n") == 4
    assert "n’engage que" not in text
    assert "Voir les documents liés" not in text
    assert "GATTOLIN" not in text
    for detainee in [
        "Mukhtar Dzhakishev", "Maks Bokayev", "Iskander Yerimbetov", "Serik Zhahin",
        "Oksana Shevchuk", "Zhazira Demeuova", "Gulzipa Dzhaukerova", "Akmaral Kerimbayeva",
        "Gulmira Kalykova",
    ]:  # fmt: skip
        assert find_name(text, detainee) == detainee


def test_french_list_under_a_label_alone_on_its_line_names_its_own_lines(french_demo):
    assert {s.line for s in french_demo.signatories} == {8}
    assert french_demo.signatories[0].item == "M. André GATTOLIN, France, ADLE"


# Headers in English and in French.

FRENCH_MONTHS = [
    ("janvier",), ("février", "fevrier", "Février"), ("mars",), ("avril",), ("mai",), ("juin",),
    ("juillet",), ("août", "aout"), ("septembre",), ("octobre",), ("novembre",),
    ("décembre", "decembre", "DÉCEMBRE"),
]  # fmt: skip
ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@pytest.mark.parametrize(
    ("month", "number"),
    [(name, number) for number, names in enumerate(FRENCH_MONTHS, 1) for name in names],
)
def test_french_month_names_are_read_with_or_without_accents(month, number):
    header = f"Déclaration écrite n° 512 | Doc. 13000 | 12 {month} 2012"
    assert parse_declaration(declaration_text(header=header)).date == datetime.date(
        2012, number, 12
    )


@pytest.mark.parametrize(("month", "number"), [(m, n) for n, m in enumerate(ENGLISH_MONTHS, 1)])
def test_english_month_names_are_read(month, number):
    header = f"Written declaration No. 512 | Doc. 13000 | 09 {month} 2012"
    assert parse_declaration(declaration_text(header=header)).date == datetime.date(2012, number, 9)


@pytest.mark.parametrize(
    ("header", "number", "day"),
    [
        ("Déclaration écrite No. 695 | Doc. 14983 | 4 octobre 2019", 695, 4),
        ("Déclaration écrite n° 695 | Doc. 14983 | 04 octobre 2019", 695, 4),
        ("Déclaration écrite n°695 | Doc. 14983 | 1er octobre 2019", 695, 1),
        ("Déclaration écrite No 695 | Doc. 14983 | 1er octobre 2019", 695, 1),
        ("Déclaration écrite nº 695 | Doc. 14983 | 1 octobre 2019", 695, 1),
        ("DÉCLARATION ÉCRITE N° 695 | Doc. 14983 | 1er octobre 2019", 695, 1),
        ("Declaration ecrite n° 695 | Doc 14983 | 1er octobre 2019", 695, 1),
        (
            "Déclaration\u00a0écrite n°\u00a0695\u00a0| Doc.\u00a014983 |\u00a04 octobre 2019",
            695,
            4,
        ),
    ],
)
def test_french_header_is_read_in_its_printed_forms(header, number, day):
    parsed = parse_declaration(declaration_text(header=header))
    assert (parsed.number, parsed.document_reference) == (number, "14983")
    assert parsed.date == datetime.date(2019, 10, day)
    assert parsed.language == "fr"


@pytest.mark.parametrize(
    "header",
    [
        "Written declaration No. 695 | Doc. 14983 | 04 October 2019",
        "Written declaration No.695 | Doc.14983 | 4 October 2019",
        "Written Declaration No 695 | Doc. 14983 | 4 October 2019",
        "Written   declaration   No.  695  |  Doc.  14983  |  04  October  2019  ",
    ],
)
def test_english_header_is_read_in_its_printed_forms(header):
    parsed = parse_declaration(declaration_text(header=header))
    assert (parsed.number, parsed.document_reference) == (695, "14983")
    assert (parsed.date, parsed.language) == (datetime.date(2019, 10, 4), "en")


def test_language_follows_the_header_wording_not_the_rest_of_the_text():
    english_header_french_list = declaration_text(items=["M. Jean DUPONT, France, ADLE"]).replace(
        "Signatories:", "Signataires :"
    )
    assert parse_declaration(english_header_french_list).language == "en"
    french_header = declaration_text(header="Déclaration écrite n° 700 | Doc. 15000 | 12 mars 2020")
    assert parse_declaration(french_header).language == "fr"


# Dates: from the Assembly's first session to one year from today.


def long_date(date):
    return f"{date.day} {ENGLISH_MONTHS[date.month - 1]} {date.year}"


def one_year_from(today):
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def header_dated(date):
    return f"Written declaration No. 700 | Doc. 15000 | {long_date(date)}"


@pytest.mark.parametrize(
    "date",
    [
        datetime.date(1949, 1, 1),
        datetime.date(1949, 8, 10),
        datetime.date(2020, 2, 29),
        datetime.date.today(),
        one_year_from(datetime.date.today()),
    ],
    ids=str,
)
def test_dates_from_1949_to_one_year_from_today_are_accepted(date):
    assert parse_declaration(declaration_text(header=header_dated(date))).date == date


@pytest.mark.parametrize(
    "date",
    [
        datetime.date(1948, 12, 31),
        datetime.date(1900, 1, 1),
        datetime.date(1000, 6, 1),
        one_year_from(datetime.date.today()) + datetime.timedelta(days=1),
        datetime.date(9999, 12, 31),
    ],
    ids=str,
)
def test_dates_outside_the_assembly_s_lifetime_are_refused_with_the_allowed_range(date):
    text = declaration_text(header=header_dated(date), related=True)
    [problem] = problems_of(text)
    assert (problem.line, problem.item) == (3, long_date(date))
    latest = long_date(one_year_from(datetime.date.today()))
    assert problem.message == f"the date is outside the allowed range, 1 January 1949 to {latest}"


@pytest.mark.parametrize(
    "date",
    ["31 February 2019", "29 February 2019", "31 April 2020", "30 février 2020", "0 May 2020"],
)
def test_day_that_the_month_does_not_have_is_refused_not_crashed_on(date):
    header = f"Written declaration No. 700 | Doc. 15000 | {date}"
    [problem] = problems_of(declaration_text(header=header))
    assert (problem.line, problem.item) == (1, date)
    assert problem.message.startswith("the date is not like '04 October 2019'")


@pytest.mark.parametrize("date", ["12 March 0000", "12 March 20", "12 March 20201", "12 2020"])
def test_year_that_is_not_four_digits_or_out_of_range_is_refused(date):
    header = f"Written declaration No. 700 | Doc. 15000 | {date}"
    [problem] = problems_of(declaration_text(header=header))
    assert (problem.line, problem.item) == (1, date)
    assert "date" in problem.message


# Honorifics: stored in their English form, without a dot.


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("M.", "Mr"), ("M", "Mr"), ("Mme", "Ms"), ("Mme.", "Ms"), ("Mlle", "Ms"),
        ("Mr.", "Mr"), ("Mr", "Mr"), ("Ms", "Ms"), ("Mrs", "Mrs"), ("Dr.", "Dr"), ("Dr", "Dr"),
        ("Lord", "Lord"), ("Lady", "Lady"), ("Baroness", "Baroness"), ("Sir", "Sir"),
        ("Dame", "Dame"), ("Earl", "Earl"),
    ],
)  # fmt: skip
def test_honorific_is_stored_in_its_english_form(written, stored):
    assert split_name(f"{written} Jean DUPONT") == (stored, "Jean", "DUPONT")
    items = [f"{written} Jean DUPONT, France, SOC"]
    [signatory] = parse_declaration(declaration_text(items=items)).signatories
    assert signatory.honorific == stored


# The list label, in English and in French, on the list's line or alone on its own.


@pytest.mark.parametrize(
    "label",
    ["Signatories:", "Signatories :", "Signataires :", "Signataires:", "Signataires\u00a0:"],
)
@pytest.mark.parametrize("between", [" ", "\n", "\n\n"], ids=["same-line", "next-line", "blank"])
def test_list_label_may_stand_alone_on_its_line(label, between):
    text = f"{HEADER}\n\n{TITLE}\n\n{label}{between}{' ; '.join(ITEMS)}\n\n{DISCLAIMER}\n\n{BODY}\n"
    parsed = parse_declaration(text)
    assert content(parsed) == content(parse_declaration(declaration_text()))
    first_item_line = 5 + between.count("\n")
    assert parsed.signatories[0].line == first_item_line


def test_label_alone_before_the_body_is_an_empty_list():
    [problem] = problems_of(f"{HEADER}\n\n{TITLE}\n\nSignatories:\n\n{BODY}\n")
    assert (problem.line, problem.message) == (5, "the signatory list is empty")


def test_list_ending_with_a_semicolon_goes_on_after_a_blank_line():
    text = (
        f"{HEADER}\n\n{TITLE}\n\nSignatories: {ITEMS[0]} ;\n\n{ITEMS[1]} ; {ITEMS[2]}\n\n"
        f"{DISCLAIMER}\n\n{BODY}\n"
    )
    parsed = parse_declaration(text)
    assert content(parsed) == content(parse_declaration(declaration_text()))
    assert [s.line for s in parsed.signatories] == [5, 7, 7]


@pytest.mark.parametrize(
    "disclaimer",
    [
        "Cette déclaration écrite n'engage que ses signataires.",
        "Cette déclaration écrite n’engage que ses signataires.",
        "Cette déclaration écrite n’engage que ceux qui l’ont signée.",
        "Cette declaration ecrite n'engage que ceux qui l'ont signee",
        "This written declaration commits only those who have signed it",
    ],
)
def test_disclaimer_in_either_language_is_left_out_of_the_body(disclaimer):
    text = declaration_text(disclaimer=False).replace(BODY, f"{disclaimer}\n\n{BODY}")
    assert parse_declaration(text).text == BODY


@pytest.mark.parametrize("related", ["See related documents", "Voir les documents liés", "Print"])
def test_page_furniture_before_the_header_is_skipped(related):
    parsed = parse_declaration(f"{related}\n\n" + declaration_text())
    assert content(parsed) == content(parse_declaration(declaration_text()))


# Errors: each problem names its line and, where there is one, the item.


def test_text_without_header_is_refused_at_its_first_line():
    [problem] = problems_of(declaration_text(header="Written declaration 700, 12 March 2020"))
    assert problem.line == 1
    assert "expected the header" in problem.message
    assert problem.item == "Written declaration 700, 12 March 2020"


def test_text_with_only_related_documents_line_before_a_bad_header_names_the_header_line():
    [problem] = problems_of(declaration_text(related=True, header="No. 700 | 12 March 2020"))
    assert problem.line == 3
    assert "expected the header" in str(problem)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff", "See related documents\n"])
def test_empty_text_is_refused(text):
    [problem] = problems_of(text)
    assert problem.message == "the text is empty"


@pytest.mark.parametrize("date", ["31 February 2019", "October 4, 2019", "04 Octember 2019"])
def test_impossible_or_unreadable_date_is_refused(date):
    header = f"Written declaration No. 700 | Doc. 15000 | {date}"
    [problem] = problems_of(declaration_text(header=header))
    assert (problem.line, problem.item) == (1, date)
    assert "date" in problem.message


def test_document_reference_that_is_not_a_number_is_refused():
    header = "Written declaration No. 700 | Doc. see above | 12 March 2020"
    [problem] = problems_of(declaration_text(header=header))
    assert (problem.line, problem.item) == (1, "see above")


def test_missing_title_is_refused():
    [problem] = problems_of(f"{HEADER}\n\nSignatories: {ITEMS[0]}\n\n{BODY}\n")
    assert problem.line == 1
    assert "expected a title" in problem.message


@pytest.mark.parametrize(
    "item",
    [
        "Mr Jean DUPONT France ALDE",
        "Mr Jean DUPONT, France, ALDE, Paris",
        "Mr Jean DUPONT, , ALDE",
        "Mr Jean DUPONT, France,",
        ", France, ALDE",
    ],
)
def test_item_that_is_not_name_country_group_is_refused(item):
    [problem] = problems_of(declaration_text(items=[ITEMS[0], item]))
    assert (problem.line, problem.item) == (5, item)
    assert problem.message == "expected 'Name, Country, GROUP'"


def test_name_without_capitals_is_refused_with_its_item():
    [problem] = problems_of(declaration_text(items=["Mr Jean Dupont, France, ALDE", *ITEMS[1:]]))
    assert (problem.line, problem.item) == (5, "Mr Jean Dupont, France, ALDE")
    assert "no family name in capitals" in problem.message


@pytest.mark.parametrize("listing", ["Signatories:", "Signatories: ;", "Signatories:  ; ;"])
def test_empty_list_is_refused(listing):
    text = f"{HEADER}\n\n{TITLE}\n\n{listing}\n\n{DISCLAIMER}\n\n{BODY}\n"
    [problem] = problems_of(text)
    assert (problem.line, problem.message) == (5, "the signatory list is empty")


def test_empty_item_between_two_semicolons_is_refused():
    text = declaration_text().replace(" ; ", " ; ; ", 1)
    [problem] = problems_of(text)
    assert (problem.line, problem.message) == (5, "empty item in the signatory list")


def test_signatory_listed_twice_is_refused_even_with_other_accents_and_capitals():
    items = [*ITEMS, "Mr Jean DUPONT, France, ALDE", "Ms Petra de SÜTTER, BELGIUM, SOC"]
    text = declaration_text(items=items).replace("Ms Petra de SÜTTER", "\nMs Petra de SÜTTER")
    duplicate, second_duplicate = problems_of(text)
    assert (duplicate.line, duplicate.item) == (5, "Mr Jean DUPONT, France, ALDE")
    assert duplicate.message == "signatory already listed on line 5"
    assert (second_duplicate.line, second_duplicate.item) == (6, "Ms Petra de SÜTTER, BELGIUM, SOC")


def test_every_problem_is_reported_at_once_in_the_error_text():
    header = "Written declaration No. 700 | Doc. 15000 | 32 March 2020"
    items = [ITEMS[0], "Mr Jean Dupont, France, ALDE", "\nMs Jane DOE; France, SOC"]
    with pytest.raises(ParseError) as caught:
        parse_declaration(declaration_text(header=header, items=items))
    assert [problem.line for problem in caught.value.problems] == [1, 5, 6, 6]
    message = str(caught.value)
    assert "line 1: '32 March 2020': the date is not like '04 October 2019'" in message
    assert "line 5: 'Mr Jean Dupont, France, ALDE': cannot read the name" in message
    assert "line 6: 'Ms Jane DOE': expected 'Name, Country, GROUP'" in message


# Folding and finding names.


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("ÅBERG", "aberg"),
        ("ÆVARSDÓTTIR", "aevarsdottir"),
        ("CILEVIČS", "cilevics"),
        ("STRAß", "strass"),
        ("ŁĘTOWSKA", "letowska"),
        ("KESİCİ", "kesici"),
        ("GRØVAN", "grovan"),
        ("O’REILLY", "o'reilly"),
        ("  Petra \u00a0De  SUTTER ", "petra de sutter"),
    ],
)
def test_fold_lower_cases_strips_accents_and_collapses_spaces(written, folded):
    assert fold(written) == folded


def test_find_name_returns_the_spelling_used_in_the_text():
    text = "the prosecution of Mukhtar Dzhakishev, MAKS  Bokayev and Iskander Yerimbetov"
    assert find_name(text, "Maks Bokayev") == "MAKS  Bokayev"
    assert find_name(text, "Muhtar Dzhakishev") is None


def test_find_name_ignores_accents_and_needs_whole_words():
    assert find_name("Visit to Ærø island", "Aero") == "Ærø"
    assert find_name("the Maksim Bokayev case", "Maks Bokayev") is None
    assert find_name("Bokayevs", "Bokayev") is None
