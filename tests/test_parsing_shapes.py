"""The shapes of signatory items and names PACE prints, and the parser's running time on long or
repetitive input: every text is read, or refused, in time linear in its length."""

import time

import pytest

from signatories.parsing import ParseError, parse_declaration, split_name

from .test_parsing import BODY, DISCLAIMER, HEADER, TITLE, declaration_text, problems_of

# Items with and without a political group.


def signatories_of(items):
    return parse_declaration(declaration_text(items=items)).signatories


def test_item_with_name_and_country_only_is_a_signature_with_no_group():
    [observer, member] = signatories_of(
        ["Mr Scott SIMMS, Canada", "Ms Elke TINDEMANS, Belgium, EPP/CD"]
    )
    assert (observer.given_name, observer.family_name, observer.country, observer.group) == (
        "Scott",
        "SIMMS",
        "Canada",
        "",
    )
    assert (member.country, member.group) == ("Belgium", "EPP/CD")


def test_item_without_group_keeps_its_accents_and_item_text():
    [signatory] = signatories_of(["Ms Kateřina JACQUES, Czech Republic"])
    assert (signatory.honorific, signatory.given_name, signatory.family_name) == (
        "Ms",
        "Kateřina",
        "JACQUES",
    )
    assert (signatory.country, signatory.group) == ("Czech Republic", "")
    assert signatory.item == "Ms Kateřina JACQUES, Czech Republic"


def test_space_before_a_comma_is_ignored():
    [without_group, with_group] = signatories_of(
        ["Mr Arman GEVORGYAN , Armenia", "Mr Arman ABOVYAN , Armenia , EPP/CD"]
    )
    assert (without_group.family_name, without_group.country, without_group.group) == (
        "GEVORGYAN",
        "Armenia",
        "",
    )
    assert (with_group.family_name, with_group.country, with_group.group) == (
        "ABOVYAN",
        "Armenia",
        "EPP/CD",
    )


def test_list_mixing_items_with_and_without_group_keeps_its_order():
    items = [
        "Ms Petra De SUTTER, Belgium, SOC",
        "Mr Scott SIMMS, Canada",
        "Ms Kateřina JACQUES, Czech Republic",
        "Mr Caspar Van den BERG, Netherlands, EPP/CD",
    ]
    parsed = signatories_of(items)
    assert [(s.family_name, s.group) for s in parsed] == [
        ("De SUTTER", "SOC"),
        ("SIMMS", ""),
        ("JACQUES", ""),
        ("Van den BERG", "EPP/CD"),
    ]
    assert [s.item for s in parsed] == items


@pytest.mark.parametrize(
    "item",
    [
        "Mr Scott SIMMS",
        "Mr Scott SIMMS Canada",
        "Mr Scott SIMMS, Canada, SOC, Ottawa",
        "Mr Scott SIMMS, , Canada",
        "Mr Scott SIMMS,",
        "Mr Scott SIMMS, Canada,,",
    ],
)
def test_item_with_fewer_than_two_or_more_than_three_parts_is_refused(item):
    [problem] = problems_of(declaration_text(items=["Ms Elke TINDEMANS, Belgium, EPP/CD", item]))
    assert (problem.line, problem.item) == (5, item)
    assert problem.message == "expected 'Name, Country, GROUP'"


def test_same_person_listed_with_and_without_group_is_a_duplicate():
    [problem] = problems_of(
        declaration_text(items=["Mr Scott SIMMS, Canada", "Mr Scott SIMMS, Canada, SOC"])
    )
    assert problem.message == "signatory already listed on line 5"
    assert problem.item == "Mr Scott SIMMS, Canada, SOC"


# Family names: from the first word in capitals, with the particles just before it.


@pytest.mark.parametrize(
    ("written", "honorific", "given_name", "family_name"),
    [
        ("Ms Petra De SUTTER", "Ms", "Petra", "De SUTTER"),
        ("Mr Caspar Van den BERG", "Mr", "Caspar", "Van den BERG"),
        ("Mr Henk van de VEN", "Mr", "Henk", "van de VEN"),
        ("Ms Reina de BRUIJN-WEZEMAN", "Ms", "Reina", "de BRUIJN-WEZEMAN"),
        ("Mr Jordi de PUIG i OLIVE", "Mr", "Jordi", "de PUIG i OLIVE"),
        ("Mr Pablo Ignacio de la SERNA", "Mr", "Pablo Ignacio", "de la SERNA"),
        ("Ms Ana GARCÍA de la VEGA", "Ms", "Ana", "GARCÍA de la VEGA"),
        ("Mr Pieter van der BERG", "Mr", "Pieter", "van der BERG"),
        ("Mr Karl-Theodor zu GUTTENBERG", "Mr", "Karl-Theodor", "zu GUTTENBERG"),
        ("Mr Otto von HABSBURG", "Mr", "Otto", "von HABSBURG"),
        ("Mr Jean-Marie Le GUEN", "Mr", "Jean-Marie", "Le GUEN"),
        ("Mr Pierre-Yves LE BORGN'", "Mr", "Pierre-Yves", "LE BORGN'"),
        ("Mr Luís LEITE RAMOS", "Mr", "Luís", "LEITE RAMOS"),
        ("Ms Ksenija KORENJAK KRAMAR", "Ms", "Ksenija", "KORENJAK KRAMAR"),
        ("Mr Joseph DEBONO GRECH", "Mr", "Joseph", "DEBONO GRECH"),
        ("Mr João Bosco MOTA AMARAL", "Mr", "João Bosco", "MOTA AMARAL"),
        ("Mr Björn JOHNSSON FORNARVE", "Mr", "Björn", "JOHNSSON FORNARVE"),
        ("Mr Joseph O'REILLY", "Mr", "Joseph", "O'REILLY"),
        ("Mr Joseph O’REILLY", "Mr", "Joseph", "O’REILLY"),
        ("Mr Tom McCARTHY", "Mr", "Tom", "McCARTHY"),
        ("Earl of DUNDEE", "Earl", "", "of DUNDEE"),
        ("Lord John E. TOMLINSON", "Lord", "John E.", "TOMLINSON"),
        ("M. André GATTOLIN", "Mr", "André", "GATTOLIN"),
        ("Mme Boriana ÅBERG", "Ms", "Boriana", "ÅBERG"),
        ("Mme Marie-Christine DALLOZ", "Ms", "Marie-Christine", "DALLOZ"),
    ],
)
def test_family_name_starts_at_its_particles_or_its_first_word_in_capitals(
    written, honorific, given_name, family_name
):
    assert split_name(written) == (honorific, given_name, family_name)


@pytest.mark.parametrize(
    ("written", "given_name", "family_name"),
    [
        # A particle-like word not followed by the capitals belongs to the given names.
        ("Ms Maria de Belém ROSEIRA", "Maria de Belém", "ROSEIRA"),
        ("Ms Maria Da Graça CARVALHO", "Maria Da Graça", "CARVALHO"),
        ("Ms Ana Del Carmen RUIZ", "Ana Del Carmen", "RUIZ"),
        # A capitalised first word is a given name, even when it could be a particle.
        ("Mr Van BERG", "Van", "BERG"),
        ("Mr Al GORE", "Al", "GORE"),
        ("Ms Du WEI", "Du", "WEI"),
        # A lower-case particle may open the name with no given name before it.
        ("Mr de BRUIJN", "", "de BRUIJN"),
    ],
)
def test_particle_like_given_names_stay_given_names(written, given_name, family_name):
    assert split_name(written)[1:] == (given_name, family_name)


def test_family_names_with_particles_survive_a_whole_parse():
    items = [
        "Mr Caspar Van den BERG, Netherlands, EPP/CD",
        "Ms Petra De SUTTER, Belgium, SOC",
        "Mr Jordi de PUIG i OLIVE, Andorra, SOC",
        "M. André GATTOLIN, France, ADLE",
        "Mme Boriana ÅBERG, Suède, PPE/DC",
    ]
    parsed = signatories_of(items)
    assert [(s.honorific, s.given_name, s.family_name) for s in parsed] == [
        ("Mr", "Caspar", "Van den BERG"),
        ("Ms", "Petra", "De SUTTER"),
        ("Mr", "Jordi", "de PUIG i OLIVE"),
        ("Mr", "André", "GATTOLIN"),
        ("Ms", "Boriana", "ÅBERG"),
    ]
    assert [s.country for s in parsed] == ["Netherlands", "Belgium", "Andorra", "France", "Suède"]


# Running time: long runs of one character anywhere in a declaration.

LONG = 100_000
# Where a run goes: the declaration, with "{}" standing for the run.
PLACES = {
    "before-the-header": "{}" + HEADER,
    "header-words": "Written{}declaration No. 700 | Doc. 15000 | 12 March 2020",
    "header-number-sign": "Written declaration No.{}700 | Doc. 15000 | 12 March 2020",
    "header-number": "Written declaration No. 700{} | Doc. 15000 | 12 March 2020",
    "header-doc": "Written declaration No. 700 | Doc.{}15000 | 12 March 2020",
    "header-reference": "Written declaration No. 700 | Doc. 15000{} | 12 March 2020",
    "header-day": "Written declaration No. 700 | Doc. 15000 | 12{}March 2020",
    "header-month": "Written declaration No. 700 | Doc. 15000 | 12 March{}2020",
    "header-end": HEADER + "{}",
    "french-header": "Déclaration{}écrite n° 700 | Doc. 15000 | 1er{}mars 2020",
}
LIST_PLACES = {
    "title": TITLE + "{}",
    "label": "Signatories{}:",
    "after-label": "Signatories:{}",
    "honorific": "Mr{}Jean DUPONT, France, ALDE",
    "given-name": "Mr Jean{}DUPONT, France, ALDE",
    "family-name": "Mr Jean DUPONT{}, France, ALDE",
    "country": "Mr Jean DUPONT, France{}, ALDE",
    "group": "Mr Jean DUPONT, France, ALDE{}",
    "between-items": "Mr Jean DUPONT, France, ALDE ;{} Ms Petra De SUTTER, Belgium, SOC",
    "disclaimer": "This written{}declaration commits only those who have signed it.",
    "body": BODY + "{}",
}
FILLERS = {
    "spaces": " ",
    "letters": "a",
    "capitals": "A",
    "semicolons": ";",
    "commas": ",",
    "pipes": "|",
    "dots": ".",
    "newlines": "\n",
    "apostrophes": "'",
}


def texts_with_a_long_run():
    for place, header in PLACES.items():
        yield place, declaration_text(header=header)
    for place, part in LIST_PLACES.items():
        if place == "title":
            yield place, declaration_text(title=part)
        elif place == "body":
            yield place, declaration_text(body=part)
        elif place in {"label", "after-label"}:
            yield place, f"{HEADER}\n\n{TITLE}\n\n{part} Mr Jean DUPONT, France, ALDE\n\n{BODY}"
        elif place == "disclaimer":
            yield place, f"{HEADER}\n\n{TITLE}\n\nMr Jean DUPONT, France, ALDE\n\n{part}\n\n{BODY}"
        else:
            yield place, declaration_text(items=[part])


def parse_time(text):
    """The processor time of this process reading `text`: what a pattern that backtracks
    costs, whatever else the machine runs (these tests guard against time that grows
    exponentially with the text, so their bounds are far above what a reading takes)."""
    start = time.process_time()
    try:
        parse_declaration(text)
    except ParseError as error:
        str(error)
    return time.process_time() - start


@pytest.mark.parametrize("filler", FILLERS.values(), ids=FILLERS.keys())
@pytest.mark.parametrize(
    ("place", "template"),
    list(texts_with_a_long_run()),
    ids=[p for p, _ in texts_with_a_long_run()],
)
def test_a_long_run_of_one_character_anywhere_is_read_in_well_under_a_second(
    place, template, filler
):
    text = template.replace("{}", filler * LONG)
    assert parse_time(text) < 1.0


def test_a_long_header_that_used_to_take_most_of_a_minute_is_refused_at_once():
    text = "Written declaration No. 1 | Doc." + " " * 3_000
    start = time.process_time()
    [problem] = problems_of(text)
    assert time.process_time() - start < 0.1
    assert "expected the header" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "\n\n" + "\n\n".join([TITLE] * (LONG // 4)),
        HEADER + "\n" + (HEADER + "\n") * (LONG // 10),
        f"{HEADER}\n\n{TITLE}\n\n" + "Signatories:\n\n" * (LONG // 10),
        f"{HEADER}\n\n{TITLE}\n\n" + "Mr Jean DUPONT, France, ALDE ;\n\n" * (LONG // 10),
        f"{HEADER}\n\n{TITLE}\n\nSignatories: " + ";\n" * LONG,
        f"{HEADER}\n\n{TITLE}\n\n{' ; '.join(['Mr A BB, France'] * 1_000)}\n\n{BODY}",
        f"{HEADER}\n\n{TITLE}\n\nMr Jean DUPONT, France\n\n" + f"{DISCLAIMER}\n" * (LONG // 10),
    ],
    ids=[
        "many-paragraphs",
        "many-headers",
        "many-labels",
        "many-list-paragraphs",
        "many-empty-items",
        "many-duplicates",
        "many-disclaimers",
    ],
)
def test_many_repeated_parts_are_read_in_well_under_a_second(text):
    assert parse_time(text) < 1.0


def distinct_family_name(number):
    letters = ""
    while True:
        number, letter = divmod(number, 26)
        letters += chr(ord("A") + letter)
        if not number:
            return letters + "SON"


def test_a_list_of_500_signatures_is_read_in_well_under_a_second():
    items = [f"Mr Jean {distinct_family_name(n)}, France, ALDE" for n in range(500)]
    text = declaration_text(items=items)
    start = time.process_time()
    parsed = parse_declaration(text)
    assert time.process_time() - start < 0.25
    assert len(parsed.signatories) == 500
    assert parsed.signatories[-1].family_name == distinct_family_name(499)
