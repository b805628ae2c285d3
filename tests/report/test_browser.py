"""The report as a reader sees it: headless Chromium opens the index and every page at 1280 px.

For each page: no console error, no failed request (nothing fetched from outside the folder),
every image loaded and described (alt text), nothing wider than the viewport, every link
resolving inside the report folder, the headline in the first screen, and no temporary path,
traceback or warning text.
Screenshots go to the report folder's ``_checks/`` for a person to look at. Chromium is
Debian's (``.ci/run`` installs it); Playwright drives it through ``executable_path``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT, report_once

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
WIDE = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
  const r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1;
}).map(e => e.tagName + (e.className ? '.' + e.className : '')).slice(0, 5)"""
BROKEN_IMAGES = "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length"
UNDESCRIBED = "Array.from(document.images).filter(i => !i.alt || !i.alt.startsWith('Figure')).length"
LINKS = "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
HEADLINE_TOP = """() => { const h = document.querySelector('.uxcx-headline, h1');
  return h ? h.getBoundingClientRect().top : 1e9; }"""
LEAKS = re.compile(r"/tmp/|ipykernel_|Traceback \(most recent call last\)|\w+Warning:|site-packages")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _check(browser, folder: Path) -> list[str]:
    problems = []
    shots = folder / "_checks"
    shots.mkdir(exist_ok=True)
    for file in sorted(folder.glob("*.html")):
        page = browser.new_page(viewport=VIEWPORT)
        errors, failed = [], []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
        outside = []
        page.route("**/*", lambda route, outside=outside: (
            route.continue_() if route.request.url.startswith("file://")
            else (outside.append(route.request.url), route.abort())))
        page.goto(file.as_uri(), wait_until="load")
        name = file.name
        problems += [f"{name}: console error {e}" for e in errors]
        problems += [f"{name}: request outside the folder {u}" for u in outside]
        problems += [f"{name}: failed request {u}" for u in failed if u not in outside]
        if page.evaluate(BROKEN_IMAGES):
            problems.append(f"{name}: {page.evaluate(BROKEN_IMAGES)} image(s) did not load")
        if page.evaluate(UNDESCRIBED):
            problems.append(f"{name}: {page.evaluate(UNDESCRIBED)} figure(s) without alt text")
        wide = page.evaluate(WIDE)
        if wide:
            problems.append(f"{name}: wider than {VIEWPORT['width']} px: {wide}")
        for href in page.evaluate(LINKS):
            url = urlparse(href)
            target = Path(unquote(url.path))
            inside = url.scheme == "file" and folder.resolve() in target.resolve().parents
            if not inside or not target.exists():
                problems.append(f"{name}: link {href} does not resolve inside the report folder")
        if page.evaluate(HEADLINE_TOP) > VIEWPORT["height"]:
            problems.append(f"{name}: the headline is not in the first screen")
        text = page.inner_text("body")
        leak = LEAKS.search(text)
        if leak:
            problems.append(f"{name}: shows {leak.group(0)!r}")
        page.screenshot(path=str(shots / f"{file.stem}.png"), full_page=True)
        page.close()
    return problems


def test_sample_report_reads_well_in_a_browser(browser, sample_report):
    problems = _check(browser, sample_report.out)
    assert not problems, "\n".join(problems)
    assert len(list((sample_report.out / "_checks").glob("*.png"))) == 7  # the index and six pages


def test_a_small_real_study_reads_well_in_a_browser(browser, tmp_path_factory):
    study = ROOT / "tests" / "studies" / "realdata" / "kastle_sus.yml"
    if not (ROOT.parent / "shared" / "realdata").is_dir():
        pytest.skip("shared real data not found beside the checkout")
    report = report_once(tmp_path_factory, "realdata-kastle_sus", study)  # shared with the realdata tests
    problems = _check(browser, report.out)
    assert not problems, "\n".join(problems)
