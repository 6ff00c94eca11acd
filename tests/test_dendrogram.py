"""fancy_dendrogram draws what SciPy draws, plus its annotations, where asked,
and returns what it drew."""

import io
import itertools
import sys
import threading

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox
from scipy.cluster.hierarchy import dendrogram, fcluster, leaves_list, linkage

from helpers import dendrogram as module
from helpers.cutoff import n_clusters_at
from helpers.dendrogram import fancy_dendrogram
from helpers.plotting import ABOVE_CUT_COLOUR, PALETTE
from tools.course import COURSE

KEYS = ("icoord", "dcoord", "ivl", "leaves", "color_list", "leaves_color_list")
RC = COURSE.matplotlibrc


def hexes(colours):
    return [mcolors.to_hex(c).upper() for c in colours]


def merges(tree, above):
    """(x, y) of the middle of every link higher than `above`, in drawing order."""
    return [(0.5 * (xs[1] + xs[2]), ys[1]) for xs, ys in zip(tree["icoord"], tree["dcoord"], strict=True)
            if ys[1] > above]


def scipy_tree(Z, **kwargs):
    fig, other = plt.subplots()
    try:
        return dendrogram(Z, ax=other, **kwargs)
    finally:
        plt.close(fig)


# What it returns ---------------------------------------------------------

def test_returns_what_dendrogram_returns_and_what_it_drew(Z, ax):
    expected = scipy_tree(Z, truncate_mode="lastp", p=12, color_threshold=50)
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, max_d=50)
    assert set(tree) == set(expected) | {"merge_dots", "height_labels", "cut_line"}
    for key in KEYS:
        assert tree[key] == expected[key], key
    (dots,) = tree["merge_dots"]
    assert isinstance(dots, PathCollection) and dots in ax.collections
    assert all(isinstance(label, Annotation) for label in tree["height_labels"])
    assert all(label in ax.texts for label in tree["height_labels"])
    assert isinstance(tree["cut_line"], Line2D) and tree["cut_line"] in ax.lines
    assert fancy_dendrogram(Z, ax=ax)["cut_line"] is None


def test_dots_and_labels_sit_on_the_merges_in_drawing_order(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=10)
    expected = merges(tree, 10)
    assert len(expected) == 5
    (dots,) = tree["merge_dots"]
    np.testing.assert_allclose(dots.get_offsets(), expected)
    np.testing.assert_allclose([label.xy for label in tree["height_labels"]], expected)
    assert [label.get_text() for label in tree["height_labels"]] == [f"{y:.3g}" for _, y in expected]
    colours = [c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] > 10]
    assert hexes(dots.get_facecolors()) == hexes(colours)


def test_annotates_merges_strictly_higher_than_annotate_above(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=10)
    assert sorted(t.get_text() for t in tree["height_labels"]) == sorted(["12.4", "15.1", "17.1", "23.1", "180"])
    # A merge exactly at annotate_above is not "higher than" it.
    at = float(Z[-3, 2])  # 17.1
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=at)
    assert [label.xy[1] for label in tree["height_labels"]] == [y for _, y in merges(tree, at)]
    assert sorted(t.get_text() for t in tree["height_labels"]) == ["180", "23.1"]


def test_by_default_the_30_highest_merges_are_annotated(Z, X2, ax):
    tree = fancy_dendrogram(Z, ax=ax)  # 149 merges drawn
    heights = sorted((label.xy[1] for label in tree["height_labels"]), reverse=True)
    assert heights == sorted(Z[:, 2], reverse=True)[:30]
    assert module.DEFAULT_ANNOTATED == 30
    small = linkage(X2[:20], "ward")  # 19 merges: every one
    tree = fancy_dendrogram(small, ax=ax)
    assert len(tree["height_labels"]) == 19
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
    assert len(tree["height_labels"]) == 11


@pytest.mark.parametrize("height, text", [
    (1000.0, "1000"), (999.5, "1000"), (999.4, "999"), (1262.521, "1263"), (614.065, "614"),
    (0.5, "0.5"), (12.345, "12.3"),
])
def test_heights_are_never_written_in_scientific_notation(height, text, ax):
    Z = np.array([[0, 1, 0.25, 2], [2, 3, height, 3]])
    tree = fancy_dendrogram(Z, ax=ax, annotate_above=0.3)
    assert [label.get_text() for label in tree["height_labels"]] == [text]


def test_no_plot_draws_nothing(Z):
    before = plt.get_fignums()
    tree = fancy_dendrogram(Z, no_plot=True, max_d=50)
    assert plt.get_fignums() == before
    assert len(tree["leaves"]) == 150
    assert tree["merge_dots"] == [] and tree["height_labels"] == [] and tree["cut_line"] is None


# The cut and its colours ------------------------------------------------------

def test_max_d_draws_a_black_dashed_line_across_the_tree(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, max_d=50)
    line = tree["cut_line"]
    assert list(line.get_ydata()) == [50, 50] and list(line.get_xdata()) == [0, 1]
    assert line.get_linestyle() == "--" and mcolors.to_hex(line.get_color()) == "#000000"
    assert [other for other in ax.lines if list(other.get_ydata()) == [50, 50]] == [line]


@pytest.mark.parametrize("max_d, k", [(50, 2), (16, 4), (13, 5)])
def test_max_d_colours_the_clusters_below_it(Z, ax, max_d, k):
    tree = fancy_dendrogram(Z, ax=ax, max_d=max_d)
    expected = scipy_tree(Z, color_threshold=max_d)
    assert tree["color_list"] == expected["color_list"]
    below = [c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] < max_d]
    above = [c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] > max_d]
    assert set(above) == {"C0"}
    assert len(set(below)) == k == n_clusters_at(Z, max_d)
    assert set(below) <= set(PALETTE)


def test_a_cut_exactly_at_a_merge_colours_what_fcluster_counts(Z, ax):
    h = float(Z[-2, 2])  # 23.1: fcluster keeps this merge, so 2 clusters
    assert len(set(fcluster(Z, h, "distance"))) == n_clusters_at(Z, h) == 2
    tree = fancy_dendrogram(Z, ax=ax, max_d=h)
    below = {c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] <= h}
    assert len(below) == 2 and "C0" not in below
    # Each cluster of fcluster is one colour of leaves, and vice versa.
    labels = fcluster(Z, h, "distance")[tree["leaves"]]
    assert len(set(zip(labels, tree["leaves_color_list"], strict=True))) == 2
    # SciPy alone, with the same threshold, would colour three subtrees.
    assert len({c for c in scipy_tree(Z, color_threshold=h)["color_list"] if c != "C0"}) == 3


def test_own_color_threshold_wins_over_max_d(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, max_d=50, color_threshold=16)
    assert len(set(tree["color_list"])) == 5  # four clusters below 16, and C0 above
    assert list(tree["cut_line"].get_ydata()) == [50, 50]


def test_more_subtrees_than_colours_never_take_the_above_cut_colour(ax):
    X = np.array([[10.0 * i, float(j)] for i in range(12) for j in range(2)])
    tree = fancy_dendrogram(linkage(X, "single"), ax=ax, max_d=5)
    below = [c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] < 5]
    assert below == [PALETTE[i % len(PALETTE)] for i in range(12)]
    assert ABOVE_CUT_COLOUR not in below and "C0" not in below


# The axes it draws on ---------------------------------------------------------

def test_draws_only_on_the_axes_it_is_given(Z):
    fig, (ax, other) = plt.subplots(1, 2)
    try:
        plt.sca(other)
        before = plt.get_fignums()
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=5, max_d=50)
        assert plt.get_fignums() == before and plt.gca() is other
        assert not other.lines and not other.collections and not other.texts
        assert tree["cut_line"].axes is ax and tree["merge_dots"][0].axes is ax
        assert ax.get_title() == "Hierarchical clustering dendrogram (truncated)"
        assert ax.get_xlabel() == "sample index or (cluster size)" and ax.get_ylabel() == "distance"
    finally:
        plt.close(fig)


def test_without_ax_it_draws_on_the_current_axes(Z):
    fig, (left, right) = plt.subplots(1, 2)
    try:
        plt.sca(right)
        tree = fancy_dendrogram(Z, max_d=50, title="mine")
        assert tree["cut_line"].axes is right and right.get_title() == "mine"
        assert not left.lines and not left.texts
    finally:
        plt.close(fig)


def test_titles_and_axis_labels(Z, ax):
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
    assert ax.get_title() == "Hierarchical clustering dendrogram (truncated)"
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, no_labels=False)
    assert ax.get_xlabel() == "sample index or (cluster size)"
    small = linkage(np.arange(20, dtype=float).reshape(10, 2) ** 1.5, "ward")
    fancy_dendrogram(small, ax=ax)
    assert ax.get_title() == "Hierarchical clustering dendrogram"
    assert ax.get_xlabel() == "sample index" and ax.get_ylabel() == "distance"


# Orientation -----------------------------------------------------------------

@pytest.mark.parametrize("orientation", ["top", "bottom", "left", "right"])
def test_every_orientation_puts_dots_labels_and_cut_on_the_tree(Z, orientation):
    fig, ax = plt.subplots(figsize=(8, 5))
    try:
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=10,
                                max_d=50, orientation=orientation)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        vertical = orientation in ("top", "bottom")
        expected = [(x, y) if vertical else (y, x) for x, y in merges(tree, 10)]
        np.testing.assert_allclose(tree["merge_dots"][0].get_offsets(), expected)
        cut = tree["cut_line"]
        if vertical:
            assert list(cut.get_ydata()) == [50, 50] and list(cut.get_xdata()) == [0, 1]
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("sample index or (cluster size)", "distance")
        else:
            assert list(cut.get_xdata()) == [50, 50] and list(cut.get_ydata()) == [0, 1]
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("distance", "sample index or (cluster size)")
        axes_box = ax.get_window_extent(renderer)
        for label, (x, y) in zip(tree["height_labels"], expected, strict=True):
            assert label.get_visible()
            box = label.get_window_extent(renderer)
            assert axes_box.contains(*box.p0) and axes_box.contains(*box.p1), label.get_text()
            # The dot is on the axes, and its label right next to it.
            dot = ax.transData.transform((x, y))
            assert axes_box.contains(*dot)
            centre = np.array([box.x0 + box.x1, box.y0 + box.y1]) / 2
            assert np.hypot(*(centre - dot)) < 40
        # The leaf labels are on the leaf axis.
        ticks = ax.get_xticklabels() if vertical else ax.get_yticklabels()
        assert [t.get_text() for t in ticks] == tree["ivl"]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("orientation, towards", [
    ("top", (0, -1)), ("bottom", (0, 1)), ("left", (1, 0)), ("right", (-1, 0)),
])
def test_labels_go_between_the_branches_of_their_merge(Z, orientation, towards):
    fig, ax = plt.subplots(figsize=(8, 5))
    try:
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=100,
                                orientation=orientation)
        fig.canvas.draw()
        (label,) = tree["height_labels"]  # the root, 180: nothing in its way
        box = label.get_window_extent(fig.canvas.get_renderer())
        dot = ax.transData.transform(label.xy)
        centre = np.array([box.x0 + box.x1, box.y0 + box.y1]) / 2
        direction = np.sign(np.round(centre - dot, 3))
        assert tuple(direction) == towards
        gap = fig.canvas.get_renderer().points_to_pixels(5.0)
        size = np.array([box.width, box.height])
        assert abs(centre - dot) @ np.abs(towards) == pytest.approx(gap + size @ np.abs(towards) / 2)
    finally:
        plt.close(fig)


def test_unknown_orientation_is_refused(Z, ax):
    with pytest.raises(ValueError, match="orientation must be one of 'top', 'bottom', 'left', 'right'"):
        fancy_dendrogram(Z, ax=ax, orientation="up")


# Readable labels: no overlap, no crossing of the cut, 8 pt or more -------------

def course_trees():
    """The annotated trees of the chapters, at the chapters' sizes, and how
    many of their labels may be hidden (every one has a place on most)."""
    from helpers.data import five_clusters, two_clusters

    Z = linkage(two_clusters(), "ward")
    Z2 = linkage(five_clusters(), "ward")
    full = {"figsize": (14, 5), "width_ratios": [3, 2]}
    return [
        (f"X, full tree, max_d={max_d}", Z, full,
         {"no_labels": True, "annotate_above": 10, "max_d": max_d}, 0) for max_d in (16, 13, 50)
    ] + [
        (f"X, full tree 10x4.5, max_d={max_d}", Z, {"figsize": (10, 4.5)},
         {"annotate_above": 10, "max_d": max_d}, 0) for max_d in (16, 13)
    ] + [
        ("X, lastp p=12", Z, {"figsize": (10, 5)},
         {"truncate_mode": "lastp", "p": 12, "leaf_rotation": 90, "leaf_font_size": 12,
          "show_contracted": True, "annotate_above": 10}, 0),
        ("X, lastp p=12, max_d=50", Z, {"figsize": (10, 4.5)},
         {"truncate_mode": "lastp", "p": 12, "show_contracted": True, "annotate_above": 10,
          "max_d": 50}, 0),
        ("X2, lastp p=30, max_d=170", Z2, {"figsize": (14, 6)},
         {"truncate_mode": "lastp", "p": 30, "leaf_rotation": 90, "leaf_font_size": 10,
          "show_contracted": True, "annotate_above": 40, "max_d": 170}, 0),
    ] + [
        # The full X2 tree: two of its twenty labels belong to merges a pixel
        # or two under a higher annotated merge, with no room of their own.
        (f"X2, full tree {w}x{h}, max_d={max_d}", Z2, {"figsize": (w, h)},
         {"annotate_above": 40, "max_d": max_d}, 2) for w, h in ((12, 7), (14, 8)) for max_d in (None, 170)
    ]


def course_tree(name):
    return next(tree for tree in course_trees() if tree[0] == name)


def draw_course_tree(Z, layout, kwargs, orientation="top"):
    layout = dict(layout)
    ratios = layout.pop("width_ratios", None)
    if ratios:
        fig, (ax, _) = plt.subplots(1, 2, width_ratios=ratios, **layout)
    else:
        fig, ax = plt.subplots(**layout)
    tree = fancy_dendrogram(Z, ax=ax, orientation=orientation, **kwargs)
    fig.canvas.draw()
    return fig, ax, tree


def link_boxes(ax, tree, renderer, vertical=True):
    """The box, in pixels, of each drawn segment of each link (two legs and a
    bar per link), as wide as the line SciPy draws it with."""
    half = renderer.points_to_pixels(mpl.rcParams["lines.linewidth"]) / 2
    boxes = []
    for xs, ys in zip(tree["icoord"], tree["dcoord"], strict=True):
        corners = ax.transData.transform([(x, y) if vertical else (y, x) for x, y in zip(xs, ys, strict=True)])
        for a, b in zip(corners[:-1], corners[1:], strict=True):
            low, high = np.minimum(a, b) - half, np.maximum(a, b) + half
            boxes.append(Bbox([low, high]))
    return boxes


@pytest.mark.parametrize("name, Z, layout, kwargs, hidden", course_trees(),
                         ids=[t[0] for t in course_trees()])
@pytest.mark.parametrize("orientation", ["top", "left"])
def test_height_labels_never_overlap_each_other_the_cut_or_the_links(
        name, Z, layout, kwargs, hidden, orientation):
    with mpl.rc_context(fname=str(RC)):
        fig, ax, tree = draw_course_tree(Z, layout, kwargs, orientation)
        try:
            renderer = fig.canvas.get_renderer()
            labels = tree["height_labels"]
            assert labels
            shown = [label for label in labels if label.get_visible()]
            # Few labels are hidden: on most of the course's trees, none.
            assert len(labels) - len(shown) <= hidden
            if orientation == "top":
                assert len(labels) - len(shown) == hidden
            boxes = [label.get_window_extent(renderer) for label in shown]
            for (a, first), (b, second) in itertools.combinations(zip(shown, boxes, strict=True), 2):
                assert not first.overlaps(second), (a.get_text(), b.get_text())
            vertical = orientation == "top"
            links = link_boxes(ax, tree, renderer, vertical)
            axes_box = ax.get_window_extent(renderer)
            radius = renderer.points_to_pixels(np.sqrt(30)) / 2  # the dots' size is 30 pt²
            dots = [ax.transData.transform(label.xy) for label in labels]
            for label, box in zip(shown, boxes, strict=True):
                struck = [link for link in links if link.overlaps(box)]
                assert not struck, (label.get_text(), struck[0])
                covered = [other.get_text() for other, dot in zip(labels, dots, strict=True)
                           if other is not label
                           and box.overlaps(Bbox.from_bounds(*(dot - radius), 2 * radius, 2 * radius))]
                assert not covered, (label.get_text(), covered)
                assert axes_box.contains(*box.p0) and axes_box.contains(*box.p1), label.get_text()
            if kwargs.get("max_d") is not None:
                where = ax.transData.transform((0, kwargs["max_d"]) if vertical else (kwargs["max_d"], 0))
                cut = where[1] if vertical else where[0]
                for label, box in zip(shown, boxes, strict=True):
                    low, high = (box.y0, box.y1) if vertical else (box.x0, box.x1)
                    assert not low <= cut <= high, label.get_text()
        finally:
            plt.close(fig)


@pytest.mark.parametrize("case, texts", [
    # What a reader found written across links before the labels avoided them.
    ("X, full tree 10x4.5, max_d=16", ["17.1"]), ("X, full tree 10x4.5, max_d=13", ["17.1"]),
    ("X2, full tree 12x7, max_d=None", ["46.5", "54.5"]),
    ("X2, full tree 14x8, max_d=None", ["46.5", "54.5"]),
])
def test_labels_once_struck_by_links_are_shown_clear_of_them(case, texts):
    name, Z, layout, kwargs, _ = course_tree(case)
    with mpl.rc_context(fname=str(RC)):
        fig, ax, tree = draw_course_tree(Z, layout, kwargs)
        try:
            renderer = fig.canvas.get_renderer()
            links = link_boxes(ax, tree, renderer)
            by_text = {label.get_text(): label for label in tree["height_labels"]}
            for text in texts:
                assert by_text[text].get_visible(), text
                box = by_text[text].get_window_extent(renderer)
                assert not any(link.overlaps(box) for link in links), text
            # The hidden ones sit just under a higher labelled merge (less than
            # a label's height below it) on one of its branches.
            heights = sorted(label.xy[1] for label in tree["height_labels"])
            label_height = by_text[texts[0]].get_window_extent(renderer).height
            for label in tree["height_labels"]:
                if not label.get_visible():
                    above = min(h for h in heights if h > label.xy[1])
                    gap = ax.transData.transform((0, above))[1] - ax.transData.transform(label.xy)[1]
                    assert 0 < gap < label_height, label.get_text()
        finally:
            plt.close(fig)


def test_the_x2_labels_that_collided_are_apart_and_es_merge_is_under_the_cut():
    name, Z, layout, kwargs, _ = course_tree("X2, lastp p=30, max_d=170")
    with mpl.rc_context(fname=str(RC)):
        fig, ax, tree = draw_course_tree(Z, layout, kwargs)
        try:
            renderer = fig.canvas.get_renderer()
            by_text = {label.get_text(): label for label in tree["height_labels"]}
            assert {"167", "46.5", "42.6"} <= set(by_text)
            assert not by_text["46.5"].get_window_extent(renderer).overlaps(
                by_text["42.6"].get_window_extent(renderer))
            # e's merge, 166.66, just under the cut at 170: its label below it.
            box = by_text["167"].get_window_extent(renderer)
            assert box.y1 < ax.transData.transform((0, 166.66))[1] < ax.transData.transform((0, 170))[1]
        finally:
            plt.close(fig)


def test_a_label_that_would_cross_the_cut_moves_above_its_merge(Z):
    with mpl.rc_context(fname=str(RC)):
        fig, ax = plt.subplots(figsize=(10, 5))
        try:
            tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, show_contracted=True,
                                    annotate_above=10, max_d=20)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            label = next(label for label in tree["height_labels"] if label.get_text() == "23.1")
            box = label.get_window_extent(renderer)
            dot = ax.transData.transform(label.xy)
            cut = ax.transData.transform((0, 20))[1]
            # Below its merge (23.1) it would cross the cut at 20: it goes
            # above, right of the branch rising from it.
            assert box.y0 > dot[1] and box.x0 > dot[0]
            assert box.y1 - box.y0 + renderer.points_to_pixels(5.0) > dot[1] - cut
            # Moving the cut moves the label back below on the next draw.
            tree["cut_line"].set_ydata([50, 50])
            fig.canvas.draw()
            box = label.get_window_extent(renderer)
            assert box.y1 < dot[1] and box.x0 < dot[0] < box.x1
        finally:
            plt.close(fig)


def test_labels_with_no_free_place_are_hidden_lowest_first(Z):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    try:
        tree = fancy_dendrogram(Z, ax=ax, annotate_above=0, no_labels=True)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = tree["height_labels"]
        assert len(labels) == 149
        shown = [label for label in labels if label.get_visible()]
        hidden = [label for label in labels if not label.get_visible()]
        assert shown and hidden
        assert all(label.get_visible() is False for label in hidden)
        # The root is always shown; what is hidden is lower than what is shown first.
        assert max(labels, key=lambda label: label.xy[1]).get_visible()
        boxes = [label.get_window_extent(renderer) for label in shown]
        assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
        assert len(tree["merge_dots"][0].get_offsets()) == 149
    finally:
        plt.close(fig)


def test_text_is_at_least_8_points(Z, ax):
    for kwargs in ({}, {"truncate_mode": "lastp", "p": 12}, {"truncate_mode": "lastp", "p": 60},
                   {"truncate_mode": "lastp", "p": 90, "no_labels": False}):
        tree = fancy_dendrogram(Z, ax=ax, annotate_above=0, **kwargs)
        ax.figure.canvas.draw()
        sizes = [t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        sizes += [label.get_fontsize() for label in tree["height_labels"]]
        assert min(sizes) >= 8, kwargs
        ax.clear()
    with mpl.rc_context({"font.size": 6}):
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
        assert min(label.get_fontsize() for label in tree["height_labels"]) == 8


def test_leaf_labels_keep_scipys_size_when_it_is_readable(Z, ax):
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {12}
    ax.clear()
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=25)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {10}
    ax.clear()
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, leaf_font_size=9)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {9}


def test_large_trees_are_drawn_without_leaf_labels(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax)  # 150 leaves
    assert not [t for t in ax.get_xticklabels() if t.get_text()]
    assert ax.get_xlabel() == "the 150 leaves, in dendrogram order (unlabelled)"
    assert len(tree["ivl"]) == 150
    ax.clear()
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=100)  # 100 leaves: labelled
    assert len([t for t in ax.get_xticklabels() if t.get_text()]) == 100
    assert module.MAX_LABELLED_LEAVES == 100


def test_the_figure_renders_to_png(Z):
    fig, ax = plt.subplots()
    try:
        fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, max_d=50, annotate_above=10)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        assert buffer.getvalue()[:4] == b"\x89PNG"
    finally:
        plt.close(fig)


# Bad input -----------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, words", [
    ({"max_d": -1}, ValueError, "^max_d must be a finite, non-negative distance"),
    ({"max_d": np.nan}, ValueError, "^max_d must"),
    ({"max_d": "50"}, TypeError, "^max_d must"),
    ({"annotate_above": -5}, ValueError, "^annotate_above must be a finite, non-negative distance"),
    ({"truncate_mode": "lastp", "p": 0}, ValueError, "p must be 1 or more"),
    ({"truncate_mode": "lastp", "p": -1}, ValueError, "p must be 1 or more"),
    ({"truncate_mode": "lastp", "p": 2.5}, TypeError, "p must be a whole number"),
    ({"truncate_mode": "level", "p": "3"}, TypeError, "p must be a whole number"),
    ({"truncate_mode": "lastp", "p": True}, TypeError, "p must be a whole number"),
    ({"leaf_font_size": 7}, ValueError, "leaf_font_size must be at least 8"),
    ({"leaf_font_size": "big"}, TypeError, "leaf_font_size"),
])
def test_bad_options_are_refused(Z, ax, kwargs, error, words):
    with pytest.raises(error, match=words):
        fancy_dendrogram(Z, ax=ax, **kwargs)
    assert not ax.lines and not ax.collections and not ax.texts


def test_p_as_a_numpy_integer_is_accepted(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=np.int64(5))
    assert len(tree["ivl"]) == 5


def test_p_of_1_is_accepted(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="level", p=1)
    assert tree["ivl"] == scipy_tree(Z, truncate_mode="level", p=1)["ivl"]


def test_a_fractional_p_is_named_with_its_type(Z, ax):
    with pytest.raises(TypeError, match=r"got 2\.5 of type float\.$"):
        fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=2.5)


@pytest.mark.parametrize("bad", ["axes", 3, np.empty(2, dtype=object)])
def test_a_bad_ax_is_named_before_anything_is_drawn(Z, bad):
    before = plt.get_fignums()
    with pytest.raises(TypeError, match="ax must be one Matplotlib Axes"):
        fancy_dendrogram(Z, ax=bad, max_d=50)
    assert plt.get_fignums() == before


def test_an_array_of_axes_gets_a_hint(Z):
    fig, axes = plt.subplots(1, 2)
    try:
        with pytest.raises(TypeError, match=r"pick one, e.g. axes\[0\]"):
            fancy_dendrogram(Z, ax=axes)
        assert not axes[0].lines and not axes[1].lines
    finally:
        plt.close(fig)


def test_bad_linkage_is_refused(ax):
    with pytest.raises(ValueError, match="Z must be a linkage matrix"):
        fancy_dendrogram(np.zeros((3, 2)), ax=ax)
    with pytest.raises(ValueError, match="NaN"):
        fancy_dendrogram(np.array([[0, 1, np.nan, 2]]), ax=ax)


# Details of what is drawn ------------------------------------------------

def test_dots_labels_and_cut_line_style(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=10, max_d=50)
    (dots,) = tree["merge_dots"]
    assert list(dots.get_sizes()) == [30] and dots.get_zorder() == 3
    assert list(dots.get_linewidths()) == [0]
    assert {label.get_zorder() for label in tree["height_labels"]} == {4}
    assert tree["cut_line"].get_linewidth() == 1
    placer, = [a for a in ax.artists if isinstance(a, module._LabelPlacer)]
    # Drawn before the labels, so that they are drawn where it puts them.
    assert placer.get_zorder() < min(label.get_zorder() for label in tree["height_labels"])
    assert placer.get_zorder() < min(a.get_zorder() for a in ax.get_children() if a is not placer)
    # It takes no room: a tight bounding box ignores it.
    assert not np.isfinite(placer.get_window_extent().width)


@pytest.mark.parametrize("orientation, offset, ha, va", [
    ("top", (0, -5), "center", "top"), ("bottom", (0, 5), "center", "bottom"),
    ("left", (5, 0), "left", "center"), ("right", (-5, 0), "right", "center"),
])
def test_before_the_figure_is_drawn_labels_sit_past_their_dots(Z, ax, orientation, offset, ha, va):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, orientation=orientation)
    for label in tree["height_labels"]:
        assert label.xyann == offset and label.anncoords == "offset points"
        assert (label.get_horizontalalignment(), label.get_verticalalignment()) == (ha, va)


@pytest.mark.parametrize("orientation, x_label, y_label", [
    ("top", "bottom", "left"), ("bottom", "top", "left"),
    ("left", "bottom", "right"), ("right", "bottom", "left"),
])
def test_the_leaf_axis_label_is_where_the_leaves_are(Z, orientation, x_label, y_label):
    with mpl.rc_context({"axes.grid": True}):
        fig, ax = plt.subplots()
        try:
            fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, orientation=orientation)
            fig.canvas.draw()
            assert ax.xaxis.get_label_position() == x_label
            assert ax.yaxis.get_label_position() == y_label
            vertical = orientation in ("top", "bottom")
            leaf_grid = ax.get_xgridlines() if vertical else ax.get_ygridlines()
            distance_grid = ax.get_ygridlines() if vertical else ax.get_xgridlines()
            assert not any(line.get_visible() for line in leaf_grid)
            assert all(line.get_visible() for line in distance_grid)
        finally:
            plt.close(fig)


def candidate_boxes(ax, tree, label, renderer):
    """The five places of a top-oriented tree's label, in the order tried:
    0 between the branches of its merge, just below it; 1 and 2 above it,
    right and left of the branch rising from it; 3 and 4 level with it,
    left of its left branch and right of its right one. Each as the box
    (x0, y0, x1, y1) the label would fill there, in pixels."""
    to_pixels = renderer.points_to_pixels(1.0)
    visible = label.get_visible()
    label.set_visible(True)
    box = label.get_window_extent(renderer)
    label.set_visible(visible)
    w, h = box.width, box.height
    dot = ax.transData.transform(label.xy)
    (left, right), = [(xs[1], xs[2]) for xs, ys in zip(tree["icoord"], tree["dcoord"], strict=True)
                      if (0.5 * (xs[1] + xs[2]), ys[1]) == tuple(label.xy)]
    left = ax.transData.transform((left, 0))[0]
    right = ax.transData.transform((right, 0))[0]
    centres = [
        (dot[0], dot[1] - 5 * to_pixels - h / 2),
        (dot[0] + 3 * to_pixels + w / 2, dot[1] + 3 * to_pixels + h / 2),
        (dot[0] - 3 * to_pixels - w / 2, dot[1] + 3 * to_pixels + h / 2),
        (left - 3 * to_pixels - w / 2, dot[1]),
        (right + 3 * to_pixels + w / 2, dot[1]),
    ]
    return [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for x, y in centres]


def label_places(ax, tree, renderer):
    """For each visible label, which of its five places it is in, checked to
    the pixel."""
    places = []
    for label in tree["height_labels"]:
        if not label.get_visible():
            continue
        box = label.get_window_extent(renderer)
        distances = [np.abs(np.subtract(box.extents, place)).max()
                     for place in candidate_boxes(ax, tree, label, renderer)]
        assert min(distances) < 0.6, (label.get_text(), distances)
        places.append(int(np.argmin(distances)))
    return places


def test_a_crowded_tree_uses_every_place_and_hides_the_rest(Z):
    # Fourteen leaves in a small figure, every merge annotated, the cut just
    # above the clusters: each of the five places is some label's first
    # free one. (In the full tree of 150 leaves the links stand too close
    # together for a label ever to fit level with its merge, places 3 and 4.)
    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    try:
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=14, annotate_above=0,
                                no_labels=True, max_d=20)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        places = label_places(ax, tree, renderer)
        assert set(places) == {0, 1, 2, 3, 4}
        shown = [label for label in tree["height_labels"] if label.get_visible()]
        hidden = [label for label in tree["height_labels"] if not label.get_visible()]
        assert hidden and min(label.xy[1] for label in shown) > 0
        # The highest merges keep their labels.
        assert max(label.xy[1] for label in hidden) < max(label.xy[1] for label in shown)
        boxes = [label.get_window_extent(renderer) for label in shown]
        cut = ax.transData.transform((0, 20))[1]
        assert not any(box.y0 <= cut <= box.y1 for box in boxes)
        # Packed this tightly, a label would cover another merge's dot (not
        # its link) if the dots were not kept clear.
        links = link_boxes(ax, tree, renderer)
        radius = renderer.points_to_pixels(np.sqrt(30)) / 2
        for label, box in zip(shown, boxes, strict=True):
            assert not any(box.overlaps(link) for link in links), label.get_text()
            for other in tree["height_labels"]:
                dot = ax.transData.transform(other.xy)
                assert other is label or not box.overlaps(
                    Bbox.from_bounds(*(dot - radius), 2 * radius, 2 * radius)), \
                    (label.get_text(), other.get_text())
    finally:
        plt.close(fig)


def test_labels_are_packed_a_margin_apart(Z):
    # Trees where labels end up side by side (most often a label's place is
    # taken by a link before another label comes near it). Which tree packs
    # two labels closest depends on the text's exact extents, which differ a
    # little between Matplotlib releases, so twenty are drawn.
    closest = []
    for p, width in itertools.product(range(11, 21), (6, 8)):
        fig, ax = plt.subplots(figsize=(width, 4), dpi=100)
        try:
            tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=p, annotate_above=0,
                                    no_labels=True, max_d=20)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            boxes = [label.get_window_extent(renderer)
                     for label in tree["height_labels"] if label.get_visible()]
            closest.append(min(max(a.x0 - b.x1, b.x0 - a.x1, a.y0 - b.y1, b.y0 - a.y1)
                               for a, b in itertools.combinations(boxes, 2)))
        finally:
            plt.close(fig)
    # A margin of a pixel on each side between two labels, and no more: no
    # two labels closer than two margins (less rounding), and in some tree
    # two packed within two margins and a little.
    assert min(closest) >= 1.5, closest
    assert min(closest) < 4, closest


def placed_beside(obstacle, link_width=10.0):
    """One height label at (50, 50) placed by _place_labels, with its first
    place (straight below its dot) shaved by `obstacle`: a function from
    that place's box, in pixels, to (links, dots) in the axes' data, which
    run 0..100 on 100x100 pixels. Returns the label's box, whether it is
    shown, the pixel positions of the other dots, and the obstacle's links,
    in pixels."""
    fig = plt.figure(figsize=(1, 1), dpi=100)
    try:
        ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 100), ylim=(0, 100))
        renderer = fig.canvas.get_renderer()

        def place(links, dots):
            labels = [ax.annotate("12.34", xy, xytext=(0, 0), textcoords="offset points",
                                  fontsize=8) for xy in [(50.0, 50.0), *dots]]
            bars = np.array([[(40.0, 50.0), (60.0, 50.0)]] + [[xy, xy] for xy in dots])
            module._place_labels(ax, renderer, labels, range(len(labels)), bars,
                                 np.asarray(links, dtype=float).reshape(-1, 4, 2),
                                 link_width, None, True)
            box, shown = labels[0].get_window_extent(renderer), labels[0].get_visible()
            for label in labels:
                label.remove()
            return box, shown

        first, _ = place([], [])
        links, dots = obstacle(first)
        box, shown = place(links, dots)
        to_pixels = ax.transData.transform
        return (box, shown, [to_pixels(xy) for xy in dots],
                [to_pixels(np.reshape(link, (-1, 2))) for link in links])
    finally:
        plt.close(fig)


@pytest.mark.parametrize("side", ["below", "right"])
def test_a_label_keeps_clear_of_a_merge_dot_just_beyond_its_margin(side):
    """Another merge's dot 3.65 pixels from where the label would go: the dot,
    sqrt(_DOT_SIZE) points wide, is 3.8 pixels in radius at 100 dpi, so the
    label must go elsewhere (a dot counted a third of its width, not half,
    would let it stay, 2.65 pixels past its one-pixel margin)."""
    radius = np.sqrt(module._DOT_SIZE) * 100 / 72 / 2
    assert radius == pytest.approx(3.80, abs=0.01)

    def dot(box):
        if side == "below":
            xy = ((box.x0 + box.x1) / 2, box.y0 - 3.65)
        else:
            xy = (box.x1 + 3.65, (box.y0 + box.y1) / 2)
        return [], [tuple(xy)]  # pixels are the data's units here

    box, shown, (centre,), _ = placed_beside(dot)
    assert shown, "the label has other free places: it moves, it is not hidden"
    nearest = np.clip(centre, [box.x0, box.y0], [box.x1, box.y1])
    assert np.hypot(*(centre - nearest)) >= radius


def test_a_label_keeps_clear_of_a_thick_link_just_beyond_its_margin():
    """A 10-point link whose middle runs 5.8 pixels below where the label would
    go: the line is 6.9 pixels thick on each side at 100 dpi, so the label
    must go elsewhere."""
    half_width = 10.0 * 100 / 72 / 2

    def link(box):
        y = box.y0 - 1.0 - 5.8  # the label's margin is a pixel
        corners = [(box.x0 - 5, y), (box.x0 - 5, y), (box.x1 + 5, y), (box.x1 + 5, y)]
        return [corners], []

    box, shown, _, (corners,) = placed_beside(link)
    assert shown, "the label has other free places: it moves, it is not hidden"
    y = corners[0, 1]
    assert box.y1 <= y - half_width or box.y0 >= y + half_width


def test_hidden_labels_come_back_when_the_figure_grows(Z):
    fig, ax = plt.subplots(figsize=(3, 2))
    try:
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, annotate_above=0)
        fig.canvas.draw()
        assert not all(label.get_visible() for label in tree["height_labels"])
        fig.set_size_inches(16, 8)
        fig.canvas.draw()
        assert all(label.get_visible() for label in tree["height_labels"])
        assert set(label_places(ax, tree, fig.canvas.get_renderer())) == {0}
    finally:
        plt.close(fig)


@pytest.mark.parametrize("p, size", [(12, 12), (20, 12), (21, 10), (30, 10), (31, 8), (100, 8)])
def test_default_leaf_font_size_by_number_of_leaves(Z, ax, p, size):
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=p)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {size}


def test_lastp_without_p_shows_scipys_30_leaves(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp")
    assert len(tree["ivl"]) == 30 and len(tree["height_labels"]) == 29
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {10}


@pytest.mark.parametrize("p, annotated", [(31, 30), (32, 30), (200, 30), (5, 4)])
def test_default_annotation_counts_merges_of_the_drawn_tree(Z, ax, p, annotated):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=p)
    assert len(tree["height_labels"]) == annotated
    drawn = sorted((ys[1] for ys in tree["dcoord"]), reverse=True)
    assert sorted((label.xy[1] for label in tree["height_labels"]), reverse=True) == drawn[:annotated]


def test_truncate_mode_level_and_none(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="level", p=3)
    expected = scipy_tree(Z, truncate_mode="level", p=3)
    assert tree["ivl"] == expected["ivl"] and len(tree["ivl"]) < 150
    assert len(tree["height_labels"]) == len(expected["dcoord"])  # fewer than 30 merges: all
    assert ax.get_title() == "Hierarchical clustering dendrogram (truncated)"
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {12 if len(tree["ivl"]) <= 20 else 10}
    ax.clear()
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="none")
    assert len(tree["ivl"]) == 150 and ax.get_title() == "Hierarchical clustering dendrogram"
    assert len(tree["height_labels"]) == 30


def test_height_labels_use_the_small_font_of_the_style(Z, ax):
    with mpl.rc_context({"font.size": 12}):
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
    assert {round(label.get_fontsize(), 2) for label in tree["height_labels"]} == {10.0}


def test_a_tree_with_no_label_to_write_draws(Z):
    fig, ax = plt.subplots()
    try:
        tree = fancy_dendrogram(Z, ax=ax, annotate_above=1000, max_d=50)
        fig.canvas.draw()
        assert tree["height_labels"] == [] and tree["merge_dots"] == []
    finally:
        plt.close(fig)


def test_leaf_font_size_of_8_is_accepted(Z, ax):
    fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12, leaf_font_size=8)
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {8}


def test_level_mode_draws_nothing_on_the_current_axes(Z, two_axes):
    ax, other = two_axes
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="level", p=2, max_d=50)
    assert len(tree["ivl"]) == 8


def test_a_small_tree_of_low_merges_is_annotated_whole(ax):
    Z = linkage([[0.0], [0.1], [0.3], [0.7]], "single")
    tree = fancy_dendrogram(Z, ax=ax)
    assert [label.get_text() for label in tree["height_labels"]] == ["0.1", "0.2", "0.4"]



@pytest.mark.parametrize("kwargs, figsize", [
    ({"annotate_above": 0, "no_labels": True, "max_d": 13}, (8, 4)),
    ({"truncate_mode": "lastp", "p": 14, "annotate_above": 0, "no_labels": True, "max_d": 20},
     (7, 3.5)),
])
def test_a_label_is_hidden_only_where_no_place_is_free(Z, kwargs, figsize):
    fig, ax = plt.subplots(figsize=figsize, dpi=100)
    try:
        tree = fancy_dendrogram(Z, ax=ax, **kwargs)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        shown = [(label.xy[1], label.get_window_extent(renderer))
                 for label in tree["height_labels"] if label.get_visible()]
        cut = ax.transData.transform((0, kwargs["max_d"]))[1]
        links = link_boxes(ax, tree, renderer)
        radius = renderer.points_to_pixels(np.sqrt(30)) / 2
        dots = [(tuple(label.xy), Bbox.from_bounds(*(ax.transData.transform(label.xy) - radius),
                                                   2 * radius, 2 * radius))
                for label in tree["height_labels"]]
        axes_box = ax.get_window_extent(renderer)
        hidden = [label for label in tree["height_labels"] if not label.get_visible()]
        assert hidden
        for label in hidden:
            # Each of its five places, with the pixel the placer keeps free
            # around a label, is taken by something drawn before it.
            for place in candidate_boxes(ax, tree, label, renderer):
                box = Bbox.from_extents(*place).padded(1)
                crosses_cut = box.y0 <= cut <= box.y1
                outside = not (axes_box.contains(*box.p0) and axes_box.contains(*box.p1))
                on_a_label = any(height >= label.xy[1] and box.overlaps(b.padded(1))
                                 for height, b in shown)
                on_a_link = any(box.overlaps(link) for link in links)
                on_a_dot = any(xy != tuple(label.xy) and box.overlaps(dot) for xy, dot in dots)
                assert crosses_cut or outside or on_a_label or on_a_link or on_a_dot, \
                    (label.get_text(), place)
    finally:
        plt.close(fig)


def test_a_large_tree_keeps_its_leaf_labels_if_asked(Z, ax):
    fancy_dendrogram(Z, ax=ax, no_labels=False)
    assert len([t for t in ax.get_xticklabels() if t.get_text()]) == 150
    assert ax.get_xlabel() == "sample index"


def test_level_mode_with_many_drawn_merges_annotates_the_30_highest(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="level", p=6)
    assert len(tree["dcoord"]) > 30
    assert len(tree["height_labels"]) == 30
    drawn = sorted((ys[1] for ys in tree["dcoord"]), reverse=True)
    assert sorted((label.xy[1] for label in tree["height_labels"]), reverse=True) == drawn[:30]


@pytest.mark.parametrize("other", [[-1, 0, 0, 1], [1, 0, 2, 1], [0, -1, 1, 0], [0, 1, 1, 2]])
def test_boxes_that_only_touch_do_not_meet(other):
    box = np.array([0.0, 0.0, 1.0, 1.0])
    assert not module._boxes_meet(box, np.array([other], dtype=float))
    # Moved half-way towards the box, it overlaps it.
    overlapping = (np.array(other, dtype=float) + box) / 2
    assert module._boxes_meet(box, np.array([overlapping]))


@pytest.mark.parametrize("grid", [False, True])
def test_no_grid_lines_run_along_the_leaf_axis(Z, grid):
    with mpl.rc_context({"axes.grid": grid}):
        fig, ax = plt.subplots()
    try:
        fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)  # 12 leaves, each with its tick
        fig.canvas.draw()
        assert len(ax.xaxis.get_gridlines()) == 12
        assert not any(line.get_visible() for line in ax.xaxis.get_gridlines())
    finally:
        plt.close(fig)


def test_labels_below_a_merge_outside_the_view_are_still_placed(Z, ax):
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
    heights = sorted(ys[1] for ys in tree["dcoord"])
    ax.set_ylim(0, (heights[-1] + heights[-2]) / 2)  # the highest merge is out of view
    ax.figure.canvas.draw()
    in_view = [label for label in tree["height_labels"] if label.xy[1] < heights[-1]]
    assert len(in_view) == len(heights) - 1
    # Placed: centred on their new place (unplaced, they would still hang from their dot).
    for label in in_view:
        if label.get_visible():
            assert (label.get_horizontalalignment(), label.get_verticalalignment()) == ("center", "center")
    assert any(label.get_visible() for label in in_view)


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_label_at_the_edge_of_the_view_stays_inside_the_axes(Z, side):
    fig, ax = plt.subplots(figsize=(8, 3))
    try:
        tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=12)
        xs = [label.xy[0] for label in tree["height_labels"]]
        low, high = ax.get_xlim()
        # Put the outermost merge a hair inside the edge: a label centred on it would stick out.
        ax.set_xlim(low, max(xs) + 0.5) if side == "right" else ax.set_xlim(min(xs) - 0.5, high)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        frame = ax.bbox
        shown = [label for label in tree["height_labels"] if label.get_visible()]
        assert shown
        for label in shown:
            box = label.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1
    finally:
        plt.close(fig)


# Deep trees: SciPy's layout with an explicit stack (helpers.dendrogram._dendrogram) ----

@st.composite
def dendrogram_calls(draw):
    """A random tree (ties common) and a random set of SciPy's dendrogram options."""
    n = draw(st.integers(2, 30))
    coords = draw(st.lists(st.integers(-4, 4), min_size=2 * n, max_size=2 * n))
    Z = linkage(np.asarray(coords, dtype=float).reshape(n, 2),
                draw(st.sampled_from(["single", "complete", "average", "centroid", "median", "ward"])))
    top = float(Z[:, 2].max())
    kwargs = {
        "truncate_mode": draw(st.sampled_from([None, "none", "lastp", "level", "mtica"])),
        "p": draw(st.integers(0, n + 2)),
        "color_threshold": draw(st.one_of(st.sampled_from([None, "default", 0.0, -1.0, np.inf]),
                                          st.floats(0, 1.2 * top + 1))),
        "count_sort": draw(st.sampled_from([False, True, "ascending", "descending"])),
        "distance_sort": draw(st.sampled_from([False, True, "ascending", "descending"])),
        "show_leaf_counts": draw(st.booleans()),
        "show_contracted": draw(st.booleans()),
        "above_threshold_color": draw(st.sampled_from(["C0", "k"])),
    }
    if draw(st.booleans()):
        kwargs["labels"] = [f"s{i}" for i in range(n)]
    if draw(st.booleans()):
        kwargs["leaf_label_func"] = lambda i: f"<{i}>"
    if draw(st.booleans()):
        kwargs["link_color_func"] = lambda i: ("r", "g", "b")[i % 3]
    return Z, kwargs


def drawn(ax):
    """Everything SciPy's dendrogram puts on the axes, in order."""
    return (ax.get_xlim(), ax.get_ylim(),
            [(t.get_text(), t.get_fontsize(), t.get_rotation()) for t in ax.get_xticklabels()],
            [(t.get_text(), t.get_fontsize(), t.get_rotation()) for t in ax.get_yticklabels()],
            list(ax.get_xticks()), list(ax.get_yticks()),
            [(np.asarray(c.get_segments()).tolist(), c.get_edgecolor().tolist()) for c in ax.collections],
            [(p.center, p.width, p.height, p.get_facecolor()) for p in ax.patches])


@pytest.mark.filterwarnings("ignore:Attempting to set identical:UserWarning")  # a tree of one height, 0
@pytest.mark.filterwarnings("ignore::scipy.cluster.hierarchy.ClusterWarning")
@settings(max_examples=150, deadline=None)
@given(dendrogram_calls(), st.sampled_from(["top", "bottom", "left", "right"]))
def test_the_stack_layout_is_scipys_dendrogram(call, orientation):
    Z, kwargs = call
    seen = {"scipy": [], "ours": []}

    def recording(name):
        colour = kwargs.get("link_color_func")
        return None if colour is None else (lambda i: seen[name].append(i) or colour(i))

    expected = dendrogram(Z, no_plot=True, **{**kwargs, "link_color_func": recording("scipy")})
    got = module._dendrogram(Z, no_plot=True, **{**kwargs, "link_color_func": recording("ours")})
    assert got == expected
    assert [[type(v) for v in ys] for ys in got["dcoord"]] == [[type(v) for v in ys] for ys in expected["dcoord"]]
    assert seen["ours"] == seen["scipy"]  # the same nodes, in the same order
    figures = [plt.subplots(), plt.subplots()]
    try:
        dendrogram(Z, ax=figures[0][1], orientation=orientation, **kwargs)
        module._dendrogram(Z, ax=figures[1][1], orientation=orientation, **kwargs)
        assert drawn(figures[1][1]) == drawn(figures[0][1])
    finally:
        for fig, _ in figures:
            plt.close(fig)


def chain(n):
    """Single linkage of points ever further apart: a tree n - 1 levels deep."""
    return linkage(np.arange(float(n)).reshape(-1, 1) ** 1.5, "single")


def scipy_with_room(Z, **kwargs):
    """SciPy's own dendrogram of a deep tree, in a thread with the stack and the
    recursion limit it needs (both restored): the reference for the deep cases."""
    result, limit, size = {}, sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(4 * len(Z) + 1000)
    threading.stack_size(512 * 2**20)
    try:
        thread = threading.Thread(target=lambda: result.update(dendrogram(Z, no_plot=True, **kwargs)))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    return result


@pytest.mark.parametrize("kwargs", [{}, {"truncate_mode": "lastp", "p": 30, "show_contracted": True},
                                    {"truncate_mode": "level", "p": 5, "show_contracted": True}])
def test_a_tree_deeper_than_the_recursion_limit_is_drawn(ax, kwargs):
    Z = chain(3 * sys.getrecursionlimit())
    limit = sys.getrecursionlimit()
    with pytest.raises(RecursionError):  # SciPy's own, as the learner would meet it
        dendrogram(Z, no_plot=True, **kwargs)
    tree = fancy_dendrogram(Z, ax=ax, max_d=float(Z[-5, 2]), **kwargs)
    assert sys.getrecursionlimit() == limit
    expected = scipy_with_room(Z, color_threshold=float(np.nextafter(Z[-5, 2], np.inf)), **kwargs)
    for key in KEYS:
        assert tree[key] == expected[key], key
    ax.figure.canvas.draw()


def test_a_deep_single_linkage_tree_of_random_data_is_drawn(ax):
    X = np.random.default_rng(0).normal(size=(3000, 2))
    Z = linkage(X, "single")
    assert module._dendrogram(Z, no_plot=True)["leaves"] == list(leaves_list(Z))
    tree = fancy_dendrogram(Z, ax=ax, truncate_mode="lastp", p=30, show_contracted=True)
    assert len(tree["ivl"]) == 30


def test_get_leaves_false_returns_no_leaves(Z):
    tree = module._dendrogram(Z, no_plot=True, get_leaves=False)
    assert tree["leaves"] is None
    assert tree["icoord"] == dendrogram(Z, no_plot=True)["icoord"]


# Issue 26: never silently wrong, never a confusing traceback ------------------

@pytest.mark.parametrize("kwargs, error, words", [
    ({"truncate_mode": "last"}, ValueError,
     r"^truncate_mode must be 'lastp' \(show the last p merges\), 'level' .* or None .*; got 'last'\.$"),
    ({"truncate_mode": 3}, ValueError, r"^truncate_mode must be 'lastp'"),
    ({"color_threshold": "x"}, TypeError, r"^color_threshold must be a height .*got 'x' of type str\. "
                                          r"To cut at a height, pass max_d instead\.$"),
    ({"color_threshold": True}, TypeError, r"^color_threshold must be a height"),
    ({"color_threshold": -1.0}, ValueError, r"^color_threshold must be a height of 0 or more"),
    ({"color_threshold": np.nan}, ValueError, r"^color_threshold must be a height of 0 or more"),
    ({"labels": ["a", "b"]}, ValueError, r"^labels must hold one name per sample: 150 \(Z has 149 rows, "
                                         r"so the tree has 150 samples\); got 2\.$"),
    ({"labels": "abc"}, TypeError, r"^labels must be a list of 150 names, one per sample"),
    ({"labels": 7}, TypeError, r"^labels must be a list of 150 names"),
    ({"colour_threshold": 5}, TypeError, r"^fancy_dendrogram got an unexpected argument 'colour_threshold': "
                                         r".*color_threshold"),
])
def test_scipys_own_options_are_checked_by_name(Z, ax, kwargs, error, words):
    with pytest.raises(error, match=words):
        fancy_dendrogram(Z, ax=ax, **kwargs)
    assert not ax.lines and not ax.collections and not ax.texts


@pytest.mark.parametrize("threshold", [0, 0.0, 50, np.float32(50), np.inf, "default", None])
def test_colour_thresholds_scipy_takes_are_taken(Z, ax, threshold):
    tree = fancy_dendrogram(Z, ax=ax, color_threshold=threshold)
    assert tree["color_list"] == scipy_tree(Z, color_threshold=threshold)["color_list"]


@pytest.mark.parametrize("orientation", ["top", "bottom", "left", "right"])
@pytest.mark.parametrize("factor", [1.0, 1.05, 1.2, 3.0])
def test_a_cut_above_the_tree_is_drawn_inside_the_axes(Z, ax, orientation, factor):
    max_d = factor * float(Z[-1, 2])
    tree = fancy_dendrogram(Z, ax=ax, max_d=max_d, orientation=orientation)
    vertical = orientation in ("top", "bottom")
    low, high = ax.get_ylim() if vertical else ax.get_xlim()
    assert min(low, high) == 0 and min(low, high) < max_d < max(low, high)
    # The root stays where SciPy puts it: at the top, bottom, left or right.
    assert (low > high) == (orientation in ("bottom", "left"))
    assert (tree["cut_line"].get_ydata() if vertical else tree["cut_line"].get_xdata())[0] == max_d


def test_a_cut_inside_the_tree_leaves_scipys_limits(Z, ax):
    fancy_dendrogram(Z, ax=ax, max_d=50)
    assert ax.get_ylim() == pytest.approx((0, 1.05 * Z[-1, 2]))


@pytest.mark.parametrize("orientation", ["top", "left"])
def test_many_contraction_marks_are_one_collection_drawn_like_scipys_patches(orientation):
    Z = linkage(np.random.default_rng(3).normal(size=(640, 2)), "ward")
    kwargs = {"truncate_mode": "lastp", "p": 30, "show_contracted": True, "orientation": orientation}
    pictures = []
    for draw in (dendrogram, module._dendrogram):
        fig, ax = plt.subplots(figsize=(6, 3))
        draw(Z, ax=ax, **kwargs)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="rgba", dpi=80)
        pictures.append((len(ax.patches), [type(c).__name__ for c in ax.collections], buffer.getvalue()))
        plt.close(fig)
    (scipy_patches, _, scipy_pixels), (patches, collections, pixels) = pictures
    assert scipy_patches > module.MANY_CONTRACTION_MARKS and patches == 0
    assert collections.count("EllipseCollection") == 1
    assert pixels == scipy_pixels  # the same picture, pixel for pixel
