"""Time the first set-up of `make course` and `make test` in a fresh clone.

    python -m tools.time_setup [--runs N] [--skip-pip]

`make time-setup` runs this. For each environment (the learner's, `make
course`, and the tests', `make test`), it clones this repository's HEAD into
a scratch folder and times the set-up alone (`make setup-course`, `make
setup-test`), as a newcomer's first run does it:

- uv, warm cache: uv on the PATH, packages already in uv's cache;
- uv, first run: uv installed with pip into `.uv/` (as on a machine without
  uv) and an empty uv cache, so every package is downloaded;
- pip, warm cache: `COURSE_INSTALLER=pip`, the fallback, with pip's cache as
  it is.

It also times `make course` until JupyterLab answers on its port, the wait a
learner sees. Not a test: timings belong to a machine and its network.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tools.course import ROOT


def clone(into):
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(into)], check=True)
    return into


def timed(command, cwd, env):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def setup_time(target, installer, scratch):
    """Seconds for `make <target>` in a fresh clone, with the given installer."""
    checkout = clone(Path(tempfile.mkdtemp(dir=scratch)) / "course")
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    if installer == "uv-first-run":
        env["COURSE_INSTALLER"] = "bootstrap"
        env["UV_CACHE_DIR"] = tempfile.mkdtemp(dir=scratch)
    elif installer == "pip":
        env["COURSE_INSTALLER"] = "pip"
    return timed(["make", "-s", target], checkout, env)


def lab_start_time(scratch, port=18890):
    """Seconds from `make course` in a fresh clone until JupyterLab answers."""
    checkout = clone(Path(tempfile.mkdtemp(dir=scratch)) / "course")
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    args = f"LAB_ARGS=--no-browser --ip=127.0.0.1 --port={port} --ServerApp.token=timing"
    start = time.perf_counter()
    process = subprocess.Popen(["make", "-s", "course", args], cwd=checkout, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while process.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=timing",
                                       timeout=1)
                return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError("make course stopped before JupyterLab answered")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


def summary(values):
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of each (default 1)")
    parser.add_argument("--skip-pip", action="store_true", help="leave out pip (the slowest)")
    args = parser.parse_args(argv)
    installers = ["uv-warm", "uv-first-run"] + ([] if args.skip_pip else ["pip"])
    print(f"first set-up in a fresh clone, seconds over {args.runs} run(s), on {os.cpu_count()} cores")
    print("| set-up | " + " | ".join(installers) + " |")
    print("|---|" + "---|" * len(installers))
    with tempfile.TemporaryDirectory() as scratch:
        for target in ("setup-course", "setup-test"):
            cells = []
            for installer in installers:
                cells.append(summary([setup_time(target, installer, scratch)
                                      for _ in range(args.runs)]))
                print(f"  {target} with {installer}: {cells[-1]} s", file=sys.stderr)
            print(f"| `make {target}` | " + " | ".join(cells) + " |", flush=True)
        lab = summary([lab_start_time(scratch) for _ in range(args.runs)])
        print(f"\n`make course` until JupyterLab answers (uv, warm cache): {lab} s")


if __name__ == "__main__":
    main()
