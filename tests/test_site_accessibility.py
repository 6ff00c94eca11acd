"""What the site builder does for accessibility, checked on a throwaway course
with no browser: alt text from the notebook, tab stops, landmarks and skip
link, page language and titles, colours with enough contrast, and the MathJax
parts that speech needs.

tests/test_site_browser.py runs axe-core and a keyboard on the real course's
site in Chromium (under CI); these check the same promises where they can be
read from the HTML, so that a slip shows up without a browser too.
"""

import base64
import html
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import navigation
from tools.site import MATHJAX_DIR, build
from tools.site_audit import GENERIC_ALT, real_alt

# A 1x1 PNG: enough for an <img>.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d1f5"
    "8a0000000049454e44ae426082")).decode()
ALT = 'Two clouds of points, 100 around (10, 0) and 50 around (0, 20): "a" & "b" <well apart>'
SITE = "A course on trees"


def figure(alt=None, **sizes):
    """A display_data output holding a PNG, with ``alt`` stored with it: as helpers.figures writes
    a figure (an <img> in HTML), or, without ``alt``, as a bare PNG (which nbconvert gives a generic alt)."""
    if alt is None:
        return new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"},
                          metadata={"image/png": sizes} if sizes else {})
    img = f'<img src="data:image/png;base64,{PNG}" alt="{html.escape(alt)}">'
    return new_output("display_data", data={"text/html": img, "text/plain": "<Figure size 640x480 with 1 Axes>"})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A course of two chapters (a figure with alt text, one without, a solution, maths), built."""
    root = tmp_path_factory.mktemp("course")
    (root / "notebooks").mkdir()
    first = new_notebook(cells=[
        new_markdown_cell("# 01 · First\n\nPairs: $n(n-1)/2$. Read [the second chapter](02_second.ipynb)."),
        new_code_cell("# Figure: two clouds of points.\nplot()", execution_count=1,
                      outputs=[figure(ALT, width=400, height=300)]),
        new_code_cell("plot_again()", execution_count=2, outputs=[figure()]),
        new_code_cell("print('hello')", execution_count=3,
                      outputs=[new_output("stream", name="stdout", text="hello\n")]),
        new_markdown_cell("## Exercises\n\n**Exercise 1.** Try."),
        new_markdown_cell("<details>\n<summary>Show the solution to exercise 1</summary>\n\n"
                          "```python\n# Figure: the answer.\nanswer()\n```\n\n"
                          "![The answer, drawn.](attachment:figure-1-1.png)\n\n</details>",
                          metadata={"tags": ["solution"]}, attachments={"figure-1-1.png": {"image/png": PNG}}),
    ])
    second = new_notebook(cells=[new_markdown_cell("# 02 · Second\n\nThe end.")])
    nbformat.write(first, root / "notebooks" / "01_first.ipynb")
    nbformat.write(second, root / "notebooks" / "02_second.ipynb")
    (root / "README.md").write_text(f"# {SITE}\n\n<!-- contents:start -->\n<!-- contents:end -->\n")
    navigation.write(root)
    out = tmp_path_factory.mktemp("site") / "site"
    written, problems = build(out, root)
    assert not problems
    return {"out": out, "written": written}


def soup(site, page):
    return BeautifulSoup((site["out"] / page).read_text(encoding="utf-8"), "html.parser")


def test_a_figure_carries_the_alt_text_stored_with_it(site):
    page = soup(site, "01_first.html")
    images = page.select(".jp-OutputArea-output img")
    assert [i.get("alt") for i in images] == [ALT, GENERIC_ALT]
    assert [i.get("alt") for i in page.select("details.course-solution img")] == ["The answer, drawn."]
    assert page.select("details.course-solution img")[0]["src"].startswith("data:image/png;base64,")
    # Escaped in the HTML, intact once parsed.
    assert "&amp;" in (site["out"] / "01_first.html").read_text(encoding="utf-8")


def test_only_a_stored_alt_counts_as_real():
    assert real_alt(ALT)
    assert not real_alt(GENERIC_ALT) and not real_alt("") and not real_alt("  ") and not real_alt(None)


def test_no_cell_or_output_is_a_tab_stop(site):
    for page in site["written"]:
        focusable = [e for e in soup(site, page).select("[tabindex]") if e["tabindex"] != "-1"]
        assert not focusable, f"{page}: {[e.name + '.' + '.'.join(e.get('class', [])) for e in focusable]}"


def test_a_skip_link_leads_past_the_top_navigation_to_the_content(site):
    page = soup(site, "01_first.html")
    first = page.body.find(True)
    assert first.name == "a" and first["href"] == "#content" and first.get_text(strip=True) == "Skip to the content"
    main = page.find("main")
    assert main["id"] == "content"
    navs = page.find_all("nav")
    assert [n["aria-label"] for n in navs] == ["Chapters", "Chapters, end of page"]
    assert navs[0].find_parent("main") is None and navs[0].find_next_sibling("main") is main
    assert navs[1].find_parent("main") is main
    assert main.find("h1").get_text(strip=True).startswith("01 · First"), "the title opens the content"
    assert 'href="02_second.html"' in str(navs[0])


def test_every_page_has_a_language_and_a_title_of_its_own(site):
    titles = []
    for page in site["written"]:
        html = soup(site, page)
        assert html.html["lang"] == "en"
        titles.append(html.title.get_text())
    assert titles == [f"Contents · {SITE}", f"01 · First · {SITE}", f"02 · Second · {SITE}"]


def test_a_collapsed_solution_still_opens_from_its_summary(site):
    details = soup(site, "01_first.html").find("details")
    assert details.summary.get_text(strip=True) == "Show the solution to exercise 1"
    assert "answer()" in details.get_text()


def test_mathjax_carries_what_speech_needs(site):
    mathjax = site["out"] / MATHJAX_DIR
    for part in ["input/mml.js", "a11y/semantic-enrich.js", "a11y/explorer.js", "a11y/assistive-mml.js",
                 "sre/mathmaps/en.json", "ui/menu.js"]:
        assert (mathjax / part).is_file(), f"the site's MathJax lacks {part}"
    config = (site["out"] / "01_first.html").read_text(encoding="utf-8")
    assert re.search(r"assistiveMml:\s*true", config), "assistive MathML must be on"


# --- Colours -----------------------------------------------------------------


NAMED = {"white": "#ffffff", "black": "#000000", "blue": "#0000ff"}  # the names JupyterLab's theme uses


def rgb(colour):
    """(r, g, b) in 0..1 of a CSS colour: #rgb, #rrggbb, rgb(r, g, b) or a name the theme uses."""
    colour = NAMED.get(colour.strip().lower(), colour.strip())
    match = re.fullmatch(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", colour)
    if match:
        return [int(c) / 255 for c in match.groups()]
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    assert re.fullmatch(r"[0-9a-fA-F]{6}", value), f"not an opaque colour this test can read: {colour}"
    return [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]


def luminance(colour):
    """WCAG relative luminance of a CSS colour."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    """WCAG contrast ratio of two colours."""
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_matches_known_values():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert contrast("#408080", "#f5f5f5") == pytest.approx(4.17, abs=0.01)  # JupyterLab's comments (axe: 4.17)
    assert contrast("rgb(0, 54, 109)", "white") == contrast("#00366d", "#ffffff")


def css_variables(html):
    """The page's CSS custom properties on :root, the last declaration winning, each resolved."""
    found = {}
    for block in re.findall(r":root\s*\{([^}]*)\}", html):
        block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
        for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block):
            found[name] = value.strip()

    def resolve(value, depth=0):
        match = re.fullmatch(r"var\((--[\w-]+)\)", value)
        return resolve(found[match.group(1)], depth + 1) if match and depth < 10 else value

    return {name: resolve(value) for name, value in found.items()}


def test_code_colours_and_prompts_reach_4_5_to_1_on_their_background(site):
    html = (site["out"] / "01_first.html").read_text(encoding="utf-8")
    variables = css_variables(html)
    background = variables["--jp-cell-editor-background"]
    # Every colour Pygments' classes use on the code background.
    used = set(re.findall(r"\.highlight[^{]*\{[^}]*?(?<![-\w])color:\s*var\((--[\w-]+)\)", html))
    assert "--jp-mirror-editor-comment-color" in used and "--jp-mirror-editor-number-color" in used
    used |= {n for n in variables if n.startswith("--jp-mirror-editor-") and n.endswith("-color")
             and n != "--jp-mirror-editor-hr-color"}  # the others too, should Pygments start using them
    low = {n: round(contrast(variables[n], background), 2) for n in used
           if contrast(variables[n], background) < 4.5}
    assert not low, f"code colours under 4.5:1 on {background}: {low}"
    # Prompts: full opacity, their colours on the page's white.
    assert variables["--jp-cell-prompt-not-active-opacity"] == "1"
    for name in ["--jp-cell-prompt-not-active-font-color", "--jp-cell-inprompt-font-color",
                 "--jp-cell-outprompt-font-color"]:
        assert contrast(variables[name], "#ffffff") >= 4.5, name


def test_links_are_underlined(site):
    html = (site["out"] / "01_first.html").read_text(encoding="utf-8")
    rules = re.findall(r"\.jp-RenderedHTMLCommon a:link[^{]*\{([^}]*)\}", html)
    assert "underline" in rules[-1], "the last rule for links must underline them"
