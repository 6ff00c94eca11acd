"""The gap statistic: the formulas of Tibshirani, Walther and Hastie (2001),
the right answer where it is known, and bad input refused with a clear message."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

from helpers import choosing_k
from helpers.choosing_k import GapResult, gap_statistic, within_dispersion


def blobs(centres, size=40, spread=0.5, seed=0):
    """Gaussian blobs around `centres`, far apart compared with `spread`."""
    rng = np.random.default_rng(seed)
    centres = np.asarray(centres, dtype=float)
    X = np.concatenate([rng.normal(c, spread, size=(size, centres.shape[1])) for c in centres])
    return X, np.repeat(np.arange(len(centres)), size)


# -- within_dispersion ---------------------------------------------------------

def test_within_dispersion_is_the_papers_sum_of_pairwise_distances():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 3))
    labels = rng.integers(5, 9, size=60)  # any label values, not 0..k-1
    D = squareform(pdist(X, "sqeuclidean"))
    expected = sum(D[np.ix_(labels == r, labels == r)].sum() / (2 * np.sum(labels == r))
                   for r in np.unique(labels))
    assert within_dispersion(X, labels) == pytest.approx(expected, rel=1e-10)


def test_within_dispersion_of_one_cluster_is_the_total_sum_of_squares():
    X, _ = blobs([(0, 0), (9, 9)])
    total = np.sum((X - X.mean(axis=0)) ** 2)
    assert within_dispersion(X, np.zeros(len(X))) == pytest.approx(total, rel=1e-12)
    assert within_dispersion(X, np.arange(len(X))) == pytest.approx(0, abs=1e-9)


# -- gap_statistic: the formulas -------------------------------------------------

def test_gap_is_reference_minus_data_and_k_follows_the_standard_error_rule():
    X, _ = blobs([(0, 0), (6, 0), (0, 6)], seed=1)
    result = gap_statistic(X, k_max=6, B=8, rng=np.random.default_rng(5))
    assert isinstance(result, GapResult)
    assert result.ks.tolist() == [1, 2, 3, 4, 5, 6]
    Z = linkage(X, "ward")
    log_w = [np.log(within_dispersion(X, fcluster(Z, k, criterion="maxclust")))
             for k in range(1, 7)]
    np.testing.assert_allclose(result.log_w, log_w, rtol=1e-12)
    np.testing.assert_allclose(result.gap, result.log_w_ref - result.log_w, rtol=1e-12)
    assert np.all(result.s_k > 0)
    rule = [k for k in range(1, 6)
            if result.gap[k - 1] >= result.gap[k] - result.s_k[k]]
    assert result.k == rule[0] == 3


def test_reference_sets_follow_the_generator_and_fill_the_box():
    X, _ = blobs([(0, 0), (6, 0)], seed=2)
    first = gap_statistic(X, k_max=4, B=5, rng=np.random.default_rng(7))
    again = gap_statistic(X, k_max=4, B=5, rng=7)  # an int seeds default_rng
    np.testing.assert_array_equal(first.gap, again.gap)
    other = gap_statistic(X, k_max=4, B=5, rng=np.random.default_rng(8))
    assert not np.array_equal(first.gap, other.gap)
    # reference='box' draws each set uniformly over the features' ranges, in
    # order, from the generator passed in: the same numbers drawn directly.
    rng = np.random.default_rng(7)
    low, high = X.min(axis=0), X.max(axis=0)
    direct = [np.log(within_dispersion(rng.uniform(low, high, size=X.shape), np.zeros(len(X))))
              for _ in range(5)]
    box = gap_statistic(X, k_max=1, B=5, reference="box", rng=np.random.default_rng(7))
    assert box.log_w_ref[0] == pytest.approx(np.mean(direct), rel=1e-12)


# -- gap_statistic: known answers -------------------------------------------------

CASES = {
    "one blob": ([(0, 0)], 1),
    "three blobs": ([(0, 0), (8, 0), (0, 8)], 3),
    "four blobs": ([(0, 0), (8, 0), (0, 8), (8, 8)], 4),
    "four blobs in 5-D": ([(0, 0, 0, 0, 0), (8, 0, 0, 0, 0), (0, 8, 0, 0, 0),
                           (0, 0, 8, 0, 0)], 4),
}


@pytest.mark.parametrize("reference", ["pca", "box"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("centres, k", CASES.values(), ids=CASES.keys())
def test_well_separated_blobs_give_their_number(centres, k, seed, reference):
    X, _ = blobs(centres, seed=seed)
    result = gap_statistic(X, k_max=8, B=10, reference=reference,
                           rng=np.random.default_rng(100 + seed))
    assert result.k == k


@pytest.mark.parametrize("reference", ["pca", "box"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uniform_noise_has_no_clusters(seed, reference):
    X = np.random.default_rng(seed).uniform(size=(150, 2))
    result = gap_statistic(X, k_max=8, B=10, reference=reference,
                           rng=np.random.default_rng(200 + seed))
    assert result.k == 1


def test_the_tutorials_data_have_two_clusters(X):
    assert gap_statistic(X, k_max=8, B=10, rng=np.random.default_rng(0)).k == 2


# -- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("X, error, words", [
    (np.zeros(10), ValueError, "2-D"),
    (np.zeros((0, 2)), ValueError, "at least one sample"),
    (np.array([[0.0, 1.0], [np.nan, 1.0], [2.0, 2.0]]), ValueError, "NaN"),
    ([["a", "b"], ["c", "d"]], TypeError, "numbers"),
    (np.zeros((1, 2)), ValueError, "at least 2 samples"),
    (np.array([[0, 1j], [1, 0], [2, 2]]), TypeError, "complex"),
    (np.array([[0.0, 1e200], [1.0, -1e200], [2.0, 0.0]]), ValueError, "Rescale X"),
])
def test_gap_statistic_refuses_bad_samples(X, error, words):
    with pytest.raises(error, match=words) as info:
        gap_statistic(X, k_max=1, B=2, rng=0)
    assert re.search(r"\bX\b", str(info.value))


@pytest.mark.parametrize("keywords, error, words", [
    ({"k_max": 0}, ValueError, "k_max must be between 1 and 29"),
    ({"k_max": 30}, ValueError, "k_max must be between 1 and 29"),
    ({"k_max": 3.0}, TypeError, "k_max must be a whole number"),
    ({"k_max": True}, TypeError, "k_max must be a whole number"),
    ({"B": 1}, ValueError, "B must be between 2"),
    ({"B": 100_001}, ValueError, "B must be between 2 and 100000"),
    ({"B": "10"}, TypeError, "B must be a whole number"),
    ({"reference": "uniform"}, ValueError, "reference must be 'pca' or 'box'"),
    ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator.*got str"),
    ({"rng": True}, TypeError, "rng must be a numpy.random.Generator"),
    ({"rng": np.random.RandomState(0)}, TypeError, "rng must be a numpy.random.Generator"),
    ({"rng": -1}, ValueError, "rng must be a seed of 0 or more"),
])
def test_gap_statistic_refuses_bad_parameters(keywords, error, words):
    X, _ = blobs([(0, 0), (5, 5)], size=15)
    with pytest.raises(error, match=words):
        gap_statistic(X, **{"k_max": 3, "B": 2, "rng": 0, **keywords})


def test_gap_statistic_refuses_too_few_distinct_samples():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]], 10, axis=0)
    with pytest.raises(ValueError, match="only 3 distinct samples"):
        gap_statistic(X, k_max=3, B=2, rng=0)
    assert gap_statistic(X, k_max=2, B=2, rng=0).ks.tolist() == [1, 2]


@pytest.mark.parametrize("X, labels, error, words", [
    (np.zeros((4, 2)), [1, 1, 2], ValueError, "one cluster label per sample"),
    (np.zeros((4, 2)), [[1, 1, 2, 2]], ValueError, "one cluster label per sample"),
    (np.zeros(4), [1, 1, 2, 2], ValueError, "2-D"),
    ([[np.inf, 0.0]], [1], ValueError, "infinite"),
])
def test_within_dispersion_refuses_bad_input(X, labels, error, words):
    with pytest.raises(error, match=words):
        within_dispersion(X, labels)


# -- issue 13: far from zero, the same answer (no cancellation) -----------------

def three_groups(seed=0):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(c, 0.3, size=(20, 2)) for c in [(0, 0), (5, 0), (0, 5)]])


def test_regression_within_dispersion_far_from_zero_is_not_negative():
    # The old shortcut sum|x|^2 - |sum x|^2 / n gave -2.0 here.
    Y = np.random.default_rng(0).normal(0, 0.01, size=(50, 2))
    near = within_dispersion(Y, np.zeros(50))
    far = within_dispersion(Y + 1e7, np.zeros(50))
    assert far == pytest.approx(near, rel=1e-6)


def test_regression_gap_statistic_far_from_zero_still_finds_three_groups():
    # The old code answered 6 at a shift of 1e8 (W rounded to 0 or below).
    X = three_groups()
    near = gap_statistic(X, k_max=6, B=10, rng=1)
    far = gap_statistic(X + 1e8, k_max=6, B=10, rng=1)
    assert near.k == far.k == 3
    np.testing.assert_allclose(far.log_w, near.log_w, rtol=1e-6)


# Exactly representable data: multiples of 1/64 up to 1000 stay exact after a
# shift by a whole number up to 1e8 (33 bits of the 53), so the shifted data
# are the same data, and W must be the same to rounding.
grid = st.integers(-64_000, 64_000).map(lambda i: i / 64)


@st.composite
def clustered(draw):
    n = draw(st.integers(2, 30))
    m = draw(st.integers(1, 3))
    X = np.array(draw(st.lists(grid, min_size=n * m, max_size=n * m))).reshape(n, m)
    labels = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    return X, labels


@settings(max_examples=200, deadline=None)
@given(clustered(), st.integers(-10**8, 10**8), st.integers(0, 2))
def test_within_dispersion_is_translation_invariant(data, shift, axis):
    X, labels = data
    moved = X.copy()
    moved[:, min(axis, X.shape[1] - 1)] += shift
    moved += shift  # every column too
    expected = within_dispersion(X, labels)
    assert within_dispersion(moved, labels) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert within_dispersion(moved, labels) >= 0


@settings(max_examples=200, deadline=None)
@given(clustered(), st.randoms(use_true_random=False))
def test_within_dispersion_ignores_sample_order_and_label_names(data, random):
    X, labels = data
    expected = within_dispersion(X, labels)
    order = list(range(len(X)))
    random.shuffle(order)
    assert within_dispersion(X[order], labels[order]) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    distinct = sorted(set(labels.tolist()))
    numbers = list(range(len(distinct)))
    random.shuffle(numbers)
    names = {label: f"cluster {number}" for label, number in zip(distinct, numbers, strict=True)}
    renamed = np.array([names[label] for label in labels.tolist()])
    assert within_dispersion(X, renamed) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert within_dispersion(X, labels * 7 - 100) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("labels, error, words", [
    ([1.0, np.nan, 2.0, 2.0], ValueError, "missing value"),
    ([1, None, 2, 2], ValueError, "first for sample 1"),
    (np.array([np.nan] * 4), ValueError, "4 missing"),
    ([1, 1j, 2, 2], TypeError, "labels holds complex numbers"),
])
def test_within_dispersion_refuses_labels_without_a_cluster(labels, error, words):
    X = [[0.0], [1.0], [5.0], [6.0]]
    with pytest.raises(error, match=words):
        within_dispersion(X, labels)


def test_within_dispersion_refuses_complex_samples_naming_x():
    with pytest.raises(TypeError, match="X holds complex numbers"):
        within_dispersion(np.array([[1 + 0j], [2 + 1j]]), [1, 1])
    # Inside an array of Python objects too (a pandas column of complex values).
    with pytest.raises(TypeError, match="X holds complex numbers"):
        within_dispersion(np.array([[1.0], [2 + 1j]], dtype=object), [1, 1])
    with pytest.raises(TypeError, match="labels holds complex numbers"):
        within_dispersion([[1.0], [2.0]], np.array([1, 1j], dtype=object))
    # Objects that are plain numbers are fine.
    assert within_dispersion(np.array([[1.0], [3.0]], dtype=object), [1, 1]) == 2.0


def test_within_dispersion_refuses_a_nan_among_object_labels():
    with pytest.raises(ValueError, match="1 missing value"):
        within_dispersion([[1.0], [2.0], [3.0]], np.array(["a", float("nan"), "b"], dtype=object))
    assert within_dispersion([[1.0], [2.0], [3.0]], np.array(["a", "a", "b"], dtype=object)) == 0.5


# -- issue 13: messages that name the argument and say what to pass -------------

def test_gap_statistic_on_identical_rows_says_there_is_nothing_to_cluster():
    with pytest.raises(ValueError, match="Every sample of X is the same point") as info:
        gap_statistic(np.ones((10, 2)), k_max=1, B=2, rng=0)
    assert "k_max <" not in str(info.value)


def test_gap_statistic_with_too_few_distinct_samples_says_which_k_max_works():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]], 10, axis=0)
    with pytest.raises(ValueError, match="pass k_max of at most 2"):
        gap_statistic(X, k_max=5, B=2, rng=0)


@pytest.mark.filterwarnings("error")  # and no RuntimeWarning on the way
def test_gap_statistic_refuses_data_so_small_their_squares_underflow():
    X = three_groups() * 1e-200
    with pytest.raises(ValueError, match="underflow") as info:
        gap_statistic(X, k_max=3, B=2, rng=0)
    assert "rescale X" in str(info.value)


def test_overflow_message_names_x_and_says_what_to_do():
    X = three_groups() * 1e160
    with pytest.raises(ValueError, match=r"X spreads too widely") as info:
        gap_statistic(X, k_max=3, B=2, rng=0)
    assert "standardise" in str(info.value)
    # A large but safe scale is accepted, with the same answer as at scale 1.
    assert gap_statistic(three_groups() * 1e100, k_max=4, B=5, rng=3).k == \
        gap_statistic(three_groups(), k_max=4, B=5, rng=3).k


def test_the_overflow_limit_is_a_sum_of_n_squared_diameters_below_the_largest_float():
    # Up to sqrt(max / (4 n)) apart is accepted; a little more is refused.
    n = 10
    limit = np.sqrt(np.finfo(float).max / (4 * n))
    X = np.zeros((n, 1))
    X[-1] = 0.99 * limit
    X[0] = -0.0
    from helpers._validation import as_clusterable

    assert as_clusterable(X) is not None
    X[-1] = 1.01 * limit
    with pytest.raises(ValueError, match="spreads too widely"):
        as_clusterable(X)
    Y = np.zeros((n, 2))
    Y[-1] = 0.8 * limit  # 0.8 * sqrt(2) > 1: the diameter, not one feature's range
    with pytest.raises(ValueError, match="spreads too widely"):
        as_clusterable(Y)
    # Each feature's own range counts, not the largest value minus the smallest.
    W = np.zeros((n, 2))
    W[:, 0] = np.linspace(0, 0.9 * limit, n)
    W[:, 1] = -0.9 * limit
    assert as_clusterable(W) is not None


@pytest.mark.filterwarnings("error")  # no overflow warning on the way to the message
def test_data_whose_range_itself_overflows_is_refused_by_name():
    from helpers._validation import as_clusterable

    X = np.array([[1e308, -1e308], [-1e308, 1e308], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"^points spreads too widely.*Rescale points first"):
        as_clusterable(X, name="points")
    with pytest.raises(ValueError, match=r"^points must hold at least 2 samples"):
        as_clusterable([[1.0, 2.0]], name="points")
    with pytest.raises(ValueError, match=r"^points contains NaN"):
        as_clusterable([[1.0, np.nan], [0.0, 0.0]], name="points")


def test_two_samples_are_enough():
    result = gap_statistic([[0.0, 0.0], [1.0, 1.0]], k_max=1, B=2, rng=0)
    assert result.k == 1 and result.ks.tolist() == [1]


# -- issue 15: the reference sets, draw by draw; s_k; the defaults ---------------

def stretched(seed=0, offset=(50.0, -30.0)):
    """Uniform noise in a long thin diagonal band, far from the origin: no clusters."""
    rng = np.random.default_rng(seed)
    along = rng.uniform(-10, 10, size=150)
    across = rng.uniform(-0.5, 0.5, size=150)
    return np.column_stack([along + across, along - across]) + offset


def pca_draw_by_hand(X, rng):
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    rotated = (X - mean) @ vt.T
    return rng.uniform(rotated.min(axis=0), rotated.max(axis=0), size=X.shape) @ vt + mean


def test_pca_reference_draws_are_uniform_over_the_rotated_box():
    X = stretched()
    draw = choosing_k._reference_sampler(X, "pca")
    a, b = np.random.default_rng(11), np.random.default_rng(11)
    for _ in range(3):
        np.testing.assert_allclose(draw(a), pca_draw_by_hand(X, b), rtol=1e-12, atol=1e-9)
    # In the data's principal axes, the draws fill exactly the data's ranges.
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    rotated = (X - mean) @ vt.T
    sample = np.concatenate([(draw(a) - mean) @ vt.T for _ in range(40)])
    low, high = rotated.min(axis=0), rotated.max(axis=0)
    assert np.all(sample >= low - 1e-9) and np.all(sample <= high + 1e-9)
    np.testing.assert_allclose(sample.min(axis=0), low, atol=0.02 * (high - low).max())
    np.testing.assert_allclose(sample.max(axis=0), high, atol=0.02 * (high - low).max())
    # Back in the data's coordinates, the draws sit around the middle of that
    # box, near the data (centred per column), not around the origin.
    drawn = np.concatenate([draw(a) for _ in range(40)])
    np.testing.assert_allclose(drawn.mean(axis=0), (low + high) / 2 @ vt + mean, atol=0.5)


def test_box_reference_draws_are_uniform_over_each_features_range():
    X = stretched()
    draw = choosing_k._reference_sampler(X, "box")
    a, b = np.random.default_rng(4), np.random.default_rng(4)
    np.testing.assert_array_equal(draw(a), b.uniform(X.min(axis=0), X.max(axis=0), size=X.shape))


@pytest.mark.parametrize("reference", ["pca", "box"])
def test_gap_and_s_k_follow_their_formulas_draw_by_draw(reference):
    X = stretched(seed=1)
    B, k_max = 6, 4
    result = gap_statistic(X, k_max=k_max, B=B, reference=reference, rng=np.random.default_rng(9))
    rng = np.random.default_rng(9)
    draw = (lambda: pca_draw_by_hand(X, rng)) if reference == "pca" else (
        lambda: rng.uniform(X.min(axis=0), X.max(axis=0), size=X.shape))

    def log_w(data):
        Z = linkage(data, "ward")
        return [np.log(within_dispersion(data, fcluster(Z, k, criterion="maxclust")))
                for k in range(1, k_max + 1)]

    refs = np.array([log_w(draw()) for _ in range(B)])
    np.testing.assert_allclose(result.log_w, log_w(X), rtol=1e-12)
    np.testing.assert_allclose(result.log_w_ref, refs.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(result.gap, refs.mean(axis=0) - result.log_w, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(result.s_k, refs.std(axis=0) * np.sqrt(1 + 1 / B), rtol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pca_reference_sees_no_clusters_in_stretched_noise(seed):
    # The reason the pca reference exists: the box reference calls an
    # elongated, tilted band of noise clustered; the rotated box does not.
    X = stretched(seed)
    assert gap_statistic(X, k_max=6, B=10, rng=np.random.default_rng(seed)).k == 1


def test_documented_defaults():
    X = three_groups()
    result = gap_statistic(X, rng=np.random.default_rng(0))
    assert result.ks.tolist() == list(range(1, 11))  # k_max = 10
    # B = 20 reference sets of X's shape, drawn with the pca reference.
    used, fresh = np.random.default_rng(5), np.random.default_rng(5)
    default = gap_statistic(X, rng=used)
    explicit = gap_statistic(X, k_max=10, B=20, reference="pca", rng=np.random.default_rng(5))
    np.testing.assert_array_equal(default.gap, explicit.gap)
    np.testing.assert_array_equal(default.s_k, explicit.s_k)
    fresh.uniform(size=(20,) + X.shape)
    assert used.random() == fresh.random()
    box = gap_statistic(X, rng=np.random.default_rng(5), reference="box")
    assert not np.array_equal(box.gap, default.gap)
    assert (choosing_k.K_MAX, choosing_k.B_DEFAULT) == (10, 20)


@pytest.mark.parametrize("X, ending", [
    (np.zeros(4), "shape (4,). Use X.reshape(-1, 1) for a single feature."),
    (np.zeros((2, 2, 1)), "shape (2, 2, 1)."),
])
def test_samples_of_the_wrong_shape_are_named_x_with_a_reshape_hint_only_when_1d(X, ending):
    """The message names X itself, and suggests reshape only for a 1-D array, where it fits."""
    with pytest.raises(ValueError) as info:
        within_dispersion(X, [1] * len(X))
    message = str(info.value)
    assert message.startswith("X must be 2-D with shape (n, m)")
    assert message.endswith(ending)
    assert message.count("reshape") == ending.count("reshape")


# Issue 26 ---------------------------------------------------------------------

def square_grid(side=4):
    """Points on a square grid: Ward's merges come in ties of equal height."""
    return np.array([[i, j] for i in range(side) for j in range(side)], dtype=float)


def test_on_tied_heights_every_k_is_a_cut_into_exactly_k_clusters():
    X = square_grid()
    Z = linkage(X, "ward")
    # maxclust cannot make some k here: the trap the gap statistic fell into.
    assert [len(np.unique(fcluster(Z, k, criterion="maxclust"))) for k in range(1, 9)] != list(range(1, 9))
    result = gap_statistic(X, k_max=8, B=3, rng=0)
    assert np.all(np.diff(result.log_w) < 0)  # every k undoes one more merge
    by_row = Z.copy()
    by_row[:, 2] = np.arange(len(Z))
    for k in range(1, 9):
        labels = fcluster(by_row, k, criterion="maxclust")
        assert len(np.unique(labels)) == k
        assert result.log_w[k - 1] == pytest.approx(np.log(within_dispersion(X, labels)))


def test_without_ties_the_cuts_are_maxclusts(X):
    Z = linkage(X, "ward")
    result = gap_statistic(X, k_max=6, B=2, rng=0)
    for k in range(1, 7):
        assert result.log_w[k - 1] == pytest.approx(
            np.log(within_dispersion(X, fcluster(Z, k, criterion="maxclust"))))


def test_gap_results_compare_and_print_as_values(X):
    first, again = (gap_statistic(X, k_max=4, B=3, rng=5) for _ in range(2))
    assert first == again and hash(first) == hash(again)
    assert first != gap_statistic(X, k_max=4, B=3, rng=6)
    text = repr(first)
    assert text.startswith("GapResult(k=") and "ks=[1, 2, 3, 4]" in text and "\n" not in text


def test_progress_shows_a_bar_that_says_the_expected_time_first(X, capsys):
    quiet = gap_statistic(X, k_max=4, B=3, rng=1)
    assert capsys.readouterr().err == ""  # small work: no bar by default
    shown = gap_statistic(X, k_max=4, B=3, rng=1, progress=True)
    err = capsys.readouterr().err
    assert re.search(r"gap statistic: 4 Ward trees of 150 samples, expected about \d+ (s|min|h)", err)
    assert "4/4" in err
    assert shown == quiet  # the bar changes nothing, not even the random stream
    gap_statistic(X, k_max=4, B=3, rng=1, progress=False)
    assert capsys.readouterr().err == ""


def test_long_work_shows_a_bar_by_default(X, capsys, monkeypatch):
    monkeypatch.setattr(choosing_k, "PROGRESS_WORK", 4 * 150**2)  # (B + 1) * n**2 at B = 3
    gap_statistic(X, k_max=3, B=3, rng=1)
    assert "gap statistic: 4 Ward trees of 150 samples" in capsys.readouterr().err
    gap_statistic(X, k_max=3, B=2, rng=1)  # just under
    assert capsys.readouterr().err == ""


def test_the_bar_closes_when_the_work_fails(capsys):
    with pytest.raises(ValueError, match="underflow"):
        gap_statistic(np.array([[0.0], [1e-200], [2e-200], [3e-200]]), k_max=2, B=2, rng=0, progress=True)
    assert "0/3" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_a_bad_progress_is_refused_by_name(X, bad):
    with pytest.raises(TypeError, match=r"^progress must be True \(show a progress bar\), False \(never\) or None"):
        gap_statistic(X, k_max=3, B=2, progress=bad)


@pytest.mark.parametrize("seconds, text", [(0.2, "about 1 s"), (40, "about 40 s"), (89, "about 89 s"),
                                           (90, "about 2 min"), (1140, "about 19 min"), (9000, "about 2.5 h")])
def test_expected_times_are_written_for_people(seconds, text):
    assert choosing_k._duration(seconds) == text


def test_the_expected_time_grows_as_n_squared_from_a_small_tree(monkeypatch):
    clock = iter([0.0, 2.0])
    monkeypatch.setattr(choosing_k.time, "perf_counter", lambda: next(clock))
    X = np.random.default_rng(0).normal(size=(2000, 2))
    assert choosing_k._expected_seconds(X, 10, 20) == pytest.approx(2.0 * 16 * 21)
