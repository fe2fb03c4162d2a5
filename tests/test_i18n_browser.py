"""The French site in Chromium: the language switch, small screens, accessibility.

A screenshot of the French declaration page is written to /tmp/screens/ for a human to look at.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .factories import load_demo
from .test_browser import PHONE, WCAG_A_AA

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

SCREENS = Path("/tmp/screens")  # noqa: S108

FRENCH_PAGES = [
    "/fr/",
    "/fr/declarations/",
    "/fr/declarations/695/",
    "/fr/signatories/?country=it&group=soc",
    "/fr/signatories/thorhildur-sunna-aevarsdottir/",
    "/fr/groups/",
    "/fr/groups/ec-da/",
    "/fr/countries/",
    "/fr/detainees/iskander-yerimbetov/",
    "/fr/search/?q=bokayev",
    "/fr/no-such-page/",
]


def test_the_language_switch_keeps_the_page_and_its_filters(site, page):
    load_demo()
    page.goto(site.url + "/signatories/?country=it&group=soc")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/signatories/\?country=it&group=soc$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("2 signataires correspondent").is_visible()
    assert page.get_by_role("group", name="Pays").get_by_label("Italie").is_checked()
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/signatories/\?country=it&group=soc$"))
    assert page.get_by_text("2 signatories match").is_visible()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "360px"]
)
def test_french_pages_fit_small_screens_and_have_no_wcag_violations(
    site, page, viewport, record_property
):
    load_demo()
    page.set_viewport_size(viewport)
    axe = Axe()
    found, too_wide = {}, {}
    for path in FRENCH_PAGES:
        page.goto(site.url + path)
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide[path] = scroll_width
        for violation in axe.run(page, options=WCAG_A_AA).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.setdefault(path, []).append(f"{violation['id']}: {targets}")
    assert too_wide == {}
    assert found == {}
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.goto(site.url + "/fr/declarations/695/")
    target = SCREENS / f"declaration-fr-{viewport['width']}.png"
    page.screenshot(path=target, full_page=True)
    assert target.stat().st_size > 10_000
    record_property("screenshot", str(target))
