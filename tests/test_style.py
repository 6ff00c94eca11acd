"""The course's colours and matplotlibrc: one palette, readable on white,
told apart with every common colour-vision deficiency, white figures."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.cluster.hierarchy import dendrogram, linkage

import helpers
from helpers import plotting
from tools import palette
from tools.course import COURSE

RC = COURSE.matplotlibrc


def rc_colours():
    params = mpl.rc_params_from_file(str(RC), use_default_template=False)
    return [f"#{c.upper().lstrip('#')}" for c in params["axes.prop_cycle"].by_key()["color"]]


def test_matplotlibrc_colour_cycle_is_the_helpers_palette():
    assert rc_colours() == list(plotting.COLOUR_CYCLE)
    # C0 is the above-cut blue, C1... the cluster colours in order.
    assert plotting.COLOUR_CYCLE == (plotting.ABOVE_CUT_COLOUR,) + plotting.PALETTE
    assert plotting.ABOVE_CUT_COLOUR == "#0072B2"
    assert plotting.OKABE_ITO == plotting.COLOUR_CYCLE


def test_the_package_exports_the_one_source_of_the_colours():
    for name in ("PALETTE", "ABOVE_CUT_COLOUR", "CUT_LINE_COLOUR", "CONTEXT_GREY",
                 "COLOUR_CYCLE", "MARKERS"):
        assert getattr(helpers, name) is getattr(plotting, name), name
        assert name in helpers.__all__


def test_figures_are_opaque_white_for_dark_themes():
    params = mpl.rc_params_from_file(str(RC), use_default_template=False)
    for key in ("figure.facecolor", "savefig.facecolor", "axes.facecolor"):
        assert params[key] == "white", key
    assert params["savefig.transparent"] is False


def test_the_contrast_formula_matches_wcag():
    assert palette.contrast_on_white("#000000") == pytest.approx(21.0)
    assert palette.contrast_on_white("#FFFFFF") == pytest.approx(1.0)
    # WCAG's own examples: #767676 is the lightest grey with 4.5:1, and the
    # three retired Okabe-Ito colours fail 3:1.
    assert palette.contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)
    for retired, ratio in (("#E69F00", 2.25), ("#56B4E9", 2.31), ("#F0E442", 1.32)):
        assert palette.contrast_on_white(retired) == pytest.approx(ratio, abs=0.01)


def test_ciede2000_matches_the_published_test_pairs():
    # Sharma, Wu and Dalal (2005), pairs 1, 7 and 34.
    assert palette.ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert palette.ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert palette.ciede2000((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514)) == pytest.approx(0.9082, abs=1e-4)


def test_machado_simulation_keeps_greys_and_confuses_red_and_green():
    for grey in ("#000000", "#767676", "#FFFFFF"):
        for vision in palette.MACHADO:
            np.testing.assert_allclose(palette.simulate(grey, vision), palette.linear_rgb(grey), atol=2e-3)
    # Pure red and a green of similar lightness collapse for a deuteranope.
    assert palette.difference("#FF0000", "#00A000") > 50
    assert palette.difference("#FF0000", "#00A000", "deuteranopia") < 15


def all_colours_the_course_draws_with():
    colours = dict(palette.course_colours())
    # The explorer's cluster colours come from the colour cycle of the course.
    with mpl.rc_context(fname=str(RC)):
        from helpers.explorer import cluster_palette

        for i, colour in enumerate(cluster_palette()):
            colours[f"explorer cluster {i + 1}"] = colour.upper()
    return colours


@pytest.mark.parametrize("role, colour", sorted(all_colours_the_course_draws_with().items()))
def test_every_colour_has_3_to_1_contrast_on_white(role, colour):
    assert palette.contrast_on_white(colour) >= 3.0, f"{role} {colour}"


def test_the_explorers_grey_is_the_course_grey():
    from helpers.explorer import UNCOLOURED

    assert UNCOLOURED.upper() == plotting.CONTEXT_GREY


def test_cluster_colours_never_equal_the_above_cut_cut_line_or_grey():
    reserved = {plotting.ABOVE_CUT_COLOUR, plotting.CUT_LINE_COLOUR, plotting.CONTEXT_GREY}
    assert len(set(plotting.PALETTE)) == len(plotting.PALETTE) >= 7
    assert not reserved & set(plotting.PALETTE)
    assert plotting.CONTEXT_GREY[1:3] == plotting.CONTEXT_GREY[3:5] == plotting.CONTEXT_GREY[5:7]


# The smallest CIEDE2000 difference between two colours that a reader must
# tell apart (two clusters, or a cluster and the blue, black or grey); about
# 2 is just noticeable, 10 is obvious side by side.
@pytest.mark.parametrize("vision, floor", [
    ("normal", 20), ("protanopia", 11), ("deuteranopia", 9.5), ("tritanopia", 10),
])
def test_cluster_colours_stay_apart_with_colour_vision_deficiencies(vision, floor):
    value, pair = palette.smallest_differences()[vision]
    assert value >= floor, pair


def test_importing_helpers_gives_scipy_the_cluster_colours_for_subtrees():
    # Eleven well separated pairs: eleven subtrees, more than the palette
    # holds. SciPy's default ("C1".."C9") would repeat "C0", the above-cut
    # colour, on an eight-colour cycle.
    X = np.array([[10.0 * i, 0.0] for i in range(11) for _ in range(2)])
    X[1::2, 1] = 1.0
    Z = linkage(X, "single")
    with mpl.rc_context(fname=str(RC)):
        fig, ax = plt.subplots()
        try:
            tree = dendrogram(Z, ax=ax, color_threshold=5)
        finally:
            plt.close(fig)
    below = [c for c, ys in zip(tree["color_list"], tree["dcoord"], strict=True) if ys[1] < 5]
    assert below == [plotting.PALETTE[i % len(plotting.PALETTE)] for i in range(11)]
    assert set(tree["color_list"]) - set(below) == {"C0"}


def test_the_tool_prints_every_measure(capsys):
    assert palette.main() == 0
    out = capsys.readouterr().out
    for colour in plotting.COLOUR_CYCLE + (plotting.CONTEXT_GREY,):
        assert colour in out
    for vision in palette.VISIONS:
        assert vision in out
