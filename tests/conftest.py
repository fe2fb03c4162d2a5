import os
import shutil

import pytest

from .factories import load_demo

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def demo(db):
    """The demo data: written declaration No. 695, published, with its nine detainees."""
    return load_demo()


_browser_tests = {"collected": 0, "passed": 0}


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium. Without it they are skipped, unless
    DW_REQUIRE_BROWSER is set (as CI sets it), in which case the run fails."""
    _browser_tests["collected"] = sum("browser" in item.keywords for item in items)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("DW_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"DW_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _browser_tests["passed"] += 1


def pytest_sessionfinish(session, exitstatus):
    """With DW_REQUIRE_BROWSER, a run whose browser tests did not all pass fails."""
    if not os.environ.get("DW_REQUIRE_BROWSER") or session.config.option.collectonly:
        return
    if _browser_tests["passed"] < max(_browser_tests["collected"], 1):
        session.config.get_terminal_writer().line(
            f"\nDW_REQUIRE_BROWSER: {_browser_tests['passed']} of "
            f"{_browser_tests['collected']} browser tests passed; failing the run.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
