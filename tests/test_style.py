"""The course's matplotlibrc: read by every notebook, safe colours, white figures."""

from pathlib import Path

import matplotlib as mpl

from helpers.plotting import OKABE_ITO

RC = Path(__file__).resolve().parent.parent / "notebooks" / "matplotlibrc"


def test_matplotlibrc_colour_cycle_is_the_helpers_palette():
    params = mpl.rc_params_from_file(str(RC), use_default_template=False)
    colours = [c.upper() for c in params["axes.prop_cycle"].by_key()["color"]]
    assert colours == list(OKABE_ITO)


def test_figures_are_opaque_white_for_dark_themes():
    params = mpl.rc_params_from_file(str(RC), use_default_template=False)
    for key in ("figure.facecolor", "savefig.facecolor", "axes.facecolor"):
        assert params[key] == "white", key
    assert params["savefig.transparent"] is False
