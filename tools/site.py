"""Render the course as a static HTML site, from the notebooks as stored.

    python -m tools.site [OUT]        (default: _build/site; `make site`)

Nothing is re-run: each page shows the outputs and figures that
``make notebooks`` stored. The pages are:

* ``index.html``, the home page: ``notebooks/index.md`` (the contents that
  ``tools/navigation.py`` writes);
* one page per notebook in ``notebooks/`` (``00_welcome.ipynb`` becomes
  ``00_welcome.html``);
* one page per assignment the contents link to (its student copy, from
  ``assignments/release/NAME/`` when there is one), under ``assignments/NAME/``.

Links between them are rewritten (``.ipynb`` and ``index.md`` become the
pages); any other file of the repository a page links to (a CSV, a README)
is copied under ``files/``. Pages are nbconvert's JupyterLab look (template
``tools/site_template/course``) and fetch nothing from the network: MathJax 3
is copied into ``_static/mathjax`` from the `django-static-mathjax` package
(the `site` extra), and figures are embedded in the pages. Widgets, which
need a kernel, show what they store for where no kernel runs them (their
``text/html``: the explorer's still picture, or the merge stepper's own
script and data inline), or else a note saying how to run them.

The pages meet WCAG 2.1 AA (``tests/test_site_browser.py`` runs axe-core on
each, and ``tools/site_audit.py`` measures any build): the template sets
readable code colours, underlined links, a skip link, each figure's stored
alt text, and MathJax with every component its speech needs;
``accessible()`` below then takes away the tab stop nbconvert gives every
cell and output (a page's tab stops are its links, its "Show the solution"
buttons and its formulas) and makes the navigation cells navigation
landmarks, the top one before the content.
"""

from __future__ import annotations

import argparse
import html
import posixpath
import re
import shutil
import sys
import time
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import nbformat

from tools.course import NAVIGATION_TAG, ROOT, WIDGET_VIEW, Course, title_and_summary
from tools.navigation import GENERATED

TEMPLATES = Path(__file__).resolve().parent / "site_template"
MARKER = ".course-site"  # a build folder holds this file, so a rebuild may empty it
MATHJAX_SCRIPT = "tex-chtml-full.js"
# What MathJax's combined TeX/CommonHTML script loads later: its fonts, its
# menu and accessibility parts, and TeX extensions. Speech and the explorer
# (switched on from MathJax's menu) load a11y/semantic-enrich, which needs
# the MathML input (input/mml.js) and the speech rules (sre): without them
# the remembered choice breaks every formula on the next visit.
MATHJAX_PARTS = ["output/chtml", "ui", "a11y", "sre", "input/tex", "input/mml", "input/mml.js", "adaptors"]
MATHJAX_DIR = "_static/mathjax"
WIDGET_NOTE = ('<div class="course-widget-note">This output is interactive: run the notebook '
               "in JupyterLab to use it (<code>make course</code> opens the course; see the "
               "README).</div>")
HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')
#: An exercise's solution as a chapter stores it (tools/exercises.py): its summary, and what it holds.
SOLUTION = re.compile(r"<details>\s*<summary>(.*?)</summary>\s*(.*?)\s*</details>\s*", re.S)


def pages(root=ROOT):
    """{source file: page path in the site}, home page first."""
    course = Course(root)
    found = {course.index: "index.html"}
    for path in course.chapters():
        found[path] = path.relative_to(course.notebooks).with_suffix(".html").as_posix()
    for path in course.assignment_sources():
        copy = course.student_copy(path)
        found[copy] = f"assignments/{copy.parent.name}/{copy.stem}.html"
    return found


def page_notebook(source):
    """The notebook a page is made from, with its title as the page's title."""
    if source.suffix == ".md":
        text = source.read_text(encoding="utf-8").replace(GENERATED, "").strip() + "\n"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
        title = next((line[2:] for line in text.splitlines() if line.startswith("# ")), source.stem)
    else:
        nb = nbformat.read(source, as_version=4)
        try:
            title = title_and_summary(nb, source.name)[0]
        except ValueError:
            title = source.stem
    # A solution's <details> is put around its cell by the template (the
    # markdown renderer, embedding images, would close the element its
    # first HTML block opens, leaving the solution outside it).
    for cell in nb.cells:
        match = SOLUTION.fullmatch(cell.source) if cell.cell_type == "markdown" else None
        if match and "solution" in cell.metadata.get("tags", []):
            cell.metadata["course_summary"] = match.group(1)
            cell.source = match.group(2)
    # A widget needs a kernel, and its manager would come from a CDN: each
    # widget output becomes what it stores for where no kernel runs it (its
    # text/html: the explorer's still picture, the stepper's module and data
    # inline), or else a note saying how to use it.
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output.data = nbformat.from_dict({"text/html": output.data.get("text/html") or WIDGET_NOTE})
    nb.metadata["title"] = title
    return nb


def copy_mathjax(out):
    """The site's own MathJax 3; return its script's path in the site."""
    es5 = Path(str(resources.files("mathjax"))) / "static" / "mathjax" / "es5"
    target = out / MATHJAX_DIR
    target.mkdir(parents=True)
    shutil.copy2(es5 / MATHJAX_SCRIPT, target / MATHJAX_SCRIPT)
    for part in MATHJAX_PARTS:
        if (es5 / part).is_dir():
            shutil.copytree(es5 / part, target / part)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(es5 / part, target / part)
    return f"{MATHJAX_DIR}/{MATHJAX_SCRIPT}"


def relative_url(target, page):
    """The URL of site path ``target`` from the page at site path ``page``."""
    return quote(posixpath.relpath(target, posixpath.dirname(page) or "."))


def rewrite_links(text, source, page, site_of, root, files, problems):
    """Point a page's relative links at the site's pages (or copied files)."""

    def fix(match):
        url = html.unescape(match.group(2))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or url.startswith("/"):
            return match.group(0)
        target = (source.parent / unquote(parts.path)).resolve()
        if target in site_of:
            new = site_of[target]
        elif target.is_file() and root in target.parents:
            new = "files/" + target.relative_to(root).as_posix()
            files[target] = new
        else:
            problems.append(f"{source.relative_to(root)}: link to {url} leads nowhere")
            return match.group(0)
        new_url = relative_url(new, page) + (f"#{parts.fragment}" if parts.fragment else "")
        return match.group(1) + html.escape(new_url) + match.group(3)

    return HREF.sub(fix, text)


def site_name(root=ROOT):
    """The course's name, from its README's first heading (added to every page's title)."""
    readme = Course(root).readme
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    return next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")


def accessible(body):
    """Finish a page nbconvert wrote: tab stops only where there is something to operate,
    and the navigation cells as navigation landmarks.

    * nbconvert gives every cell and every output ``tabindex="0"``: a keyboard
      user would press Tab through dozens of unnamed boxes before the first
      link. They lose it; the template's script gives a tab stop (and a name)
      back to an area that scrolls sideways, which the keyboard must reach.
    * A navigation cell (tagged ``navigation`` by tools/navigation.py) becomes
      a ``<nav>``; the one at the top of a chapter moves before ``<main>``, so
      that the skip link, the first tab stop, leads past it to the content.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, "html.parser")
    for element in soup.select("div.jp-Cell-inputWrapper[tabindex], div.jp-OutputArea-output[tabindex]"):
        del element["tabindex"]
    main = soup.find("main")
    cells = soup.select("main > div.jp-Cell")
    # Positions, not the tags: BeautifulSoup tags compare equal by content.
    navigation = [i for i, c in enumerate(cells) if c.select_one(f".celltag_{NAVIGATION_TAG}")]
    for i in navigation:
        cell = cells[i]
        # The top one: the first, with content after it (tools/navigation.py
        # puts it right after the title cell, and the other one last).
        top = i == navigation[0] and any(j not in navigation for j in range(i, len(cells)))
        nav = soup.new_tag("nav", attrs={"class": "course-nav" if top else "course-nav-end",
                                         "aria-label": "Chapters" if top else "Chapters, end of page"})
        cell.wrap(nav)
        if top:
            main.insert_before(nav.extract())
    return str(soup)


def build(out, root=ROOT):
    """Write the site into ``out``; return (pages written, problems found)."""
    from nbconvert import HTMLExporter

    out, root = Path(out), Path(root).resolve()
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise FileExistsError(f"{out} exists and is not a site built by this tool: "
                                  "choose an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Built by tools/site.py; rebuilt from scratch each time.\n")
    mathjax = copy_mathjax(out)
    site_of = {source.resolve(): page for source, page in pages(root).items()}
    site_of.setdefault(Course(root).readme.resolve(), "index.html")
    exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(TEMPLATES)],
                            embed_images=True)
    files, problems, written = {}, [], []
    name = site_name(root)
    for source, page in pages(root).items():
        nb = page_notebook(source)
        # Every page's title says what it is and where: "01 · Sample data · <course>".
        if name and nb.metadata["title"] != name:
            nb.metadata["title"] = f"{nb.metadata['title']} · {name}"
        exporter.mathjax_url = relative_url(mathjax, page)
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": nb.metadata["title"], "path": str(source.parent)}})
        body = accessible(body)
        body = rewrite_links(body, source.resolve(), page, site_of, root, files, problems)
        target = out / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        written.append(page)
    for source, page in files.items():
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, out / page)
    return written, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "_build" / "site")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written, problems = build(args.out)
    for problem in problems:
        print(f"warning: {problem}")
    print(f"{len(written)} pages in {args.out} ({time.perf_counter() - start:.1f} s); "
          f"home page: {args.out / 'index.html'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
