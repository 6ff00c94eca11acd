"""Check that this Python has what the course needs.

Run ``python -m helpers`` in a terminal, or call
:func:`check_environment` in a notebook: one line per package, OK or FAIL,
so that you can diagnose your own set-up before the first lesson.

The check never needs more than the standard library: it runs, and says
what to install, even when a package it checks is missing, broken or too
old, or when the course itself is not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["requirements", "check_environment", "shadowing_files"]

DISTRIBUTION = "dendrogram-course"

#: Import names that differ from the distribution's name.
IMPORT_NAMES = {"scikit-learn": "sklearn"}

#: The course's pyproject.toml, read when the course is not installed.
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

INSTALL = "pip install -e . from the course folder"


_COMPARE = {
    ">=": lambda a, b: a >= b, ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "~=": lambda a, b: a >= b,
}


class Requirement:
    """A requirement such as ``numpy>=2.0``: a name and its version bounds.

    Enough of :class:`packaging.requirements.Requirement` for the course's
    own requirements, with no dependency of its own, so that the check works
    even without ``packaging``. Versions are compared by their release
    numbers (``2.1.0rc1`` counts as ``2.1.0``; ``==2.*`` as ``==2``).

    Examples
    --------
    >>> r = Requirement("numpy>=2.0,<3")
    >>> r.name, r.specifier, r.accepts("2.3.1"), r.accepts("1.26.4"), r.accepts("3.0")
    ('numpy', '>=2.0,<3', True, False, False)
    """

    def __init__(self, line):
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$", line)
        if match is None:
            raise ValueError(f"cannot read the requirement {line!r}")
        self.name = match.group(1)
        self.specifier = match.group(3).strip().replace(" ", "")
        self.marker = match.group(4)[1:].strip() if match.group(4) else None
        self.bounds = []
        for clause in filter(None, self.specifier.split(",")):
            bound = re.match(r"(>=|<=|==|!=|~=|>|<)=?([0-9][0-9A-Za-z.*]*)$", clause)
            if bound is None:
                raise ValueError(f"cannot read the version bound {clause!r} of {line!r}")
            op, version = bound.groups()
            if version.endswith(".*") and op in ("==", "!="):
                op += "*"  # a prefix match: ==2.* accepts 2.anything
            self.bounds.append((op, _release(version)))

    def accepts(self, version):
        """Whether `version` (a string) meets every bound."""
        release = _release(version)
        for op, bound in self.bounds:
            if op.endswith("*"):
                good = (release[:len(bound)] == bound) == (op == "==*")
            else:
                # Missing numbers count as 0: 3 == 3.0, and 3.0.1 > 3.
                width = max(len(release), len(bound))
                a, b = (v + (0,) * (width - len(v)) for v in (release, bound))
                good = _COMPARE[op](a, b) and (op != "~=" or release[:len(bound) - 1] == bound[:-1])
            if not good:
                return False
        return True


def _release(version):
    """The release numbers of a version string: '2.1.0rc1' -> (2, 1, 0).

    Reading stops at the first part that is not all digits, so a local
    label ('2.0.1+cpu') or a pre-release ends the release like any suffix.
    """
    numbers = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group(0)))
        if digits.group(0) != part:
            break
    return tuple(numbers)


def _declared():
    """(requires-python, requirement lines, where they come from)."""
    try:
        meta = metadata.metadata(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    else:
        return meta["Requires-Python"], metadata.requires(DISTRIBUTION) or [], None
    if not PYPROJECT.is_file():
        return None, [], None
    text = PYPROJECT.read_text(encoding="utf-8")
    python = re.search(r'^requires-python\s*=\s*"([^"]+)"', text, flags=re.M)
    block = re.search(r"^dependencies\s*=\s*\[(.*?)^\]", text, flags=re.M | re.S)
    lines = re.findall(r'^\s*"([^"]+)"', block.group(1), flags=re.M) if block else []
    return (python.group(1) if python else None), lines, PYPROJECT


def requirements():
    """The course's own requirements, from its installed metadata.

    When the course is not installed, they are read from its
    ``pyproject.toml`` instead (if this is a copy of the course folder).

    Returns
    -------
    list of Requirement
        One per package the course needs to run (no extras), each with a
        ``name`` and a ``specifier`` such as ``'>=2.0'``.

    Examples
    --------
    >>> sorted(r.name for r in requirements())
    ['anywidget', 'fastcluster', 'ipywidgets', 'matplotlib', 'numpy', 'scikit-learn', 'scipy', 'tqdm']
    """
    found = []
    for line in _declared()[1]:
        requirement = Requirement(line)
        if requirement.marker is None:
            found.append(requirement)
    return found


def _shadowing_file(name, module):
    """The file or folder that Python imports as `module` instead of the installed `name`, or None.

    A file ``matplotlib.py`` (or a folder ``matplotlib/`` with an
    ``__init__.py``) in the current folder, or anywhere on ``sys.path``
    before the installed package, is imported in its place; reinstalling the
    package cannot help. Only said when the installed package's own files
    are where its metadata says (so an editable install, whose files live
    elsewhere, is never taken for a shadow).
    """
    try:
        spec = importlib.util.find_spec(module)
        dist = metadata.distribution(name)
    except (ImportError, ValueError, metadata.PackageNotFoundError):
        return None
    if spec is None or spec.origin is None or not Path(spec.origin).is_file():
        return None
    installed = [Path(dist.locate_file(f"{module}/__init__.py")), Path(dist.locate_file(f"{module}.py"))]
    installed = [path.resolve() for path in installed if path.is_file()]
    origin = Path(spec.origin).resolve()
    if not installed or origin in installed:
        return None
    return origin.parent if origin.name == "__init__.py" else origin


def shadowing_files():
    """The course's packages that a file of the same name hides, and that file.

    Returns
    -------
    dict
        ``{package name: path}`` for each requirement whose import would
        load another file than the installed package (see
        :func:`check_environment`); empty when none is shadowed.

    Examples
    --------
    >>> shadowing_files()
    {}
    """
    found = {}
    for requirement in requirements():
        module = IMPORT_NAMES.get(requirement.name, requirement.name.replace("-", "_"))
        path = _shadowing_file(requirement.name, module)
        if path is not None:
            found[requirement.name] = path
    return found


def _shadow_line(name, installed, path):
    kind = "folder" if path.is_dir() else "file"
    return (f"FAIL  {name} {installed} is installed, but Python imports the {kind} {path} "
            f"instead, which has the same name: rename or move that {kind} (and delete "
            f"its __pycache__ folder, if any), or start Python in another folder. "
            f"Reinstalling {name} cannot help.")


def _check_package(requirement):
    """(ok, line) for one requirement: installed, new enough, not shadowed, and importable."""
    name, needs = requirement.name, requirement.specifier
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return False, f"FAIL  {name} is not installed (needs {needs}): {INSTALL}"
    if not requirement.accepts(installed):
        return False, (f"FAIL  {name} {installed} is too old (needs {needs}): "
                       f"pip install -U {name}")
    module = IMPORT_NAMES.get(name, name.replace("-", "_"))
    shadow = _shadowing_file(name, module)
    if shadow is not None:
        return False, _shadow_line(name, installed, shadow)
    try:
        importlib.import_module(module)
    except Exception as error:  # noqa: BLE001 - any failure to import is the finding
        return False, (f"FAIL  {name} {installed} is installed but does not import "
                       f"({type(error).__name__}: {error}): pip install --force-reinstall {name}")
    return True, f"OK    {name} (needs {needs})"


def check_environment(file=None):
    """Print OK or FAIL for Python and for each package the course needs.

    A package is OK when it is installed, at least as new as the course
    needs, and imports. Each FAIL line says what to do: what to install,
    or, when a file of the same name (``matplotlib.py`` in the current
    folder, say) is imported instead of the installed package, which file
    to rename.

    Parameters
    ----------
    file : file-like, optional
        Where to print: anything with a ``write`` method, such as
        ``sys.stderr`` or an ``io.StringIO()``. Default: standard output.

    Returns
    -------
    bool
        True when everything is OK.

    Raises
    ------
    TypeError
        If `file` has no ``write`` method.

    Examples
    --------
    >>> check_environment()  # doctest: +ELLIPSIS
    OK    python ...
    OK    numpy ...
    True
    """
    if file is None:
        file = sys.stdout
    elif not callable(getattr(file, "write", None)):
        raise TypeError(
            f"file must be a text stream to print to, with a write method (such as "
            f"sys.stdout or io.StringIO()); got {type(file).__name__}."
        )
    python_needed, lines, source = _declared()
    ok = True
    if source is not None:
        ok = False
        print(f"FAIL  the course ({DISTRIBUTION}) is not installed: {INSTALL} "
              f"(the packages below are read from {source.name})", file=file)
    elif python_needed is None:
        print(f"FAIL  the course ({DISTRIBUTION}) is not installed and its "
              f"pyproject.toml is not here: {INSTALL}", file=file)
        return False
    running = ".".join(map(str, sys.version_info[:3]))
    python_ok = python_needed is None or Requirement(f"python{python_needed}").accepts(running)
    ok &= python_ok
    if python_ok:
        print(f"OK    python (needs {python_needed})", file=file)
    else:
        print(f"FAIL  python {running} is not supported (needs {python_needed}): "
              f"use a Python that matches, and make the course's environment with it",
              file=file)
    for requirement in requirements():
        good, line = _check_package(requirement)
        ok &= good
        print(line, file=file)
    return bool(ok)
