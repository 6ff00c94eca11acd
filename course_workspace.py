"""The learner's working copy of the course: run, edit and save freely, never touching the course itself.

``make course`` opens the chapters not from ``notebooks/`` but from copies
in ``work/`` (a folder git ignores), made and kept up to date by::

    python -m course_workspace sync            # copy what is new, bring updates in
    python -m course_workspace fresh 04        # a fresh copy of chapter 04 (yours is kept)
    python -m course_workspace status          # which copies you changed

So running every cell, answering the exercises, adding cells and saving
change only ``work/``: the tracked chapters stay as the course wrote them,
``git status`` stays clean, and ``git pull`` never conflicts with the
learner's work. What ``work/`` mirrors is what a learner opens: the
chapters with their contents page and Matplotlib style (``notebooks/``) and
the assignments' student copies (``assignments/release/`` in the course's
repository, ``assignments/`` in the student edition), at the same relative
places, so that every link between them works.

``sync`` brings a course update into ``work/`` without losing anything:

- a copy the learner never changed is replaced by the course's new version,
  and so is one they only ran and saved (outputs and the metadata JupyterLab
  fills in from the kernel as a notebook opens, which is why a chapter shows
  as changed the moment it opens, are no work of theirs);
- a copy the learner changed is *merged*, cell by cell (a notebook's cells
  keep their ids): the course's new version, with the learner's own cells
  (those they added, in their place, after the cell they followed) and
  the course's cells they edited (an exercise's answer cell...) put back,
  unless the course changed that same cell too, in which case the learner's
  version is kept. The learner's copy as it was goes to
  ``work/.course/backups/`` first, every time;
- a copy the learner deleted is made again.

It keeps, in ``work/.course/``, the course's version each copy was last
brought up to, which is what tells the learner's changes from the course's.

The module is also a small Jupyter server extension (enabled in the
course's environments by the file ``jupyter-config/dendrogram-course.json`` that the
package installs), which makes two things work where the learner is:

- ``/course/open/<path>``: syncs the working copy of the course that holds
  ``<path>`` and opens that file's copy in the interface that is running
  (a JupyterHub's nbgitpuller link, which pulls the course, ends there:
  ``urlpath=course/open/<course folder>/notebooks/00_welcome.ipynb``);
- a link between chapters, followed in Notebook 7: its page opens the link
  as the raw file under ``/files/`` in a new tab (JupyterLab opens it in the
  application itself); such a visit to a notebook is sent on to the page
  that shows it, and a visit to a markdown file (the contents page) gets the
  file rendered as a page whose links work the same way (Notebook 7 would
  show it in its text editor).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

__all__ = ["Workspace", "merge_notebooks", "main"]

#: The working copy's folder, under the course's root.
WORK = "work"
#: Where the working copy keeps its own records (the course's versions, backups).
STATE = ".course"
#: What is mirrored from each mirrored folder.
PATTERNS = ("*.ipynb", "*.md", "matplotlibrc", "*.csv")


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def _read_json(data):
    return json.loads(data.decode("utf-8"))


def _cells_by_id(nb):
    return {cell["id"]: cell for cell in nb["cells"] if "id" in cell}


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def merge_notebooks(base, mine, theirs):
    """Merge a learner's notebook with the course's update, cell by cell.

    Parameters
    ----------
    base : dict
        The course's version the learner's copy started from (nbformat JSON).
    mine : dict
        The learner's copy: their edits, their added cells, their outputs.
    theirs : dict
        The course's new version.

    Returns
    -------
    merged : dict
        `theirs`, with the learner's added cells inserted after the cell
        they followed, the cells the learner edited (but the course did not)
        in the learner's version, and the cells the learner deleted (but
        the course did not change) left out.
    kept : list of str
        The ids of the cells the course and the learner both changed: the
        learner's version is kept.

    Examples
    --------
    >>> def nb(*cells):
    ...     return {"cells": [{"id": i, "cell_type": "code", "source": s} for i, s in cells]}
    >>> base = nb(("a", "x = 1"), ("b", "answer = ..."))
    >>> mine = nb(("a", "x = 1"), ("b", "answer = 4"), ("m", "my note"))
    >>> theirs = nb(("a", "x = 2"), ("b", "answer = ..."), ("c", "new"))
    >>> merged, kept = merge_notebooks(base, mine, theirs)
    >>> [(c["id"], c["source"]) for c in merged["cells"]]
    [('a', 'x = 2'), ('b', 'answer = 4'), ('m', 'my note'), ('c', 'new')]
    >>> kept
    []
    """
    base_cells, mine_cells, their_cells = _cells_by_id(base), _cells_by_id(mine), _cells_by_id(theirs)
    edited = {i for i, cell in mine_cells.items() if i in base_cells and _source(cell) != _source(base_cells[i])}
    deleted = {i for i in base_cells if i not in mine_cells}
    changed_by_course = {i for i, cell in their_cells.items()
                         if i in base_cells and _source(cell) != _source(base_cells[i])}
    kept = sorted(edited & changed_by_course)
    merged = []
    for cell in theirs["cells"]:
        key = cell.get("id")
        if key in deleted and key not in changed_by_course:
            continue
        merged.append(mine_cells[key] if key in edited else cell)
    placed = {cell.get("id") for cell in merged}
    # The learner's own cells, and edited cells the course removed: after the cell they followed.
    previous = None
    for cell in mine["cells"]:
        key = cell.get("id")
        if key not in placed and (key not in base_cells or key in edited):
            at = next((i + 1 for i, c in enumerate(merged) if previous is not None and c.get("id") == previous), 0)
            merged.insert(at, cell)
            placed.add(key)
        if key in placed:
            previous = key
    result = dict(theirs)
    result["cells"] = merged
    return result, kept


class Workspace:
    """The working copy of a course: ``work/`` under the course's root.

    Parameters
    ----------
    root : path-like
        The course's root folder, which holds ``notebooks/``.
    """

    def __init__(self, root="."):
        self.root = Path(root).resolve()
        if not (self.root / "notebooks").is_dir():
            raise ValueError(f"root must be the course's folder, which holds notebooks/; "
                             f"{self.root} has none (run this from the course's folder)")
        self.work = self.root / WORK
        self.state = self.work / STATE

    def folders(self):
        """The folders mirrored into the working copy, relative to the root."""
        folders = ["notebooks"]
        for candidate in ("assignments/release", "assignments"):
            if (self.root / candidate).is_dir():
                folders.append(candidate)
                break
        if (self.root / "data").is_dir():  # the CSV files chapter 01 reads as ../data/...
            folders.append("data")
        return folders

    def files(self):
        """Every file mirrored, relative to the root, in order."""
        found = []
        for folder in self.folders():
            for pattern in PATTERNS:
                found += [p.relative_to(self.root) for p in (self.root / folder).rglob(pattern)
                          if ".ipynb_checkpoints" not in p.parts]
        return sorted(set(found))

    def _records(self):
        path = self.state / "course.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def _save_records(self, records):
        self.state.mkdir(parents=True, exist_ok=True)
        (self.state / "course.json").write_text(json.dumps(records, indent=1, sort_keys=True) + "\n")

    def _base(self, relative):
        return self.state / "base" / relative

    def _backup(self, relative, stamp):
        target = self.state / "backups" / stamp / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.work / relative, target)
        return target

    def _take(self, relative, data, records):
        """Write the course's version into the working copy, and remember it as the base."""
        for target in (self.work / relative, self._base(relative)):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        records[str(relative)] = _digest(data)

    @staticmethod
    def _learner_work(relative, base, mine):
        """Whether the learner's copy holds work of theirs: a cell added, deleted or edited (not
        only run: outputs and metadata do not count). Any change to a file that is no notebook does."""
        if relative.suffix != ".ipynb":
            return True
        try:
            before, after = _read_json(base), _read_json(mine)
        except ValueError:
            return True

        def cells(nb):
            return [(cell.get("id"), cell.get("cell_type"), _source(cell)) for cell in nb.get("cells", [])]

        return cells(before) != cells(after)

    def sync(self, only=None):
        """Bring the working copy up to date with the course; return what happened, a line per file.

        Parameters
        ----------
        only : collection of str, optional
            Relative paths to sync; default every mirrored file.
        """
        records = self._records()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        report = []
        for relative in self.files():
            if only is not None and str(relative) not in only:
                continue
            course = (self.root / relative).read_bytes()
            target = self.work / relative
            if not target.exists():
                self._take(relative, course, records)
                report.append(f"new      {relative}")
                continue
            mine = target.read_bytes()
            course_digest, mine_digest = _digest(course), _digest(mine)
            base_digest = records.get(str(relative))
            if mine_digest == course_digest:
                if base_digest != course_digest:
                    self._take(relative, course, records)
                continue
            if base_digest == course_digest:
                continue  # the course did not change; the learner did: theirs stays
            base_path = self._base(relative)
            base = base_path.read_bytes() if base_path.exists() else None
            if base is not None and (mine_digest == _digest(base) or not self._learner_work(relative, base, mine)):
                # Untouched, or only run and saved (outputs, and the metadata JupyterLab fills in
                # from the kernel the moment a notebook opens): nothing of the learner's to keep.
                self._take(relative, course, records)
                report.append(f"updated  {relative}")
                continue
            saved = self._backup(relative, stamp)
            if relative.suffix == ".ipynb" and base is not None:
                merged, kept = merge_notebooks(_read_json(base), _read_json(mine), _read_json(course))
                self._take(relative, course, records)
                target.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                note = f"; kept your version of {len(kept)} cell(s) the course changed too" if kept else ""
                report.append(f"merged   {relative} (the course's update and your work{note}; "
                              f"your copy as it was: {saved.relative_to(self.root)})")
            else:
                self._take(relative, course, records)
                report.append(f"replaced {relative} (your copy as it was: {saved.relative_to(self.root)})")
        self._save_records(records)
        return report

    def chapter(self, name):
        """The mirrored file a learner means by `name`: ``04``, ``04_the_dendrogram`` or a path."""
        name = str(name).strip().removesuffix(".ipynb")
        matches = [p for p in self.files() if p.suffix == ".ipynb"
                   and (p.stem == name or p.stem.startswith(f"{name}_") or str(p.with_suffix("")) == name)]
        if len(matches) != 1:
            chapters = ", ".join(p.stem for p in self.files() if p.suffix == ".ipynb" and p.parts[0] == "notebooks")
            raise ValueError(f"{name!r} names {'no' if not matches else 'more than one'} chapter or assignment; "
                             f"name one by its number or file name: {chapters}")
        return matches[0]

    def fresh(self, name):
        """Replace the learner's copy of one chapter with the course's; the old copy is backed up. Returns a line."""
        relative = self.chapter(name)
        records = self._records()
        saved = None
        if (self.work / relative).exists():
            saved = self._backup(relative, time.strftime("%Y%m%d-%H%M%S"))
        self._take(relative, (self.root / relative).read_bytes(), records)
        self._save_records(records)
        where = f" (your copy as it was: {saved.relative_to(self.root)})" if saved else ""
        return f"fresh    {relative}{where}"

    def status(self):
        """The learner's copies that hold work of theirs (cells added, deleted or edited), a line each."""
        records = self._records()
        lines = []
        for relative in self.files():
            target = self.work / relative
            base = self._base(relative)
            if not target.exists():
                lines.append(f"missing  {relative} (sync makes it)")
            elif _digest(target.read_bytes()) != records.get(str(relative)) and (
                    not base.exists() or self._learner_work(relative, base.read_bytes(), target.read_bytes())):
                lines.append(f"changed  {relative}")
        return lines


# --- The Jupyter server extension ---------------------------------------------------------


def _page_of(path, default_url):
    """The URL path (after the base URL) of the page that shows `path` in the running interface."""
    if default_url.startswith("/lab"):
        return f"lab/tree/{path}"
    return f"notebooks/{path}" if path.endswith(".ipynb") else f"edit/{path}"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; max-width: 60em; margin: 2em auto; padding: 0 1em;
        color: #1a1a1a; }}
a {{ color: #0b5394; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #c8c8c8; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
code {{ background: #f3f3f3; padding: 0 0.2em; }}
</style></head>
<body><main>
{body}
</main></body></html>
"""


def markdown_page(text, title):
    """A markdown file (the contents page) as a plain HTML page, its relative links kept as they are."""
    import html

    import mistune

    body = mistune.create_markdown(escape=False, plugins=["table"])(text)
    return _PAGE.format(title=html.escape(title), body=body)


def _jupyter_server_extension_points():
    return [{"module": "course_workspace"}]


def _load_jupyter_server_extension(serverapp):
    """Add ``/course/open/...`` and the redirection of page visits to ``/files/`` (module docstring)."""
    from urllib.parse import quote

    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import ensure_async, url_path_join
    from tornado import web

    root = Path(serverapp.root_dir).resolve()

    def default_url(handler):
        """The interface's start page after the base URL (``/lab`` or ``/tree``): the server's own
        setting starts with the base URL, which a hub's user server has (``/user/<name>/lab``)."""
        url = handler.settings.get("default_url") or serverapp.default_url
        base = handler.base_url.rstrip("/")
        return "/" + url[len(base):].lstrip("/") if base and url.startswith(base + "/") else url

    class OpenHandler(JupyterHandler):
        """``/course/open/<path>``: sync the working copy of the course holding <path>, then open its copy."""

        @web.authenticated
        def get(self, path):
            target = (root / path).resolve()
            if root not in target.parents:
                raise web.HTTPError(404, "outside the server's folder")
            course = next((folder for folder in target.parents
                           if (folder / "notebooks").is_dir() and folder != root.parent), None)
            if course is None:
                raise web.HTTPError(404, f"{path} is in no course")
            workspace = Workspace(course)
            workspace.sync()
            inside = target.relative_to(course)
            if inside.parts and inside.parts[0] == WORK:
                inside = Path(*inside.parts[1:])
            opened = (workspace.work / inside).relative_to(root).as_posix()
            self.redirect(url_path_join(self.base_url, quote(_page_of(opened, default_url(self)))))

    manager = serverapp.contents_manager

    class PageOfFileHandler(manager.files_handler_class):
        """``/files/<path>``: a browser visiting a notebook or markdown page is sent to the page that shows it."""

        async def get(self, path, include_body=True):
            visit = (self.request.headers.get("Sec-Fetch-Dest") == "document"
                     and self.request.headers.get("Sec-Fetch-Mode") == "navigate")
            if visit and not self.get_argument("download", None):
                if path.endswith(".ipynb"):
                    return self.redirect(url_path_join(self.base_url, quote(_page_of(path, default_url(self)))))
                if path.endswith(".md") and not default_url(self).startswith("/lab"):
                    model = await ensure_async(manager.get(path, type="file", format="text"))
                    title = next((line[2:] for line in model["content"].splitlines() if line.startswith("# ")),
                                 model["name"])
                    self.set_header("Content-Type", "text/html; charset=utf-8")
                    return self.finish(markdown_page(model["content"], title))
            return await ensure_async(super().get(path, include_body=include_body))

    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, r"/course/open/(.+)"), OpenHandler),
        (url_path_join(base, r"/files/(.+)"), PageOfFileHandler, manager.files_handler_params),
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_workspace",
                                     description="The learner's working copy of the course, in work/.")
    parser.add_argument("--root", default=".", help="the course's folder (default: the current one)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("sync", help="copy what is new into work/ and bring the course's updates in")
    fresh = commands.add_parser("fresh", help="a fresh copy of one chapter (yours is backed up)")
    fresh.add_argument("chapter", help="its number or file name, such as 04")
    commands.add_parser("status", help="which of your copies you changed")
    args = parser.parse_args(argv)
    try:
        workspace = Workspace(args.root)
        if args.command == "sync":
            lines = workspace.sync()
            print("\n".join(lines) if lines else f"{WORK}/ is up to date with the course.")
        elif args.command == "fresh":
            print(workspace.fresh(args.chapter))
        else:
            lines = workspace.status()
            print("\n".join(lines) if lines else "You have changed none of the course's files.")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
