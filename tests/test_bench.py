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


def test_bench_ratios_gives_every_z_helper_against_fcluster(capsys):
    from tools.bench import bench_ratios, z_helpers

    ratios = bench_ratios(rows=200)
    assert set(ratios) == {(shape, name) for shape in ("chain", "balanced") for name in z_helpers()}
    assert all(ratio > 0 for ratio in ratios.values())
    lines = capsys.readouterr().out.splitlines()
    assert "fcluster" in lines[0] and [line.split()[0] for line in lines[2:]] == ["chain", "balanced"]


def test_bench_explorer_times_each_size_and_skips_after_a_slow_one(capsys):
    from tools.bench import bench_explorer

    seconds = bench_explorer(sizes=(20, 40), give_up=60.0)
    assert set(seconds) == {20, 40}
    assert all(len(row) == 4 and min(row) > 0 for row in seconds.values())  # start-up, linkage, update, own part
    seconds = bench_explorer(sizes=(20, 40), give_up=0.0)
    assert set(seconds) == {20}
    assert "skipped" in capsys.readouterr().out


def test_bench_fancy_dendrogram_compares_with_scipys(capsys):
    from tools.bench import bench_fancy_dendrogram

    rows = bench_fancy_dendrogram(n=30, repeat=1)
    assert set(rows) == {"SciPy dendrogram(Z)", "SciPy dendrogram(Z, no_labels=True)",
                         "fancy_dendrogram(Z) (defaults)", "fancy_dendrogram(Z, max_d=...)"}
    assert all(draw >= 0 and render >= 0 for draw, render in rows.values())
    assert "ratio" in capsys.readouterr().out
