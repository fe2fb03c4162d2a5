"""The public site in Chromium: the filter form, following links, small screens, accessibility.

Screenshots of the declaration page and the signatory list, at desktop width and at 360 px,
are written to /tmp/screens/ for a human to look at.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .factories import load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Whitenoise warns that `collectstatic` has not run; the tests serve static files as they are.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# Written for people to look at; nothing reads them back.
SCREENS = Path("/tmp/screens")  # noqa: S108
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# One of each kind of page.
PAGES = [
    "/",
    "/declarations/",
    "/declarations/695/",
    "/signatories/",
    "/signatories/?country=it&group=soc",
    "/signatories/?country=ZZ",
    "/signatories/thorhildur-sunna-aevarsdottir/",
    "/groups/",
    "/groups/ec-da/",
    "/countries/",
    "/countries/gb/",
    "/detainees/",
    "/detainees/iskander-yerimbetov/",
    "/search/?q=bokayev",
    "/search/?q=a",
    "/no-such-page/",
]

WCAG_A_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def row_names(page):
    return [
        " ".join(text.split()) for text in page.locator("tbody th[scope=row]").all_inner_texts()
    ]


def test_signatory_form_filters_by_country_and_group(site, page):
    load_demo()
    page.goto(site.url + "/signatories/")
    page.get_by_role("group", name="Country").get_by_label("Italy").check()
    page.get_by_role("group", name="Political group").get_by_label("SOC").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"country=it.*group=soc"))
    assert row_names(page) == ["Marina BERLINGHIERI", "Roberto RAMPI"]
    assert page.get_by_text("2 signatories match").is_visible()
    assert page.get_by_role("group", name="Country").get_by_label("Italy").is_checked()


def test_following_a_signatory_to_a_declaration_to_a_detainee(site, page):
    load_demo()
    page.goto(site.url + "/signatories/")
    page.get_by_role("link", name="Boriana ÅBERG").click()
    page.wait_for_url("**/signatories/boriana-aberg/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Boriana ÅBERG")
    page.get_by_role("link", name=re.compile("mass arrests and political prosecution")).click()
    page.wait_for_url("**/declarations/695/")
    assert page.get_by_text("This written declaration commits only those who have signed it.")
    page.get_by_role("link", name="Maks Bokayev").click()
    page.wait_for_url("**/detainees/maks-bokayev/")
    assert page.get_by_role("heading", level=1).inner_text() == "Maks Bokayev"
    assert page.get_by_role("cell", name="Maks Bokayev").is_visible()


def test_skip_link_is_the_first_stop_and_leads_to_the_content(site, page):
    load_demo()
    page.goto(site.url + "/declarations/695/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_kind_of_page_fits_a_360_pixel_screen(site, page):
    load_demo()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in PAGES:
        page.goto(site.url + path)
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide[path] = scroll_width
    assert too_wide == {}


def test_screenshots_of_the_declaration_and_the_signatory_list(site, page, record_property):
    load_demo()
    SCREENS.mkdir(parents=True, exist_ok=True)
    for name, size in [("desktop", DESKTOP), ("360", PHONE)]:
        page.set_viewport_size(size)
        for kind, path in [("declaration", "/declarations/695/"), ("signatories", "/signatories/")]:
            page.goto(site.url + path)
            target = SCREENS / f"{kind}-{name}.png"
            page.screenshot(path=target, full_page=True)
            assert target.stat().st_size > 10_000
            record_property("screenshot", str(target))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
def test_no_wcag_a_or_aa_violations_on_any_kind_of_page(site, page, viewport):
    load_demo()
    page.set_viewport_size(viewport)
    axe = Axe()
    found = {}
    for path in PAGES:
        page.goto(site.url + path)
        results = axe.run(page, options=WCAG_A_AA)
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.setdefault(path, []).append(f"{violation['id']}: {targets}")
    assert found == {}


def test_on_a_phone_the_results_come_first_and_the_filters_fold_into_a_panel(site, page):
    load_demo()
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/signatories/?country=it")
    results = page.locator(".results").bounding_box()
    summary = page.locator("summary", has_text="Filters")
    assert summary.bounding_box()["y"] > results["y"]
    apply = page.get_by_role("button", name="Apply filters")
    assert not apply.is_visible()
    summary.click()
    assert apply.is_visible()
    page.get_by_role("group", name="Political group").get_by_label("SOC").check()
    apply.click()
    page.wait_for_url(re.compile(r"country=it.*group=soc"))
    assert row_names(page) == ["Marina BERLINGHIERI", "Roberto RAMPI"]


def test_on_a_wide_screen_the_filters_stand_left_of_the_results_unfolded(site, page):
    load_demo()
    page.set_viewport_size(DESKTOP)
    page.goto(site.url + "/signatories/")
    form = page.locator("form.filters").bounding_box()
    results = page.locator(".results").bounding_box()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    assert form["x"] + form["width"] <= results["x"]
    assert not page.locator("summary", has_text="Filters").is_visible()


def test_a_checked_country_shows_in_its_facet_without_scrolling(site, page):
    load_demo()
    page.goto(site.url + "/signatories/?country=gb")
    box = page.locator(".facet__options").first.bounding_box()
    checked = page.get_by_role("group", name="Country").get_by_label("United Kingdom")
    assert checked.is_checked()
    option = checked.bounding_box()
    assert box["y"] <= option["y"] and option["y"] + option["height"] <= box["y"] + box["height"]


def test_removing_a_chip_keeps_the_other_filters(site, page):
    load_demo()
    page.goto(site.url + "/signatories/?country=it&group=soc")
    assert page.title().startswith("Signatories — Italy, SOC")
    page.get_by_role("link", name="remove Political group: SOC").click()
    page.wait_for_url("**/signatories/?country=it")
    assert page.get_by_role("heading", level=1).inner_text() == "Signatories — Italy"


def test_the_api_docs_fit_a_360_pixel_screen_without_raw_markdown(site, page):
    load_demo()
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/api/docs/")
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width
    # Each parameter stacks as a block: no table is wider than the screen, even inside its box.
    widths = page.eval_on_selector_all(
        ".api-parameters", "tables => tables.map(table => table.scrollWidth)"
    )
    assert widths and max(widths) <= client_width
    label = page.locator(".api-parameters td[data-label]").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"In: "'
    assert "`" not in page.locator("main").inner_text()
    assert page.get_by_role("listitem").filter(has_text="detained - Detained").count() == 1
    results = Axe().run(page, options=WCAG_A_AA)
    assert [violation["id"] for violation in results.response["violations"]] == []
