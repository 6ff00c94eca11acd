"""Check that this Python has what the course needs.

Run ``python -m helpers`` in a terminal, or call
:func:`check_environment` in a notebook: one line per package, OK or FAIL,
so that you can diagnose your own set-up before the first lesson.

The check never needs more than the standard library: it runs, and says
what to install, even when a package it checks is missing, broken or too
old, or when the course itself is not installed.

Chapter 13 alone needs Apache Spark (the ``spark`` extra) and Java, which
the rest of the course does not: when Spark is installed, the check checks
it and Java like the rest; when it is not, it says, on lines starting with
``--`` that count as neither OK nor FAIL, what chapter 13 would need.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["requirements", "extra_requirements", "check_environment", "shadowing_files"]

DISTRIBUTION = "dendrogram-course"

#: Import names that differ from the distribution's name.
IMPORT_NAMES = {"scikit-learn": "sklearn"}

#: The course's pyproject.toml, read when the course is not installed.
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

INSTALL = "pip install -e . from the course folder"

#: The extra that chapter 13 needs (Apache Spark), and the package that says it is installed.
SPARK_EXTRA = "spark"
SPARK_PACKAGE = "pyspark"


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
        return self._meets(version, self.bounds)

    def too_new(self, version):
        """Whether `version` is above an upper bound (``<3``, ``<=2.5``), so that upgrading cannot help.

        Examples
        --------
        >>> r = Requirement("pandas>=2.2,<3")
        >>> r.too_new("3.0.1"), r.too_new("2.1.0")
        (True, False)
        """
        return not self._meets(version, [(op, bound) for op, bound in self.bounds if op in ("<", "<=")])

    @staticmethod
    def _meets(version, bounds):
        release = _release(version)
        for op, bound in bounds:
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
    ['anywidget', 'fastcluster', 'ipywidgets', 'matplotlib', 'numpy', 'pandas', 'scikit-learn', 'scipy', 'seaborn',
     'tqdm']
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


def _extra_lines(extra):
    """The requirement lines of one extra, markers kept, from the metadata or pyproject.toml."""
    try:
        lines = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        if not PYPROJECT.is_file():
            return []
        text = PYPROJECT.read_text(encoding="utf-8")
        block = re.search(rf"^{re.escape(extra)}\s*=\s*\[(.*?)^\]", text, flags=re.M | re.S)
        return re.findall(r'^\s*"([^"]+)"', block.group(1), flags=re.M) if block else []
    wanted = re.compile(rf"""extra\s*==\s*["']{re.escape(extra)}["']""")
    return [line for line in lines if wanted.search(line)]


def extra_requirements(extra=SPARK_EXTRA):
    """The requirements of one of the course's extras, such as ``spark`` (chapter 13).

    Parameters
    ----------
    extra : str, default 'spark'
        The extra's name in ``pyproject.toml``.

    Returns
    -------
    list of Requirement
        With their markers (``python_version >= '3.11'``...); empty for an
        extra the course does not declare.

    Examples
    --------
    >>> [r.name for r in extra_requirements("spark")]
    ['pyspark', 'pandas', 'pyarrow']
    """
    return [Requirement(line) for line in _extra_lines(extra)]


def _python_needed(requirements):
    """The (major, minor) that a ``python_version >= 'X.Y'`` marker of the requirements asks for, or None."""
    for requirement in requirements:
        found = re.search(r"""python_version\s*>=\s*["'](\d+)\.(\d+)["']""", requirement.marker or "")
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def _check_spark(file):
    """The lines for chapter 13's Spark and Java; False only when Spark is installed but cannot run."""
    # Imported here: `python -m helpers.spark` must find it not yet imported.
    from . import spark as _spark

    needed = extra_requirements(SPARK_EXTRA)
    if not needed:
        return True
    python = _python_needed(needed)
    if python is not None and sys.version_info[:2] < python:
        print(f"--    chapter 13 (Apache Spark) needs Python {python[0]}.{python[1]} or newer; "
              f"the rest of the course runs on this one", file=file)
        return True
    java = _spark.find_java()
    problem = _spark.java_problem(java)
    try:
        metadata.version(SPARK_PACKAGE)
    except metadata.PackageNotFoundError:
        print(f"--    {SPARK_PACKAGE} is not installed: only chapter 13 needs it "
              f"({_spark.INSTALL_SPARK})", file=file)
        if problem:
            print(f"--    java: chapter 13 would need it too. {problem}", file=file)
        else:
            print(f"--    java {java.version} ({java.path}), as chapter 13 would need", file=file)
        return True
    ok = True
    for requirement in needed:
        good, line = _check_package(requirement)
        ok &= good
        print(line, file=file)
    if problem:
        print(f"FAIL  java: {problem}", file=file)
        return False
    print(f"OK    java {java.version} ({java.path}; Spark needs {_spark.MINIMUM_JAVA} or newer)", file=file)
    return ok


def _check_package(requirement):
    """(ok, line) for one requirement: installed, new enough, not shadowed, and importable."""
    name, needs = requirement.name, requirement.specifier
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return False, f"FAIL  {name} is not installed (needs {needs}): {INSTALL}"
    if not requirement.accepts(installed):
        if requirement.too_new(installed):
            return False, (f"FAIL  {name} {installed} is too new (needs {needs}): "
                           f'pip install "{name}{needs}"')
        return False, (f"FAIL  {name} {installed} is too old (needs {needs}): "
                       f"pip install -U {name}")
    module = IMPORT_NAMES.get(name, name.replace("-", "_"))
    shadow = _shadowing_file(name, module)
    if shadow is not None:
        return False, _shadow_line(name, installed, shadow)
    try:
        importlib.import_module(module)
    except Exception as error:  # noqa: BLE001 - any failure to import is the finding
        needed = (getattr(error, "name", None) or module).partition(".")[0]
        if needed != module:  # another package it imports fails (seaborn needs matplotlib)
            return False, (f"FAIL  {name} {installed} is installed but needs {needed}, which does "
                           f"not import ({type(error).__name__}: {error}): repair {needed} first")
        return False, (f"FAIL  {name} {installed} is installed but does not import "
                       f"({type(error).__name__}: {error}): pip install --force-reinstall {name}")
    return True, f"OK    {name} (needs {needs})"


def check_environment(file=None):
    """Print OK or FAIL for Python and for each package the course needs.

    A package is OK when it is installed, at least as new as the course
    needs, and imports. Each FAIL line says what to do: what to install,
    or, when a file of the same name (``matplotlib.py`` in the current
    folder, say) is imported instead of the installed package, which file
    to rename. Then chapter 13's Apache Spark and Java: checked the same way
    when Spark is installed; otherwise a line starting with ``--`` says what
    the chapter would need, and does not count as a failure.

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
    ok &= _check_spark(file)
    return bool(ok)
