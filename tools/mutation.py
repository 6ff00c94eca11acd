"""Mutation testing of helpers/ with mutmut 3.8 (``make mutation``).

    python tools/mutation.py                    # run mutmut over helpers/, then the table
    python tools/mutation.py "helpers.cutoff*"  # only the mutants of one module
    python tools/mutation.py --report           # the table of the last run, no new run
    python tools/mutation.py --survivors        # ... and every surviving mutant's diff

mutmut copies the course into ``mutants/``, changes ``helpers/`` one small
edit at a time (``<`` into ``<=``, ``+ 1`` into ``+ 2``, a string into
another...), and runs the helpers' unit tests and doctests that reach the
changed function (its configuration is ``[tool.mutmut]`` in
pyproject.toml). A mutant the tests notice is *killed*; one they do not
notice *survives*: a change to the code that no test would catch. mutmut
keeps its results in ``mutants/``, so a second run re-tests only what
changed.

The score of a module is the share of its mutants killed (a mutant that
makes the tests time out counts as killed: the change was noticed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"

#: mutmut's exit codes (mutmut.stats.status_by_exit_code), grouped.
KILLED = {1, 3}
TIMEOUT = {36, -24, 24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


def status(exit_code):
    if exit_code in KILLED:
        return "killed"
    if exit_code in TIMEOUT:
        return "timeout"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in NO_TESTS:
        return "no tests"
    if exit_code is None:
        return "not checked"
    return "other"


def results(mutants=MUTANTS):
    """{module file: {mutant name: status}} from mutmut's files in `mutants`."""
    found = {}
    for meta in sorted((mutants / "helpers").glob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        found[meta.name[:-len(".meta")]] = {name: status(code) for name, code in codes.items()}
    return found


def table(found):
    """The per-module table, in the README's Markdown form.

    Mutants not checked yet (a run stopped early, or restricted to other
    modules) are counted apart and left out of the score.
    """
    lines = ["| module | mutants | killed | survived | score |", "|---|---|---|---|---|"]
    totals = Counter()
    for module, statuses in found.items():
        counts = Counter(statuses.values())
        checked = len(statuses) - counts["not checked"]
        if not checked:
            continue
        killed = counts["killed"] + counts["timeout"]
        row = Counter(mutants=checked, killed=killed, survived=checked - killed)
        totals.update(row)
        note = f" ({counts['not checked']} not checked yet)" if counts["not checked"] else ""
        lines.append(f"| {module} | {checked} | {killed} | {checked - killed} | "
                     f"{100 * killed / checked:.1f}%{note} |")
    if totals["mutants"]:
        lines.append(f"| all | {totals['mutants']} | {totals['killed']} | {totals['survived']} | "
                     f"{100 * totals['killed'] / totals['mutants']:.1f}% |")
    return "\n".join(lines)


def survivors(found):
    return [name for statuses in found.values() for name, s in statuses.items()
            if s not in ("killed", "timeout", "not checked")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mutants", nargs="*", help="mutant names or globs (default: all of helpers/)")
    parser.add_argument("--report", action="store_true", help="only print the last run's table")
    parser.add_argument("--survivors", action="store_true", help="also print each survivor's diff")
    parser.add_argument("--mutants-dir", type=Path, default=MUTANTS,
                        help="where mutmut's results are (default: mutants/ here)")
    parser.add_argument("--max-children", type=int, default=None, help="parallel workers (mutmut's)")
    args = parser.parse_args(argv)
    if not args.report:
        command = [sys.executable, "-m", "mutmut", "run", *args.mutants]
        if args.max_children:
            command[4:4] = ["--max-children", str(args.max_children)]
        # mutmut draws a progress line many times a second; keep only the end.
        run = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        print(run.stdout.replace("\r", "\n").splitlines()[-1] if run.stdout.strip() else "")
        if run.returncode != 0:
            print(run.stdout[-3000:])
            return run.returncode
    found = results(args.mutants_dir)
    if not found:
        print("No results in mutants/: run `make mutation` first.")
        return 1
    print(table(found))
    names = survivors(found)
    print(f"\n{len(names)} mutants not killed" + (":" if names else "."))
    for name in names:
        if args.survivors:
            show = subprocess.run([sys.executable, "-m", "mutmut", "show", name],
                                  cwd=args.mutants_dir.parent,
                                  capture_output=True, text=True)
            print(show.stdout.rstrip())
        else:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
