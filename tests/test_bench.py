"""tools/bench.py builds valid linkage matrices of the shapes it claims, and runs.

No timing is checked here: timings belong to a machine, not to the code."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import is_valid_linkage, maxdists

from helpers import cluster_members
from tools.bench import balanced_linkage, bench_helpers, chain_linkage


def depth(Z):
    n = len(Z) + 1
    levels = np.zeros(2 * n - 1, dtype=int)
    for i, (left, right) in enumerate(Z[:, :2].astype(int)):
        levels[n + i] = 1 + max(levels[left], levels[right])
    return levels[-1]


@pytest.mark.parametrize("rows", [1, 2, 7, 64, 1000])
def test_chain_is_a_valid_tree_as_deep_as_possible(rows):
    Z = chain_linkage(rows)
    assert Z.shape == (rows, 4) and is_valid_linkage(Z)
    assert depth(Z) == rows
    assert np.all(np.diff(Z[:, 2]) > 0) and np.array_equal(maxdists(Z), Z[:, 2])
    assert np.array_equal(cluster_members(Z, 2 * rows), np.arange(rows + 1))


@pytest.mark.parametrize("rows", [1, 2, 7, 64, 1000])
def test_balanced_is_a_valid_tree_as_shallow_as_possible(rows):
    Z = balanced_linkage(rows)
    assert Z.shape == (rows, 4) and is_valid_linkage(Z)
    assert depth(Z) == int(np.ceil(np.log2(rows + 1)))
    assert np.all(np.diff(Z[:, 2]) > 0)
    assert Z[-1, 3] == rows + 1


def test_bench_helpers_prints_a_row_per_size_and_shape(capsys):
    bench_helpers([10, 100])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[2:]] == [
        ["10", "chain"], ["10", "balanced"], ["100", "chain"], ["100", "balanced"]]
