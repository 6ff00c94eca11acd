"""Self-checks for the chapters' exercises: right, or not yet, with a hint.

Every chapter ends with exercises. Under each one is a cell for the
learner's answer, and a call that checks it::

    answer_2 = ...       # replace ... with your answer
    check(2, answer_2)

where the chapter made ``check = helpers.self_check("04_the_dendrogram")``
once, above its first exercise. :func:`self_check` prints one line: that the
answer is right; that it is *not yet* right, with a hint aimed at the
mistake when it is a known one (a row counted from 1, ``maxclust`` where a
distance was meant, ...); or, for an answer of the wrong form, what form the
exercise expects. It is a self-check for the learner, not a grade: the
graded assignments are nbgrader's (``assignments/``).

It never shows the expected value. The answers are stored as salted SHA-256
fingerprints of a canonical form (``helpers/_checks/<chapter>.json``, written
by the course's regenerate command from each exercise's solution), so that
no answer stands in the course's files in plain text. The canonical form is
what makes the check tolerant:

============  ==========================================================
kind          what counts as the same answer
============  ==========================================================
number        the same value to the precision the chapter prints, or
              more (4.65, 4.653 and the exact 4.65273... all match 4.65273
              printed to 2 or 5 decimals)
integer       the same whole number (``4``, ``np.int64(4)``, ``4.0``)
text          the same word, whatever the case or surrounding spaces
choice        one of the options the exercise lists, as text
samples       the same set of sample indices, in any order, as a list,
              tuple, set, range or array
sequence      the same integers in the same order
partition     the same grouping of the samples, however the clusters are
              numbered (``[1, 1, 2]`` and ``[5, 5, 0]`` are the same)
============  ==========================================================

Examples
--------
A check made from its data directly (the chapters read theirs from
``helpers/_checks/``):

>>> entry = _build_entry("demo", 1, {"kind": "integer"}, answer=4,
...                      mistakes=[(5, "Count the clusters, not the merges.")])
>>> check = SelfCheck("demo", {"1": entry})
>>> check(1, ...)
Exercise 1: not answered yet. Replace the ... with your answer, then run the cell again.
>>> check(1, 4.0)
Exercise 1: right. Open the solution to compare your way with it (a self-check, not a grade).
>>> check(1, 5)
Exercise 1: not yet. Hint: Count the clusters, not the merges.
>>> check(1, "4")
Exercise 1: not yet. The answer is a whole number, such as 3; you gave a str ('4').
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from importlib import resources

import numpy as np

__all__ = ["SelfCheck", "self_check", "KINDS"]

#: The kinds of answer a self-check understands, and how each is described to the learner.
KINDS = {
    "number": "a number",
    "integer": "a whole number",
    "text": "a word or a name, as a string",
    "choice": "one of the options the exercise lists, as a string",
    "samples": "a list of sample indices",
    "sequence": "a list of whole numbers, in order",
    "partition": "one cluster label per sample",
}
#: How many more decimals than the chapter prints a number answer may carry.
EXTRA_DECIMALS = 8
_RIGHT = "right. Open the solution to compare your way with it (a self-check, not a grade)."


class FormError(ValueError):
    """An answer that is not of the form the exercise asks for (the message says what is expected)."""


# --- Canonical forms ------------------------------------------------------------------


def _short(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _refuse(kind, value, example):
    raise FormError(f"The answer is {KINDS[kind]}, such as {example}; you gave a "
                    f"{type(value).__name__} ({_short(value)}).")


def _as_real(value, kind="number", example="4.65"):
    """A real number from a Python or NumPy number, or an array holding one."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        _refuse(kind, value, example)
    number = float(value)
    if not math.isfinite(number):
        raise FormError(f"The answer is {KINDS[kind]}; you gave {number}, which is not a finite number.")
    return number


def _as_whole(value, kind="integer", example="3"):
    if isinstance(value, (str, bytes)):
        _refuse(kind, value, example)
    number = _as_real(value, kind, example)
    if not number.is_integer():
        raise FormError(f"The answer is {KINDS[kind]}; you gave {_short(value)}, which has a fractional part.")
    return int(number)


def _as_text(value, kind="text", example="'ward'"):
    if isinstance(value, np.str_):
        value = str(value)
    if not isinstance(value, str):
        _refuse(kind, value, example)
    return " ".join(value.strip().strip("'\"").split()).casefold()


def _as_list(value, kind, example):
    """The items of a list-like answer (a list, tuple, set, range, NumPy array or pandas object)."""
    if isinstance(value, (str, bytes, dict)) or value is None or isinstance(value, numbers.Number):
        _refuse(kind, value, example)
    if hasattr(value, "to_numpy"):  # a pandas Series or Index
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise FormError(f"The answer is {KINDS[kind]}, a flat list; you gave an array of shape {value.shape}.")
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    try:
        return list(value)
    except TypeError:
        _refuse(kind, value, example)


def canonical(kind, value, spec):
    """The canonical forms of an answer: a list of ``(key, text)`` pairs.

    Two answers of one exercise are the same when a key gives the same text
    for both. Raises :class:`FormError`, saying what the exercise expects,
    when `value` is not of the form `kind`.
    """
    if kind == "number":
        number = _as_real(value)
        decimals = spec.get("decimals", 0)
        forms = []
        for places in range(decimals + EXTRA_DECIMALS + 1):
            text = f"{number:.{places}f}"
            if text.lstrip("-").strip("0.") == "":
                text = text.lstrip("-")  # -0.00 is 0.00
            forms.append((f"d{places}", text))
        return forms
    if kind == "integer":
        return [("int", str(_as_whole(value)))]
    if kind == "text":
        return [("text", _as_text(value))]
    if kind == "choice":
        text = _as_text(value, "choice", repr(spec["options"][0]))
        options = [_as_text(option) for option in spec["options"]]
        if text not in options:
            listed = ", ".join(repr(option) for option in spec["options"])
            raise FormError(f"The answer is one of the options {listed}; you gave {_short(value)}.")
        return [("text", text)]
    if kind in ("samples", "sequence"):
        example = "[4, 40, 127]"
        # Sample labels as a dendrogram writes them ('127', from its "ivl") count as the samples.
        items = [_as_whole(int(item) if isinstance(item, str) and item.strip().isdigit() else item, kind, example)
                 for item in _as_list(value, kind, example)]
        if kind == "samples":
            seen = set()
            for item in items:
                if item in seen:
                    raise FormError(f"Sample {item} appears twice in your answer: list each sample once.")
                seen.add(item)
            items = sorted(items)
        return [(kind, ",".join(map(str, items)))]
    if kind == "partition":
        labels = _as_list(value, kind, "fcluster(Z, 3, 'maxclust')")
        size = spec.get("n")
        if size is not None and len(labels) != size:
            raise FormError(f"The answer gives one cluster label per sample: {size} labels; "
                            f"yours has {len(labels)}.")
        first = {}
        try:
            codes = [first.setdefault(label, len(first)) for label in labels]
        except TypeError:
            raise FormError("The answer gives one cluster label per sample, such as numbers or "
                            "names; some of your labels are lists or arrays.") from None
        return [("partition", ",".join(map(str, codes)))]
    raise ValueError(f"unknown kind of answer {kind!r}; the kinds are {', '.join(KINDS)}")


def fingerprint(salt, key, text):
    """A salted SHA-256 fingerprint of one canonical form (24 hex digits)."""
    return hashlib.sha256(f"{salt}\x1f{key}\x1f{text}".encode()).hexdigest()[:24]


# --- The check -------------------------------------------------------------------------


class SelfCheck:
    """The self-check of one chapter's exercises: ``check(number, answer)`` prints right or not yet.

    Parameters
    ----------
    chapter : str
        The chapter's file name without ``.ipynb``, such as ``"04_the_dendrogram"``.
    exercises : dict
        Each exercise's entry, by its number as a string, as
        :func:`_build_entry` makes it (the chapters read theirs from a file:
        :func:`self_check`).
    """

    def __init__(self, chapter, exercises):
        self.chapter = chapter
        self._exercises = None if exercises is None else dict(exercises)

    @property
    def exercises(self):
        """Each exercise's stored entry, by its number as a string (read from its file when first needed)."""
        if self._exercises is None:
            self._exercises = _read_checks(self.chapter)
        return self._exercises

    def __repr__(self):
        return f"<the self-check of {self.chapter}'s exercises: check(number, answer)>"

    def verdict(self, number, answer):
        """What :meth:`__call__` prints for this answer, as ``(right, message)``."""
        key = str(number)
        lead = f"Exercise {key}: "
        if answer is Ellipsis:
            return False, lead + "not answered yet. Replace the ... with your answer, then run the cell again."
        if key not in self.exercises:
            raise ValueError(f"{self.chapter} has no exercise {number!r}: its exercises are "
                             f"{', '.join(sorted(self.exercises, key=int))}.")
        entry = self.exercises[key]
        try:
            forms = dict(canonical(entry["kind"], answer, entry))
        except FormError as error:
            return False, lead + f"not yet. {error}"
        salt = f"{self.chapter}#{key}"
        prints = {key_: fingerprint(salt, key_, text) for key_, text in forms.items()}
        if any(prints.get(key_) == value for key_, value in entry["right"]):
            return True, lead + _RIGHT
        for key_, value, hint in entry.get("mistakes", []):
            if prints.get(key_) == value:
                return False, lead + f"not yet. Hint: {hint}"
        for key_, value in entry.get("close", []):
            if prints.get(key_) == value:
                return False, (lead + f"not yet, but close: your answer is not right to "
                               f"{entry['decimals']} decimals.")
        hint = entry.get("hint")
        return False, lead + "not yet." + (f" Hint: {hint}" if hint else "")

    def __call__(self, number, answer):
        """Print whether `answer` is right for exercise `number`, with a hint if not."""
        print(self.verdict(number, answer)[1])


def _read_checks(chapter):
    """A chapter's stored entries, from ``helpers/_checks/<chapter>.json``."""
    folder = resources.files("helpers") / "_checks"
    path = folder / f"{chapter}.json"
    if not path.is_file():
        known = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")) if folder.is_dir() else []
        raise ValueError(f"there is no self-check for chapter {chapter!r}; there are self-checks "
                         f"for {', '.join(known) or 'no chapter'}")
    return json.loads(path.read_text(encoding="utf-8"))["exercises"]


def self_check(chapter):
    """The self-check of a chapter's exercises, read from ``helpers/_checks/<chapter>.json``.

    Parameters
    ----------
    chapter : str
        The chapter's file name without ``.ipynb``, such as ``"04_the_dendrogram"``.

    Returns
    -------
    SelfCheck
        Call it as ``check(number, answer)``. It reads the chapter's file
        the first time it checks an answer.

    Raises
    ------
    TypeError
        If `chapter` is not a string.
    ValueError
        If `chapter` is not a chapter's name (the first check says so if the
        course has no self-check for it).
    """
    if not isinstance(chapter, str):
        raise TypeError(f"chapter must be a chapter's file name without .ipynb, such as "
                        f"'04_the_dendrogram'; got {type(chapter).__name__}")
    if not chapter or any(char in chapter for char in "/\\.") or chapter != chapter.strip():
        raise ValueError(f"chapter must be a chapter's file name without .ipynb and without a folder, "
                         f"such as '04_the_dendrogram'; got {chapter!r}")
    return SelfCheck(chapter, None)


# --- For the course's authors: building and verifying the fingerprints ------------------


def _build_entry(chapter, number, spec, *, answer, mistakes=()):
    """The stored entry of one exercise: its kind, the fingerprints of `answer`, and its known mistakes.

    `spec` holds the kind and what the kind needs (``decimals``,
    ``options``, a general ``hint``); `mistakes` is a list of
    ``(wrong answer, hint)``. Run by the regenerate command in the chapter's
    kernel, right after the exercise's solution.
    """
    kind = spec["kind"]
    entry = {"kind": kind}
    for field in ("decimals", "options", "hint"):
        if field in spec:
            entry[field] = spec[field]
    if kind == "number":
        entry.setdefault("decimals", 0)
    if kind == "partition":
        entry["n"] = len(_as_list(answer, kind, ""))
    salt = f"{chapter}#{number}"
    forms = canonical(kind, answer, entry)
    if kind == "number":
        # Right at the chapter's precision or finer; "close" one and two places coarser.
        decimals = entry["decimals"]
        entry["right"] = [[key, fingerprint(salt, key, text)] for key, text in forms[decimals:]]
        entry["close"] = [[key, fingerprint(salt, key, text)] for key, text in forms[max(0, decimals - 2):decimals]]
    else:
        entry["right"] = [[key, fingerprint(salt, key, text)] for key, text in forms]
    entry["mistakes"] = []
    for wrong, hint in mistakes:
        key, text = canonical(kind, wrong, entry)[entry.get("decimals", 0) if kind == "number" else 0]
        entry["mistakes"].append([key, fingerprint(salt, key, text), hint])
    return entry


def _visible_forms(kind, value, spec):
    """How an answer would look if a chapter printed it, for the answers distinctive enough to search for."""
    if kind == "number":
        forms = canonical(kind, value, spec)[spec.get("decimals", 0):]
        return sorted({text for _, text in forms if len(text.strip("-0.")) >= 3 and "." in text})
    if kind in ("samples", "sequence"):
        items = [_as_whole(item, kind, "") for item in _as_list(value, kind, "")]
        if len(items) < 3:
            return []
        orders = [items, sorted(items)] if kind == "samples" else [items]
        return sorted({joiner.join(map(str, order)) for order in orders for joiner in (", ", " ")})
    return []


def _verify(chapter, number, *, answer, right=(), mistakes=(), wrong=(), visible_text=None):
    """Check one exercise's stored self-check against its solution; raise AssertionError if it fails.

    The solution's `answer` and every other `right` form must pass; every
    known mistake must fail with its own hint; every `wrong` answer must
    fail. With `visible_text` (what the chapter shows a learner who has not
    opened the solution), the answer must not appear in it. Returns a line
    saying what was checked.
    """
    check = self_check(chapter)
    problems = []
    for label, value in [("the solution's answer", answer)] + [(f"right form {i}", v) for i, v in enumerate(right, 1)]:
        ok, message = check.verdict(number, value)
        if not ok:
            problems.append(f"{label} ({_short(value)}) does not pass: {message}")
    for i, (value, hint) in enumerate(mistakes, 1):
        ok, message = check.verdict(number, value)
        if ok or not message.endswith(f"Hint: {hint}"):
            problems.append(f"known mistake {i} ({_short(value)}) does not get its hint: {message}")
    for i, value in enumerate(wrong, 1):
        ok, message = check.verdict(number, value)
        if ok:
            problems.append(f"wrong answer {i} ({_short(value)}) passes")
    if visible_text is not None:
        entry = check.exercises[str(number)]
        for form in _visible_forms(entry["kind"], answer, entry):
            if form in visible_text:
                problems.append(f"the answer shows as {form!r} in the chapter outside the solution")
    if problems:
        raise AssertionError(f"exercise {number} of {chapter}: " + "; ".join(problems))
    return _verified(number, len(right), len(mistakes), len(wrong))


def _verified(number, right, mistakes, wrong):
    """The line :func:`_verify` returns when every check holds."""
    return (f"Exercise {number}'s self-check holds: {right + 1} right answers pass, "
            f"{mistakes} known mistakes get their hints, {wrong} wrong answers do not pass.")


def _visible_text(path):
    """What a chapter shows a learner who opens no solution: its markdown (but the
    solutions'), its code, and the text of its outputs (figures' pixels left out)."""
    import re

    with open(path, encoding="utf-8") as file:
        nb = json.load(file)
    parts = []
    for cell in nb["cells"]:
        if "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + [output.get("data", {}).get(mime, "")
                                                 for mime in ("text/plain", "text/html", "text/markdown")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                parts.append(re.sub(r'src="data:[^"]*"', "", text))
    return "\n".join(parts)
