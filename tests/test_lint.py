"""The code passes the linter: ruff, with the rules in pyproject.toml's [tool.ruff].

To see or fix what it finds: ``.venv-test/bin/ruff check .`` (``--fix``
sorts imports and removes a ``noqa`` comment that silences nothing).
"""

import subprocess
import sys

from tools.course import ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"ruff found problems (fix them, or run `.venv-test/bin/ruff check --fix .`):\n{result.stdout}{result.stderr}")
