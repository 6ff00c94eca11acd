"""A hostile fuzz of every public helper, kept as a property-based suite.

Every public name of :mod:`helpers` (the explorer aside: its own tests fuzz
it) is called with inputs drawn by Hypothesis, good and bad: arrays of odd
shapes and types (complex numbers of every NumPy type, objects, strings,
NaN, huge and tiny numbers, pandas-like and list inputs), numbers that are
not numbers, axes that cannot be drawn on. Each call must either give the
answer that SciPy or NumPy computes another way, or refuse with a TypeError
or ValueError (FileNotFoundError for a missing data file) whose message
names the argument at fault. Anything else, a RecursionError, an
OverflowError, NumPy's "truth value of an array is ambiguous", SciPy's
"Invalid truncation mode.", is a failure: a learner would meet it as a
confusing traceback.

Time budget: about 20 seconds on two shared cores for the whole module
(`.venv-test/bin/python -m pytest tests/test_fuzz.py`), set by each test's
``max_examples``; ``deadline=None`` because the machine is shared, and no
test measures time.
"""

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, maxdists
from scipy.spatial.distance import pdist

import helpers
from helpers.choosing_k import within_dispersion
from helpers.cutoff import cluster_members, distance_range, elbow, n_clusters_at

# A tree whose merges all lie at height 0 makes SciPy's axis a single point, which Matplotlib widens.
pytestmark = pytest.mark.filterwarnings("ignore:Attempting to set identical:UserWarning")

SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

COMPLEX = [complex(1, 1), np.complex64(1 + 1j), np.complex128(1 - 2j), np.clongdouble(3j)]


def refused(error, *names):
    """The error is a TypeError or ValueError whose message starts by naming one of `names`."""
    assert isinstance(error, (TypeError, ValueError)), f"{type(error).__name__}: {error}"
    message = str(error)
    assert any(re.search(rf"\b{re.escape(name)}\b", message) for name in names), message
    # A refusal says what to pass or do instead, in a sentence, not in a bare word.
    assert len(message) > 30 and message.rstrip().endswith((".", ")")), message


@st.composite
def samples(draw, min_n=2, max_n=30, m=None):
    """Finite samples with many ties (small integers), or spread reals."""
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(1, 3)) if m is None else m
    if draw(st.booleans()):
        values = st.integers(-4, 4).map(float)
    else:
        values = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
    return draw(hnp.arrays(float, (n, m), elements=values))


@st.composite
def trees(draw, min_n=2):
    X = draw(samples(min_n=min_n))
    method = draw(st.sampled_from(["single", "complete", "average", "weighted", "centroid", "median", "ward"]))
    return linkage(pdist(X), method) if method not in ("centroid", "median", "ward") else linkage(X, method)


def poisoned(arr, draw):
    """`arr` (float) as an object array with one entry replaced by something that is no real number."""
    bad = draw(st.sampled_from(COMPLEX + ["x", None, [1.0], {"a": 1}]))
    out = np.array(arr, dtype=object)
    index = tuple(draw(st.integers(0, s - 1)) for s in out.shape)
    out[index] = bad
    return out


not_a_number = st.sampled_from(["1", None, [1.0], np.array([1.0, 2.0]), 1 + 1j, np.complex64(1), True,
                                object()])


# -- the Z-only helpers against SciPy ------------------------------------------------

@settings(max_examples=120, **SETTINGS)
@given(trees(), st.data())
def test_the_cut_helpers_agree_with_scipy_or_refuse_by_name(Z, data):
    n = len(Z) + 1
    max_d = data.draw(st.one_of(st.floats(0, float(Z[:, 2].max()) * 1.5 + 1), st.sampled_from(list(Z[:, 2]))))
    assert n_clusters_at(Z, max_d) == len(np.unique(fcluster(Z, max_d, criterion="distance")))
    k = data.draw(st.integers(1, n))
    try:
        low, high = distance_range(Z, k)
    except ValueError as error:
        refused(error, f"k={k}")
        heights = np.sort(maxdists(Z))
        assert k < n and heights[n - k - 1] == heights[n - k] or heights[n - k] == 0
    else:
        assert n_clusters_at(Z, low) == k and (math.isinf(high) or n_clusters_at(Z, high) < k)
    idx = data.draw(st.integers(0, 2 * n - 2))
    members = cluster_members(Z, idx)
    order = list(leaves_list(Z))
    assert len(members) == (1 if idx < n else int(Z[idx - n, 3]))
    assert set(members) <= set(order)
    if n >= 4:
        assert elbow(Z) == elbow(Z)


@settings(max_examples=120, **SETTINGS)
@given(trees(), not_a_number)
def test_the_cut_helpers_refuse_what_is_no_height_or_count(Z, bad):
    for call, name in ((lambda: n_clusters_at(Z, bad), "max_d"), (lambda: distance_range(Z, bad), "k"),
                       (lambda: cluster_members(Z, bad), "idx")):
        with pytest.raises((TypeError, ValueError)) as info:
            call()
        refused(info.value, name)


@settings(max_examples=60, **SETTINGS)
@given(st.sampled_from([10**400, -(10**400), float("inf"), float("nan"), -1e-300, -5]))
def test_heights_no_float_can_hold_or_below_zero_are_refused_by_name(value):
    Z = linkage([[0.0], [1.0], [3.0]], "single")
    with pytest.raises(ValueError) as info:
        n_clusters_at(Z, value)
    refused(info.value, "max_d")


@settings(max_examples=120, **SETTINGS)
@given(trees(), st.data())
def test_a_linkage_matrix_holding_what_is_no_real_number_is_refused_by_name(Z, data):
    bad = poisoned(Z, data.draw)
    for call in (lambda: n_clusters_at(bad, 1.0), lambda: elbow(bad), lambda: helpers.fancy_dendrogram(bad)):
        with pytest.raises((TypeError, ValueError)) as info:
            call()
        refused(info.value, "Z")


# -- within_dispersion and the gap statistic against NumPy ----------------------------

@settings(max_examples=120, **SETTINGS)
@given(samples(), st.data())
def test_within_dispersion_agrees_with_numpy_or_refuses_by_name(X, data):
    n = len(X)
    labels = data.draw(st.one_of(
        hnp.arrays(int, n, elements=st.integers(0, 3)),
        st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n).map(np.array),
        st.lists(st.sampled_from([1, "a", 2.5]), min_size=n, max_size=n).map(lambda v: np.array(v, dtype=object)),
    ))
    try:
        got = within_dispersion(X, labels)
    except TypeError as error:
        refused(error, "labels")
        kinds = {type(v) for v in labels}
        assert labels.dtype == object and str in kinds and len(kinds) > 1
        return
    expected = sum(((X[labels == c] - X[labels == c].mean(axis=0)) ** 2).sum() for c in set(labels.tolist()))
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=120, **SETTINGS)
@given(samples(), st.data())
def test_complex_numbers_of_any_type_are_never_cut_to_their_real_part(X, data):
    bad = poisoned(X, data.draw)
    labels = np.zeros(len(X), dtype=int)
    with pytest.raises((TypeError, ValueError)) as info:
        within_dispersion(bad, labels)
    refused(info.value, "X")
    complex_labels = labels.astype(object)
    complex_labels[0] = data.draw(st.sampled_from(COMPLEX))
    with pytest.raises(TypeError) as info:
        within_dispersion(X, complex_labels)
    refused(info.value, "labels")


@settings(max_examples=25, **SETTINGS)
@given(samples(min_n=4, max_n=25, m=2), st.integers(1, 4), st.integers(2, 3))
def test_the_gap_statistic_cuts_every_k_into_k_clusters_or_refuses_by_name(X, k_max, B):
    try:
        result = helpers.gap_statistic(X, k_max=k_max, B=B, rng=0)
    except ValueError as error:
        refused(error, "X", "k_max")
        return
    assert result == helpers.gap_statistic(X, k_max=k_max, B=B, rng=0)
    assert np.array_equal(result.ks, np.arange(1, k_max + 1))
    assert np.all(np.diff(result.log_w) < 1e-9)  # each k undoes one more merge: W_k never grows
    assert 1 <= result.k <= k_max


# -- the drawing helpers --------------------------------------------------------------

@pytest.fixture(scope="module")
def figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    yield fig, ax
    plt.close(fig)


@settings(max_examples=40, **SETTINGS)
@given(trees(), st.data())
def test_fancy_dendrogram_draws_what_scipy_draws_or_refuses_by_name(figure, Z, data):
    fig, ax = figure
    ax.clear()
    n = len(Z) + 1
    kwargs = data.draw(st.fixed_dictionaries({}, optional={
        "max_d": st.one_of(st.floats(0, float(Z[-1, 2]) * 2 + 1), not_a_number),
        "truncate_mode": st.sampled_from([None, "lastp", "level", "last", "none", 3]),
        "p": st.one_of(st.integers(-1, n + 2), st.sampled_from([2.5, "3"])),
        "color_threshold": st.one_of(st.floats(-1, float(Z[-1, 2]) + 1), st.sampled_from(["x", None, True])),
        "labels": st.integers(n - 1, n + 1).map(lambda size: [f"s{i}" for i in range(size)]),
        "orientation": st.sampled_from(["top", "bottom", "left", "right", "up"]),
    }))
    try:
        tree = helpers.fancy_dendrogram(Z, ax=ax, **kwargs)
    except (TypeError, ValueError) as error:
        refused(error, *kwargs)
        return
    expected = {k: v for k, v in kwargs.items() if k != "max_d"}
    if "max_d" in kwargs:
        expected.setdefault("color_threshold", float(np.nextafter(kwargs["max_d"], np.inf)))
    reference = helpers.dendrogram._dendrogram(Z, no_plot=True, **expected)
    assert tree["icoord"] == reference["icoord"] and tree["color_list"] == reference["color_list"]
    if "max_d" in kwargs:  # the cut line is inside the axes, where it can be seen
        vertical = kwargs.get("orientation", "top") in ("top", "bottom")
        low, high = sorted(ax.get_ylim() if vertical else ax.get_xlim())
        assert low <= kwargs["max_d"] < high


@settings(max_examples=40, **SETTINGS)
@given(st.integers(2, 200), st.integers(1, 60), st.data())
def test_plot_clusters_draws_every_sample_once_with_its_clusters_look(figure, n, k, data):
    fig, ax = figure
    ax.clear()
    X = np.random.default_rng(n).normal(size=(n, 2))
    labels = data.draw(hnp.arrays(int, n, elements=st.integers(0, k - 1)))
    artists = helpers.plot_clusters(X, labels, ax=ax)
    clusters = np.unique(labels)
    assert len(artists) == len(clusters) and len(ax.collections) <= len(helpers.MARKERS)
    assert sum(len(c.get_offsets()) for c in ax.collections) == n
    legend = ax.get_legend()
    assert (legend is not None) == (len(clusters) <= helpers.plotting.MAX_LEGEND_ENTRIES)


@settings(max_examples=30, **SETTINGS)
@given(st.sampled_from(["polar", "3d", "mollweide", "zero", "array", "string"]),
       st.sampled_from(["plot_clusters", "highlight_samples", "plot_elbow", "fancy_dendrogram"]))
def test_no_helper_draws_on_axes_it_cannot_draw_on(kind, helper):
    X = np.random.default_rng(0).normal(size=(12, 2))
    Z = linkage(X, "ward")
    fig = plt.figure(figsize=(0, 0) if kind == "zero" else (4, 3))
    try:
        if kind in ("polar", "3d", "mollweide"):
            ax = fig.add_subplot(projection=kind)
        elif kind == "zero":
            ax = fig.add_subplot()
        else:
            ax = np.array([fig.add_subplot()]) if kind == "array" else "ax"
        call = {
            "plot_clusters": lambda: helpers.plot_clusters(X, np.arange(12) % 3, ax=ax),
            "highlight_samples": lambda: helpers.highlight_samples(X, [0, 1], ax=ax),
            "plot_elbow": lambda: helpers.plot_elbow(elbow(Z), ax=ax),
            "fancy_dendrogram": lambda: helpers.fancy_dendrogram(Z, ax=ax),
        }[helper]
        with pytest.raises((TypeError, ValueError)) as info:
            call()
        refused(info.value, "ax")
    finally:
        plt.close(fig)


@settings(max_examples=40, **SETTINGS)
@given(st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["../pyproject.toml", "/etc/hostname",
                                                                     "penguins.csv", "..", "a/b.csv"])))
def test_data_file_gives_a_data_file_or_refuses_by_name(name):
    try:
        path = helpers.data_file(name)
    except FileNotFoundError as error:
        assert name in str(error)
    except (TypeError, ValueError) as error:
        refused(error, "name")
    else:
        assert path.name == name and path.is_file()
        assert "data" in str(path) or "_datasets" in str(path)
