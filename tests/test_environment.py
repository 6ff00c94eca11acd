"""pip (pyproject.toml) and conda (environment.yml) agree on what the course needs."""

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_environment():
    """The conda packages and the pip lines of environment.yml, without a YAML parser."""
    conda, pip, in_pip = {}, [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        line = line.split("#")[0].rstrip()
        item = re.match(r"^(\s*)- (.+)$", line)
        if not item:
            continue
        indent, text = len(item.group(1)), item.group(2).strip()
        if text == "pip:":
            in_pip = True
        elif in_pip and indent > 2:
            pip.append(text)
        elif indent == 2 and not text.startswith(("conda-forge", "defaults")):
            in_pip = False
            name = re.match(r"^[A-Za-z0-9_.-]+", text).group(0)
            conda[name.lower()] = text[len(name):]
    return conda, pip


def normalise(specifier):
    return ",".join(sorted(str(specifier).replace(" ", "").split(","))) if specifier else ""


def test_conda_and_pip_need_the_same_packages_at_the_same_versions():
    project = pyproject()["project"]
    needed = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["course"]]
    pip_side = {r.name.lower(): normalise(r.specifier) for r in needed}
    conda, _ = conda_environment()
    conda_side = {name: normalise(spec) for name, spec in conda.items() if name not in ("python", "pip")}
    assert conda_side == pip_side


def test_same_python_and_the_course_itself_installed():
    conda, pip = conda_environment()
    assert normalise(conda["python"]) == normalise(pyproject()["project"]["requires-python"])
    assert "pip" in conda
    assert pip == ["-e ."], "environment.yml must install the course itself through pip"


def minimum_constraints():
    """{package: pinned version prefix} from constraints/minimum.txt (`name==1.25.*`)."""
    pins = {}
    for line in (ROOT / "constraints" / "minimum.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==" and spec.version.endswith(".*"), line
            pins[requirement.name.lower()] = spec.version[:-2]
    return pins


def test_the_minimum_constraints_pin_every_declared_minimum():
    """`make test-minimum` tests exactly the minimums that pyproject.toml declares."""
    project = pyproject()["project"]
    # Every extra but `course` (JupyterLab, which the tests do not install).
    lines = list(project["dependencies"])
    for extra, requirements in project["optional-dependencies"].items():
        lines += requirements if extra != "course" else []
    declared = {}
    for line in lines:
        requirement = Requirement(line)
        for spec in requirement.specifier:
            if spec.operator == ">=":
                declared[requirement.name.lower()] = spec.version
    pins = minimum_constraints()
    assert set(pins) == set(declared), (
        f"constraints/minimum.txt lacks {sorted(set(declared) - set(pins))} "
        f"and pins undeclared {sorted(set(pins) - set(declared))}")
    for name, version in declared.items():
        assert Version(version) == Version(pins[name]), (
            f"{name}: pyproject.toml declares >={version}, constraints/minimum.txt pins {pins[name]}.*")


# -- helpers.environment: the learner's own check ------------------------------

import io  # noqa: E402
import subprocess  # noqa: E402

from helpers import environment  # noqa: E402


def test_check_lists_every_requirement_as_ok_here():
    out = io.StringIO()
    assert environment.check_environment(file=out) is True
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("OK    python")
    names = [line.split()[1] for line in lines[1:]]
    assert names == [r.name for r in environment.requirements()]
    assert all(line.startswith("OK") for line in lines)


def test_check_says_fail_and_what_to_do_for_an_old_or_missing_package(monkeypatch):
    real_version = environment.metadata.version

    def fake_version(name):
        if name == "numpy":
            return "1.0"
        if name == "scipy":
            raise environment.metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(environment.metadata, "version", fake_version)
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    text = out.getvalue()
    assert "FAIL  numpy 1.0 is too old" in text and "pip install -U numpy" in text
    assert "FAIL  scipy is not installed" in text


def test_python_dash_m_helpers_runs_the_check_without_warnings():
    result = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "helpers"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "OK    numpy" in result.stdout
