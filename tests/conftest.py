import os
import shutil

import pytest

from .factories import load_demo

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def demo(db):
    """The demo data: written declaration No. 695, published, with its nine detainees."""
    return load_demo()


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium. Without it they are skipped, unless
    DW_REQUIRE_BROWSER is set (as CI sets it), in which case the run fails."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("DW_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"DW_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
