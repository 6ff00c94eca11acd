"""The exercises' self-check (helpers/exercises.py): tolerant of every right form, never fooled by a wrong one.

Each chapter's own exercises are verified under nbval, in the chapter's
kernel (tools/exercises.py's ``expand``: the solution's answer and its
other right forms pass, each known mistake gets its hint, each wrong
answer fails, the answer shows nowhere outside the solution). Here, the
kinds of answer one by one, and many generated answers.
"""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import exercises
from helpers.exercises import KINDS, FormError, SelfCheck, _build_entry, canonical, self_check
from tools.course import COURSE


def make(kind, answer, mistakes=(), **spec):
    entry = _build_entry("demo", 1, {"kind": kind, **spec}, answer=answer, mistakes=mistakes)
    return SelfCheck("demo", {"1": entry})


def right(check, answer):
    return check.verdict(1, answer)[0]


# --- What counts as the same answer ---


def test_a_number_is_right_at_the_chapter_precision_or_finer():
    check = make("number", 4.652731, decimals=2)
    for answer in (4.65, 4.653, 4.6527, 4.652731, np.float64(4.652731), np.float32(4.65), np.array([4.65])):
        assert right(check, answer), answer
    for answer in (4.66, 4.64, 4.6, 5, -4.65, 46.5):
        assert not right(check, answer), answer


def test_a_number_given_too_coarsely_is_close_not_right():
    check = make("number", 4.652731, decimals=2)
    assert check.verdict(1, 4.7) == (False, "Exercise 1: not yet, but close: your answer is not right to 2 decimals.")


def test_an_integer_accepts_any_whole_number_type():
    check = make("integer", 4)
    for answer in (4, 4.0, np.int64(4), np.float64(4.0), np.array(4)):
        assert right(check, answer), answer
    for answer in (3, 5, 4.5, -4):
        assert not right(check, answer)


def test_text_ignores_case_and_spaces():
    check = make("text", "ward")
    for answer in ("ward", "Ward", " WARD ", "'ward'", np.str_("ward")):
        assert right(check, answer), answer
    assert not right(check, "single")


def test_a_choice_must_be_one_of_the_options():
    check = make("choice", "b", options=["a", "b", "c"])
    assert right(check, "B")
    assert not right(check, "a")
    assert check.verdict(1, "d")[1] == ("Exercise 1: not yet. The answer is one of the options 'a', 'b', 'c'; "
                                        "you gave 'd'.")


def test_samples_are_a_set_in_any_order_and_container():
    check = make("samples", [4, 40, 127])
    for answer in ([4, 40, 127], [127, 40, 4], (40, 4, 127), {4, 40, 127}, np.array([127, 4, 40]),
                   np.array([4.0, 40.0, 127.0])):
        assert right(check, answer), answer
    assert right(make("samples", [4, 5]), range(4, 6))
    assert right(check, ["127", "40", "4"]), "labels as a dendrogram's ivl writes them"
    assert not right(check, ["127", "40", "(4)"])
    assert not right(check, [4, 40])
    assert not right(check, [4, 40, 127, 128])
    assert "appears twice" in check.verdict(1, [4, 4, 40, 127])[1]


def test_a_sequence_keeps_its_order():
    check = make("sequence", [3, 1, 2])
    assert right(check, [3, 1, 2]) and right(check, np.array([3, 1, 2]))
    assert not right(check, [1, 2, 3])


def test_a_partition_may_number_its_clusters_any_way():
    labels = [1, 1, 2, 2, 3]
    check = make("partition", labels)
    for answer in ([5, 5, 0, 0, 9], ["a", "a", "b", "b", "c"], np.array([2, 2, 1, 1, 0]), (7, 7, 8, 8, 6)):
        assert right(check, answer), answer
    assert not right(check, [1, 1, 1, 2, 3])
    assert not right(check, [1, 2, 2, 2, 3])
    assert check.verdict(1, [1, 1, 2])[1] == (
        "Exercise 1: not yet. The answer gives one cluster label per sample: 5 labels; yours has 3.")


def test_known_mistakes_get_their_own_hints():
    check = make("number", 12.4273, decimals=2, mistakes=[(12.3, "Read the height of the merge, not its row."),
                                                          (13.0, "That is one merge too high.")])
    assert check.verdict(1, 12.30) == (False, "Exercise 1: not yet. Hint: Read the height of the merge, not its row.")
    assert check.verdict(1, 13.001)[1].endswith("Hint: That is one merge too high.")
    assert check.verdict(1, 11.0) == (False, "Exercise 1: not yet.")


def test_a_general_hint_is_given_for_other_wrong_answers():
    check = make("integer", 3, hint="Count the vertical lines the cut crosses.")
    assert check.verdict(1, 7)[1] == "Exercise 1: not yet. Hint: Count the vertical lines the cut crosses."


@pytest.mark.parametrize("kind, answer, given, words", [
    ("number", 4.65, "4.65", "The answer is a number, such as 4.65; you gave a str ('4.65')."),
    ("number", 4.65, True, "you gave a bool"),
    ("number", 4.65, float("nan"), "not a finite number"),
    ("number", 4.65, [4.65, 1.0], "you gave a list"),
    ("integer", 3, 3.5, "which has a fractional part"),
    ("integer", 3, None, "you gave a NoneType"),
    ("samples", [1, 2], 12, "The answer is a list of sample indices"),
    ("samples", [1, 2], "1, 2", "you gave a str"),
    ("samples", [1, 2], np.array([[1, 2]]), "a flat list; you gave an array of shape (1, 2)"),
    ("samples", [1, 2], [1, 2.5], "which has a fractional part"),
    ("partition", [1, 2], [[1], [2]], "some of your labels are lists or arrays"),
    ("text", "ward", 3, "The answer is a word or a name, as a string"),
])
def test_an_answer_of_the_wrong_form_is_told_what_to_give(kind, answer, given, words):
    check = make(kind, answer)
    ok, message = check.verdict(1, given)
    assert not ok and message.startswith("Exercise 1: not yet. ") and words in message


def test_an_unanswered_exercise_says_what_to_do():
    check = make("integer", 3)
    assert check.verdict(1, ...) == (False, "Exercise 1: not answered yet. Replace the ... with your answer, "
                                            "then run the cell again.")


def test_check_prints_its_verdict(capsys):
    make("integer", 3)(1, 3)
    assert capsys.readouterr().out == ("Exercise 1: right. Open the solution to compare your way with it "
                                       "(a self-check, not a grade).\n")


def test_an_unknown_exercise_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="demo has no exercise 2: its exercises are 1"):
        make("integer", 3)(2, 3)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind of answer 'colour'; the kinds are number, integer"):
        canonical("colour", 1, {})


# --- Nothing of the answer is stored in plain text ---


@pytest.mark.parametrize("kind, answer, spec", [
    ("number", 20.11863, {"decimals": 5}), ("integer", 127, {}), ("text", "centroid", {}),
    ("samples", [4, 40, 127], {}), ("partition", [3, 3, 1, 2], {}), ("sequence", [52, 53], {}),
])
def test_an_entry_holds_fingerprints_not_the_answer(kind, answer, spec):
    text = json.dumps(_build_entry("demo", 1, {"kind": kind, **spec}, answer=answer))
    for form in {str(answer), "20.1186", "127", "centroid", "4, 40", "4,40", "3,3,1", "0,0,1", "52,53"}:
        assert form not in text


def test_the_same_answer_has_another_fingerprint_in_another_exercise():
    one = _build_entry("demo", 1, {"kind": "integer"}, answer=3)["right"]
    two = _build_entry("demo", 2, {"kind": "integer"}, answer=3)["right"]
    other = _build_entry("other", 1, {"kind": "integer"}, answer=3)["right"]
    assert one != two and one != other


def test_every_stored_self_check_holds_fingerprints_only():
    """No chapter's self-check file stores an answer in a readable form (the fields are the kind,
    its precision or options, fingerprints of 24 hex digits, and hints)."""
    folder = COURSE.helpers / "_checks"
    files = sorted(folder.glob("*.json"))
    chapters = {path.stem for path in COURSE.chapters()}
    for path in files:
        assert path.stem in chapters, f"{path.name} belongs to no chapter: remove it"
        for number, entry in json.loads(path.read_text())["exercises"].items():
            assert set(entry) <= {"kind", "decimals", "options", "hint", "n", "right", "close", "mistakes"}
            for pair in entry["right"] + entry.get("close", []) + entry["mistakes"]:
                assert len(pair[1]) == 24 and int(pair[1], 16) >= 0, (path.name, number)


# --- Many answers: the right one in every form passes, no other one does ---


def rounded(x, places):
    text = f"{x:.{places}f}"
    return text.lstrip("-") if text.lstrip("-").strip("0.") == "" else text


@settings(max_examples=80, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 5), st.floats(-1e6, 1e6, allow_nan=False))
def test_a_number_passes_exactly_when_it_rounds_like_the_answer(answer, decimals, other):
    check = make("number", answer, decimals=decimals)
    assert right(check, answer)
    places = range(decimals, decimals + exercises.EXTRA_DECIMALS + 1)
    agrees = any(rounded(other, p) == rounded(answer, p) for p in places)
    assert right(check, other) == agrees
    if abs(other - answer) > 10 ** -decimals:
        assert not right(check, other), "further apart than the printed precision"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=30), st.permutations(list(range(7))),
       st.lists(st.integers(0, 6), min_size=1, max_size=30))
def test_a_partition_passes_under_any_renumbering_and_nothing_else(labels, renumber, other):
    check = make("partition", labels)
    assert right(check, [renumber[label] for label in labels])
    same_grouping = len(other) == len(labels) and all(
        (labels[i] == labels[j]) == (other[i] == other[j]) for i in range(len(labels)) for j in range(len(labels)))
    assert right(check, other) == same_grouping


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 200), max_size=12), st.sets(st.integers(0, 200), max_size=12))
def test_samples_pass_exactly_when_they_are_the_same_set(answer, other):
    check = make("samples", sorted(answer))
    assert right(check, list(answer)) and right(check, set(answer))
    assert right(check, sorted(other)) == (other == answer)


# --- The chapters' self-checks ---


def test_self_check_refuses_a_name_that_is_no_chapter():
    with pytest.raises(TypeError, match="chapter must be a chapter's file name without .ipynb"):
        self_check(4)
    for bad in ("../pyproject", "04_the_dendrogram.ipynb", ""):
        with pytest.raises(ValueError, match="chapter must be a chapter's file name without .ipynb"):
            self_check(bad)
    with pytest.raises(ValueError, match="there is no self-check for chapter '99_nothing'"):
        self_check("99_nothing")(1, 3)


def test_a_self_check_reads_its_file_once():
    """A check does a few hashes; the chapter's file is read at the first check only
    (the time it takes is measured by `make bench`, not here)."""
    reads = []
    original = exercises._read_checks

    def counting(chapter):
        reads.append(chapter)
        return {"1": _build_entry(chapter, 1, {"kind": "partition"}, answer=list(range(300)))}

    exercises._read_checks = counting
    try:
        check = self_check("04_the_dendrogram")
        for _ in range(20):
            check.verdict(1, list(range(300)))
    finally:
        exercises._read_checks = original
    assert reads == ["04_the_dendrogram"]


def test_kinds_are_described_in_plain_words():
    assert set(KINDS) == {"number", "integer", "text", "choice", "samples", "sequence", "partition"}


def test_form_error_is_a_value_error():
    assert issubclass(FormError, ValueError)
