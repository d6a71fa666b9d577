"""The HTML brief in a real browser (headless Chromium driven by selenium), at a desktop
width and a phone width: a centred column of readable width, no sideways scrolling on
the phone, the marking visible at the top and at the bottom, the estimates stacked.
Screenshots of each width are written beside the page, for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen import pipeline
from conftest import REPO

SAMPLE = REPO / "sources" / "nk-russia" / "2025-W08.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Chromium is not installed (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    options = pipeline.BuildOptions(output=out, formats=["html"], force=True)
    (html,) = pipeline.build([SAMPLE], options).written
    return html


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--hide-scrollbars")
    driver = webdriver.Chrome(service=webdriver.ChromeService(str(DRIVER)), options=options)
    yield driver
    driver.quit()


def show(browser: webdriver.Chrome, page: Path, width: int) -> None:
    """The page in a window whose viewport is `width` CSS px wide, a screenshot saved."""
    browser.set_window_size(width, 900)
    inner = browser.execute_script("return window.innerWidth")
    browser.set_window_size(width + (width - inner), 900)
    browser.get(page.as_uri())
    assert browser.execute_script("return window.innerWidth") == width
    browser.save_screenshot(str(page.with_name(f"{page.stem}-{width}.png")))


def visible_at(browser: webdriver.Chrome, selector: str) -> dict[str, float]:
    """The element's box after scrolling it into view, and whether it lies in the window."""
    return browser.execute_script(
        """const el = document.querySelector(arguments[0]);
        el.scrollIntoView();
        const r = el.getBoundingClientRect(), s = getComputedStyle(el);
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                height: r.height, shown: s.display !== 'none' && s.visibility !== 'hidden',
                text: el.innerText, inside: r.top >= 0 && r.bottom <= window.innerHeight};""",
        selector,
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_marking_is_visible_at_top_and_bottom(browser, page: Path, width: int) -> None:
    show(browser, page, width)
    for where in ("#marking-top", "#marking-bottom"):
        box = visible_at(browser, where)
        assert box["shown"] and box["height"] > 0 and box["inside"], where
        assert box["text"] == "UNCLASSIFIED"
    top = browser.execute_script("return document.querySelector('#marking-top').offsetTop")
    body = browser.execute_script("return document.body.scrollHeight")
    bottom = browser.execute_script("return document.querySelector('#marking-bottom').offsetTop")
    assert top < 100 and bottom > body - 200
    # the running head and foot are for paper: in the window the marking shows twice only
    shown = browser.execute_script(
        """return [...document.querySelectorAll('.marking')]
           .filter(el => el.getClientRects().length).length"""
    )
    assert shown == 2


def test_no_sideways_scrolling_on_a_phone(browser, page: Path) -> None:
    show(browser, page, 390)
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390
    # the estimates stack: each cell a line of its own, labelled, inside the window
    cell = visible_at(browser, "table.estimates tbody td.date")
    assert cell["right"] <= 390 and cell["left"] >= 0
    label = browser.execute_script(
        """return getComputedStyle(document.querySelector('table.estimates tbody td.date'),
                                   '::before').content"""
    )
    assert "As of" in label


def test_a_centred_reading_column_on_a_desktop(browser, page: Path) -> None:
    show(browser, page, 1280)
    body = browser.execute_script(
        """const r = document.body.getBoundingClientRect();
        const li = [...document.querySelectorAll('#situation li')]
          .sort((a, b) => b.innerText.length - a.innerText.length)[0];
        const perLine = {}, walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode())
          for (let i = 0; i < n.length; i++) {
            const range = document.createRange();
            range.setStart(n, i); range.setEnd(n, i + 1);
            const box = range.getClientRects()[0];
            if (box) perLine[Math.round(box.bottom)] = (perLine[Math.round(box.bottom)] || 0) + 1;
          }
        const chart = document.querySelector('figure.chart img');
        return {left: r.left, right: r.right, size: parseFloat(getComputedStyle(li).fontSize),
                chars: Math.max(...Object.values(perLine)),
                chart: chart ? chart.getBoundingClientRect().width : 0};"""
    )
    assert abs(body["left"] - (1280 - body["right"])) <= 2  # centred
    assert body["size"] >= 16  # the browser's text size, not print points
    assert body["chars"] <= 80  # the longest line of the longest item: not 200
    assert 0 < body["chart"] <= 640  # charts capped, their labels near the text's size


@pytest.mark.parametrize("width", [1280, 800])
def test_no_reading_runs_into_the_next_column_on_screen(browser, page: Path, width: int) -> None:
    """A reading is kept on one line ("≈ 10,000" never breaks after its sign), so the
    screen's columns must leave it room: "4,000 (high end)" and "≥ $200,000,000" ran into
    the estimator's name at a desktop's width."""
    show(browser, page, width)
    over = browser.execute_script(
        """return [...document.querySelectorAll('table.estimates td .reading')].filter(el => {
            const td = el.closest('td'), pad = parseFloat(getComputedStyle(td).paddingRight);
            return el.getBoundingClientRect().right > td.getBoundingClientRect().right - pad + 0.5;
        }).map(el => el.innerText)"""
    )
    assert not over, over
