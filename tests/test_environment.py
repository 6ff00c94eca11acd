"""pip (pyproject.toml) and conda (environment.yml) agree on what the course needs."""

import importlib.metadata
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
    """{package: pinned version} from constraints/minimum.txt.

    A pin is a release series (`name==1.25.*`, for a declared `>=1.25`) or,
    for a minimum that names a bug-fix release (`>=7.16.5`), that release.
    """
    pins = {}
    for line in (ROOT / "constraints" / "minimum.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", line
            pins[requirement.name.lower()] = spec.version.removesuffix(".*")
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
    core = len(environment.requirements())
    names = [line.split()[1] for line in lines[1:1 + core]]
    assert names == [r.name for r in environment.requirements()]
    assert all(line.startswith("OK") for line in lines[:1 + core])
    # Chapter 13's Spark and Java: checked when Spark is installed, else only said.
    assert lines[1 + core:] and all(line.startswith(("OK", "--")) for line in lines[1 + core:])


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


# -- issue 13: the check never crashes, and says FAIL exactly when something is missing

import shutil  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def no_spark(monkeypatch):
    """The check without chapter 13's lines, for the tests of the course's own requirements."""
    monkeypatch.setattr(environment, "_check_spark", lambda file: True)


def run_helpers(*args, cwd=ROOT, env_extra=None):
    import os

    env = {**os.environ, **(env_extra or {})}
    env.pop("PYTHONPATH", None) if env_extra is None or "PYTHONPATH" not in env_extra else None
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_check_refuses_a_file_it_cannot_print_to():
    with pytest.raises(TypeError, match="file must be a text stream.*got int"):
        environment.check_environment(file=123)


def test_with_matplotlib_broken_python_dash_m_helpers_says_fail_not_traceback(tmp_path):
    # A module that fails to import, first on the path: as if matplotlib were missing.
    (tmp_path / "matplotlib.py").write_text(
        'raise ModuleNotFoundError("No module named \'matplotlib\'", name="matplotlib")\n')
    result = run_helpers("-m", "helpers", env_extra={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    failing = [line for line in lines if line.startswith("FAIL")]
    # seaborn imports matplotlib: its line names matplotlib as the package to repair.
    assert len(failing) == 2 and failing[0].startswith("FAIL  matplotlib")
    # The file that hides matplotlib is named; a reinstall, which cannot help, is not advised.
    assert str(tmp_path / "matplotlib.py") in failing[0] and "rename or move that file" in failing[0]
    assert "pip install" not in failing[0] and "Reinstalling matplotlib cannot help" in failing[0]
    assert failing[1].startswith("FAIL  seaborn ") and failing[1].endswith("repair matplotlib first")
    assert "needs matplotlib, which does not import" in failing[1]
    said = sum(line.startswith("--") for line in lines)  # chapter 13's lines, without Spark
    assert sum(line.startswith("OK") for line in lines) == len(lines) - 2 - said


def test_with_matplotlib_broken_import_helpers_says_what_to_run(tmp_path):
    (tmp_path / "matplotlib.py").write_text(
        'raise ModuleNotFoundError("No module named \'matplotlib\'", name="matplotlib")\n')
    result = run_helpers("-c", "import helpers", env_extra={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError") and "matplotlib" in last
    assert f"matplotlib is hidden by {tmp_path / 'matplotlib.py'}, which Python imports instead" in last


@pytest.mark.parametrize("shadow", ["matplotlib.py", "matplotlib/__init__.py"])
def test_a_file_that_shadows_a_package_in_the_current_folder_is_named(tmp_path, shadow):
    # The learner's own matplotlib.py (or matplotlib/ folder) beside the notebook: it imports
    # fine, as a module with nothing in it, and hides the installed matplotlib.
    (tmp_path / shadow).parent.mkdir(exist_ok=True)
    (tmp_path / shadow).write_text("x = 1\n")
    # PYTHONPATH: this checkout's helpers, after the current folder, as for a learner in the course folder.
    result = run_helpers("-m", "helpers", cwd=tmp_path, env_extra={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # seaborn, which imports matplotlib, fails too, naming matplotlib as the package to repair.
    failing, *others = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert [line.split()[1] for line in others] == ["seaborn"] and others[0].endswith("repair matplotlib first")
    named = tmp_path / shadow.replace("/__init__.py", "")
    kind = "folder" if "/" in shadow else "file"
    assert failing.startswith(f"FAIL  matplotlib {importlib.metadata.version('matplotlib')} is installed, but Python "
                              f"imports the {kind} {named} instead")
    assert "cannot help" in failing and "pip install" not in failing
    assert "the helpers do not import" not in result.stdout


def test_without_a_shadow_nothing_is_said_to_be_shadowed():
    assert environment.shadowing_files() == {}


def test_without_the_course_installed_python_dash_m_helpers_still_checks(tmp_path):
    # A copy of the course folder in a Python that has nothing installed
    # (-S: no site-packages): every package fails, with what to install.
    if "mutmut" in (ROOT / "helpers" / "environment.py").read_text():
        pytest.skip("mutmut's copy of helpers imports mutmut, which python -S cannot see")
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    result = run_helpers("-S", "-m", "helpers", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("FAIL  the course (dendrogram-course) is not installed")
    assert "pip install -e ." in lines[0]
    assert lines[1].startswith("OK    python")
    core = len(environment.requirements())
    names = [line.split()[1] for line in lines[2:2 + core]]
    assert names == [r.name for r in environment.requirements()]
    assert all(line.startswith("FAIL") and "is not installed" in line for line in lines[2:2 + core])
    # Chapter 13's extra is read from pyproject.toml too, and said, not failed.
    assert lines[2 + core].startswith("--    pyspark is not installed: only chapter 13 needs it")
    assert all(line.startswith("--") for line in lines[2 + core:])


def test_without_the_course_installed_the_check_reads_pyproject(monkeypatch):
    def missing(name):
        raise environment.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(environment.metadata, "metadata", missing)
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("FAIL  the course (dendrogram-course) is not installed")
    assert lines[1] == "OK    python (needs >=3.10)"
    core = len(pyproject()["project"]["dependencies"])
    assert all(line.startswith("OK") for line in lines[1:2 + core])
    assert [r.name for r in environment.extra_requirements("spark")] == [
        environment.Requirement(line).name for line in pyproject()["project"]["optional-dependencies"]["spark"]]
    assert all(line.startswith(("OK", "--")) for line in lines[2 + core:])
    # Neither installed nor a pyproject.toml next to it: one FAIL line, no crash.
    monkeypatch.setattr(environment, "PYPROJECT", ROOT / "no-such-file.toml")
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    assert out.getvalue().startswith("FAIL  the course (dendrogram-course) is not installed")


def test_a_python_too_old_is_a_fail(monkeypatch, no_spark):
    monkeypatch.setattr(environment, "_declared", lambda: (">=99.1", ["numpy>=2.0"], None))
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    first, second = out.getvalue().splitlines()
    running = "{}.{}.{}".format(*sys.version_info[:3])
    assert first.startswith(f"FAIL  python {running} is not supported (needs >=99.1): ")
    assert second == "OK    numpy (needs >=2.0)"


def test_an_installed_package_that_does_not_import_is_a_fail(monkeypatch):
    real = environment.importlib.import_module

    def broken(name):
        if name == "sklearn":  # the import name of scikit-learn
            raise ImportError("DLL load failed")
        return real(name)

    monkeypatch.setattr(environment.importlib, "import_module", broken)
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    failing = [line for line in out.getvalue().splitlines() if line.startswith("FAIL")]
    assert len(failing) == 1
    assert failing[0].startswith("FAIL  scikit-learn ") and "DLL load failed" in failing[0]


@pytest.mark.parametrize("missing, line_end", [
    ("matplotlib.pyplot", "repair matplotlib first"),
    ("seaborn._core", "pip install --force-reinstall seaborn"),  # its own module: reinstall it
])
def test_a_package_whose_dependency_does_not_import_names_the_dependency(monkeypatch, missing, line_end):
    real = environment.importlib.import_module

    def broken(name):
        if name == "seaborn":
            raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)
        return real(name)

    monkeypatch.setattr(environment.importlib, "import_module", broken)
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    (failing,) = [line for line in out.getvalue().splitlines() if line.startswith("FAIL")]
    assert failing.startswith("FAIL  seaborn ") and failing.endswith(line_end)
    assert f"No module named {missing!r}" in failing


@pytest.mark.parametrize("spec", [">=2.0", ">3", ">=1.4,<2", "==2.*", "!=2.*", "!=1.0", "~=1.4",
                                  "~=1.4.2", "<=1.2", "==1.2", ">= 2.0"])
@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.2", "1.2.1", "1.4", "1.4.5", "1.5.0", "1.9.9",
                                     "2", "2.0", "2.0.1", "2.0.1+cpu", "1.4+abc.5", "2.5", "3", "3.0.1", "22.0",
                                     "2.1.0rc1"])
def test_requirement_agrees_with_packaging(spec, version):
    from packaging.specifiers import SpecifierSet

    expected = SpecifierSet(spec).contains(Version(version).base_version)
    assert environment.Requirement("x" + spec).accepts(version) == expected


def test_requirement_reads_names_extras_and_markers():
    r = environment.Requirement("tomli>=2; python_version < '3.11'")
    assert (r.name, r.specifier, r.marker) == ("tomli", ">=2", "python_version < '3.11'")
    r = environment.Requirement("tomli>=2;python_version<'3.11'")
    assert (r.specifier, r.marker) == (">=2", "python_version<'3.11'")
    r = environment.Requirement("Django >= 3.2, < 5")
    assert (r.name, r.specifier) == ("Django", ">=3.2,<5")
    assert environment.Requirement("x>=2.0rc1").accepts("2.0")
    assert environment.Requirement("x>=2.0RC1").accepts("2.0")
    r = environment.Requirement("dendrogram-course[site]")
    assert (r.name, r.specifier, r.marker) == ("dendrogram-course", "", None)
    assert r.accepts("0.1")
    with pytest.raises(ValueError, match="cannot read"):
        environment.Requirement("numpy>=two")


@pytest.mark.parametrize("broken", ["missing", "too old"])
def test_one_missing_or_old_package_alone_makes_the_check_fail(monkeypatch, broken):
    real_version = environment.metadata.version

    def fake_version(name):
        if name == "scipy":
            if broken == "missing":
                raise environment.metadata.PackageNotFoundError(name)
            return "1.0"
        return real_version(name)

    monkeypatch.setattr(environment.metadata, "version", fake_version)
    out = io.StringIO()
    assert environment.check_environment(file=out) is False
    assert [line.split()[1] for line in out.getvalue().splitlines() if line.startswith("FAIL")] == ["scipy"]


def test_a_package_is_imported_by_its_name_with_dashes_as_underscores(monkeypatch, no_spark):
    """A distribution such as ``typing-extensions`` imports as ``typing_extensions``."""
    imported = []
    monkeypatch.setattr(environment, "_declared", lambda: (">=3", ["some-dist-name>=1.2"], None))
    monkeypatch.setattr(environment.metadata, "version", lambda name: "1.4")
    monkeypatch.setattr(environment.importlib, "import_module", imported.append)
    out = io.StringIO()
    assert environment.check_environment(file=out) is True
    assert imported == ["some_dist_name"]
    assert out.getvalue().splitlines()[1] == "OK    some-dist-name (needs >=1.2)"


# -- chapter 13: Apache Spark and Java, checked when Spark is installed, said when not

from helpers import spark  # noqa: E402

SPARK_VERSIONS = {"pyspark": "4.3.0", "pandas": "2.3.3", "pyarrow": "26.0.1"}


@pytest.fixture
def spark_installed(monkeypatch):
    """Spark's packages installed and importable, whatever this environment holds."""
    real_version, real_import = environment.metadata.version, environment.importlib.import_module
    monkeypatch.setattr(environment.metadata, "version",
                        lambda name: SPARK_VERSIONS.get(name) or real_version(name))
    monkeypatch.setattr(environment.importlib, "import_module",
                        lambda name: None if name in SPARK_VERSIONS else real_import(name))


@pytest.fixture
def spark_missing(monkeypatch):
    real_version = environment.metadata.version

    def version(name):
        if name == "pyspark":
            raise environment.metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(environment.metadata, "version", version)


def spark_lines(monkeypatch, java):
    """What the check says after the course's own requirements, and whether it passes."""
    monkeypatch.setattr(spark, "find_java", lambda: java)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    out = io.StringIO()
    ok = environment.check_environment(file=out)
    return ok, out.getvalue().splitlines()[1 + len(environment.requirements()):]


def test_the_spark_extra_is_read_with_its_markers():
    requirements = environment.extra_requirements("spark")
    assert [r.name for r in requirements] == ["pyspark", "pandas", "pyarrow"]
    assert all("3.11" in r.marker for r in requirements)
    assert requirements[1].accepts("2.3.3") and not requirements[1].accepts("3.0.0")
    assert environment.extra_requirements("no-such-extra") == []


def test_with_spark_installed_its_packages_and_java_are_checked(monkeypatch, spark_installed):
    ok, lines = spark_lines(monkeypatch, spark.Java("/opt/jdk/bin/java", 21))
    assert ok is True
    assert lines == ["OK    pyspark (needs >=4.3)", "OK    pandas (needs <3,>=2.2)", "OK    pyarrow (needs >=18)",
                     "OK    java 21 (/opt/jdk/bin/java; Spark needs 17 or newer)"]


@pytest.mark.parametrize("java, words", [(None, "there is no java on the PATH"),
                                         (spark.Java("/usr/bin/java", 11), "/usr/bin/java is Java 11")])
def test_with_spark_installed_a_missing_or_old_java_is_a_fail(monkeypatch, spark_installed, java, words):
    ok, lines = spark_lines(monkeypatch, java)
    assert ok is False
    assert lines[-1].startswith("FAIL  java: Spark needs Java 17 or newer")
    assert words in lines[-1] and "apt-get install default-jre-headless" in lines[-1]


def test_with_spark_installed_pandas_3_is_a_fail(monkeypatch, spark_installed):
    monkeypatch.setitem(SPARK_VERSIONS, "pandas", "3.0.1")
    ok, lines = spark_lines(monkeypatch, spark.Java("/usr/bin/java", 17))
    assert ok is False
    assert 'FAIL  pandas 3.0.1 is too new (needs <3,>=2.2): pip install "pandas<3,>=2.2"' in lines


@pytest.mark.parametrize("java, said", [
    (spark.Java("/usr/bin/java", 17), "--    java 17 (/usr/bin/java), as chapter 13 would need"),
    (None, "--    java: chapter 13 would need it too. Spark needs Java 17 or newer, and there is no java"),
])
def test_without_spark_the_check_says_what_chapter_13_needs_and_passes(monkeypatch, spark_missing, java, said):
    ok, lines = spark_lines(monkeypatch, java)
    assert ok is True
    assert lines[0] == ("--    pyspark is not installed: only chapter 13 needs it "
                        "(make spark, or pip install -e \".[spark]\" from the course folder)")
    assert lines[1].startswith(said)
    assert len(lines) == 2


def test_on_a_python_too_old_for_spark_the_check_says_so_and_passes(monkeypatch):
    monkeypatch.setattr(environment.sys, "version_info", (3, 10, 14))
    monkeypatch.setattr(environment, "_declared", lambda: (">=3.10", [], None))
    out = io.StringIO()
    assert environment.check_environment(file=out) is True
    assert out.getvalue().splitlines()[1:] == [
        "--    chapter 13 (Apache Spark) needs Python 3.11 or newer; the rest of the course runs on this one"]
