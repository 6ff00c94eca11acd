"""The merge stepper (helpers/stepper.py): every step is SciPy's own Z, said in words that
state what Z[i] says; the tree is drawn where SciPy's dendrogram draws it; the output
carries a static rendering (the module and the data inline, no network) under 25 KB for
n <= 50; bad input is refused with messages that name the argument.

CASES are the small trees that the browser test (tests/test_stepper_browser.py) steps
through live and on a static page: the four methods the course compares, a tie and an
inversion."""

import json
import re
import warnings
import xml.etree.ElementTree as ElementTree
from urllib.parse import unquote

import anywidget
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import ClusterWarning, dendrogram, leaves_list, linkage

from helpers.plotting import CONTEXT_GREY, PALETTE
from helpers.stepper import COLOURS, MAX_SAMPLES, METHODS, MergeStepper, _compact, _module_source
from tools.course import WIDGET_VIEW

#: Seven points on which single, complete, average and Ward linkage build four different trees.
POINTS = [[1.3, 5.0], [6.0, 0.3], [1.5, 9.3], [0.7, 1.3], [9.5, 6.2], [3.7, 5.1], [6.6, 2.8]]
#: name -> (samples, method): what the browser test steps through.
CASES = {
    "single": (POINTS, "single"),
    "complete": (POINTS, "complete"),
    "average": (POINTS, "average"),
    "ward": (POINTS, "ward"),
    # Three merges at the same height, 1, then two at 4.
    "tie": ([[0, 0], [1, 0], [5, 0], [6, 0], [0, 4], [1, 4]], "single"),
    # Sample 2 is 1.8 from the midpoint of samples 0 and 1, which merge at 2: a drop.
    "inversion": ([[0, 0], [2, 0], [1, 1.8], [6, 5], [7, 5.5], [9, 0]], "centroid"),
}
SIZE_LIMIT = 25_000  # bytes per stepper output, for n <= 50


def said(Z, step, decimals=5):
    """What the stepper must say at `step`, written from Z alone (not with the helper's code)."""
    n = len(Z) + 1
    if step == 0:
        return f"Step 0 of {n - 1}: no merge yet; {n} clusters, one per sample."
    row = step - 1
    a, b, height, size = Z[row]
    names = [f"sample {int(i)}" if i < n else f"cluster {int(i)} (formed in row {int(i) - n})" for i in (a, b)]
    remain = "1 cluster remains" if n - step == 1 else f"{n - step} clusters remain"
    text = (f"Step {step} of {n - 1}: row {row} of Z merges {names[0]} and {names[1]} at height "
            f"{height:.{decimals}f} into cluster {n + row}, of {int(size)} samples; {remain}.")
    if row > 0 and Z[row, 2] < Z[row - 1, 2]:
        text += f" It is lower than the merge before it ({Z[row - 1, 2]:.{decimals}f}): an inversion."
    return text


@st.composite
def samples(draw):
    """2 to 14 samples in the plane, on a coarse grid (so that ties are common)."""
    n = draw(st.integers(2, 14))
    coords = draw(st.lists(st.integers(-4, 4), min_size=2 * n, max_size=2 * n))
    return np.array(coords, dtype=float).reshape(n, 2)


# -- every step is SciPy's Z ----------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(samples(), st.sampled_from(METHODS), st.integers(0, 6))
def test_every_step_is_a_row_of_scipys_z_said_in_words(X, method, decimals):
    stepper = MergeStepper(X, method, decimals=decimals)
    with warnings.catch_warnings():  # a square X may look like a distance matrix to SciPy
        warnings.simplefilter("ignore", ClusterWarning)
        Z = linkage(X, method)
    assert np.array_equal(stepper.Z, Z)
    assert stepper.tree["rows"] == [[int(a), int(b), f"{h:.{decimals}f}", int(s)] for a, b, h, s in Z]
    assert stepper.sentences == tuple(said(Z, s, decimals) for s in range(len(X)))
    assert stepper.tree["drops"] == [r for r in range(1, len(Z)) if Z[r, 2] < Z[r - 1, 2]]


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_steps_through_its_tree(name):
    X, method = CASES[name]
    stepper = MergeStepper(X, method)
    Z = linkage(X, method)
    assert stepper.n == len(X) and stepper.method == method
    for step in range(len(X)):
        stepper.step = step
        assert stepper.sentence == said(Z, step)
        assert stepper.row == (step - 1 if step else None)


def test_the_four_methods_build_four_different_trees():
    methods = ("single", "complete", "average", "ward")
    merges = {tuple(tuple(row[:2]) for row in MergeStepper(*CASES[m]).tree["rows"]) for m in methods}
    assert len(merges) == 4


def test_a_tie_and_an_inversion_are_said_as_z_says_them():
    tie = MergeStepper(*CASES["tie"])
    assert [row[2] for row in tie.tree["rows"]] == ["1.00000"] * 3 + ["4.00000"] * 2
    assert tie.tree["drops"] == []
    inversion = MergeStepper(*CASES["inversion"])
    assert inversion.tree["drops"] == [2]
    assert inversion.sentences[3] == (
        "Step 3 of 5: row 2 of Z merges sample 2 and cluster 7 (formed in row 1) at height 1.80000 "
        "into cluster 8, of 3 samples; 3 clusters remain. It is lower than the merge before it "
        "(2.00000): an inversion.")
    # The drawn link of row 2 goes down from its child's height (2) to its own (1.8).
    xa, xb, ya, yb, y = inversion.tree["links"][2]
    assert y < yb and yb == pytest.approx(2 / inversion.Z[:, 2].max(), abs=1e-4)


@settings(max_examples=100, deadline=None)
@given(samples(), st.sampled_from(METHODS))
def test_the_tree_is_drawn_where_scipys_dendrogram_draws_it(X, method):
    stepper = MergeStepper(X, method)
    Z, n = stepper.Z, len(X)
    drawn = dendrogram(Z, no_plot=True)
    assert stepper.tree["leaves"] == drawn["leaves"] == leaves_list(Z).tolist()
    top = Z[:, 2].max() or 1.0
    ours = sorted(tuple(np.round([xa, xa, xb, xb, ya, y, y, yb], 3))
                  for xa, xb, ya, yb, y in stepper.tree["links"])
    scipys = sorted(tuple(np.round(np.concatenate([np.array(i) / (10 * n), np.array(d) / top]), 3))
                    for i, d in zip(drawn["icoord"], drawn["dcoord"], strict=True))
    np.testing.assert_allclose(ours, scipys, atol=2e-3)


def test_points_keep_their_shape_in_the_unit_square():
    stepper = MergeStepper([[0, 0], [4, 0], [4, 2]], "single")
    assert stepper.tree["points"] == [[0, 0.25], [1, 0.25], [1, 0.75]]
    same = MergeStepper([[1, 1], [1, 1], [1, 1]], "single")
    assert same.tree["points"] == [[0.5, 0.5]] * 3
    assert same.tree["ticks"] == [[0.0, "0"]] and same.tree["rows"][0][2] == "0.00000"


def test_the_colours_are_the_courses():
    assert COLOURS == (PALETTE[0], PALETTE[2], CONTEXT_GREY)
    assert MergeStepper(POINTS).tree["colours"] == list(COLOURS)


def test_python_sets_and_reads_the_step():
    stepper = MergeStepper(POINTS, "ward", step=2)
    assert stepper.step == 2 and stepper.row == 1
    stepper.step = np.int64(6)
    assert stepper.step == 6 and type(stepper.step) is int
    assert stepper.sentence.endswith("1 cluster remains.")
    assert repr(stepper) == "MergeStepper of 7 samples (ward linkage), step 6 of 6"


# -- the output: a widget, and a static page with no network --------------------------


def bundle(stepper):
    data, _ = stepper._repr_mimebundle_()
    return data


def test_the_output_is_a_widget_with_a_static_rendering():
    stepper = MergeStepper(POINTS, "average")
    data = bundle(stepper)
    assert set(data) == {"text/plain", "text/html", WIDGET_VIEW}
    assert data["text/plain"] == "MergeStepper of 7 samples (average linkage), step 0 of 6"
    assert data[WIDGET_VIEW]["model_id"] == stepper.model_id
    page = data["text/html"]
    assert _compact(_module_source()) in page, "the module, inline"
    key = re.search(r'data-course-stepper="(\w+)"', page).group(1)
    call = re.search(rf'boot\("{key}", (.*), 0\);\n</script>$', page)
    assert call and json.loads(call.group(1)) == stepper.tree, "the data, inline, as the widget has it"


def test_the_output_is_the_same_whatever_the_base_class_returns(monkeypatch):
    """anywidget returns (data, metadata); ipywidgets, and older anywidget releases, the data alone."""
    stepper = MergeStepper(POINTS, "single")
    view = {WIDGET_VIEW: {"model_id": stepper.model_id, "version_major": 2, "version_minor": 1}}
    monkeypatch.setattr(anywidget.AnyWidget, "_repr_mimebundle_", lambda self, **kwargs: dict(view))
    data, metadata = stepper._repr_mimebundle_()
    assert data == {**view, "text/plain": repr(stepper), "text/html": stepper.to_html()} and metadata == {}


def test_the_static_rendering_is_the_same_every_time_and_follows_the_step():
    one, two = MergeStepper(POINTS, "ward"), MergeStepper(POINTS, "ward")
    assert bundle(one)["text/html"] == bundle(two)["text/html"]
    two.step = 3
    assert bundle(one)["text/html"] != bundle(two)["text/html"]
    assert bundle(two)["text/html"].endswith(", 3);\n</script>")


def test_the_static_rendering_fetches_nothing_and_cannot_end_its_script_early():
    page = MergeStepper(POINTS, "single").to_html()
    module = _module_source()
    assert "</" not in module and "<!--" not in module, "the module must be embeddable in <script>"
    assert not re.search(r"\bimport\b|fetch\(|XMLHttpRequest|src=['\"]?http", page)
    assert re.findall(r"https?://[^\s'\")]+", page) == ["http://www.w3.org/2000/svg"] * 2, \
        "the only URLs are SVG's namespace (in the module and the picture), never fetched"
    assert page.count("<script") == 1 and page.count("</script>") == 1


def test_the_static_rendering_shows_a_note_and_the_whole_tree_where_no_script_runs():
    page = MergeStepper(*CASES["inversion"]).to_html()
    note, alt, source = re.search(r'<p>(.*?)</p><img alt="([^"]*)" src="data:image/svg\+xml,([^"]*)">', page).groups()
    assert "Run All Cells" in note and "6 samples, centroid linkage" in note
    assert alt.startswith("The whole tree the stepper builds") and "all 5 merges" in alt
    picture = ElementTree.fromstring(unquote(source))  # a well-formed SVG
    assert picture.tag == "{http://www.w3.org/2000/svg}svg"
    assert not set(source) & set('<>"#%') - {"%"} and "<" not in source


@pytest.mark.parametrize("method", ["single", "ward", "centroid"])
def test_an_output_of_50_samples_weighs_under_25_kb(X, method):
    stepper = MergeStepper(X[::3], method)  # 50 samples, both clouds
    assert stepper.n == MAX_SAMPLES
    size = len(json.dumps(bundle(stepper)).encode())
    assert size < SIZE_LIMIT, f"{size} bytes"


def test_a_chain_of_50_samples_weighs_under_25_kb():
    chain = np.column_stack([np.arange(50) ** 1.5, np.zeros(50)])  # single linkage: one long chain
    stepper = MergeStepper(chain, "single")
    assert len(json.dumps(bundle(stepper)).encode()) < SIZE_LIMIT


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("X, error, words", [
    ([[0, 0, 0], [1, 1, 1]], ValueError, r"X must have 2 columns .* got 3"),
    ([[0, 0]], ValueError, r"X must hold from 2 to 50 samples .* got 1"),
    (np.zeros((51, 2)), ValueError, r"X must hold from 2 to 50 samples .* got 51.* X\[::2\]"),
    ([[0, 0], [np.nan, 1]], ValueError, "X contains NaN"),
    ([[0, 0], [1j, 1]], TypeError, "X holds complex numbers"),
    ([0, 1, 2], ValueError, "X must be 2-D"),
    ("points", TypeError, "X must be an array of numbers"),
])
def test_a_bad_X_is_refused(X, error, words):
    with pytest.raises(error, match=words):
        MergeStepper(X)


@pytest.mark.parametrize("method", ["Ward", "kmeans", None, 3])
def test_a_bad_method_is_refused(method):
    with pytest.raises(ValueError, match=r"method must be one of 'single', .*'ward'; got"):
        MergeStepper(POINTS, method)


@pytest.mark.parametrize("step, error, words", [
    (-1, ValueError, "step must be between 0 and 6; got -1"),
    (7, ValueError, "step must be between 0 and 6; got 7"),
    (2.5, TypeError, "step must be a whole number between 0 and 6"),
    (True, TypeError, "step must be a whole number"),
    ("3", TypeError, "step must be a whole number"),
])
def test_a_bad_step_is_refused_at_the_start_and_later(step, error, words):
    with pytest.raises(error, match=words):
        MergeStepper(POINTS, step=step)
    stepper = MergeStepper(POINTS, step=4)
    with pytest.raises(error, match=words):
        stepper.step = step
    assert stepper.step == 4, "a refused step leaves the stepper where it was"


@pytest.mark.parametrize("decimals, error, words", [
    (-1, ValueError, "decimals must be between 0 and 10; got -1"),
    (11, ValueError, "decimals must be between 0 and 10; got 11"),
    (2.0, TypeError, "decimals must be a whole number"),
])
def test_bad_decimals_are_refused(decimals, error, words):
    with pytest.raises(error, match=words):
        MergeStepper(POINTS, decimals=decimals)
