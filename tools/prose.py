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

**What a reader would take wrongly** (:func:`reading_problems`), kinds of
slip that readers of the course found and that a check can see:

* ``lastp``: "the last 30 merges" next to ``truncate_mode='lastp', p=30``,
  which draws 30 leaves and 29 merges;
* ``range``: a claim over every ``k`` ("for any other `k`") that does not
  say which ``k`` it covers, when the numbers behind it cover only some;
* ``structure``: a ``## Going deeper: ...`` heading (or the heading that
  ends such a section) that is not the first line of its markdown cell,
  where the navigation would not see it;
* ``length``: a main path longer than :data:`MAIN_PATH_MINUTES` at the
  reading rate the navigation uses (optional depth goes into sections
  headed ``## Going deeper: ...``);
* ``exercise``: an exercise's solution without a complete ``exercise``
  specification in its metadata (NOTES: kind, answer, other right forms,
  known mistakes each with its hint, wrong answers), or one that needs a
  name only an optional section defines without saying so.

The answers themselves (that none is printed, or given away by a hint) and
the figures are checked by running the chapter: ``tests/test_reading.py``.
A chapter whose fix is on its way may be listed in :data:`PENDING`, with
the reason; a test fails as soon as the entry is no longer needed.
"""

from __future__ import annotations

import argparse
import ast
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
    TITLE_SEPARATOR,
    Course,
    is_navigation,
    tags,
)
from tools.exercises import is_solution, restored_outputs, solution_code, solution_number

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
        "30": "the height the lower cuts are shown up to, and X2's truncation to 30 leaves, inputs",
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
    "12_recipes_for_your_own_data.ipynb": {
        "46.0": "the new penguin of exercise 4: its bill length, an input",
        "215": "its flipper length, an input",
        "5000": "its body mass, an input",
    },
    "13_apache_spark.ipynb": {
        "17": "Java 17, the oldest that Spark 4 runs on, a requirement (helpers.spark.MINIMUM_JAVA)",
    },
}

#: Problems of :func:`reading_problems` that a chapter still has while its
#: fix is on another branch: ``{chapter: {kind: reason}}``. Keep it short;
#: ``tests/test_prose.py`` fails as soon as an entry is no longer needed.
PENDING = {
    "06_automatic_cutoffs.ipynb": {
        "structure": "'## Exercises' below the first line of its cell (issue 24), on branch reading-b",
        "length": "a main path over MAIN_PATH_MINUTES (issue 24), shortened on branch reading-b",
        "lastp": "'the last 30 merges' for p=30 (issue 24), fixed on branch reading-b",
        "exercise": "exercise specifications (issue 21), written on branch reading-b",
    },
    "07_retrieving_the_clusters.ipynb": {
        "structure": "'## Exercises' below the first line of its cell (issue 24), on branch reading-b",
        "length": "a main path over MAIN_PATH_MINUTES (issue 24), shortened on branch reading-b",
        "exercise": "exercise specifications (issue 21), written on branch reading-b",
    },
    "08_real_data.ipynb": {
        "length": "a main path over MAIN_PATH_MINUTES (issue 24), shortened on branch reading-b",
        "lastp": "'the last 30 merges' for p=30 (issue 24), fixed on branch reading-b",
        "exercise": "exercise specifications (issue 21), written on branch reading-b",
    },
    "09_choosing_k.ipynb": {
        "length": "a main path over MAIN_PATH_MINUTES (issue 24), shortened on branch reading-b",
        "exercise": "exercise specifications (issue 21), written on branch reading-b",
    },
    "10_interactive_cutoff.ipynb": {
        "lastp": "'the last 30 merges' for p=30 (issue 24), fixed on branch reading-b",
        "exercise": "exercise specifications (issue 21), written on branch reading-b",
    },
    "11_scaling_up.ipynb": {
        "length": "a main path over MAIN_PATH_MINUTES (issue 24), shortened on branch reading-b",
        "lastp": "'the last 30 merges' for p=30 (issue 24), fixed on branch reading-b",
        "exercise": "exercise specifications (issue 21), written on branch reading-b",
    },
}

#: The reading time of a chapter's main path, in minutes, at the navigation's
#: rate (:data:`WORDS_PER_MINUTE` of prose and :data:`SECONDS_PER_CODE_CELL`),
#: is at most this: the exercises take the rest of the twenty minutes a
#: learner should need for the main path (NOTES, issue 24).
MAIN_PATH_MINUTES = 12
WORDS_PER_MINUTE = 200
SECONDS_PER_CODE_CELL = 15
#: A level-2 heading that starts an optional section, which runs up to the
#: next level-2 heading.
GOING_DEEPER = re.compile(r"^## Going deeper: \S", re.M)
LEVEL_2 = re.compile(r"^## \S", re.M)
EXERCISES_HEADING = "## Exercises"


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
#: "the last 30 merges", "its last thirty merges": a count of merges.
LAST_MERGES = re.compile(r"\blast\s+(\d+|[a-z]+(?:-[a-z]+)?)\s+merges\b", re.IGNORECASE)
#: Words that say a sentence is about a drawn (and so, truncated) tree.
DRAWN_TREE = re.compile(r"truncat|dendrogram", re.IGNORECASE)
#: ``truncate_mode="lastp"`` with ``p=N`` in one call.
LASTP_CALL = re.compile(r"truncate_mode\s*=\s*['\"]lastp['\"][^)]*?\bp\s*=\s*(\d+)"
                        r"|\bp\s*=\s*(\d+)[^)]*?truncate_mode\s*=\s*['\"]lastp['\"]", re.S)
#: A claim over every number of clusters: "for any other `k`", "every `k`", "all k".
EVERY_K = re.compile(r"\b(?:any|every|all|each)(?: other)? (?:value of )?`?k`?(?![\w`])", re.IGNORECASE)
#: What says which k a claim covers: "k = 2 to 7", "from 3 to 10", "k <= 7", "between 2 and 9".
K_RANGE = re.compile(r"(?:\bk\b`?\s*(?:=|<=|>=|<|>|≤|≥)\s*`?\d|\bfrom \d+ to \d+|\b\d+ to \d+\b"
                     r"|\bbetween \d+ and \d+|\bup to \d+)", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n")


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


def code_of(cell):
    """The code of a code cell, or of a solution (the ```python block of its markdown); None for prose."""
    if cell.cell_type == "code":
        return cell.source
    if is_solution(cell):
        try:
            return solution_code(cell)
        except ValueError:
            return ""
    return None


def prose_pieces(nb):
    """(where, text, numbers the code beside it holds) for every piece of prose: the markdown
    (but a solution's, which is its code and what the regenerate command wrote of its
    outputs) and the code's comments."""
    pieces = []
    for number, cell in enumerate(nb.cells, start=1):
        code = code_of(cell)
        if code is None:
            if cell.cell_type == "markdown" and not is_navigation(cell):
                pieces.append((f"cell {number} (markdown)", cell.source, set()))
            continue
        found, rest = comments(code)
        beside = {v for _, v in numbers_in(rest) if v is not None}
        for comment in found:
            pieces.append((f"cell {number} (comment)", comment, beside))
    return pieces


def outputs_of(cell):
    """The outputs of a code cell, or the stored outputs of a solution."""
    if is_solution(cell):
        return restored_outputs(cell, ignored=False) if "course" in cell.metadata else []
    return cell.get("outputs", []) if cell.cell_type == "code" else []


def shown_text(html):
    """The text an HTML output shows: without its scripts, styles and tags (the numbers of an
    embedded module, its data or a picture's source are not printed)."""
    html = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]*>", " ", html)


def printed_numbers(nb):
    """The values of every number in the chapter's reproducible text outputs."""
    values = set()
    for cell in nb.cells:
        if (cell.cell_type != "code" and not is_solution(cell)) or IGNORE_TAG in tags(cell):
            continue
        for output in outputs_of(cell):
            texts = []
            if output.output_type == "stream":
                texts.append(output.text)
            data = output.get("data", {})
            for mime in ("text/plain", "text/markdown"):
                if mime in data:
                    texts.append(data[mime])
            if "text/html" in data:
                texts.append(shown_text(data["text/html"]))
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


# --- What a reader would take wrongly ------------------------------------------


def readable(text):
    """Markdown as a reader reads it: code marks and link targets dropped, code
    spans kept as words, fenced code and maths left out."""
    text = without_links(text)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$]+\$", " ", text)
    return text.replace("`", "").replace("**", "")


def sections(nb):
    """(cell number, cell, section) for every cell but the navigation: the section is
    "main", "optional" (from a markdown cell whose first line is a ``## Going deeper:
    ...`` heading to the next cell that starts with a level-2 heading) or "exercises"
    (from ``## Exercises`` on). Only a cell's first line starts a section, as the
    navigation reads it; :func:`structure_problems` refuses a heading elsewhere."""
    section, found = "main", []
    for number, cell in enumerate(nb.cells, start=1):
        if is_navigation(cell):
            continue
        first = (cell.source.lstrip("\n").splitlines() or [""])[0]
        if cell.cell_type == "markdown" and LEVEL_2.match(first):
            if first.strip() == EXERCISES_HEADING:
                section = "exercises"
            elif section != "exercises":
                section = "optional" if GOING_DEEPER.match(first) else "main"
        found.append((number, cell, section))
    return found


def structure_problems(nb):
    """Level-2 headings that would start or end a section but are not the first line of their cell."""
    found = []
    for number, cell, section in sections(nb):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.lstrip("\n").splitlines()[1:]:
            if GOING_DEEPER.match(line) or line.strip() == EXERCISES_HEADING:
                found.append(f"cell {number} has '{line.strip()}' below its first line: start a new "
                             "markdown cell with it, so that the section starts there")
            elif LEVEL_2.match(line) and section == "optional":
                found.append(f"cell {number} has '{line.strip()}' below its first line, inside an "
                             "optional section: start a new markdown cell with it, so that the "
                             "optional section ends there")
    return found


def reading_minutes(nb, section="main"):
    """The reading time of a section (its prose words and code cells, at WORDS_PER_MINUTE and
    SECONDS_PER_CODE_CELL), in minutes: what tools/navigation.py writes at the top of a chapter."""
    words = cells = 0
    for _, cell, where in sections(nb):
        if where != section:
            continue
        if cell.cell_type == "markdown":
            words += len(re.findall(r"\w+", without_links(cell.source)))
        elif cell.cell_type == "code":
            cells += 1
    return words / WORDS_PER_MINUTE + cells * SECONDS_PER_CODE_CELL / 60


def spelled_or_digits(token):
    """The value of "30" or "thirty", or None."""
    if token.isdigit():
        return int(token)
    return spelled_value(token) if SPELLED_NUMBER.fullmatch(token) else None


def code_strings(source):
    """The string literals of a code cell (titles and labels a figure writes)."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING:
                found.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def lastp_problems(nb):
    """'The last N merges' said of a drawn tree: in a chapter that truncates with
    ``truncate_mode='lastp', p=N``, or in a sentence about a truncated tree or a dendrogram."""
    drawn = {int(a or b) for cell in nb.cells if cell.cell_type == "code"
             for a, b in LASTP_CALL.findall(cell.source)}
    found = []
    for number, cell, _ in sections(nb):
        texts = ([readable(cell.source)] if cell.cell_type == "markdown"
                 else comments(cell.source)[0] + code_strings(cell.source))
        for text in texts:
            for match in LAST_MERGES.finditer(text):
                count = spelled_or_digits(match.group(1).lower())
                start = max([0] + [m.end() for m in SENTENCE_END.finditer(text[:match.start()])])
                end = SENTENCE_END.search(text, match.end())
                sentence = text[start:end.start() if end else len(text)]
                if count is not None and (count in drawn or DRAWN_TREE.search(sentence)):
                    found.append(f"cell {number} says '{' '.join(match.group(0).split())}' of a drawn tree: truncated "
                                 f"with truncate_mode='lastp', p={count}, it draws {count} leaves and "
                                 f"{count - 1} merges; say 'the last {count} clusters' or "
                                 f"'its top {count - 1} merges'")
    return found


def range_problems(nb):
    """A claim over every k ("for any other k") that does not say which k it covers."""
    found = []
    for number, cell, _ in sections(nb):
        if cell.cell_type != "markdown":
            continue
        text = readable(cell.source)
        for match in EVERY_K.finditer(text):
            after = text[match.end():match.end() + 40]
            sentence_start = max([0] + [m.end() for m in SENTENCE_END.finditer(text[:match.start()])])
            sentence = text[sentence_start:match.end() + 40]
            if not NUMBER.search(sentence) or K_RANGE.match(after.lstrip(" (")):
                continue
            context = " ".join(text[max(0, match.start() - 50):match.end() + 10].split())
            found.append(f"cell {number} makes a claim over '{match.group(0)}' ('...{context}...') "
                         "without saying which k it covers: numbers cover only the k they were "
                         "computed for; say 'for k = 3 to 7' (or check every k)")
    return found


def length_problems(nb):
    """A main path longer than MAIN_PATH_MINUTES."""
    minutes = reading_minutes(nb, "main")
    if minutes <= MAIN_PATH_MINUTES:
        return []
    return [f"its main path takes about {minutes:.1f} minutes to read (prose at {WORDS_PER_MINUTE} "
            f"words a minute, {SECONDS_PER_CODE_CELL} s a code cell), over {MAIN_PATH_MINUTES}: "
            "the exercises need the rest of twenty minutes. Move depth into sections headed "
            "'## Going deeper: ...', or out of the chapter"]


def assigned_and_used(source):
    """The names a code cell assigns (or imports, or defines) and the names it reads."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    assigned, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (assigned if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assigned.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            assigned.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return assigned, used


def exercise_problems(nb):
    """Exercises whose question does not come before their solution, whose options the
    question does not list, or that need an optional section without saying so.

    (That each exercise has its answer cell, its closed solution and a complete
    self-check specification is tools/notebooks.py's check; that its self-check
    holds, nbval's, through tools/exercises.py.)"""
    found, questions = [], {}
    main_names, optional_names = set(), set()
    for number, cell, section in sections(nb):
        if cell.cell_type == "markdown" and section == "exercises":
            for match in EXERCISE.finditer(cell.source):
                questions[int(match.group(1))] = cell.source
        code = code_of(cell)
        if code is None:
            continue
        assigned, used = assigned_and_used(code)
        if section == "main":
            main_names |= assigned
        elif section == "optional":
            optional_names |= assigned
        if not is_solution(cell):
            continue
        exercise = solution_number(cell)
        where = f"cell {number} (the solution to exercise {exercise})"
        if exercise is not None and exercise not in questions:
            found.append(f"{where} comes before its question '**{exercise}.**'")
        spec = cell.metadata.get("exercise") or {}
        if spec.get("kind") == "choice":
            missing = [o for o in spec.get("options", []) if str(o).lower() not in questions.get(exercise, "").lower()]
            if missing:
                found.append(f"{where} has options its question does not list: {missing}")
        needs = sorted((used - assigned) & (optional_names - main_names))
        question = questions.get(exercise, "")
        if needs and "going deeper" not in question.lower() and "optional" not in question.lower():
            found.append(f"{where} uses {', '.join(needs)}, which only an optional section defines: "
                         "the question must say that it needs that section, or use the main path only")
    return found


READING_CHECKS = {"lastp": lastp_problems, "range": range_problems, "length": length_problems,
                  "structure": structure_problems, "exercise": exercise_problems}


def reading_problems(path, pending=None):
    """What a reader would take wrongly in one chapter: a list of (kind, sentence), the
    kinds that :data:`PENDING` lists for it left out."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    pending = (PENDING if pending is None else pending).get(path.name, {})
    return [(kind, problem) for kind, check in READING_CHECKS.items() if kind not in pending
            for problem in check(nb)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    titles = chapter_titles()
    failed = 0
    pending = 0
    for path in args.notebooks or COURSE.chapters():
        for problem in problems(path, titles=titles) + [p for _, p in reading_problems(path)]:
            print(f"{path}: {problem}")
            failed += 1
        pending += len(PENDING.get(Path(path).name, {}))
    if pending:
        print(f"({pending} kinds of problem pending in PENDING of tools/prose.py, each fixed on another branch)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
