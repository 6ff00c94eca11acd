"""Helpers for the hierarchical clustering course.

One module per concept:

- :mod:`helpers.data`: the tutorial's sample data `X`, the counter-example `X2`,
  and a real data set, the Palmer penguins;
- :mod:`helpers.dendrogram`: :func:`fancy_dendrogram`, the annotated dendrogram;
- :mod:`helpers.choosing_k`: the gap statistic, to estimate the number of clusters;
- :mod:`helpers.cutoff`: how many clusters a cut gives, which cuts give `k`
  clusters, the elbow heuristic, and the members of a cluster of the tree;
- :mod:`helpers.plotting`: the course's colours (:data:`PALETTE`...), and scatter
  plots that highlight samples or colour clusters;
- :mod:`helpers.explorer`: :class:`CutoffExplorer`, the logic behind the
  interactive cut-off (what to draw, and in which colours, for any `max_d`);
- :mod:`helpers.stepper`: :class:`~helpers.stepper.MergeStepper`, a merge-by-merge
  stepper that shows the samples, the growing dendrogram and the rows of `Z`
  side by side, live in a notebook and on a static page;
- :mod:`helpers.environment`: :func:`check_environment`, OK or FAIL per package;
- :mod:`helpers.spark`: a Spark session with the course's settings, and the Java
  it needs, for chapter 13 (import it from its module: Spark is optional).

The lessons call SciPy itself for what they teach (``linkage``,
``dendrogram``, ``fcluster``...); these helpers only hide what recurs.

Importing :mod:`helpers` has one side effect: it sets SciPy's dendrogram
link colour palette to the course's cluster colours
(``scipy.cluster.hierarchy.set_link_color_palette(helpers.PALETTE)``), so
that every dendrogram of the course, SciPy's own included, colours its
subtrees with :data:`helpers.PALETTE` and never with the blue of the links
above the cut, the black of the cut line or the grey of context samples.
Call ``set_link_color_palette(None)`` to restore SciPy's default.

In a Jupyter kernel it has a second: every Matplotlib figure the session
shows inline comes out as an ``<img>`` whose alt text is the ``# Figure: ...``
comment of the cell that drew it (:func:`helpers.figures.describe_figures`),
so that screen readers describe the figures a learner makes, in JupyterLab
and Notebook 7, as on the site. Outside a kernel it does nothing.
"""

import sys

try:
    from .choosing_k import GapResult, gap_statistic, within_dispersion
    from .cutoff import ElbowResult, cluster_members, distance_range, elbow, n_clusters_at
    from .data import (
        PENGUIN_FEATURES,
        PENGUIN_SPECIES,
        data_file,
        five_clusters,
        penguins,
        two_clusters,
    )
    from .dendrogram import fancy_dendrogram
    from .environment import check_environment
    from .exercises import self_check
    from .explorer import CutoffExplorer
    from .figures import describe_figures
    from .plotting import (
        ABOVE_CUT_COLOUR,
        COLOUR_CYCLE,
        CONTEXT_GREY,
        CUT_LINE_COLOUR,
        MARKERS,
        OKABE_ITO,
        PALETTE,
        highlight_samples,
        plot_clusters,
        plot_elbow,
    )
except Exception as error:  # a package missing, too old or broken
    # `python -m helpers` imports this package before it runs the check in
    # helpers/__main__.py, and the check must run precisely when this fails.
    # While Python looks for the module to run, sys.argv[0] is "-m".
    if sys.argv[:1] == ["-m"]:
        IMPORT_ERROR = error
    else:
        from .environment import shadowing_files  # the standard library only

        shadows = "".join(
            f" {name} is hidden by {path}, which Python imports instead: rename or move it."
            for name, path in shadowing_files().items())
        raise ImportError(
            f"The course's helpers cannot be imported: {type(error).__name__}: {error}."
            + (shadows or " Run `python -m helpers` in a terminal (with the course's Python) "
                          "to see which package is missing or too old, and how to install it.")
        ) from error
else:
    IMPORT_ERROR = None
    describe_figures()

__all__ = [
    "ABOVE_CUT_COLOUR",
    "COLOUR_CYCLE",
    "CONTEXT_GREY",
    "CUT_LINE_COLOUR",
    "CutoffExplorer",
    "ElbowResult",
    "GapResult",
    "MARKERS",
    "OKABE_ITO",
    "PALETTE",
    "PENGUIN_FEATURES",
    "PENGUIN_SPECIES",
    "check_environment",
    "cluster_members",
    "data_file",
    "distance_range",
    "elbow",
    "fancy_dendrogram",
    "five_clusters",
    "gap_statistic",
    "highlight_samples",
    "n_clusters_at",
    "penguins",
    "plot_clusters",
    "plot_elbow",
    "self_check",
    "two_clusters",
    "within_dispersion",
]
