"""A curator imports the demo declaration through the admin page, in Chromium."""

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User

from signatories.models import Declaration

from .conftest import restore_pace_groups
from .curation import DEMO_TEXT, make_curator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def ensure_curators():
    """The Curators group as its data migration makes it: a transactional test empties every
    table, and the permissions and groups with them."""
    for label in ["contenttypes", "auth", "signatories", "prisoners"]:
        create_permissions(apps.get_app_config(label), verbosity=0)
    group, _created = Group.objects.get_or_create(name="Curators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["signatories", "prisoners"])
    )


@pytest.fixture(scope="module", autouse=True)
def _curators_after_the_module(django_db_setup, django_db_blocker):
    """Leave the Curators group and the PACE groups for the tests that run next."""
    yield
    with django_db_blocker.unblock():
        ensure_curators()
        restore_pace_groups()


@pytest.fixture
def curator_site(site):
    ensure_curators()
    return site


def test_a_curator_pastes_previews_and_confirms_a_declaration(curator_site, page):
    site = curator_site
    make_curator()
    page.goto(site.url + "/admin/login/?next=/admin/signatories/declaration/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("x")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/signatories/declaration/")
    page.get_by_role("link", name="Import from text").click()
    page.get_by_label("Text of the declaration").fill(DEMO_TEXT)
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Preview: nothing is written until you confirm").wait_for()
    assert page.get_by_role("cell", name="new signatory").count() == 25
    assert not Declaration.objects.exists()

    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_url("**/change/")
    assert page.get_by_text("was imported with 25 signatures").is_visible()
    declaration = Declaration.objects.get(number=695)
    assert declaration.signatures.count() == 25

    page.goto(site.url + "/declarations/695/")
    assert (
        "mass arrests and political prosecution"
        in page.get_by_role("heading", level=1).inner_text()
    )
    assert page.get_by_role("row", name="Boriana ÅBERG").is_visible()
    assert User.objects.get(username="curator") == declaration.history.last().history_user


WCAG_A_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}], ids=["1280", "360"]
)
def test_the_import_preview_is_readable_and_fits_the_screen(curator_site, page, viewport):
    from axe_playwright_python.sync_playwright import Axe

    site = curator_site
    make_curator()
    page.set_viewport_size(viewport)
    page.goto(site.url + "/admin/login/?next=/admin/signatories/declaration/import/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("x")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Text of the declaration").fill(DEMO_TEXT)
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Preview: nothing is written until you confirm").wait_for()
    assert page.get_by_text("(25 new signatories, 0 matched)").is_visible()
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width
    results = Axe().run(page, options=WCAG_A_AA)
    found = [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
    ]
    assert found == []
