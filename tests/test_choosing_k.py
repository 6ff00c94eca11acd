"""The gap statistic: the formulas of Tibshirani, Walther and Hastie (2001),
the right answer where it is known, and bad input refused with a clear message."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

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
])
def test_gap_statistic_refuses_bad_samples(X, error, words):
    with pytest.raises(error, match=words) as info:
        gap_statistic(X, k_max=1, B=2, rng=0)
    assert "X" in str(info.value)


@pytest.mark.parametrize("keywords, error, words", [
    ({"k_max": 0}, ValueError, "k_max must be between 1 and 29"),
    ({"k_max": 30}, ValueError, "k_max must be between 1 and 29"),
    ({"k_max": 3.0}, TypeError, "k_max must be a whole number"),
    ({"k_max": True}, TypeError, "k_max must be a whole number"),
    ({"B": 1}, ValueError, "B must be between 2"),
    ({"B": "10"}, TypeError, "B must be a whole number"),
    ({"reference": "uniform"}, ValueError, "reference must be 'pca' or 'box'"),
    ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
    ({"rng": True}, TypeError, "rng must be a numpy.random.Generator"),
    ({"rng": np.random.RandomState(0)}, TypeError, "rng must be a numpy.random.Generator"),
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
