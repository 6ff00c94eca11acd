"""Create or update one of the course's virtual environments.

    python -m tools.setup_env VENV EXTRA [EXTRA ...]
    python -m tools.setup_env VENV EXTRA [EXTRA ...] --constraints FILE
    python -m tools.setup_env --lock [--upgrade]

The Makefile calls this before every target that needs an environment, so it
must be quick when there is nothing to do (about a quarter of a second).
It needs nothing but the standard library (and tools/course.py, which
needs nothing more), since it runs before any environment exists.

With a lock file (the default), the environment holds exactly the versions
in ``uv.lock``, the ones the notebooks' stored outputs were made with:
``uv sync --locked`` installs them, and refuses to go on when ``uv.lock`` no
longer matches ``pyproject.toml`` (run ``make lock``). With
``--constraints`` (``make test-minimum``), the versions come from that file
instead of the lock.

uv is taken from the PATH; if it is not there, it is installed with pip into
``.uv/`` in the course folder (a few seconds, once). Where uv cannot be
installed or run, the environment is made with ``venv`` and pip instead,
pinned to the same versions through ``constraints/locked.txt`` (an export of
the lock). Set ``COURSE_INSTALLER=pip`` to force that path, or
``COURSE_INSTALLER=bootstrap`` to ignore a uv on the PATH.

``--lock`` brings ``uv.lock`` up to date with ``pyproject.toml`` (changing
only what the change asks for; with ``--upgrade``, moving every package to
its newest allowed release) and writes ``constraints/locked.txt`` from it.

An extra installed once into an environment stays there: the environment
remembers its extras (``<venv>/.course-extras``) and every later set-up
installs them again with those asked for. So ``make spark``, which adds
chapter 13's Spark to the learner's ``.venv``, is not undone by the next
``make course`` (``uv sync`` removes whatever it is not asked to install);
``make clean`` forgets it.

Every environment gets an ``overrides.json`` that turns off
JupyterLab's news pop-up, which would otherwise ask, on first start, for
permission to fetch news from the internet; and the configuration that
enables the course's Jupyter server extension (``course_workspace``:
links between chapters in Notebook 7, and ``/course/open/``), which a
regular install gets from the package itself but an editable one does not
(setuptools installs no data files in editable mode).

uv compiles the packages' bytecode when it installs them (``.course-bytecode``
in the environment remembers for which lock and extras), as pip does: so no
Python process has to compile the modules it imports, which it would do at
every start where it may not keep the result (``PYTHONDONTWRITEBYTECODE``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools.course import ROOT

LOCKED = ROOT / "constraints" / "locked.txt"
BOOTSTRAP = ROOT / ".uv"
UV_REQUIREMENT = "uv>=0.13,<1"

# JupyterLab reads overrides.json from <environment>/share/jupyter/lab/settings.
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


#: The file, inside an environment, that lists the extras installed into it.
EXTRAS_FILE = ".course-extras"


def declared_extras(root=ROOT):
    """The extras that pyproject.toml declares (read without a TOML parser: Python 3.10 has none)."""
    text = (Path(root) / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[project\.optional-dependencies\]\n(.*?)(?=^\[)", text, flags=re.M | re.S)
    return re.findall(r"^([A-Za-z0-9][A-Za-z0-9_-]*)\s*=\s*\[", section.group(1), flags=re.M) if section else []


def with_remembered(venv, extras):
    """`extras`, then those installed earlier into `venv` that pyproject.toml still declares."""
    path = venv / EXTRAS_FILE
    earlier = path.read_text().split() if path.is_file() else []
    declared = declared_extras()
    return list(dict.fromkeys(list(extras) + [extra for extra in earlier if extra in declared]))


def remember(venv, extras):
    path = venv / EXTRAS_FILE
    text = "\n".join(sorted(extras)) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def say(message):
    print(f"setup_env: {message}", flush=True)


def bin_dir(venv):
    return venv / ("Scripts" if os.name == "nt" else "bin")


def find_uv():
    """The path of a working uv, bootstrapping it with pip if needed; else None.

    ``COURSE_INSTALLER=pip`` skips uv; ``COURSE_INSTALLER=bootstrap`` ignores a
    uv on the PATH (to time a first run on a machine without it).
    """
    installer = os.environ.get("COURSE_INSTALLER", "")
    if installer == "pip":
        return None
    candidates = [bin_dir(BOOTSTRAP) / "uv"]
    if installer != "bootstrap":
        candidates.insert(0, shutil.which("uv"))
    for candidate in candidates:
        if candidate and _runs(candidate):
            return str(candidate)
    say(f"uv is not on the PATH; installing it into {BOOTSTRAP.name}/ with pip (once)")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--target", str(BOOTSTRAP), UV_REQUIREMENT],
        check=False,
    )
    uv = bin_dir(BOOTSTRAP) / "uv"
    if result.returncode == 0 and _runs(uv):
        return str(uv)
    say("could not install or run uv; falling back to venv and pip (slower)")
    return None


def _runs(uv):
    try:
        return subprocess.run([str(uv), "--version"], capture_output=True,
                              check=False).returncode == 0
    except OSError:
        return False


#: The file, inside an environment, that says for which packages its bytecode was compiled.
BYTECODE_STAMP = ".course-bytecode"


def with_uv(uv, venv, extras, python, constraints):
    env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(venv))
    # Never download a Python: use the one the Makefile names.
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    # uv, unlike pip, leaves the packages' bytecode uncompiled: each Python process then compiles
    # every module it imports, and keeps the result only where it may write (never where
    # PYTHONDONTWRITEBYTECODE is set, nor in an environment that other users run, as a hub's).
    # Compiling once, when the packages change, makes every kernel start seconds quicker there
    # (scikit-learn's metrics import in 1.6 s of CPU instead of 5).
    stamp = venv / BYTECODE_STAMP
    wanted = fingerprint(extras, constraints or ROOT / "uv.lock")
    compile_ = ["--compile-bytecode"] if not stamp.exists() or stamp.read_text() != wanted else []
    if constraints is None:
        command = [uv, "sync", "--locked", "--quiet", "--python", python, *compile_]
        for extra in extras:
            command += ["--extra", extra]
        run(command, env)
    else:
        # A constrained environment (the minimum versions) is resolved, not locked.
        if not (bin_dir(venv) / "python").exists():
            run([uv, "venv", "--quiet", "--python", python, str(venv)], env)
        run([uv, "pip", "install", "--quiet", "--python", str(bin_dir(venv) / "python"), *compile_,
             "-c", str(constraints), "-e", f".[{','.join(extras)}]"], env)
    stamp.write_text(wanted)


def with_pip(venv, extras, python, constraints):
    constraints = constraints or LOCKED
    stamp = venv / ".setup-env"
    wanted = fingerprint(extras, constraints)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (bin_dir(venv) / "python").exists():
        run([python, "-m", "venv", str(venv)])
    py = str(bin_dir(venv) / "python")
    run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([py, "-m", "pip", "install", "--quiet", "-c", str(constraints),
         "-e", f".[{','.join(extras)}]"])
    stamp.write_text(wanted)


def fingerprint(extras, constraints):
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", Path(constraints)):
        digest.update(path.read_bytes())
    digest.update(",".join(extras).encode())
    return digest.hexdigest()


SERVER_CONFIG = ROOT / "jupyter-config" / "dendrogram-course.json"


def write_server_config(venv):
    target = venv / "etc" / "jupyter" / "jupyter_server_config.d" / SERVER_CONFIG.name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = SERVER_CONFIG.read_text()
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


def write_overrides(venv):
    settings = venv / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    text = json.dumps(OVERRIDES, indent=2) + "\n"
    path = settings / "overrides.json"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def export_command():
    """uv's arguments that print uv.lock as pip constraints (every extra, no hashes)."""
    return ["export", "--quiet", "--all-extras", "--no-hashes", "--no-emit-project",
            "--no-annotate", "--no-header", "--format", "requirements-txt"]


def lock(uv, upgrade):
    """Refresh uv.lock, then export it to constraints/locked.txt for pip."""
    run([uv, "lock"] + (["--upgrade"] if upgrade else []))
    run([uv, *export_command(), "--output-file", str(LOCKED.relative_to(ROOT))])


def run(command, env=None):
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("venv", type=Path, nargs="?", help="the environment's folder, e.g. .venv")
    parser.add_argument("extras", nargs="*", help="the extras of pyproject.toml to install")
    parser.add_argument("--lock", action="store_true",
                        help="refresh uv.lock and constraints/locked.txt instead")
    parser.add_argument("--upgrade", action="store_true",
                        help="with --lock: move every package to its newest allowed release")
    parser.add_argument("--constraints", type=Path,
                        help="resolve with these pins instead of installing uv.lock")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter for a new environment (default: this one)")
    args = parser.parse_args(argv)
    uv = find_uv()
    if args.lock:
        if uv is None:
            parser.error("--lock needs uv (pip install uv, or let this script install it)")
        lock(uv, args.upgrade)
        return
    if args.venv is None or not args.extras:
        parser.error("name the environment's folder and at least one extra")
    venv = args.venv if args.venv.is_absolute() else ROOT / args.venv
    extras = with_remembered(venv, args.extras)
    if uv is None:
        with_pip(venv, extras, args.python, args.constraints)
    else:
        with_uv(uv, venv, extras, args.python, args.constraints)
    remember(venv, extras)
    write_overrides(venv)
    write_server_config(venv)


if __name__ == "__main__":
    main()
