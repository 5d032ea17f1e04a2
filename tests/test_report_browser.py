"""``report.html`` opened in headless Chromium (Debian's package): every chart renders.

``make test`` installs Debian's ``chromium`` first (``make browser``); Playwright
drives it, so nothing is downloaded. The page must ask for nothing over the
network. The full-page screenshot is kept as ``out/test-artifacts/report.png``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parents[1] / "out" / "test-artifacts"
#: Flags a root user on a closed network needs (see the tool library's machine notes).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BAR_BLUE = (0x2F, 0x6D, 0xB5)


def _pixels_near(png: bytes, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for pixel in image.getdata()
               if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True)))


@pytest.fixture(scope="module")
def page(demo_run):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.outside_requests = []
        tab.console_errors = []
        tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
        tab.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith("file://")
                  else (tab.outside_requests.append(route.request.url), route.abort()))
        tab.goto((demo_run / "report.html").as_uri())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        yield tab
        browser.close()


def test_page_loads_offline_without_errors(page):
    assert page.title().startswith("Kiyome run report")
    assert page.outside_requests == []
    assert page.console_errors == []
    assert (ARTIFACTS / "report.png").stat().st_size > 50_000


def test_every_chart_renders_with_its_bars(page):
    figures = page.query_selector_all("figure.chart")
    assert [f.get_attribute("data-chart") for f in figures] == [
        "funnel", "drop_reasons", "languages", "lengths", "duplicate_clusters", "pii",
        "stage_time"]
    for figure in figures:
        name = figure.get_attribute("data-chart")
        box = figure.query_selector("svg").bounding_box()
        assert box["width"] > 400 and box["height"] > 120, name
        labels = figure.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)")
        assert any(label.strip() for label in labels), f"{name}: no axis text rendered"
        png = figure.screenshot()
        if name not in ("drop_reasons", "stage_time"):  # red and grey bars
            assert _pixels_near(png, BAR_BLUE) > 300, f"{name}: no bars painted"


def test_funnel_chart_labels_every_stage(page):
    labels = page.eval_on_selector_all("#chart-funnel svg text",
                                       "els => els.map(e => e.textContent.trim())")
    for stage in ("input", "normalize", "langid", "dedup", "pii"):
        assert stage in labels
    assert "37" in labels  # the bar of documents written carries its value
