"""Check what the chapters say against what they print.

    python -m tools.prose [NOTEBOOK ...]     (default: every chapter; `make check`)

Two checks, on the prose of every chapter in ``notebooks/``: its markdown
cells (navigation cells excepted; the invisible ``<!-- summary: ... -->``
comment included, since the contents show it) and the comments of its code
cells (solutions and ``# Figure:`` alt texts included).

**Every number it quotes is printed.** Each number written in digits (``0.04151``,
``77,460``, ``94.1%``, and counts such as "row 32"), and each count spelled
out from eleven up ("eleven", "thirty"), must appear among the numbers of a
text output of the same chapter, compared by value, sign ignored. Outputs of
cells tagged ``nbval-ignore-output`` do not count: they change from run to
run, so prose must not quote them. Not checked: code (inline code spans,
fenced blocks), maths (``$...$``), link targets, and chapter references. A
number in a code comment also passes when the code of the same cell holds it
(``# any threshold between them works: 16`` next to ``color_threshold=16``).
What remains unprinted must be on :data:`ALLOWED`, a short list of the
inputs and constants that prose may name without printing them, each with
the reason it is allowed.

**Every chapter reference is right.** A reference ``NN · Title`` must name
an existing chapter by its exact title (bold, line breaks and code marks
aside), and ``chapter NN`` an existing chapter.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from decimal import Decimal, InvalidOperation
from pathlib import Path

import nbformat

from tools.course import (
    COURSE,
    EXERCISE,
    IGNORE_TAG,
    ROOT,
    SOLUTION_FIRST_LINE,
    TITLE_SEPARATOR,
    Course,
    is_navigation,
    tags,
)

#: Numbers the prose may quote without printing them: inputs the reader sets
#: or reads in the code, and constants. ``"*"`` applies to every chapter.
#: Each entry says why; keep the list short, and print a number rather than
#: add it here when it is a result.
ALLOWED = {
    "*": {
        "2015": "the year the original tutorial was published",
        "4711": "the tutorial's seed, an input",
    },
    "00_welcome.ipynb": {
        "5": "the decimals every array prints with, np.set_printoptions(precision=5), a setting",
    },
    "01_sample_data.ipynb": {
        "10": "the centre (10, 0) of the first cloud in the tutorial's recipe, an input",
        "20": "the centres (0, 20) of the second cloud, and (20, 20) of exercise 3's, inputs",
        "30": "the size of exercise 3's third cloud, an input",
    },
    "02_linkage.ipynb": {},
    "03_reading_the_linkage_matrix.ipynb": {
        "0.04914": "the typo in the original tutorial's text, quoted to correct it",
        "20": "Z[:20], the rows the tutorial prints, an input",
    },
    "04_the_dendrogram.ipynb": {
        "0.7": "SciPy's default color_threshold factor, a constant",
    },
    "05_choosing_a_cutoff_by_eye.ipynb": {
        "12": "p=12, the truncation of the annotated tree (as in 04), an input",
    },
    "06_automatic_cutoffs.ipynb": {
        "170": "the tutorial's cut-off for X2, an input",
        "0.25": "the step of the thresholds that exercise 3 tries, an input",
    },
    "07_retrieving_the_clusters.ipynb": {
        "170": "the tutorial's cut-off for X2, an input",
    },
    "08_real_data.ipynb": {
        "2009": "the last year of the field study (data/README.md)",
    },
    "09_choosing_k.ipynb": {
        "2001": "the year Tibshirani, Walther and Hastie published the gap statistic",
        "20": "HDBSCAN's min_cluster_size=20, and the spacing of the groups in a row, inputs",
        "30": "the flat cuts k = 1 to 30 that the ARI figure shows, and the tilt of 30 degrees, inputs",
    },
    "10_interactive_cutoff.ipynb": {
        "30": "the height the lower cuts are shown up to, and X2's truncation to 30 merges, inputs",
        "0.7": "SciPy's default color_threshold factor, a constant",
    },
    "11_scaling_up.ipynb": {
        "8": "the size in bytes of a 64-bit float, a constant",
        "64": "64-bit floats, a constant",
        "10": "the 10 kB floor of the memory plot (0.01 MB in its code), a constant",
        "16": "the memory of the laptop of exercise 2, 16 GB, an input",
        "3.10": "Python 3.10, whose result exercise 1's solution describes (it prints the "
                "version it runs on, in a cell nbval ignores)",
        "3.11": "Python 3.11, likewise",
    },
    "13_apache_spark.ipynb": {
        "17": "Java 17, the oldest that Spark 4 runs on, a requirement (helpers.spark.MINIMUM_JAVA)",
        "30": "the chapter's estimated reading time, 30 minutes, an estimate rather than a result",
    },
}

SPELLED = {word: value for value, word in enumerate(
    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), start=11)}
TENS = {word: value for value, word in zip(range(20, 100, 10),
                                            "twenty thirty forty fifty sixty seventy eighty ninety".split(),
                                            strict=True)}
UNITS = {word: value for value, word in enumerate("one two three four five six seven eight nine".split(), start=1)}
SPELLED_NUMBER = re.compile(
    r"\b(" + "|".join(SPELLED) + r"|(?:" + "|".join(TENS) + r")(?:-(?:" + "|".join(UNITS) + r"))?)\b",
    re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w)")
REFERENCE = re.compile(rf"(?<![\w.])(\d\d){TITLE_SEPARATOR}(?=[A-Z])")
VERSIONED = re.compile(r"\b(?:Notebook|Python|JupyterLab|Jupyter Book|IPython|NumPy|SciPy|Matplotlib|"
                       r"scikit-learn|fastcluster|nbconvert|axe-core) \d+(?:\.\d+)*(?: and later)?")
CHAPTER_WORD = re.compile(r"\bchapters? (\d\d)(?:(?:,| and| to| or) (\d\d))*\b", re.IGNORECASE)
CHAPTER_NUMBER = re.compile(r"\d\d")


def value(token):
    """A number token's absolute value, as a Decimal (thousands separators removed)."""
    try:
        return abs(Decimal(token.replace(",", "")))
    except InvalidOperation:
        return None


def spelled_value(word):
    word = word.lower()
    if word in SPELLED:
        return SPELLED[word]
    tens, _, unit = word.partition("-")
    return TENS[tens] + (UNITS[unit] if unit else 0)


def numbers_in(text):
    """Every number written in digits in `text`: (match, value)."""
    return [(m, value(m.group(0))) for m in NUMBER.finditer(text)]


def without_links(text):
    """Markdown without link targets and HTML comments (the text of a summary comment is kept)."""
    text = re.sub(r"<!--\s*summary:(.*?)-->", r"\1", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return re.sub(r"(!?\[[^\]]*\])\([^)]*\)", r"\1", text)


def plain(text):
    """Markdown reduced to its prose: no code, maths, link targets or HTML."""
    text = without_links(text)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$]+\$", " ", text)
    text = EXERCISE.sub(" ", text)  # the exercises' own numbers
    text = VERSIONED.sub(" ", text)  # "Notebook 7", "Python 3": names, not quotes
    return re.sub(r"<[^>]+>", " ", text)


def normalise(text):
    """Text with emphasis, code marks and line breaks removed, for comparing titles."""
    return " ".join(text.replace("**", "").replace("`", "").replace("\\", "").split())


def comments(source):
    """The comments of a code cell, and its code without them."""
    found, code = [], []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found.append(token.string.lstrip("#").strip())
            elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                code.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [], source
    return found, " ".join(code)


def prose_pieces(nb):
    """(where, text, numbers the code beside it holds) for every piece of prose."""
    pieces = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown" and not is_navigation(cell):
            pieces.append((f"cell {number} (markdown)", cell.source, set()))
        elif cell.cell_type == "code":
            found, code = comments(cell.source)
            beside = {v for _, v in numbers_in(code) if v is not None}
            for comment in found:
                if not SOLUTION_FIRST_LINE.fullmatch(f"# {comment}"):  # a solution's first line
                    pieces.append((f"cell {number} (comment)", comment, beside))
    return pieces


def printed_numbers(nb):
    """The values of every number in the chapter's reproducible text outputs."""
    values = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or IGNORE_TAG in tags(cell):
            continue
        for output in cell.get("outputs", []):
            texts = []
            if output.output_type == "stream":
                texts.append(output.text)
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in output.get("data", {}):
                    texts.append(output.data[mime])
            for text in texts:
                values.update(v for _, v in numbers_in(text) if v is not None)
    return values


def chapter_titles(root=ROOT):
    """{"NN": "NN · Title"} for every chapter of the course, normalised for comparing."""
    return {number: normalise(title) for number, title in Course(root).chapter_titles().items()}


def reference_problems(text, titles):
    """Wrong chapter references in `text` (prose, link targets removed)."""
    found = []
    flat = normalise(text)
    for match in REFERENCE.finditer(flat):
        number = match.group(1)
        if number not in titles:
            found.append(f"'{flat[match.start():match.start() + 40]}...' names chapter {number}, "
                         "which does not exist")
        elif not flat.startswith(titles[number], match.start()):
            found.append(f"'{flat[match.start():match.start() + len(titles[number]) + 10]}...' "
                         f"does not match the chapter's title, '{titles[number]}'")
    for match in CHAPTER_WORD.finditer(flat):
        for number in CHAPTER_NUMBER.findall(match.group(0)):
            if number not in titles:
                found.append(f"'{match.group(0)}' names chapter {number}, which does not exist")
    return found


def without_references(text):
    """Text with the chapter numbers of its references removed (checked apart)."""
    return REFERENCE.sub(" ", CHAPTER_WORD.sub(" ", " ".join(text.split())))


def problems(path, root=ROOT, allowed=None, titles=None):
    """What the prose of one chapter quotes wrongly: a list of sentences, empty if nothing."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    allowed = ALLOWED if allowed is None else allowed
    titles = chapter_titles(root) if titles is None else titles
    allow = {value(k): reason for k, reason in {**allowed.get("*", {}), **allowed.get(path.name, {})}.items()}
    printed = printed_numbers(nb)
    found = []
    for where, text, beside in prose_pieces(nb):
        markdown = "markdown" in where
        found += [f"{where}: {problem}"
                  for problem in reference_problems(without_links(text) if markdown else text, titles)]
        text = without_references(plain(text) if markdown else text)
        quoted = numbers_in(text) + [(m, Decimal(spelled_value(m.group(0))))
                                     for m in SPELLED_NUMBER.finditer(text)]
        for match, number in quoted:
            if number is None or number in printed or number in beside or number in allow:
                continue
            context = " ".join(text[max(0, match.start() - 40):match.end() + 25].split())
            found.append(f"{where} quotes {match.group(0)} ('...{context}...'), which no output of the "
                         "chapter prints: print it, or add it to ALLOWED in tools/prose.py "
                         "with the reason if it is an input or a constant")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    titles = chapter_titles()
    failed = 0
    for path in args.notebooks or COURSE.chapters():
        for problem in problems(path, titles=titles):
            print(f"{path}: {problem}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
