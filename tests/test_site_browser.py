"""The rendered site, opened page by page in headless Chromium.

The site is built once (``tools/site.py``, as ``make site`` does) into a
temporary folder and served on the loopback interface. Every page must load
with no error in the console and no request leaving the machine, show every
figure its notebook stores, have no internal link that leads nowhere, and
render its maths with the site's own MathJax. Like every browser test, this
runs whenever CI is set and skips elsewhere, saying how to enable it.
"""

import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
import pytest

from browser import browser, free_port  # noqa: F401  (browser is a fixture)
from tools.site import build, pages

ROOT = Path(__file__).resolve().parent.parent
PAGES = pages(ROOT)
MATH = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[")


def has_maths(source):
    """Whether a page's markdown holds TeX ($...$, $$...$$, \\(...\\) or \\[...\\])."""
    if source.suffix == ".md":
        texts = [source.read_text(encoding="utf-8")]
    else:
        nb = nbformat.read(source, as_version=4)
        texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    # Code spans and fences are not maths.
    return any(MATH.search(re.sub(r"```.*?```|`[^`]*`", "", t, flags=re.S)) for t in texts)


def stored_solutions(source):
    """How many solutions (code cells tagged ``solution``) a notebook stores."""
    if source.suffix != ".ipynb":
        return 0
    nb = nbformat.read(source, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and "solution" in c.metadata.get("tags", []))


def stored_figures(source):
    """How many images a notebook stores in its outputs."""
    if source.suffix != ".ipynb":
        return 0
    nb = nbformat.read(source, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if any(k.startswith("image/") for k in o.get("data", {})))


class Ids(HTMLParser):
    """The ids (anchor targets) of an HTML page."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):  # noqa: F811  (asking for browser first skips early)
    """The site, built into a temporary folder and served on 127.0.0.1: its base URL."""
    out = tmp_path_factory.mktemp("site")
    written, problems = build(out, ROOT)
    assert not problems, "the site build found broken links: " + "; ".join(problems)
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(out))  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{server.server_port}/", "out": out, "pages": written}
    server.shutdown()
    server.server_close()


def test_every_source_became_a_page(site):
    assert sorted(site["pages"]) == sorted(PAGES.values())
    assert site["pages"][0] == "index.html", "the contents must be the home page"


def test_at_least_one_page_has_maths():
    assert any(has_maths(source) for source in PAGES), "no page has maths: the maths check tests nothing"


@pytest.mark.parametrize("source", list(PAGES), ids=list(PAGES.values()))
def test_page_loads_with_figures_links_and_maths(site, browser, source):  # noqa: F811
    page_path = PAGES[source]
    url = site["base"] + page_path
    errors, outside = [], []
    page = browser.new_page()
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: outside.append(r.url)
            if r.url.startswith(("http:", "https:")) and not r.url.startswith(site["base"]) else None)
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{page_path} did not load"
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")

        # Figures: every image has loaded, and none the notebook stores is missing.
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => ({src: e.src.slice(0, 60), ok: e.complete && e.naturalWidth > 0}))")
        broken = [i["src"] for i in images if not i["ok"]]
        assert not broken, f"{page_path}: images that did not load: {broken}"
        shown = page.locator(".jp-OutputArea-output img").count()
        assert shown >= stored_figures(source), (
            f"{page_path} shows {shown} figures, its notebook stores {stored_figures(source)}")

        # Maths: typeset by MathJax, no TeX error, no raw TeX left in the prose.
        typeset = page.locator("mjx-container").count()
        assert page.locator("mjx-merror").count() == 0, f"{page_path}: MathJax reports a TeX error"
        if has_maths(source):
            assert typeset > 0, f"{page_path} has maths in its markdown, but MathJax typeset none"
        prose = page.eval_on_selector_all(
            ".jp-RenderedMarkdown",
            "els => els.map(e => { const c = e.cloneNode(true);"
            " c.querySelectorAll('code, pre, mjx-container, mjx-assistive-mml').forEach(x => x.remove());"
            " return c.textContent; }).join('\\n')")
        raw = MATH.findall(prose)
        assert not raw, f"{page_path}: raw TeX left untypeset: {raw[:3]}"

        # Solutions: nothing of one, code or output, shows until it is opened;
        # opening it shows its code and its output.
        solutions = page.locator("details.course-hidden-cell")
        assert solutions.count() == stored_solutions(source), (
            f"{page_path} hides {solutions.count()} solutions, its notebook stores {stored_solutions(source)}")
        shown = page.evaluate(
            "() => [...document.querySelectorAll('details.course-hidden-cell')].map(d =>"
            "  [...d.querySelectorAll('.jp-InputArea, .jp-OutputArea, img')]"
            "    .filter(e => e.checkVisibility()).length)")
        assert not any(shown), f"{page_path}: a solution shows before it is opened: {shown}"
        for i in range(solutions.count()):
            solution = solutions.nth(i)
            solution.locator("summary").click()
            assert solution.locator(".jp-InputArea").first.is_visible(), f"{page_path}: solution {i} opens empty"
            if solution.locator(".jp-OutputArea-output").count():
                assert solution.locator(".jp-OutputArea-output").first.is_visible()

        # Links: every link within the site leads to a page that exists, and
        # to an element with that id when it names one.
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert hrefs, f"{page_path} has no links: its navigation cells are missing"
        for href in hrefs:
            absolute = urljoin(url, href)
            if not absolute.startswith(site["base"]):
                continue
            parts = urlsplit(absolute)
            target = site["out"] / unquote(parts.path[1:])
            assert target.is_file(), f"{page_path}: link {href} leads to no file"
            if parts.fragment and target.suffix == ".html":
                ids = Ids()
                ids.feed(target.read_text(encoding="utf-8"))
                # As a browser does: the fragment as written, else percent-decoded.
                found = parts.fragment in ids.ids or unquote(parts.fragment) in ids.ids
                assert found, f"{page_path}: link {href} names no anchor"

        assert not errors, f"{page_path}: " + "; ".join(errors)
        assert not outside, f"{page_path} fetched from outside the site: {outside[:3]}"
    finally:
        page.close()


def test_navigation_leads_from_the_home_page_through_every_chapter(site, browser):  # noqa: F811
    """Follow the links a reader would click: home, then 'next' until the last chapter."""
    chapters = [p for s, p in PAGES.items() if s.parent.name == "notebooks" and s.suffix == ".ipynb"]
    page = browser.new_page()
    try:
        page.goto(site["base"] + "index.html")
        page.locator("table a").first.click()
        visited = [urlsplit(page.url).path[1:]]
        while page.locator(".celltag_navigation a:has-text('→')").count():
            page.locator(".celltag_navigation a:has-text('→')").first.click()
            visited.append(urlsplit(page.url).path[1:])
            assert len(visited) <= len(chapters), f"the 'next' links loop: {visited}"
        assert visited == chapters
        page.locator(".celltag_navigation a:has-text('Contents')").first.click()
        assert urlsplit(page.url).path == "/index.html"
    finally:
        page.close()
