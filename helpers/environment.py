"""Check that this Python has what the course needs.

Run ``python -m helpers`` in a terminal, or call
:func:`check_environment` in a notebook: one line per package, OK or FAIL,
so that you can diagnose your own set-up before the first lesson.
"""

from __future__ import annotations

import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.version import Version

__all__ = ["requirements", "check_environment"]

DISTRIBUTION = "dendrogram-course"


def requirements():
    """The course's own requirements, read from its installed metadata.

    Returns
    -------
    list of packaging.requirements.Requirement
        One per package the course needs to run (no extras).

    Examples
    --------
    >>> sorted(r.name for r in requirements())
    ['fastcluster', 'ipywidgets', 'matplotlib', 'numpy', 'packaging', 'scikit-learn', 'scipy']
    """
    found = []
    for line in metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(line)
        if requirement.marker is None:
            found.append(requirement)
    return found


def check_environment(file=None):
    """Print OK or FAIL for Python and for each package the course needs.

    Parameters
    ----------
    file : file-like, optional
        Where to print. Default: standard output.

    Returns
    -------
    bool
        True when everything is OK.

    Examples
    --------
    >>> check_environment()  # doctest: +ELLIPSIS
    OK    python ...
    OK    numpy ...
    True
    """
    file = file or sys.stdout
    ok = True
    python_needed = metadata.metadata(DISTRIBUTION)["Requires-Python"]
    python_ok = Version(".".join(map(str, sys.version_info[:3]))) in Requirement(
        f"python{python_needed}"
    ).specifier
    ok &= python_ok
    print(f"{'OK  ' if python_ok else 'FAIL'}  python (needs {python_needed})", file=file)
    for requirement in requirements():
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            print(f"FAIL  {requirement.name} is not installed (needs {requirement.specifier}): "
                  f"pip install -e . from the course folder", file=file)
            ok = False
            continue
        good = requirement.specifier.contains(installed, prereleases=True)
        ok &= good
        if good:
            print(f"OK    {requirement.name} (needs {requirement.specifier})", file=file)
        else:
            print(f"FAIL  {requirement.name} {installed} is too old (needs {requirement.specifier}): "
                  f"pip install -U {requirement.name}", file=file)
    return bool(ok)
