"""Measure the accessibility of a built site, page by page, in headless Chromium.

    python -m tools.site_audit [SITE] [--out FOLDER]

``SITE`` is a folder that ``tools/site.py`` built (default ``_build/site``);
the results go to ``FOLDER`` (default ``test-artifacts/a11y``): one JSON file
per page and ``summary.json``, and a table is printed. The site's browser test
(``tests/test_site_browser.py``) runs the same audit on every page under CI
and fails on any violation; this command measures any build, old or new.

For each page it records:

* **axe-core**'s violations of the WCAG 2.0 and 2.1 A and AA rules (the copy
  of axe bundled in the ``axe-playwright-python`` package, injected into the
  page once MathJax has typeset it), and, for information, of its
  best-practice rules;
* the **tab stops**, found by pressing Tab from the top of the page as a
  keyboard user does, each with its element and accessible name, and how many
  come before the first "Show the solution";
* its language, its title and the levels of its headings, in order;
* the **images**, each with its alt text, and whether that text is real
  (present, not empty, and not nbconvert's generic "No description has been
  provided for this image").

It needs the test environment (Playwright and axe-playwright-python) and a
Chromium (:mod:`tools.chromium`: Debian's ``chromium``, or the one
``$CHROMIUM`` names).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from tools.chromium import CHROMIUM, launch, serve
from tools.course import ROOT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GENERIC_ALT = "No description has been provided for this image"
SOLUTION = "Show the solution"
# Only a page that traps the focus would need this many presses.
MAX_TAB_STOPS = 3000

# The element that has the focus, described: its tag, class, role, and the
# accessible name a screen reader would announce, much as the accessible-name
# algorithm computes it: aria-labelledby, aria-label, then (for a link, a
# button, a summary, a formula or a widget role, but never for a bare div)
# its content, then its title. Each element is reported once: null when the
# focus has left the page or come round to an element already seen.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  window.courseTabSeen = window.courseTabSeen || new WeakSet();
  if (window.courseTabSeen.has(e)) return null;
  window.courseTabSeen.add(e);
  const text = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const role = e.getAttribute('role') || '';
  const fromContent = ['A', 'BUTTON', 'SUMMARY', 'MJX-CONTAINER'].includes(e.tagName)
    || ['button', 'link', 'menuitem', 'tab', 'option', 'checkbox', 'radio', 'switch', 'treeitem',
        'heading', 'cell', 'gridcell', 'row', 'tooltip', 'math'].includes(role);
  let name = '';
  const labelledby = e.getAttribute('aria-labelledby');
  if (labelledby) name = labelledby.split(/\\s+/).map(
    (id) => text(document.getElementById(id)?.textContent)).join(' ').trim();
  if (!name) name = text(e.getAttribute('aria-label'));
  if (!name && fromContent) {
    const copy = e.cloneNode(true);
    copy.querySelectorAll('img[alt]').forEach((i) => i.replaceWith(i.alt));
    copy.querySelectorAll('style, script, [aria-hidden=true]').forEach((x) => x.remove());
    name = text(copy.textContent);
  }
  if (!name) name = text(e.getAttribute('title'));
  return {tag: e.tagName.toLowerCase(), id: e.id || '', cls: e.getAttribute('class') || '',
          role: role, name: name.slice(0, 120)};
}"""

# What a page says about itself: its language, its title, its headings' levels in order.
PAGE = """() => ({lang: document.documentElement.lang, title: document.title,
  headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((h) => Number(h.tagName[1]))})"""

IMAGES = """() => Array.from(document.querySelectorAll('img')).map((i) => ({
  alt: i.getAttribute('alt'), src: (i.getAttribute('src') || '').slice(0, 40),
  output: !!i.closest('.jp-OutputArea-output')}))"""


def real_alt(alt):
    """Whether an image's alt text describes it: present, not blank, not nbconvert's generic one."""
    return bool(alt and alt.strip() and alt.strip() != GENERIC_ALT)


def wait_for_maths(page):
    """Wait until MathJax (if the page loads it) has typeset the page."""
    page.wait_for_function("() => !document.getElementById('MathJax-script')"
                           " || (window.MathJax && MathJax.startup && MathJax.startup.promise)")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")


def axe_results(page):
    """axe-core's violations on the loaded ``page``: (WCAG A/AA ones, best-practice ones)."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS + ["best-practice"]},
               "resultTypes": ["violations"]}
    results = page.evaluate("(options) => axe.run(document, options)", options)
    wcag = [v for v in results["violations"] if set(v["tags"]) & set(WCAG_TAGS)]
    other = [v for v in results["violations"] if not set(v["tags"]) & set(WCAG_TAGS)]
    return wcag, other, results["testEngine"]["version"]


def tab_stops(page):
    """Every element Tab reaches from the top of ``page``, in order, each once."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break  # past the last stop (the focus left the page), or round to the first again
        stops.append(focused)
    return stops


def before_first_solution(stops):
    """How many tab stops come before the first "Show the solution" (None: no solution on the page)."""
    for index, stop in enumerate(stops):
        if stop["name"].startswith(SOLUTION):
            return index
    return None


def unnamed(stops):
    """The tab stops a screen reader would announce with no name."""
    return [s for s in stops if not s["name"]]


def audit_page(browser, url):
    """Load ``url`` in a new tab and audit it: a dict of what was found."""
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")
        wait_for_maths(page)
        wcag, other, version = axe_results(page)
        facts = page.evaluate(PAGE)
        images = page.evaluate(IMAGES)
        stops = tab_stops(page)
    finally:
        page.close()
    return {
        "url": url,
        **facts,
        "axe_version": version,
        "violations": wcag,
        "best_practice": other,
        "elements": sum(len(v["nodes"]) for v in wcag),
        "rules": sorted({v["id"] for v in wcag}),
        "images": images,
        "images_with_real_alt": sum(real_alt(i["alt"]) for i in images),
        "tab_stops": stops,
        "unnamed_tab_stops": len(unnamed(stops)),
        "tab_stops_before_first_solution": before_first_solution(stops),
    }


def artifact_name(page_path):
    """A flat file name for a page's results: ``assignments/a1/a1.html`` -> ``assignments__a1__a1.json``."""
    return page_path.replace("/", "__").removesuffix(".html") + ".json"


def write_page(out, page_path, result):
    out.mkdir(parents=True, exist_ok=True)
    (out / artifact_name(page_path)).write_text(json.dumps(result, indent=1), encoding="utf-8")


def summarise(results):
    """The site's totals from {page path: audit_page result}."""
    failing = {p: r["rules"] for p, r in results.items() if r["violations"]}
    rules = {}
    for r in results.values():
        for v in r["violations"]:
            rules[v["id"]] = rules.get(v["id"], 0) + len(v["nodes"])
    solutions = {p: r["tab_stops_before_first_solution"] for p, r in results.items()
                 if r["tab_stops_before_first_solution"] is not None}
    return {
        "axe_version": next(iter(results.values()))["axe_version"] if results else None,
        "rule_tags": WCAG_TAGS,
        "pages": len(results),
        "pages_failing": len(failing),
        "elements": sum(r["elements"] for r in results.values()),
        "elements_by_rule": rules,
        "best_practice_elements": sum(len(v["nodes"]) for r in results.values() for v in r["best_practice"]),
        "images": sum(len(r["images"]) for r in results.values()),
        "images_with_real_alt": sum(r["images_with_real_alt"] for r in results.values()),
        "tab_stops": sum(len(r["tab_stops"]) for r in results.values()),
        "unnamed_tab_stops": sum(r["unnamed_tab_stops"] for r in results.values()),
        "tab_stops_before_first_solution": solutions,
        "failing_pages": failing,
    }


def write_summary(out, results):
    summary = summarise(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def report(summary):
    """The summary as lines of text."""
    stops = summary["tab_stops_before_first_solution"]
    span = f"{min(stops.values())}–{max(stops.values())} (on {len(stops)} pages)" if stops else "no solution"
    return "\n".join([
        f"axe-core {summary['axe_version']}, rules tagged {', '.join(summary['rule_tags'])}",
        f"pages failing: {summary['pages_failing']} of {summary['pages']}",
        f"elements in violation: {summary['elements']} "
        + (str(summary["elements_by_rule"]) if summary["elements_by_rule"] else ""),
        f"best-practice elements: {summary['best_practice_elements']}",
        f"images with real alt text: {summary['images_with_real_alt']} of {summary['images']}",
        f"tab stops: {summary['tab_stops']}, unnamed: {summary['unnamed_tab_stops']}",
        f"tab stops before the first '{SOLUTION}': {span}",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "a11y")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        parser.error("no Chromium found: install Debian's chromium, or set $CHROMIUM")
    page_paths = sorted(p.relative_to(args.site).as_posix() for p in args.site.rglob("*.html")
                        if "_static" not in p.parts and "files" not in p.relative_to(args.site).parts[:1])
    if args.out.exists():
        shutil.rmtree(args.out)
    results = {}
    with serve(args.site) as base, sync_playwright() as playwright:
        chromium = launch(playwright)
        for page_path in page_paths:
            results[page_path] = audit_page(chromium, base + page_path)
            write_page(args.out, page_path, results[page_path])
            r = results[page_path]
            print(f"{page_path}: {r['elements']} elements {r['rules']}, {len(r['tab_stops'])} tab stops "
                  f"({r['unnamed_tab_stops']} unnamed), first solution after "
                  f"{r['tab_stops_before_first_solution']}, real alt {r['images_with_real_alt']}/{len(r['images'])}",
                  flush=True)
        chromium.close()
    print(report(write_summary(args.out, results)))
    print(f"results in {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
