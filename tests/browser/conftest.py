"""Browser tier: pages driven in headless Chromium through Playwright for Python.

Debian's ``chromium`` is the browser (``PLAYWRIGHT_CHROMIUM`` overrides the path); Playwright's
own browser download does not work on these machines, so we never call it. Without Chromium the
tier skips with a loud reason on a laptop and fails under ``CI=true`` (``.ci/run`` installs it).

Every page a test opens is watched: a Content-Security-Policy violation or a JavaScript error on
the page fails the test, so a page that only works with ``unsafe-inline`` cannot pass here.
Screenshots go to ``var/screenshots/`` for a person to look at (``SCREENSHOTS_DIR`` elsewhere:
``make screenshots`` refreshes the ones in ``docs/images/``).
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.assessments.conftest import (  # noqa: F401  (the exam fixtures the API tests use)
    _fixed_attempt_seed,
    ap_version,
    certification,
    exam,
)
from tests.candidates.conftest import practice_version  # noqa: F401  (the practice pack fixture)

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR") or Path(__file__).resolve().parents[2] / "var" / "screenshots"
)


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    if not browser_items or Path(CHROMIUM).exists():
        return
    problem = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but the browser tier cannot run: {problem}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"BROWSER TIER NOT RUN: {problem}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and the tests' fixtures write
    # rows from it: Django must allow that, but only while the browser tier runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems(list):
    """CSP violations and page errors seen while a test ran."""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=live_server.url)
    # Generous ceilings: a loaded 2-core machine is slow, and a timeout is not what we test.
    context.set_default_timeout(60_000)
    expect.set_options(timeout=15_000)
    page = context.new_page()
    problems = PageProblems()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            problems.append(f"CSP: {text}")

    page.on("console", on_console)
    page.problems = problems
    yield page
    context.close()
    assert not problems, "the page broke its Content-Security-Policy or threw: " + "; ".join(
        problems
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
