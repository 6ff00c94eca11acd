"""The course's sample data: the tutorial's two-cluster set, its
five-cluster counter-example, and a real data set (the Palmer penguins).

Both sets come from one seeded stream of NumPy's legacy generator, drawn in
the tutorial's order (``a``, ``b``, then ``c``, ``d``, ``e``), so every number
and figure matches the original tutorial. The same data are shipped as CSV
files in the repository's ``data/`` folder for readers who use other tools.

The penguins are real measurements, read from ``data/penguins.csv``.
"""

from __future__ import annotations

import csv
import os
from importlib import resources
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np

__all__ = ["SEED", "BLOBS", "two_clusters", "five_clusters",
           "PENGUIN_FEATURES", "PENGUIN_SPECIES", "penguins"]

#: The seed of the tutorial's random stream.
SEED = 4711

#: The Gaussian blobs, in the order they are drawn: (name, size, mean, cov).
#: ``a`` and ``b`` make ``X``; ``c``, ``d`` and ``e`` are added for ``X2``.
BLOBS = (
    ("a", 100, (10, 0), ((3, 1), (1, 4))),
    ("b", 50, (0, 20), ((3, 1), (1, 4))),
    ("c", 200, (40, 40), ((20, 1), (1, 30))),
    ("d", 200, (80, 80), ((30, 1), (1, 30))),
    ("e", 200, (0, 100), ((100, 1), (1, 100))),
)


def _draw(n_blobs):
    """Draw the first `n_blobs` blobs from the tutorial's seeded stream.

    ``RandomState(SEED)`` yields exactly the numbers of ``np.random.seed(SEED)``
    followed by calls to ``np.random.multivariate_normal``, without touching
    NumPy's global generator.
    """
    rng = np.random.RandomState(SEED)
    parts, labels = [], []
    for label, (_, size, mean, cov) in enumerate(BLOBS[:n_blobs]):
        parts.append(rng.multivariate_normal(mean, cov, size=size))
        labels.append(np.full(size, label))
    return np.concatenate(parts), np.concatenate(labels)


def two_clusters(return_labels=False):
    """The tutorial's sample data `X`: 150 points in two clusters.

    100 draws of a 2-D normal with mean (10, 0) followed by 50 with mean
    (0, 20), both with covariance ``[[3, 1], [1, 4]]``, from the stream seeded
    with 4711.

    Parameters
    ----------
    return_labels : bool, optional
        Also return the true cluster of every sample (0 for the first blob,
        1 for the second). Default False.

    Returns
    -------
    X : ndarray of shape (150, 2)
        The samples, one per row.
    y : ndarray of shape (150,)
        The true labels; only when `return_labels` is True.

    See Also
    --------
    five_clusters : the counter-example, which extends this stream.

    Examples
    --------
    >>> X = two_clusters()
    >>> X.shape
    (150, 2)
    >>> print(f"{X[0, 0]:.5f} {X[0, 1]:.5f}")
    9.21188 -0.15189
    >>> X, y = two_clusters(return_labels=True)
    >>> print((y == 0).sum(), (y == 1).sum())
    100 50
    """
    X, y = _draw(2)
    return (X, y) if return_labels else X


def five_clusters(return_labels=False):
    """The counter-example `X2`: `X` plus three more clusters, 750 points.

    The same random stream continues after `X` with 200 draws around
    (40, 40), 200 around (80, 80) and 200 around (0, 100), with much larger
    spreads than the first two clusters. The first 150 rows equal
    :func:`two_clusters`.

    Parameters
    ----------
    return_labels : bool, optional
        Also return the true cluster of every sample (0 to 4, in the order
        the blobs are drawn). Default False.

    Returns
    -------
    X2 : ndarray of shape (750, 2)
        The samples, one per row.
    y2 : ndarray of shape (750,)
        The true labels; only when `return_labels` is True.

    See Also
    --------
    two_clusters : the tutorial's data, the first 150 rows of this set.

    Examples
    --------
    >>> X2, y2 = five_clusters(return_labels=True)
    >>> X2.shape
    (750, 2)
    >>> print(np.bincount(y2))
    [100  50 200 200 200]
    >>> np.array_equal(X2[:150], two_clusters())
    True
    """
    X, y = _draw(len(BLOBS))
    return (X, y) if return_labels else X


#: Where the shipped CSV files live in the course folder: ``data/``.
DATA = Path(__file__).resolve().parent.parent / "data"


def data_file(name):
    """The path of one of the course's data files, however the course is installed.

    A regular install (``pip install .``, a wheel) carries the files of
    ``data/`` inside the package, as ``helpers/_datasets/`` (see
    ``pyproject.toml``); an editable install or a checkout reads them from
    the course's ``data/`` folder itself.

    Parameters
    ----------
    name : str
        The file's name, for example ``"penguins.csv"``.

    Returns
    -------
    pathlib.Path or importlib.resources.abc.Traversable
        Something to ``open()`` (use its ``open`` method) or read.

    Raises
    ------
    TypeError
        If `name` is not a string (or a path).
    ValueError
        If `name` is not a bare file name: a folder in it (``../x``,
        ``/etc/x``) would reach files outside the course's data.
    FileNotFoundError
        If neither place holds the file.

    Examples
    --------
    >>> data_file("penguins.csv").name
    'penguins.csv'
    >>> data_file("../pyproject.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: name must be the name of one of the course's data files, without a folder ...
    """
    name = _as_file_name(name)
    installed = resources.files(__package__).joinpath("_datasets", name)
    if installed.is_file():
        return installed
    checkout = DATA / name
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(
        f"The course's data file {name} is neither installed with the helpers "
        f"({installed}) nor in the course's data/ folder ({checkout}). Reinstall "
        f"the course from its folder (pip install -e .), or run "
        f"tools/copy_penguins.py if it is the penguins file that is missing."
    )

def _as_file_name(name):
    """`name` as a bare file name, or an error naming `name`."""
    example = "such as 'penguins.csv'"
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if not isinstance(name, str):
        raise TypeError(
            f"name must be the name of one of the course's data files, {example}; got "
            f"{name!r} of type {type(name).__name__}."
        )
    bare = PurePosixPath(name).name == name and PureWindowsPath(name).name == name
    if not bare or name in ("", ".", ".."):
        raise ValueError(
            f"name must be the name of one of the course's data files, without a folder "
            f"({example}); got {name!r}."
        )
    return name


#: The numeric columns of ``penguins.csv`` that :func:`penguins` returns, in order.
PENGUIN_FEATURES = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")

#: The three species, in the order of the labels 0, 1, 2.
PENGUIN_SPECIES = ("Adelie", "Chinstrap", "Gentoo")


def penguins(return_labels=False):
    """The Palmer penguins: four body measurements of 344 penguins of three species.

    Read from ``data/penguins.csv`` (see :func:`data_file`), a byte-for-byte copy of the file shipped
    by the ``palmerpenguins`` package (data by Gorman, Williams and Fraser,
    2014, Palmer Station LTER; CC0). Missing measurements (written ``NA`` in
    the file) come back as NaN: handling them is part of the lesson.

    Parameters
    ----------
    return_labels : bool, optional
        Also return each penguin's species as a number: an index into
        :data:`PENGUIN_SPECIES` (0 Adelie, 1 Chinstrap, 2 Gentoo).
        Default False.

    Returns
    -------
    X : ndarray of shape (344, 4)
        One row per penguin; the columns are :data:`PENGUIN_FEATURES`: bill
        length (mm), bill depth (mm), flipper length (mm), body mass (g).
    y : ndarray of shape (344,)
        The species labels; only when `return_labels` is True.

    Raises
    ------
    FileNotFoundError
        If ``penguins.csv`` is neither installed with the package nor in the
        course's ``data/`` folder (see :func:`data_file`).

    See Also
    --------
    five_clusters : the generated counter-example with known labels.

    Examples
    --------
    >>> X, y = penguins(return_labels=True)
    >>> X.shape
    (344, 4)
    >>> print(X[0])
    [  39.1   18.7  181.  3750. ]
    >>> print(np.isnan(X).any(axis=1).sum(), np.bincount(y))
    2 [152  68 124]
    """
    with data_file("penguins.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    X = np.array([[np.nan if row[column] == "NA" else float(row[column])
                   for column in PENGUIN_FEATURES] for row in rows])
    if not return_labels:
        return X
    y = np.array([PENGUIN_SPECIES.index(row["species"]) for row in rows])
    return X, y
