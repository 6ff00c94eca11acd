"""Mutation testing of helpers/ with mutmut 3.8 (``make mutation``).

    python -m tools.mutation                    # run mutmut over helpers/, then the table
    python -m tools.mutation "helpers.cutoff*"  # only the mutants of one module
    python -m tools.mutation --report           # the table of the last run, no new run
    python -m tools.mutation --survivors        # ... and every surviving mutant's diff

mutmut copies the course into ``mutants/``, changes ``helpers/`` one small
edit at a time (``<`` into ``<=``, ``+ 1`` into ``+ 2``, a string into
another...), and runs the helpers' unit tests and doctests that reach the
changed function (its configuration is ``[tool.mutmut]`` in
pyproject.toml). A mutant the tests notice is *killed*; one they do not
notice *survives*: a change to the code that no test would catch. mutmut
keeps its results in ``mutants/``, so a second run re-tests only what
changed.

The score of a module is the share of its mutants killed (a mutant that
makes the tests time out, or crash, counts as killed: the change was
noticed). ``--report`` sorts the survivors into those that change only the
text of an error message or a printed line (found by comparing the syntax
trees of the original and the mutant) and the rest.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tools.course import ROOT

MUTANTS = ROOT / "mutants"

#: mutmut's exit codes (mutmut.stats.status_by_exit_code), grouped.
KILLED = {1, 3}
TIMEOUT = {36, -24, 24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


def status(exit_code):
    if exit_code in KILLED or (exit_code is not None and exit_code < 0 and exit_code not in TIMEOUT):
        # A negative code is a signal: the mutant crashed the tests (a C
        # routine handed None segfaults), which the tests noticed.
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


def table(found, mutants=MUTANTS):
    """The per-module table, in MAINTAINING.md's Markdown form.

    Mutants not checked yet (a run stopped early, or restricted to other
    modules) are counted apart and left out of the score.
    """
    lines = ["| module | mutants | killed | survived | of which message text | score "
             "| score, message text aside |", "|---|---|---|---|---|---|---|"]
    totals = Counter()
    for module, statuses in found.items():
        counts = Counter(statuses.values())
        checked = len(statuses) - counts["not checked"]
        if not checked:
            continue
        killed = counts["killed"] + counts["timeout"]
        text = sum(message_only(name, mutants) for name, s in statuses.items()
                   if s not in ("killed", "timeout", "not checked"))
        row = Counter(mutants=checked, killed=killed, survived=checked - killed, text=text)
        totals.update(row)
        note = f" ({counts['not checked']} not checked yet)" if counts["not checked"] else ""
        lines.append(f"| {module} | {checked} | {killed} | {checked - killed} | {text} | "
                     f"{100 * killed / checked:.1f}%{note} | {100 * killed / (checked - text):.1f}% |")
    if totals["mutants"]:
        lines.append(f"| all | {totals['mutants']} | {totals['killed']} | {totals['survived']} | "
                     f"{totals['text']} | {100 * totals['killed'] / totals['mutants']:.1f}% | "
                     f"{100 * totals['killed'] / (totals['mutants'] - totals['text']):.1f}% |")
    return "\n".join(lines)


def _functions(module_file):
    """{name: FunctionDef} of every function in mutmut's copy of a module."""
    tree = ast.parse(module_file.read_text())
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _differences(a, b, path=()):
    """The innermost places where two syntax trees differ, each as its chain of ancestors."""
    if type(a) is not type(b):
        return [path + (a,)]
    if isinstance(a, ast.AST):
        found = []
        for field in a._fields:
            found += _differences(getattr(a, field, None), getattr(b, field, None), path + (a,))
        return found
    if isinstance(a, list):
        if len(a) != len(b):
            return [path]
        return [d for x, y in zip(a, b, strict=True) for d in _differences(x, y, path)]
    return [] if a == b else [path]


def _is_message(chain):
    """Whether a difference lies in the text of a message.

    Either inside any string raised as an error or printed, or inside a
    string of prose (two words or more) anywhere: a sentence, not a
    keyword value such as ``"ignore"`` or ``"_datasets"``.
    """
    texts = [node for node in chain if isinstance(node, (ast.JoinedStr, ast.Constant))]
    if not texts:
        return False
    in_output = any(isinstance(node, ast.Raise) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print")
        for node in chain)
    outer = texts[0]
    words = (" ".join(v.value for v in outer.values if isinstance(v, ast.Constant))
             if isinstance(outer, ast.JoinedStr) else outer.value)
    prose = isinstance(words, str) and len(words.split()) >= 2
    return in_output or prose


def _pair(name, mutants):
    """The original function and mutant `name` of it, as syntax trees (or None)."""
    module, _, function = name.rpartition(".")
    functions = _functions(mutants / Path(*module.split(".")).with_suffix(".py"))
    return (functions.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"),
            functions.get(function))


def diff(name, mutants=MUTANTS):
    """The lines that mutant `name` changes, as - and + lines."""
    original, mutant = _pair(name, mutants)
    if original is None or mutant is None:
        return "(source not found)"
    before = [f"def {original.name.split('__mutmut_')[0][2:]}({ast.unparse(original.args)}):"]
    after = [before[0].replace(ast.unparse(original.args), ast.unparse(mutant.args))]
    before += [ast.unparse(node) for node in original.body]
    after += [ast.unparse(node) for node in mutant.body]
    lines = difflib.unified_diff("\n".join(before).splitlines(), "\n".join(after).splitlines(),
                                 lineterm="", n=0)
    return "\n".join(f"    {line}" for line in lines
                     if line.startswith(("-", "+")) and not line.startswith(("---", "+++")))


def message_only(name, mutants=MUTANTS):
    """Whether mutant `name` changes nothing but the text of a message.

    True when every difference between the mutant and the original function
    lies inside a string (or f-string) that is raised as an error or printed.
    """
    original, mutant = _pair(name, mutants)
    if original is None or mutant is None:
        return False
    changes = _differences([original.args, *original.body], [mutant.args, *mutant.body])
    return bool(changes) and all(_is_message(chain) for chain in changes)


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
    print(table(found, args.mutants_dir))
    names = survivors(found)
    messages = [name for name in names if message_only(name, args.mutants_dir)]
    others = [name for name in names if name not in messages]
    for title, group in [("change only the text of a message", messages),
                         ("change something else: kill them, or say why they are equivalent", others)]:
        print(f"\n{len(group)} surviving mutants {title}" + (":" if group else "."))
        for name in group:
            print(f"  {name}")
            if args.survivors:
                print(diff(name, args.mutants_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
