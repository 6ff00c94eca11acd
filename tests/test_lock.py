"""The lock file pins what pyproject.toml asks for, and pip's copy of it agrees.

`uv.lock` holds the exact versions the notebooks' stored outputs were made
with; `make course` and `make test` install them. When `pyproject.toml`
changes without `make lock`, these tests fail (and so does `uv sync
--locked`, which the Makefile runs before every target).
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from uv import find_uv_bin

from tools.course import ROOT
from tools.setup_env import OVERRIDES, declared_extras, export_command, remember, with_remembered, write_overrides

UV = find_uv_bin()


def uv(*args, cwd=ROOT):
    return subprocess.run([UV, *args, "--offline", "--quiet"], cwd=cwd,
                          capture_output=True, text=True, check=False)


@pytest.fixture
def project_copy(tmp_path):
    """pyproject.toml and uv.lock (all that `uv lock` reads) in a scratch folder."""
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_lock_matches_pyproject():
    result = uv("lock", "--check")
    assert result.returncode == 0, (
        "uv.lock no longer matches pyproject.toml: run `make lock`, then "
        f"`make notebooks`.\n{result.stderr}")


def test_the_lock_check_fails_when_pyproject_changes(project_copy):
    assert uv("lock", "--check", cwd=project_copy).returncode == 0
    pyproject = project_copy / "pyproject.toml"
    text = pyproject.read_text()
    # Raise SciPy's minimum by a bug-fix release, as a maintainer might.
    raised, count = re.subn(r'"scipy>=(\d+\.\d+)"', r'"scipy>=\1.1"', text)
    assert count == 1
    pyproject.write_text(raised)
    assert uv("lock", "--check", cwd=project_copy).returncode != 0


def test_pips_constraints_are_the_lock_exported():
    result = subprocess.run([UV, *export_command(), "--offline"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    committed = (ROOT / "constraints" / "locked.txt").read_text()
    assert committed == result.stdout, (
        "constraints/locked.txt is not uv.lock exported: run `make lock`")


def test_the_lock_pins_every_package_of_the_course():
    locked = (ROOT / "constraints" / "locked.txt").read_text()
    for name in ("numpy", "scipy", "matplotlib", "scikit-learn", "fastcluster",
                 "ipywidgets", "jupyterlab", "nbval", "nbgrader"):
        assert f"\n{name}==" in "\n" + locked, f"{name} is not pinned in constraints/locked.txt"


def test_the_news_overrides_are_real_jupyterlab_settings():
    """overrides.json names settings that JupyterLab's schema knows, with valid values."""
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    for plugin, settings in OVERRIDES.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        for key, value in settings.items():
            assert key in schema["properties"], f"{plugin} has no setting {key!r}"
            allowed = schema["properties"][key]
            # JupyterLab 4.2 lists the choices as an enum, later releases as oneOf.
            if "oneOf" in allowed:
                assert value in [choice["const"] for choice in allowed["oneOf"]]
            elif "enum" in allowed:
                assert value in allowed["enum"]
            else:
                assert isinstance(value, {"boolean": bool, "string": str}[allowed["type"]])
    assert OVERRIDES["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_setup_env_writes_the_overrides(tmp_path):
    write_overrides(tmp_path)
    written = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(written.read_text()) == OVERRIDES


def test_setup_env_reads_every_extra_that_pyproject_declares():
    from test_environment import pyproject

    assert declared_extras() == list(pyproject()["project"]["optional-dependencies"])


def test_an_extra_once_installed_stays_in_the_environment(tmp_path):
    """`make spark` then `make course`: the second keeps chapter 13's Spark in .venv."""
    assert with_remembered(tmp_path, ["course", "spark"]) == ["course", "spark"]
    remember(tmp_path, ["course", "spark"])
    assert with_remembered(tmp_path, ["course"]) == ["course", "spark"]
    # An extra that pyproject.toml no longer declares is forgotten.
    (tmp_path / ".course-extras").write_text("course\nspark\nno-such-extra\n")
    assert with_remembered(tmp_path, ["course"]) == ["course", "spark"]
