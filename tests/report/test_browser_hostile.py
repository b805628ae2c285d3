"""Labels a respondent or a tool can write are shown as text and never run in a shared page.

The sample study is copied with its designs, tasks, devices, regions and plans renamed to
script payloads (``<script>``, ``<img onerror>``, ``<svg onload>``, a ``javascript:`` link
in Markdown syntax, an inline handler) and a hostile study title and unmapped header. The
whole report runs, and headless Chromium opens every page with a trap that records any
script from the data that runs (dialogs, and a global the payloads set). Every page must
load with nothing run, and the labels must be readable as text on the pages that show them.
"""

from __future__ import annotations

import csv

import pytest
from test_browser import ARGS, CHROMIUM, VIEWPORT

from conftest import ROOT, report_once

PAYLOADS = {
    "Redesign": "<script>window.__pwned=1;alert('design')</script>",
    "Checkout": "<img src=x onerror=\"window.__pwned=2\">",
    "Mobile": "[tap](javascript:window.__pwned=3)",
    "North": "<svg onload=\"window.__pwned=4\">",
    "Basic": "<b onmouseover=\"window.__pwned=5\" style=\"display:block;width:9999px\">Basic</b>",
    "Desktop": "\"><iframe src=\"javascript:window.top.__pwned=6\"></iframe>",
}
TRAP = "window.__dialogs = []; window.alert = m => window.__dialogs.push(String(m));"


def _hostile_copy(folder):
    sample = ROOT / "data" / "sample"
    for name in ("usability.csv", "questionnaire.csv", "survey.csv", "customers.csv"):
        with open(sample / name, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        body = [[PAYLOADS.get(cell, cell) for cell in row] for row in rows[1:]]
        header = rows[0] + (["<script>window.__pwned=7</script>"] if name == "customers.csv" else [])
        body = [row + (["x"] if name == "customers.csv" else []) for row in body]
        with open(folder / name, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([header] + body)
    text = (sample / "study.yml").read_text(encoding="utf-8")
    text = text.replace("name: sample", "name: hostile", 1)
    text = text.replace("  path: events/", f"  path: {sample / 'events'}/", 1)  # the log, as it is
    text = text.replace("title: Checkout redesign benchmark and customer survey (synthetic sample)",
                        "title: \"<img src=x onerror=window.__pwned=8> study\"", 1)
    (folder / "study.yml").write_text(text, encoding="utf-8")
    return folder / "study.yml"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-study")
    return report_once(tmp_path_factory, "hostile-labels", _hostile_copy(folder))


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def test_every_notebook_of_the_hostile_study_ran(hostile_report):
    assert {name: r["status"] for name, r in hostile_report.runs.items()} == {
        "00_data_quality": "ok", "01_usability": "ok", "02_customer_experience": "ok",
        "03_ux_to_cx": "ok", "04_retention": "ok", "05_behaviour": "ok"}


def test_no_script_from_the_data_runs_and_labels_read_as_text(browser, hostile_report):
    ran, shown = [], set()
    pages = sorted(hostile_report.out.glob("*.html"))
    assert len(pages) == 7
    for file in pages:
        page = browser.new_page(viewport=VIEWPORT)
        page.add_init_script(TRAP)
        dialogs = []
        page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        page.goto(file.as_uri(), wait_until="load")
        for link in page.query_selector_all("a[href^='javascript:'], iframe[src^='javascript:']"):
            ran.append(f"{file.name}: live javascript: element {link.evaluate('e => e.outerHTML')[:80]}")
        page.mouse.move(200, 300)  # an inline mouseover handler would fire here
        flag = page.evaluate("window.__pwned || window.top.__pwned || 0")
        calls = page.evaluate("window.__dialogs")
        if flag or calls or dialogs:
            ran.append(f"{file.name}: script from the data ran (flag {flag}, alerts {calls + dialogs})")
        text = page.inner_text("body")
        shown |= {label for label in PAYLOADS.values() if label in text}
        page.close()
    assert not ran, "\n".join(ran)
    # the design, task and segment labels are printed as the respondent wrote them
    assert {PAYLOADS["Redesign"], PAYLOADS["North"], PAYLOADS["Basic"]} <= shown


def test_no_page_holds_a_live_tag_from_the_data(hostile_report):
    for file in hostile_report.out.glob("*.html"):
        page = file.read_text(encoding="utf-8")
        for needle in ("<script>window.__pwned", "<img src=x onerror", "<svg onload", "<b onmouseover",
                       "href=\"javascript:", "<iframe src=\"javascript:"):
            assert needle not in page, f"{file.name} holds {needle!r} unescaped"


def test_no_file_of_the_report_holds_the_pseudonym_key(hostile_report):
    from uxcx.io.secrets import known_secrets

    keys = known_secrets()
    assert keys, "the session's key file should exist once a study with customer ids was loaded"
    for file in hostile_report.out.rglob("*"):
        if file.is_file():
            text = file.read_text(encoding="utf-8", errors="replace")
            assert not [k for k in keys if k in text], f"{file.name} holds the pseudonym key"
