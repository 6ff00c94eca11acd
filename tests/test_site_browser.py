"""The rendered site, opened page by page in headless Chromium.

The site is built once (``tools/site.py``, as ``make site`` does) into a
temporary folder and served on the loopback interface. Every page must load
with no error in the console and no request leaving the machine, show every
figure its notebook stores, have no internal link that leads nowhere, and
render its maths with the site's own MathJax.

Every page must also meet WCAG 2.1 AA, as far as a machine can tell
(``tools/site_audit.py``): no violation of axe-core's WCAG 2.0/2.1 A and AA
rules; a language, a title of its own, headings in order; a skip link first,
and tab stops only on what can be operated (links, "Show the solution",
formulas, and areas that scroll), each with a name; every image with real
alt text. The results go to ``test-artifacts/a11y/`` (a JSON file per page,
and ``summary.json``). The skip link, keyboard scrolling in a narrow window,
and MathJax's speech (switched on from its menu, then a reload) are tried as
a reader would.

Like every browser test, this runs whenever CI is set and skips elsewhere,
saying how to enable it.
"""

import itertools
import re
import shutil
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import nbformat
import pytest

from browser import free_port
from tools.chromium import serve
from tools.course import ROOT
from tools.site import build, pages
from tools.site_audit import GENERIC_ALT, audit_page, axe_results, real_alt, wait_for_maths, write_page, write_summary

PAGES = pages(ROOT)
ARTIFACTS = ROOT / "test-artifacts" / "a11y"
# What a tab stop may be: something to operate. (An area that scrolls is a
# `region` the keyboard must reach to scroll it; formulas open MathJax's menu.)
OPERABLE = {"a", "summary", "button", "input", "select", "textarea", "mjx-container"}
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
    """How many solutions (markdown cells tagged ``solution``) a notebook stores."""
    if source.suffix != ".ipynb":
        return 0
    nb = nbformat.read(source, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", []))


def stored_figures(source):
    """How many images a notebook stores in its outputs."""
    if source.suffix != ".ipynb":
        return 0
    nb = nbformat.read(source, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if any(k.startswith("image/") for k in o.get("data", {}))
               or o.get("data", {}).get("text/html", "").startswith("<img "))


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
def site(browser, tmp_path_factory):
    """The site, built into a temporary folder and served on 127.0.0.1: its base URL."""
    out = tmp_path_factory.mktemp("site")
    written, problems = build(out, ROOT)
    assert not problems, "the site build found broken links: " + "; ".join(problems)
    with serve(out, free_port()) as base:
        yield {"base": base, "out": out, "pages": written}


def test_every_source_became_a_page(site):
    assert sorted(site["pages"]) == sorted(PAGES.values())
    assert site["pages"][0] == "index.html", "the contents must be the home page"


def test_at_least_one_page_has_maths():
    assert any(has_maths(source) for source in PAGES), "no page has maths: the maths check tests nothing"


@pytest.mark.parametrize("source", list(PAGES), ids=list(PAGES.values()))
def test_page_loads_with_figures_links_and_maths(site, browser, source):
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
        solutions = page.locator("details.course-solution")
        assert solutions.count() == stored_solutions(source), (
            f"{page_path} hides {solutions.count()} solutions, its notebook stores {stored_solutions(source)}")
        shown = page.evaluate(
            "() => [...document.querySelectorAll('details.course-solution')].map(d =>"
            "  [...d.querySelectorAll('pre, p, img')]"
            "    .filter(e => e.checkVisibility()).length)")
        assert not any(shown), f"{page_path}: a solution shows before it is opened: {shown}"
        for i in range(solutions.count()):
            solution = solutions.nth(i)
            solution.locator("summary").click()
            assert solution.locator("pre").first.is_visible(), f"{page_path}: solution {i} opens empty"

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


def test_navigation_leads_from_the_home_page_through_every_chapter(site, browser):
    """Follow the links a reader would click: home, then 'next' until the last chapter."""
    chapters = [p for s, p in PAGES.items() if s.parent.name == "notebooks" and s.suffix == ".ipynb"]
    page = browser.new_page()

    def follow(link):
        """Click `link` and wait until the new page is there (a loaded machine is slow)."""
        with page.expect_navigation(wait_until="domcontentloaded"):
            link.first.click()
        return urlsplit(page.url).path[1:]

    try:
        page.goto(site["base"] + "index.html")
        visited = [follow(page.locator("table a"))]
        while page.locator(".celltag_navigation a:has-text('→')").count():
            visited.append(follow(page.locator(".celltag_navigation a:has-text('→')")))
            assert len(visited) <= len(chapters), f"the 'next' links loop: {visited}"
        assert visited == chapters
        assert follow(page.locator(".celltag_navigation a:has-text('Contents')")) == "index.html"
    finally:
        page.close()


# --- Accessibility (WCAG 2.1 AA) ---------------------------------------------


@pytest.fixture(scope="module")
def audit(site, browser):
    """audit(page path): tools/site_audit.py's findings on that page, measured once and
    written to test-artifacts/a11y/; the summary of all pages measured is written at the end."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    results = {}

    def run(page_path):
        if page_path not in results:
            results[page_path] = audit_page(browser, site["base"] + page_path)
            write_page(ARTIFACTS, page_path, results[page_path])
        return results[page_path]

    yield run
    if results:
        write_summary(ARTIFACTS, results)


def describe(violation):
    """One axe violation in a line: rule, impact, how many elements, the first ones, what to fix."""
    targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
    first = violation["nodes"][0]
    why = (first.get("any") or first.get("all") or first.get("none") or [{"message": ""}])[0]["message"]
    return (f"{violation['id']} ({violation['impact']}): {len(violation['nodes'])} elements, "
            f"e.g. {targets}; {violation['help']}. {why}")


@pytest.mark.parametrize("source", list(PAGES), ids=list(PAGES.values()))
def test_page_has_no_wcag_a_or_aa_violation(audit, source):
    result = audit(PAGES[source])
    assert not result["violations"], (
        f"{PAGES[source]}: axe-core {result['axe_version']} finds {result['elements']} elements "
        f"in violation of WCAG A/AA (details in {ARTIFACTS.relative_to(ROOT)}):\n"
        + "\n".join(describe(v) for v in result["violations"]))


@pytest.mark.parametrize("source", list(PAGES), ids=list(PAGES.values()))
def test_page_has_a_language_a_title_and_headings_in_order(audit, source):
    result = audit(PAGES[source])
    assert result["lang"] == "en"
    assert result["title"].strip(), "the page has no title"
    levels = result["headings"]
    assert levels.count(1) == 1, f"{PAGES[source]}: {levels.count(1)} level-1 headings, one expected"
    assert levels[0] == 1, f"{PAGES[source]}: the first heading is h{levels[0]}, not the title"
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not skips, f"{PAGES[source]}: headings skip a level (h{skips[0][0]} then h{skips[0][1]})"


def test_every_page_has_a_title_of_its_own(site):
    titles = {}
    for page in site["pages"]:
        text = (site["out"] / page).read_text(encoding="utf-8")
        titles.setdefault(re.search(r"<title>(.*?)</title>", text, flags=re.S).group(1).strip(), []).append(page)
    shared = {title: where for title, where in titles.items() if len(where) > 1}
    assert not shared, f"pages that share a title: {shared}"


@pytest.mark.parametrize("source", list(PAGES), ids=list(PAGES.values()))
def test_page_tab_stops_are_only_what_can_be_operated(audit, source):
    """The skip link first; then only links, solutions, formulas and scrolling areas, each named."""
    stops = audit(PAGES[source])["tab_stops"]
    assert stops and stops[0]["name"] == "Skip to the content", f"the first tab stop is {stops[:1]}"
    idle = [s for s in stops if s["tag"] not in OPERABLE and s["role"] != "region"]
    assert not idle, f"{PAGES[source]}: {len(idle)} tab stops with nothing to operate, e.g. {idle[:3]}"
    unnamed = [s for s in stops if not s["name"]]
    assert not unnamed, f"{PAGES[source]}: {len(unnamed)} tab stops without a name, e.g. {unnamed[:3]}"


@pytest.mark.parametrize("source", list(PAGES), ids=list(PAGES.values()))
def test_every_image_has_real_alt_text(audit, source):
    """Each figure's alt text is the one its notebook stores (the regenerate command writes the
    cell's `# Figure:` comment into metadata["image/png"]["alt"]); none is missing or generic."""
    images = audit(PAGES[source])["images"]
    assert len(images) >= stored_figures(source)
    missing = [i for i in images if not real_alt(i["alt"])]
    generic = sum(i["alt"] == GENERIC_ALT for i in missing)
    if missing:
        pytest.fail(f"{PAGES[source]}: {len(missing)} of {len(images)} images have no real alt text "
                    f"({generic} with nbconvert's generic one): regenerate the notebook so that each "
                    "figure cell's `# Figure:` comment is stored as its alt text")


def first_chapter_with(predicate):
    return next(s for s in PAGES if s.parent.name == "notebooks" and s.suffix == ".ipynb" and predicate(s))


def test_the_skip_link_leads_past_the_navigation_to_the_content(site, browser):
    source = first_chapter_with(lambda s: True)
    page = browser.new_page()
    try:
        page.goto(site["base"] + PAGES[source])
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Skip to the content"
        assert page.locator(".course-skip-link").bounding_box()["y"] >= 0, "the focused skip link is on screen"
        page.keyboard.press("Enter")
        assert urlsplit(page.url).fragment == "content"
        page.keyboard.press("Tab")
        inside = page.evaluate("() => [!!document.activeElement.closest('main'),"
                               " !!document.activeElement.closest('nav.course-nav')]")
        assert inside == [True, False], "after the skip link, Tab must go on inside the content"
    finally:
        page.close()


def test_in_a_narrow_window_wide_code_scrolls_from_the_keyboard(site, browser):
    """At 320 CSS pixels (WCAG 1.4.10's reflow width), code and outputs wider than the window
    scroll sideways: each such area is a named tab stop, the arrow keys scroll it, and axe
    still finds no violation."""
    source = first_chapter_with(lambda s: stored_figures(s) > 0)
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        page.goto(site["base"] + PAGES[source])
        wait_for_maths(page)
        areas = page.locator("[data-course-scroller]")
        assert areas.count() > 0, "nothing is wider than 320 pixels: this test tests nothing"
        names = areas.evaluate_all("els => els.map(e => [e.getAttribute('tabindex'), e.getAttribute('role'),"
                                   " e.getAttribute('aria-label')])")
        assert all(t == "0" and r == "region" and label for t, r, label in names), names
        first = areas.first
        first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        # Keyboard scrolling is animated: wait until it has moved (Playwright's
        # limit is only reached when it never does).
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            page.wait_for_function("e => e.scrollLeft > 0", arg=first.element_handle())
        except PlaywrightTimeout:
            pytest.fail("the arrow keys do not scroll the focused area")
        wcag, _, _ = axe_results(page)
        assert not wcag, "\n".join(describe(v) for v in wcag)
        # Wide enough again: the areas lose their tab stops.
        page.set_viewport_size({"width": 2400, "height": 900})
        page.wait_for_function("() => document.querySelectorAll('[data-course-scroller]').length === 0")
    finally:
        page.close()


def all_spoken(page, formulas, errors, when):
    """Wait until the page shows its ``formulas`` formulas, each with speech; fail saying what went wrong."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    script = f"() => document.querySelectorAll('mjx-container[aria-label]').length === {formulas}"
    try:
        page.wait_for_function(script, timeout=30_000)  # only reached when it never happens
    except PlaywrightTimeout:
        shown = page.locator("mjx-container").count()
        spoken = page.locator("mjx-container[aria-label]").count()
        pytest.fail(f"{when}: {shown} of {formulas} formulas shown, {spoken} with speech; "
                    + ("; ".join(errors) or "no error reported"))


def test_maths_speech_can_be_switched_on_and_survives_a_reload(site, browser):
    """Assistive MathML is on; switching on MathJax's explorer from the keyboard (Shift+F10 on
    a formula, Accessibility → Activate) gives every formula its speech at once, and the next
    visit, which loads the components that choice needs, still typesets every formula, with no
    missing file and no error."""
    source = next(s for s in PAGES if has_maths(s))
    context = browser.new_context()  # its own storage: MathJax remembers the choice there
    page = context.new_page()
    errors = []
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    try:
        page.goto(site["base"] + PAGES[source])
        wait_for_maths(page)
        formulas = page.locator("mjx-container").count()
        assert formulas > 0
        assert page.locator("mjx-container mjx-assistive-mml").count() == formulas, "assistive MathML is off"
        # From the keyboard alone: a formula's menu (Shift+F10), down to
        # Accessibility, into it, and Activate.
        page.locator("mjx-container").first.focus()
        page.keyboard.press("Shift+F10")
        focused = lambda: page.evaluate("() => document.activeElement.textContent")  # noqa: E731
        for _ in range(10):
            page.keyboard.press("ArrowDown")
            if focused().startswith("Accessibility"):
                break
        page.keyboard.press("ArrowRight")
        assert focused().startswith("Activate"), f"MathJax's menu has no Activate item where expected: {focused()!r}"
        page.keyboard.press("Enter")
        all_spoken(page, formulas, errors, "after switching speech on")
        spoken = page.locator("mjx-container").first.get_attribute("aria-label")
        assert spoken.strip() and "\\" not in spoken and "$" not in spoken, f"not speech: {spoken!r}"

        page.reload()
        wait_for_maths(page)
        all_spoken(page, formulas, errors, "on the next visit")
        assert page.locator("mjx-container").count() == formulas
        assert page.locator("mjx-merror").count() == 0
        assert not errors, "; ".join(errors)
        # With speech on, the page still passes.
        wcag, _, _ = axe_results(page)
        assert not wcag, "\n".join(describe(v) for v in wcag)
    finally:
        context.close()
