"""The briefing page in a real headless Chromium: click highlighting, no network, screenshots.

Needs the Debian ``chromium`` package and ``pip install playwright`` (its own browser
download is not used). Screenshots go to ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer import Summarizer, load_article
from summarizer.html import briefing_page

from .conftest import ROOT, SAMPLE, SAMPLE_SCRIPT, FakeBackend

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
HIGHLIGHT = re.compile(r"\bhl\b")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install -y chromium"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="playwright is not installed: pip install playwright"),
]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    briefing = Summarizer(FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()}), complete=False).summarize(SAMPLE)
    path = tmp_path_factory.mktemp("html") / "briefing.html"
    path.write_text(briefing_page(briefing, load_article(SAMPLE)), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int, height: int) -> tuple[object, list[str]]:
    """A fresh page at ``url`` and a list that collects script errors and any request beyond the file itself."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(30_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("request", lambda request: request.url != url and problems.append(f"request: {request.url}"))
    page.goto(url)
    return page, problems


def test_clicking_an_item_or_an_actor_highlights_its_evidence_and_links(browser, page_url):
    from playwright.sync_api import expect

    page, problems = open_page(browser, page_url, 1280, 900)

    page.click("#b-m0 .card-title")  # the Varga-Brenner call, cited by sentence 1
    expect(page.locator("#b-s1")).to_have_class(HIGHLIGHT)
    expect(page.locator("#b-s1")).to_have_css("background-color", "rgb(255, 216, 77)")  # --hl, after the fade
    assert page.eval_on_selector_all(".sent.hl", "els => els.map(el => el.id)") == ["b-s1"]
    for actor in ("#b-a0", "#b-a1"):  # Varga and Brenner took part
        expect(page.locator(actor)).to_have_class(HIGHLIGHT)
    expect(page.locator("#b-a6")).not_to_have_class(HIGHLIGHT)
    expect(page.locator(".tl-item[data-key='b-m0']")).to_have_class(HIGHLIGHT)
    expect(page.locator("#selection")).to_be_visible()
    expect(page.locator("#selection .sel-label")).to_have_text("Call: Elena Varga, Tomas Brenner")

    page.click("#b-d0 .card-title")  # a development
    assert page.eval_on_selector_all(".sent.hl", "els => els.map(el => el.id)") == ["b-s3"]

    page.click("#b-a0 .card-title")  # Elena Varga: both meetings and her demand
    for item in ("#b-a0", "#b-m0", "#b-m1", "#b-p0"):
        expect(page.locator(item)).to_have_class(HIGHLIGHT)
    for item in ("#b-d0", "#b-d1", "#b-p1"):
        expect(page.locator(item)).not_to_have_class(HIGHLIGHT)
    assert sorted(page.eval_on_selector_all(".sent.hl", "els => els.map(el => el.id)")) == ["b-s1", "b-s2", "b-s7"]

    page.click("#b-d1 a.chip[data-key='b-a4']")  # an actor chip: the Northern Liberation Front
    expect(page.locator("#b-d1")).to_have_class(HIGHLIGHT)
    expect(page.locator("#b-m0")).not_to_have_class(HIGHLIGHT)

    page.keyboard.press("Escape")
    assert page.eval_on_selector_all(".hl", "els => els.length") == 0
    expect(page.locator("#selection")).to_be_hidden()
    assert problems == []
    page.close()


def test_without_javascript_everything_is_shown_and_evidence_marked(browser, page_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(page_url)
    for key in ("b-a0", "b-m0", "b-m1", "b-d0", "b-d1", "b-p0", "b-p1"):
        assert page.locator(f"#{key}").is_visible()
    assert page.eval_on_selector("#b-s3", "el => getComputedStyle(el).backgroundColor") == "rgb(226, 235, 250)"
    assert page.eval_on_selector("#b-s5", "el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert page.locator("#selection").is_hidden()
    context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_screenshots_at_desktop_and_phone_width(browser, page_url, width, height):
    from playwright.sync_api import expect

    page, problems = open_page(browser, page_url, width, height)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    side_by_side = page.evaluate(
        "() => { const a = document.querySelector('.article-pane').getBoundingClientRect();"
        " const b = document.querySelector('.brief').getBoundingClientRect(); return a.right <= b.left; }")
    assert side_by_side == (width >= 960)
    page.click(".tl-item[data-key='b-m0']")  # show a highlight in the picture
    expect(page.locator("#b-s1")).to_have_css("background-color", "rgb(255, 216, 77)")
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"briefing-{width}.png"))
    assert (ARTIFACTS / f"briefing-{width}.png").stat().st_size > 10_000
    assert problems == []
    page.close()
