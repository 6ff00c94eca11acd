"""The classroom loop on a real JupyterHub, end to end, as a class would live it.

One test does what an instructor and two students do, on this machine:

1. it builds the hub's environment the way the instructor's guide says
   (assignments/README.md, "A class on one machine"): uv makes it from the
   system's /usr/bin/python3 (readable by every user, unlike an interpreter
   under /root), with JupyterHub, the `configurable-http-proxy` package from
   PyPI, nbgrader, nbgitpuller and the course; classroom/nbgrader_config.py
   and classroom/overrides.json go into it, and the students' settings that
   hide nbgrader's instructor tools from everyone but the instructor;
2. it creates three Unix users (an instructor and two students) and starts
   JupyterHub with classroom/jupyterhub_config.py, everything on 127.0.0.1;
3. the instructor generates and releases Assignment 2 (nbgrader's command
   line, run as that user with a clean environment and a working directory
   every user can read);
4. student 1, in headless Chromium, logs in, sees no instructor tool,
   follows the nbgitpuller link to the student edition (published as a git
   repository), opens the Assignment List, fetches the assignment, types
   correct answers into it (the written defence too), validates and submits;
   student 2 fetches and submits wrong answers from the command line, and can
   neither list the submissions in the exchange nor write into student 1's;
5. the instructor collects and autogrades, grades student 1's written
   defence by hand in the Formgrader (opened as its own page), generates and
   releases feedback, exports the grades and releases the solutions;
6. student 1 fetches the feedback and sees the full score and the
   instructor's comment; student 2 fetches the solutions, which hold no
   hidden test; the exported grades show full marks for student 1 and the
   check points only for student 2.

Every run has users, ports and folders of its own, so that two runs can go
on side by side, and it works from a checkout that no other user can read
(a clone under /root, in a home of mode 700, in a `mktemp -d` folder): every
process started as another user gets a working directory of the test's own.
Whatever waits watches the processes it depends on and the page's own error
messages, and fails at once with the hub's and the git server's logs. The
screenshots go to test-artifacts/classroom-<run>/. Whatever happens, the test
stops every process it started and removes its users and files.

It needs root (it creates users and starts servers as them). Elsewhere it
skips and says how to run it; under CI (`CI` set) it must run: as root it
runs directly, and where sudo works without a password (GitHub's runners) it
runs itself again under sudo. COURSE_SKIP_CLASSROOM=1 skips it even under CI
(the workflow runs it in one job only).
"""

import csv
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from browser import free_port as _free_port
from browser import unavailable
from tools.chromium import CHROMIUM, launch
from tools.course import ROOT, SERVER_CONFIG, SERVER_CONFIG_TARGET

CLASSROOM = ROOT / "classroom"
ARTIFACTS = ROOT / "test-artifacts"
ASSIGNMENT = "a2_choosing_a_cutoff"
#: Its points, what student 2's wrong answers earn (each check's point), and its written answer, graded by hand.
POINTS, WRONG_SCORE, WRITTEN = 15.0, 4.0, "q5_written"
COURSE_ID = "dendrogram-course"
#: The interpreter the hub's environment is made from: it must be readable by every user.
SYSTEM_PYTHON = os.environ.get("COURSE_HUB_PYTHON", "/usr/bin/python3")
#: Only reached when something hangs without failing: every wait watches for failures itself.
PATIENCE_S = int(os.environ.get("COURSE_CLASSROOM_PATIENCE", "900"))
INNER = "COURSE_CLASSROOM_TEST_AS_ROOT"
SKIP = "COURSE_SKIP_CLASSROOM"
HOW_TO_RUN = ("it needs root, since it creates Unix users and runs a JupyterHub: run "
              "`sudo -E env PATH=\"$PATH\" .venv/bin/python -m pytest tests/test_classroom.py` "
              "(it removes its users and files when done); under CI it always runs")
#: nbgrader's instructor tools, which the students' settings (classroom/students-jupyter/) turn off.
LAB_TOOLS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:create-assignment")
SERVER_TOOLS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
#: Where the hub's environment keeps the students' settings (classroom/jupyterhub_config.py reads them there).
STUDENTS_CONFIG = "etc/jupyter-students"
#: What a page says when something went wrong that no wait should sit through.
PAGE_ERRORS = re.compile(r"Invalid username or password|Remote content unavailable|Spawn failed|"
                         r"404 : Not Found|50[0234] : [A-Z][a-z]+|Service Unavailable|"
                         r"Timeout during request|Validation failed|Error: Command .* returned non-zero|fatal: |"
                         r"Traceback \(most recent call last\)")


class Watch:
    """The processes a run depends on, and their logs: a failure says at once what failed."""

    def __init__(self):
        self.processes = {}  # name -> (Popen, log path)

    def add(self, name, process, log):
        self.processes[name] = (process, Path(log))

    def report(self):
        parts = []
        for name, (process, log) in self.processes.items():
            state = "running" if process.poll() is None else f"exited with {process.returncode}"
            text = log.read_text(errors="replace") if log.exists() else "(no log)"
            parts.append(f"--- {name} ({state}), the end of {log}:\n{text[-6000:]}")
        return "\n".join(parts)

    def fail(self, message):
        pytest.fail(f"{message}\n{self.report()}", pytrace=False)

    def check(self, what):
        for name, (process, _) in self.processes.items():
            if process.poll() is not None:
                self.fail(f"{name} exited ({process.returncode}) while waiting for {what}")


def wait_until(condition, what, watch):
    """Wait until `condition()` holds; fail at once, with the logs, if a watched process dies."""
    deadline = time.monotonic() + PATIENCE_S
    while True:
        watch.check(what)
        if condition():
            return
        if time.monotonic() > deadline:
            watch.fail(f"gave up waiting for {what} after {PATIENCE_S} s, with no error seen")
        time.sleep(0.25)


def wait_for(page, locator, what, watch):
    """Wait until `locator` shows on `page`; fail at once if a watched process dies or the page shows an error."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    def shown():
        try:
            locator.first.wait_for(timeout=1000)
            return True
        except PlaywrightTimeout:
            return False

    _wait_on_page(page, shown, what, watch)
    return locator


def wait_for_script(page, script, what, watch):
    """Wait until the JavaScript expression `script` is true on `page`; fail at once as :func:`wait_for` does."""
    from playwright.sync_api import Error as PlaywrightError

    def holds():
        try:
            if page.evaluate(f"() => Boolean({script})"):
                return True
        except PlaywrightError:  # the page is loading, or the script's objects are not there yet
            pass
        page.wait_for_timeout(250)  # lets the page run (and Playwright deliver its events) meanwhile
        return False

    _wait_on_page(page, holds, what, watch)


def _wait_on_page(page, condition, what, watch):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        watch.check(what)
        try:
            text = page.inner_text("body", timeout=1000)
        except PlaywrightTimeout:
            text = ""
        error = PAGE_ERRORS.search(text)
        if error:
            watch.fail(f"while waiting for {what}, {page.url} says {error.group(0)!r}:\n{text[-3000:]}")
        if time.monotonic() > deadline:
            watch.fail(f"gave up waiting for {what} after {PATIENCE_S} s on {page.url}, with no error seen:\n"
                       f"{text[-3000:]}")


# --- running things -----------------------------------------------------------


def free_port():
    """A free loopback port, never one of those already handed out in this test."""
    while True:
        port = _free_port()
        if port not in free_port.given:
            free_port.given.add(port)
            return port


free_port.given = set()


def uv():
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("uv is needed to build the hub's environment: pip install uv (the test extra has it)")
    return found


class Users:
    """The Unix users of the test: created here, removed (with their processes) at the end."""

    def __init__(self, home):
        self.home, self.names = home, []

    def add(self, name):
        subprocess.run(["useradd", "--create-home", "--home-dir", str(self.home / name),
                        "--shell", "/bin/bash", "--user-group", name], check=True)
        self.names.append(name)
        os.chmod(self.home / name, 0o700)  # a home is private: the instructor's holds the solutions
        return pwd.getpwnam(name)

    def pids(self):
        uids = {pwd.getpwnam(name).pw_uid for name in self.names if _exists(name)}
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if entry.stat().st_uid in uids:
                        found.append(int(entry.name))
                except FileNotFoundError:
                    pass
        return found

    def remove(self):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in self.pids():
                _signal(pid, sig)
            deadline = time.monotonic() + 15
            while self.pids() and time.monotonic() < deadline:
                time.sleep(0.2)
        for name in self.names:
            if _exists(name):
                subprocess.run(["userdel", "--remove", name], capture_output=True)
                subprocess.run(["groupdel", name], capture_output=True)  # if userdel left it


def _exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""


def descendants(pid):
    """Every process below `pid`, read from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def as_user(user, argv, cwd, extra=None, check=True):
    """Run `argv` as `user` (a pwd entry) with a clean environment, as a login would give."""
    env = {"HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name, "LANG": "C.UTF-8",
           "PATH": as_user.path, **(extra or {})}
    result = subprocess.run(argv, cwd=cwd, env=env, user=user.pw_uid, group=user.pw_gid, extra_groups=[],
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, argv))} as {user.pw_name} failed ({result.returncode}):\n"
                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def readable_tree(top):
    """Every folder 755 and every file 644 (or 755 if executable) under `top`."""
    for folder, _, names in os.walk(top):
        os.chmod(folder, 0o755)
        for name in names:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.stat(path).st_mode & 0o111 else 0o644)


def responds(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status < 500
    except OSError:
        return False


def listening_addresses(pids):
    """The local addresses on which the processes `pids` listen for TCP connections."""
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            continue
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                address, port = fields[1].split(":")
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host (little-endian) order
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.append((socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, raw),
                              int(port, 16)))
    return found




# --- the hub --------------------------------------------------------------------

#: What the guide installs into the hub's environment, and where (relative to the environment).
ENV_FILES = {
    "classroom/overrides.json": "share/jupyter/lab/settings/overrides.json",
    "classroom/nbgrader_config.py": "etc/jupyter/nbgrader_config.py",
}
#: What the guide installs into the hub's environment from the student edition: the file that enables
#: the learner's working copy's server extension (/course/open/, where the nbgitpuller link ends),
#: which an editable install of the edition does not put there itself.
EDITION_FILES = {SERVER_CONFIG: SERVER_CONFIG_TARGET}


def build_environment(base):
    """The hub's environment, as the guide builds it.

    The instructors' repository stays readable by root alone (it holds the
    solutions). What every user reads is the student edition (installed into
    the environment, and published as a git repository for nbgitpuller) and
    the environment itself, made by uv from the system's Python (its bytecode
    compiled: no user may write it there, so each kernel would compile every
    module it imports, at every start) with the
    edition, classroom/requirements.txt, the two settings files and the
    edition's file that enables the working copy's server extension, with
    nbgrader's instructor tools turned off for everyone but the instructors. uv's cache is the
    run's own, so that a run as root leaves nothing in the caller's cache.
    """
    course, edition, env = base / "course", base / "edition" / "dendrogram-course-student", base / "env"
    shutil.copytree(ROOT, course, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "_build", "build", "test-artifacts", "*.egg-info", "__pycache__",
        ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", "node_modules", "mutants", ".uv"))
    os.chmod(course, 0o700)
    subprocess.run([sys.executable, "-m", "tools.student_edition", "build", str(edition)],
                   cwd=ROOT, check=True, capture_output=True)
    uv_path = uv()
    uv_env = dict(os.environ, UV_CACHE_DIR=str(base / "uv-cache"))
    subprocess.run([uv_path, "venv", "-q", "--python", SYSTEM_PYTHON, str(env)], check=True, env=uv_env)
    subprocess.run([uv_path, "pip", "install", "-q", "--compile-bytecode", "--python", str(env / "bin" / "python"),
                    "-e", f"{edition}[course]", "-r", str(course / "classroom" / "requirements.txt")],
                   check=True, env=uv_env)
    shutil.rmtree(base / "uv-cache", ignore_errors=True)
    for source, target in ENV_FILES.items():
        (env / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(course / source, env / target)
    for source, target in EDITION_FILES.items():
        (env / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(edition / source, env / target)
    shutil.copytree(course / "classroom" / "students-jupyter", env / STUDENTS_CONFIG)
    readable_tree(edition.parent)
    readable_tree(env)
    return course, edition, env


def publish_edition(base, edition):
    """The student edition as a git repository that learners' servers can clone.

    The instructor serves it with `git daemon` on the loopback interface, so
    that each learner's git clones it as a remote (as from GitHub), not as a
    folder on disk that another user owns (which git refuses: "dubious
    ownership"), and shallowly, as nbgitpuller does.
    """
    bare = base / "git" / "dendrogram-course-student.git"
    git = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@127.0.0.1",
           "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(edition)], check=True)
    subprocess.run([*git, "-C", str(edition), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(edition), "commit", "-q", "-m", "Student edition"], check=True)
    subprocess.run([*git, "clone", "-q", "--bare", str(edition), str(bare)], check=True)
    readable_tree(bare.parent)
    readable_tree(edition.parent)
    return bare


# --- the browser ----------------------------------------------------------------

def log_in(context, hub, user, password):
    page = context.new_page()
    page.set_default_timeout(PATIENCE_S * 1000)
    page.goto(f"{hub}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    return page


def lab_ready(page, watch, who):
    wait_for(page, page.locator("#jp-main-dock-panel"), f"{who}'s JupyterLab", watch)
    wait_for(page, page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$")), f"{who}'s Nbgrader menu",
             watch)


def nbgrader_menu(page):
    """The items of JupyterLab's Nbgrader menu."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$")).click()
    items = page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    return [item.strip() for item in items]


def formgrader_submissions(page, url, watch):
    """Open the Formgrader's list of an assignment's submissions (as its own page: JupyterHub's
    content security policy keeps it out of a JupyterLab tab) with the students' names shown.

    The names are shown by the page's "Show All Names" button once the list
    has loaded (a click before that finds no row, and does nothing).
    """
    page.goto(url)
    wait_for(page, page.locator("#main-table a.name-hidden"), "the Formgrader's submissions", watch)
    page.locator("#toggle_names").click()
    wait_for(page, page.locator("#main-table a.name-shown"), "the students' names in the Formgrader", watch)


def shot(page, folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def open_assignment_list(page, watch):
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Assignment List$")).click()
    return wait_for(page, page.locator("#nbgrader-assignment-list"), "the Assignment List", watch)


def answer_cells(nb):
    """The answer cells' grade ids, in the notebook's order: code answers and written ones."""
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def type_answer(page, text, written=False):
    """Replace the first unanswered cell's content with `text`, as a student would by typing or pasting."""
    if written:
        cell = page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
        cell.scroll_into_view_if_needed()
        cell.dblclick()  # a rendered markdown cell opens its editor on a double click
    else:
        cell = page.locator(".jp-CodeCell", has_text="raise NotImplementedError()").first
        cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    # insert_text is a paste: no auto-indentation of the lines typed.
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def guide_block(name):
    """The commands of a block of the instructor's guide, one per line, continuations joined."""
    text = GUIDE.read_text()
    block = text[text.index(f"<!-- {name}:start -->"):text.index(f"<!-- {name}:end -->")]
    lines = [" ".join(line.split()) for line in block.replace("\\\n", " ").splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "<!--", "```"))]


# --- the test -------------------------------------------------------------------

def run_as_root_under_sudo():
    """Under CI without root: run this test again under sudo, where sudo needs no password."""
    if shutil.which("sudo") is None or subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode:
        pytest.fail(f"the classroom test must run under CI, but {HOW_TO_RUN.split(': run')[0]} "
                    "and passwordless sudo is not available")
    keep = {k: os.environ[k] for k in ("CI", "CHROMIUM", "HOME", "COURSE_CLASSROOM_PATIENCE") if k in os.environ}
    command = ["sudo", "-n", "env", f"PATH={os.environ.get('PATH', '')}", f"{INNER}=1",
               f"COURSE_ARTIFACTS_OWNER={os.getuid()}:{os.getgid()}", "PYTHONDONTWRITEBYTECODE=1",
               *(f"{k}={v}" for k, v in keep.items()),
               sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x",
               f"{Path(__file__).resolve()}::test_the_nbgrader_loop_on_a_real_jupyterhub"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    print(result.stdout[-6000:])
    assert result.returncode == 0 and re.search(r"\b1 passed\b", result.stdout), \
        f"the classroom test failed under sudo:\n{result.stdout[-12000:]}\n{result.stderr[-3000:]}"


def test_the_nbgrader_loop_on_a_real_jupyterhub():
    if os.environ.get(SKIP):
        pytest.skip(f"classroom test skipped: {SKIP} is set (the workflow runs it in one job only)")
    if os.geteuid() != 0:
        if os.environ.get("CI") and not os.environ.get(INNER):
            run_as_root_under_sudo()
            return
        pytest.skip(f"classroom test skipped: {HOW_TO_RUN}")
    if CHROMIUM is None:
        unavailable("no chromium on PATH")
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"{SYSTEM_PYTHON} is missing: set COURSE_HUB_PYTHON to a Python 3.11+ that every user can read")
    run_the_loop()


def give_back(folder):
    """Under sudo, hand the screenshots back to the user who ran the tests."""
    owner = os.environ.get("COURSE_ARTIFACTS_OWNER")
    if owner and folder.exists():
        uid, gid = map(int, owner.split(":"))
        for path in [ARTIFACTS, folder, *folder.iterdir()]:
            os.chown(path, uid, gid)


def run_the_loop():
    from playwright.sync_api import sync_playwright

    from tools.assignments import fill_answers, read_answers

    started = time.monotonic()
    suffix = secrets.token_hex(3)
    screens = ARTIFACTS / f"classroom-{suffix}"
    # A folder of the run's own, readable by every user: each process started as
    # another user works in it (never in the checkout, which may be private).
    base = Path(tempfile.mkdtemp(prefix=f"course-hub-{suffix}-", dir="/tmp"))
    os.chmod(base, 0o755)
    names = {"instructor": f"dcteach{suffix}", "student1": f"dcstua{suffix}", "student2": f"dcstub{suffix}"}
    (base / "home").mkdir(mode=0o755)
    exchange = base / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o1777)
    state = base / "state"
    state.mkdir(mode=0o700)
    users, watch = Users(base / "home"), Watch()
    hub_process, git_server, tree, timings = None, None, [], {}
    print(f"classroom run {suffix}: folder {base}, screenshots {screens}")
    try:
        # 1. The hub's environment, and the student edition as a git repository.
        course, edition, env = build_environment(base)
        as_user.path = os.pathsep.join([str(env / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
        bare = publish_edition(base, edition)
        timings["environment"] = time.monotonic() - started

        # 2. The users, and the instructor's course folder and tools (the guide's commands).
        people = {role: users.add(name) for role, name in names.items()}
        teacher = people["instructor"]
        course_dir = Path(teacher.pw_dir) / COURSE_ID
        course_dir.mkdir()
        for name in ("nbgrader_config.py", "late_policy.py"):
            shutil.copy(course / "assignments" / name, course_dir / name)
        shutil.copytree(course / "assignments" / "source", course_dir / "source")
        jupyter_config = Path(teacher.pw_dir) / ".jupyter"
        jupyter_config.mkdir()
        (jupyter_config / "nbgrader_config.py").write_text(
            f"c = get_config()  # noqa: F821\nc.CourseDirectory.root = {str(course_dir)!r}\n")
        subprocess.run(["chown", "-R", f"{teacher.pw_uid}:{teacher.pw_gid}", str(course_dir), str(jupyter_config)],
                       check=True)
        nb_env = {"COURSE_EXCHANGE": str(exchange)}

        # The git server, as the instructor, in a folder every user can read.
        subprocess.run(["chown", "-R", f"{teacher.pw_uid}:{teacher.pw_gid}", str(bare)], check=True)
        git_port = free_port()
        git_log = base / "git-daemon.log"
        with open(git_log, "wb") as output:
            git_server = subprocess.Popen(
                ["git", "daemon", "--reuseaddr", "--export-all", "--verbose", f"--base-path={bare.parent}",
                 "--listen=127.0.0.1", f"--port={git_port}", str(bare.parent)],
                cwd=bare.parent, env={"PATH": as_user.path, "HOME": teacher.pw_dir}, user=teacher.pw_uid,
                group=teacher.pw_gid, extra_groups=[], stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        watch.add("git daemon", git_server, git_log)
        remote = f"git://127.0.0.1:{git_port}/{bare.name}"
        wait_until(lambda: as_user(people["student1"], ["git", "ls-remote", remote], base, check=False).returncode == 0,
                   "the git server to serve the student edition to a student", watch)

        # 3. The instructor generates and releases the assignment.
        as_user(teacher, ["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], course_dir, nb_env)
        as_user(teacher, ["nbgrader", "release_assignment", ASSIGNMENT], course_dir, nb_env)

        # 4. The hub, with the configuration the guide documents.
        password, admin_password = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
        port = free_port()
        hub_env = {
            "PATH": as_user.path, "LANG": "C.UTF-8", "HOME": str(state),
            "COURSE_HUB_USERS": f"{names['student1']},{names['student2']}",
            "COURSE_HUB_INSTRUCTORS": names["instructor"], "COURSE_HUB_PASSWORD": password,
            "COURSE_HUB_ADMIN_PASSWORD": admin_password,
            "COURSE_HUB_PORT": str(port), "COURSE_HUB_PROXY_API_PORT": str(free_port()),
            "COURSE_HUB_INTERNAL_PORT": str(free_port()), "COURSE_HUB_STATE": str(state),
            "COURSE_EXCHANGE": str(exchange), "COURSE_HUB_START_TIMEOUT": str(PATIENCE_S),
            "COURSE_HUB_PROXY_TIMEOUT": str(PATIENCE_S),
        }
        log = base / "jupyterhub.log"
        with open(log, "wb") as output:
            hub_process = subprocess.Popen(
                [str(env / "bin" / "jupyterhub"), "-f", str(course / "classroom" / "jupyterhub_config.py")],
                cwd=state, env=hub_env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        watch.add("JupyterHub (with the users' servers)", hub_process, log)
        hub = f"http://127.0.0.1:{port}"
        wait_until(lambda: responds(f"{hub}/hub/health"), "JupyterHub to answer", watch)
        timings["hub up"] = time.monotonic() - started

        # No student can read a solution: not the instructors' repository, not the course folder.
        for secret in (course / "assignments" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                       course_dir / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"):
            peek = as_user(people["student1"], ["cat", str(secret)], base, check=False)
            assert peek.returncode != 0 and "BEGIN SOLUTION" not in peek.stdout, secret

        answers = read_answers(ROOT / "tests" / "fixtures" / "assignments" / f"{ASSIGNMENT}.py")
        source_nb = nbformat.read(str(course / "assignments" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                                  as_version=4)
        defence = next(c.source for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN)
        release = course / "assignments" / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        order = answer_cells(nbformat.read(str(release), as_version=4))
        typed = {g: (defence if g == WRITTEN else answers[g]["correct"][0].code) for g in order}

        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                # 5. Student 1: no instructor tool, the edition through an nbgitpuller link, then the assignment.
                s1 = names["student1"]
                student = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = log_in(student, hub, s1, password)
                lab_ready(page, watch, "student 1")
                assert page.request.get(f"{hub}/user/{s1}/formgrader").status == 404
                link = subprocess.run(
                    [sys.executable, "-m", "tools.student_edition", "link", "--hub", hub, "--repo", remote],
                    cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
                page.goto(link)
                wait_for(page, page.locator(".jp-Notebook .jp-RenderedMarkdown h1", has_text="Welcome"),
                         "the student edition's first chapter, cloned by nbgitpuller", watch)
                # The link ends on the learner's working copy: the chapter opened is the copy in work/.
                pulled = Path(people["student1"].pw_dir) / "dendrogram-course-student"
                assert (pulled / "notebooks" / "00_welcome.ipynb").exists()
                assert (pulled / "work" / "notebooks" / "00_welcome.ipynb").exists()
                # in JupyterLab, the hub's interface (Spawner.default_url), not Notebook 7
                wait_until(lambda: "/lab/tree/dendrogram-course-student/work/notebooks/00_welcome.ipynb" in page.url,
                           "the working copy's chapter in JupyterLab's address", watch)
                shot(page, screens, "1-student-edition-by-nbgitpuller")

                panel = open_assignment_list(page, watch)
                released = panel.locator("#released_assignments_list")
                wait_for(page, released.get_by_text(ASSIGNMENT), "the released assignment in the list", watch)
                shot(page, screens, "2-assignment-list-released")
                released.locator("button", has_text="Fetch").click()
                fetched = panel.locator("#fetched_assignments_list")
                wait_for(page, fetched.get_by_text(ASSIGNMENT), "the fetched assignment", watch)
                fetched.locator("a", has_text=ASSIGNMENT).first.click()  # show its notebooks
                fetched.locator("a", has_text=re.compile(rf"^{ASSIGNMENT}$")).last.click()  # open the notebook
                wait_for(page, page.locator(".jp-Notebook .jp-CodeCell", has_text="raise NotImplementedError()"),
                         "the fetched notebook", watch)
                for grade_id in order:
                    type_answer(page, typed[grade_id], written=grade_id == WRITTEN)
                page.keyboard.press("Control+s")
                notebook_file = Path(people["student1"].pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

                def saved():
                    cells = nbformat.read(str(notebook_file), as_version=4).cells
                    return {c.metadata.get("nbgrader", {}).get("grade_id"): c.source.strip()
                            for c in cells if c.metadata.get("nbgrader", {}).get("solution")} == \
                        {g: text.strip() for g, text in typed.items()}

                wait_until(saved, "the typed answers to be saved as typed", watch)
                shot(page, screens, "3-answers-typed")

                page.locator(".lm-TabBar-tab", has_text="Assignments").click()
                fetched.locator("button", has_text="Validate").first.click()
                dialog = page.locator(".jp-Dialog")
                wait_for(page, dialog.get_by_text("Success! Your notebook passes all the tests."), "validation", watch)
                shot(page, screens, "4-validated")
                dialog.locator("button").last.click()
                fetched.locator("button", has_text=re.compile(r"^Submit$")).click()
                submitted = panel.locator("#submitted_assignments_list")
                wait_for(page, submitted.get_by_text(ASSIGNMENT), "the submission", watch)
                shot(page, screens, "5-submitted")
                # By now the lab has long loaded every extension it has: no instructor tool among them.
                menu = nbgrader_menu(page)
                assert "Assignment List" in menu and not {"Formgrader", "Course List"} & set(menu), menu
                assert page.locator(".lm-TabBar-tab", has_text="Create Assignment").count() == 0
                timings["student 1 submitted"] = time.monotonic() - started

                # 6. Student 2 submits wrong answers, from the command line, and cannot reach student 1's work.
                pupil = people["student2"]
                home2 = Path(pupil.pw_dir)
                as_user(pupil, ["nbgrader", "fetch_assignment", ASSIGNMENT, "--course", COURSE_ID], home2, nb_env)
                mine = home2 / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
                code_answers = [g for g in order if g != WRITTEN]
                wrong = fill_answers(mine, {g: answers[g]["wrong"][0].code for g in code_answers})
                nbformat.write(wrong, str(mine))
                os.chown(mine, pupil.pw_uid, pupil.pw_gid)
                as_user(pupil, ["nbgrader", "submit", ASSIGNMENT, "--course", COURSE_ID], home2, nb_env)
                inbound = exchange / COURSE_ID / "inbound"
                theirs = next(p for p in inbound.iterdir() if p.name.startswith(f"{s1}+{ASSIGNMENT}+"))
                listing = as_user(pupil, ["ls", str(inbound)], home2, check=False)
                assert listing.returncode != 0, f"student 2 can list the submissions: {listing.stdout}"
                overwrite = as_user(pupil, ["cp", str(mine), str(theirs / f"{ASSIGNMENT}.ipynb")], home2, check=False)
                assert overwrite.returncode != 0, "student 2 could overwrite student 1's submission"
                peek = as_user(pupil, ["cat", str(notebook_file)], home2, check=False)
                assert peek.returncode != 0, "student 2 could read student 1's notebook in their home"

                # 7. The instructor collects and autogrades, then grades the written defence by hand.
                for step in (["collect", ASSIGNMENT], ["autograde", ASSIGNMENT, "--create"]):
                    as_user(teacher, ["nbgrader", *step], course_dir, nb_env)
                timings["autograded"] = time.monotonic() - started
                instructor = browser.new_context(viewport={"width": 1400, "height": 1000})
                page_i = log_in(instructor, hub, names["instructor"], admin_password)
                lab_ready(page_i, watch, "the instructor")
                wait_until(lambda: {"Formgrader", "Course List", "Assignment List"} <= set(nbgrader_menu(page_i)),
                           "the Formgrader and the Course List in the instructor's Nbgrader menu", watch)
                assert page_i.locator(".lm-TabBar-tab", has_text="Create Assignment").count() == 1
                submissions = f"{hub}/user/{names['instructor']}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}"
                formgrader_submissions(page_i, submissions, watch)
                page_i.locator("#main-table a.name-shown", has_text=s1).first.click()
                # The grading page: its score and comment boxes save once its script has loaded the grades and
                # comments. (The rest of its start-up stops short offline, where MathJax, which it loads from a
                # CDN, is missing: formgrader.loaded stays false, which does not matter here.)
                wait_for_script(page_i, "window.formgrader && formgrader.grades && formgrader.grades.loaded "
                                "&& formgrader.comments && formgrader.comments.loaded",
                                "the Formgrader's grading page to load the grades and comments", watch)
                submission = page_i.url.rstrip("/").rsplit("/", 1)[-1]
                score = wait_for(page_i, page_i.locator(f"input#{WRITTEN}"), "the written answer's score box", watch)
                page_i.get_by_text("I report").first.scroll_into_view_if_needed()  # the defence, beside its rubric
                score.fill("3")
                page_i.keyboard.press("Tab")  # leaving the box saves the score
                comment = "Clear: the ratio, the elbow's blind spot and a robust cut. Well argued."
                page_i.locator(f"#{WRITTEN}-comment").fill(comment)
                page_i.keyboard.press("Tab")
                api = f"{hub}/user/{names['instructor']}/formgrader/api"

                def saved_by_hand():
                    """The gradebook holds the score and the comment typed (what the Formgrader's API says)."""
                    page_i.wait_for_timeout(250)  # lets the page send them meanwhile
                    grades = page_i.request.get(f"{api}/grades?submission_id={submission}").json()
                    comments = page_i.request.get(f"{api}/comments?submission_id={submission}").json()
                    return (any(g["name"] == WRITTEN and g["manual_score"] == 3 for g in grades)
                            and any(c["name"] == WRITTEN and c["manual_comment"] == comment for c in comments))

                wait_until(saved_by_hand, "the Formgrader to save the written answer's score and comment", watch)
                shot(page_i, screens, "6-formgrader-manual-grade")
                formgrader_submissions(page_i, submissions, watch)
                for name, marks in ((s1, "15 / 15"), (names["student2"], "4 / 15")):
                    wait_for(page_i, page_i.locator("tr", has_text=name).filter(has_text=marks),
                             f"{name}'s {marks} in the Formgrader", watch)
                shot(page_i, screens, "7-formgrader-submissions")

                # 8. Feedback, grades and, after the deadline, the solutions.
                for step in (["generate_feedback", ASSIGNMENT], ["release_feedback", ASSIGNMENT],
                             ["export", "--to", "grades.csv"]):
                    as_user(teacher, ["nbgrader", *step], course_dir, nb_env)
                with open(course_dir / "grades.csv", newline="") as file:
                    grades = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                              for row in csv.DictReader(file) if row["assignment"] == ASSIGNMENT}
                for line in guide_block("release-solution"):
                    argv = [part.replace("a2_choosing_a_cutoff", ASSIGNMENT) for part in line.split()]
                    as_user(teacher, ["bash", "-c", " ".join(argv)], course_dir, nb_env)
                solution_name = f"{ASSIGNMENT}-solution"
                as_user(pupil, ["nbgrader", "fetch_assignment", solution_name, "--course", COURSE_ID], home2, nb_env)
                solution = (home2 / solution_name / f"{ASSIGNMENT}.ipynb").read_text()
                assert "k_lowered = helpers.elbow(Z_lowered).k" in solution and "BEGIN HIDDEN TESTS" not in solution
                timings["graded"] = time.monotonic() - started

                # 9. Student 1 fetches the feedback and reads the score and the comment.
                page.locator(".lm-TabBar-tab", has_text="Assignments").click()
                panel.locator("button", has_text="Fetch Feedback").click()
                wait_for(page, panel.get_by_text("(view feedback)"), "the feedback in the Assignment List", watch)
                feedback = sorted((Path(people["student1"].pw_dir) / ASSIGNMENT / "feedback").rglob("*.html"))
                assert feedback, "no feedback in the student's folder"
                relative = feedback[-1].relative_to(people["student1"].pw_dir)
                page.goto(f"{hub}/user/{s1}/files/{relative.as_posix()}")
                wait_for(page, page.get_by_text(re.compile(r"Score:\s*15(\.0)?\s*/\s*15(\.0)?")),
                         "the full score in the feedback", watch)
                assert comment in page.content(), "the feedback lacks the instructor's comment"
                assert "HIDDEN TESTS" not in page.content(), "the feedback shows the hidden tests"
                shot(page, screens, "8-feedback-full-score")

                # Everything listened on the loopback interface only.
                tree = descendants(hub_process.pid) + users.pids()
                addresses = listening_addresses([hub_process.pid, git_server.pid, *tree])
                assert addresses, "found no listening socket of the hub"
                assert all(a in ("127.0.0.1", "::1") or a.startswith("127.") for a, _ in addresses), addresses
            except BaseException:
                for number, context in enumerate(browser.contexts):
                    for index, open_page in enumerate(context.pages):
                        shot(open_page, screens, f"failure-{number}-{index}")
                raise
            finally:
                browser.close()

        assert grades == {s1: (POINTS, POINTS), names["student2"]: (WRONG_SCORE, POINTS)}, grades
        timings["done"] = time.monotonic() - started
        print("classroom loop timings (s from the start): "
              + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
        print(f"scores: student 1 {grades[s1][0]:g}/{grades[s1][1]:g}, "
              f"student 2 {grades[names['student2']][0]:g}/{grades[names['student2']][1]:g}")
    finally:
        if git_server is not None:
            git_server.terminate()
            git_server.wait(timeout=30)
        if hub_process is not None:
            stop_hub(hub_process, set(tree) | set(descendants(hub_process.pid)), base)
        users.remove()
        shutil.rmtree(base, ignore_errors=True)
        give_back(screens)


def stop_hub(process, tree, base):
    """Stop JupyterHub (it stops the proxy and every user's server), then anything of it left.

    `tree` holds the processes seen below the hub; only those still running
    from the test's own folder `base` are signalled (never a reused pid).
    """
    if process.poll() is None:
        _signal(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = [pid for pid in tree if str(base) in _cmdline(pid)]
        if process.poll() is None:
            alive.append(process.pid)
        for pid in alive:
            _signal(pid, sig)
        if alive:
            time.sleep(1)
    if process.poll() is None:
        process.wait(timeout=10)


# --- the configuration, as documented (these run everywhere, no root needed) ------

GUIDE = ROOT / "assignments" / "README.md"
Z2JH = CLASSROOM / "zero-to-jupyterhub"


def load_config(path, **environ):
    """A traitlets configuration file, read the way JupyterHub and nbgrader read it."""
    from traitlets.config.loader import PyFileConfigLoader

    saved = {k: os.environ.get(k) for k in environ}
    os.environ.update(environ)
    try:
        for key in [k for k in os.environ if k.startswith("COURSE_") and k not in environ]:
            saved[key] = os.environ.pop(key)
        return PyFileConfigLoader(Path(path).name, path=str(Path(path).parent)).load_config()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_the_documented_local_setup_is_the_one_the_test_runs():
    lines = guide_block("local-setup")
    exchange = load_config(CLASSROOM / "nbgrader_config.py").Exchange.root
    expected = [
        f"uv venv --python {SYSTEM_PYTHON} /srv/dendrogram-course/env",
        "uv pip install --compile-bytecode --python /srv/dendrogram-course/env/bin/python "
        '-e "/srv/dendrogram-course/edition[course]" -r classroom/requirements.txt',
        *(f"install -D -m 644 {source} /srv/dendrogram-course/env/{target}" for source, target in ENV_FILES.items()),
        *(f"install -D -m 644 /srv/dendrogram-course/edition/{source} /srv/dendrogram-course/env/{target}"
          for source, target in EDITION_FILES.items()),
        f"cp -r classroom/students-jupyter /srv/dendrogram-course/env/{STUDENTS_CONFIG}",
        f"install -d -m 1777 {exchange}",
        "COURSE_HUB_USERS=ann,bob COURSE_HUB_INSTRUCTORS=teacher /srv/dendrogram-course/env/bin/jupyterhub "
        "-f classroom/jupyterhub_config.py",
        "cp -r assignments/nbgrader_config.py assignments/late_policy.py assignments/source ~/dendrogram-course/",
    ]
    for line in expected:
        assert line in lines, f"the guide's local set-up lacks: {line}"
    # and the test runs those very files and commands
    source = Path(__file__).read_text()
    assert '"classroom" / "jupyterhub_config.py"' in source and '"classroom" / "requirements.txt"' in source
    assert 'shutil.copytree(course / "classroom" / "students-jupyter", env / STUDENTS_CONFIG)' in source
    assert "shutil.copy(edition / source, env / target)" in source
    assert "0o1777" in source


def test_the_students_settings_hide_the_instructor_tools_from_every_user_but_the_admins():
    import json
    import types

    folder = CLASSROOM / "students-jupyter"
    server = json.loads((folder / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    lab = json.loads((folder / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert server == dict.fromkeys(SERVER_TOOLS, False) and lab == dict.fromkeys(LAB_TOOLS, True)
    config = load_config(CLASSROOM / "jupyterhub_config.py", COURSE_HUB_USERS="ann", COURSE_HUB_INSTRUCTORS="teacher")
    assert config.Authenticator.admin_users == {"teacher"} and config.Authenticator.allowed_users == {"ann", "teacher"}
    hook = config.Spawner.pre_spawn_hook
    for admin, expected in ((False, {"JUPYTER_CONFIG_PATH"}), (True, set())):
        spawner = types.SimpleNamespace(user=types.SimpleNamespace(admin=admin), environment={"PATH": "/bin"})
        hook(spawner)
        assert set(spawner.environment) - {"PATH"} == expected
        if expected:
            assert spawner.environment["JUPYTER_CONFIG_PATH"].endswith(STUDENTS_CONFIG)


def test_the_documented_release_of_the_solutions_is_the_one_the_test_runs():
    lines = guide_block("release-solution")
    assert lines[0] == "nbgrader generate_solution a2_choosing_a_cutoff --force"
    assert lines[-1] == "nbgrader release_assignment a2_choosing_a_cutoff-solution"
    assert 'guide_block("release-solution")' in Path(__file__).read_text()


def test_the_course_has_one_name_everywhere():
    names = {load_config(ROOT / "assignments" / "nbgrader_config.py").CourseDirectory.course_id,
             load_config(CLASSROOM / "nbgrader_config.py").CourseDirectory.course_id, COURSE_ID}
    assert names == {"dendrogram-course"}


def test_the_hub_listens_on_loopback_with_the_pypi_proxy():
    config = load_config(CLASSROOM / "jupyterhub_config.py", COURSE_HUB_USERS="teacher,ann")
    assert config.JupyterHub.ip == config.JupyterHub.hub_ip == config.Spawner.ip == "127.0.0.1"
    assert config.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert Path(config.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"
    # Longer than nbgrader's Validate takes on a busy server (the proxy's own default is 20 s).
    assert config.ConfigurableHTTPProxy.command[1:] == ["--timeout=300000", "--proxy-timeout=300000"]
    assert config.JupyterHub.authenticator_class == "pam"  # a real class: Unix passwords
    assert config.Authenticator.allowed_users == {"teacher", "ann"}
    assert "COURSE_EXCHANGE" in config.Spawner.env_keep and "PYTHONPATH" not in config.Spawner.env_keep
    assert config.Spawner.start_timeout == 120
    demo = load_config(CLASSROOM / "jupyterhub_config.py", COURSE_HUB_PASSWORD="a-long-shared-secret",
                       COURSE_HUB_ADMIN_PASSWORD="another-one-for-the-instructors-alone",
                       COURSE_HUB_START_TIMEOUT="600")
    assert demo.SharedPasswordAuthenticator.admin_password == "another-one-for-the-instructors-alone"
    assert demo.JupyterHub.authenticator_class == "shared-password"
    assert demo.Spawner.start_timeout == demo.Spawner.http_timeout == 600


def test_the_hub_needs_what_it_runs():
    from packaging.requirements import Requirement
    from packaging.version import Version

    lines = [line for line in (CLASSROOM / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    requirements = {Requirement(line).name: Requirement(line) for line in lines}
    assert set(requirements) == {"jupyterhub", "configurable-http-proxy", "nbgrader", "nbgitpuller"}
    # JupyterHub's shared-password login, which the configuration offers, exists from 5.3 on.
    assert not requirements["jupyterhub"].specifier.contains(Version("5.2.99"))
    assert requirements["jupyterhub"].specifier.contains(Version("5.3"))


def test_the_lab_settings_silence_the_news():
    import json

    settings = json.loads((CLASSROOM / "overrides.json").read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_the_littlest_jupyterhub_setup():
    import yaml

    script = (CLASSROOM / "tljh" / "setup.sh").read_text()
    assert subprocess.run(["bash", "-n", str(CLASSROOM / "tljh" / "setup.sh")]).returncode == 0
    for source, target in ENV_FILES.items():
        assert f'"$HERE/{Path(source).name}" "$USER_ENV/{target}"' in script, target
    assert f"install -d -m 1777 {load_config(CLASSROOM / 'nbgrader_config.py').Exchange.root}" in script
    assert '-e "$EDITION[course]"' in script and '"nbgrader>=0.9.6"' in script and '"nbgitpuller>=1.2"' in script
    assert f'"$HERE/students-jupyter" "$USER_ENV/{STUDENTS_CONFIG}"' in script
    joined = " ".join(script.replace("\\\n", " ").split())  # continued lines joined
    for source, target in EDITION_FILES.items():
        assert f'install -D -m 644 "$EDITION/{source}" "$USER_ENV/{target}"' in joined, target
    assert '"$HERE/tljh/students.py" /opt/tljh/config/jupyterhub_config.d/' in script
    config = yaml.safe_load((CLASSROOM / "tljh" / "tljh-config.yaml").read_text())
    assert config["user_environment"]["default_app"] == "jupyterlab"
    assert "tljh-config set user_environment.default_app jupyterlab" in script
    # A real sign-in, set by the script itself: never TLJH's first-use default, nor a dummy.
    assert config["auth"]["type"] == "nativeauthenticator.NativeAuthenticator"
    assert f"tljh-config set auth.type {config['auth']['type']}" in script
    assert config["users"]["admin"]


def z2jh_values():
    """config.yaml merged into the chart's defaults, as helm merges values before it checks them."""
    import yaml

    def merge(defaults, override):
        if isinstance(defaults, dict) and isinstance(override, dict):
            return {k: merge(defaults.get(k), override[k]) if k in override else defaults[k]
                    for k in defaults.keys() | override.keys()}
        return override

    defaults = yaml.safe_load((Z2JH / "chart" / "values.yaml").read_text())
    return merge(defaults, yaml.safe_load((Z2JH / "config.yaml").read_text()))


def test_the_zero_to_jupyterhub_values_pass_the_charts_schema():
    import json

    import jsonschema

    schema = json.loads((Z2JH / "chart" / "values.schema.json").read_text())
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(z2jh_values()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors)
    # The schema refuses an unknown key: a misspelt one cannot slip through.
    broken = z2jh_values()
    broken["singleuser"]["defaultURL"] = "/lab"
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_the_zero_to_jupyterhub_files():
    import yaml

    values = yaml.safe_load((Z2JH / "config.yaml").read_text())
    claim = yaml.safe_load((Z2JH / "exchange.yaml").read_text())
    exchange = load_config(CLASSROOM / "nbgrader_config.py").Exchange.root
    assert claim["kind"] == "PersistentVolumeClaim" and claim["spec"]["accessModes"] == ["ReadWriteMany"]
    single = values["singleuser"]
    volume = next(v for v in single["storage"]["extraVolumes"]
                  if v["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"])
    mount = next(m for m in single["storage"]["extraVolumeMounts"] if m["name"] == volume["name"])
    assert mount["mountPath"] == exchange == single["extraEnv"]["COURSE_EXCHANGE"]
    assert single["defaultUrl"] == "/lab"
    # The exchange's root gets the local hub's mode, 1777.
    init = single["initContainers"][0]
    assert f"chmod 1777 {exchange}" in " ".join(init["command"]) and init["volumeMounts"][0]["mountPath"] == exchange
    # A real sign-in, never the chart's default (which lets anyone in with any password).
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] not in ("dummy", "null", None)
    assert "admin_access" not in hub["JupyterHub"]  # deprecated since JupyterHub 2
    assert hub["Authenticator"]["allowed_users"] and hub["Authenticator"]["admin_users"]
    # Each user's pod runs as a Unix user of its own, so that nbgrader's exchange keeps them apart.
    extra = values["hub"]["extraConfig"]["per-user-uid"]
    spawner = type("Spawner", (), {"user": type("User", (), {"id": 7})()})()
    space = {"c": type("Config", (), {"KubeSpawner": type("KubeSpawner", (), {})()})()}
    exec(extra, space)  # noqa: S102 (our own configuration)
    uid = space["c"].KubeSpawner.uid
    assert uid(spawner) == 20007 and space["c"].KubeSpawner.gid == 100 == single["fsGid"]
    dockerfile = (Z2JH / "Dockerfile").read_text()
    for source, target in ENV_FILES.items():
        assert f"COPY {source} /opt/conda/{target}" in dockerfile, target
    # The image clones the published edition: it needs no folder that nothing creates, and never
    # copies the instructors' repository (only classroom/ is copied in).
    assert 'git clone --depth 1 --branch "$EDITION_BRANCH" "$EDITION_REPO" /opt/dendrogram-course' in dockerfile
    assert sorted(re.findall(r"^COPY (\S+)", dockerfile, re.M)) == sorted([*ENV_FILES, "classroom/students-jupyter"])
    assert '-e "/opt/dendrogram-course[course]"' in dockerfile
    joined = " ".join(dockerfile.replace("\\\n", " ").split())  # continued lines joined
    for source, target in EDITION_FILES.items():
        assert f"install -D -m 644 /opt/dendrogram-course/{source} /opt/conda/{target}" in joined, target
    assert f"COPY classroom/students-jupyter /opt/conda/{STUDENTS_CONFIG}" in dockerfile
    assert f'"/opt/conda/{STUDENTS_CONFIG}"' in values["hub"]["extraConfig"]["students-settings"]


def test_the_workflow_keeps_the_screenshots_and_runs_the_hub_loop_once():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text())
    jobs = workflow["jobs"]
    uploads = [step for job in jobs.values() for step in job["steps"]
               if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and all(step["with"]["path"] == "test-artifacts/" and step.get("if") == "always()"
                           for step in uploads)
    runs = []
    for name, job in jobs.items():
        matrix = job.get("strategy", {}).get("matrix", {}).get("python-version", [None])
        for version in matrix:
            env = {k: str(v) for step in job["steps"] for k, v in (step.get("env") or {}).items()}
            skip = env.get(SKIP, "")
            if "${{" in skip:
                skip = "" if version == "3.13" else "1"
            runs.append((name, version, skip))
    assert [run for run in runs if not run[2]] == [("test", "3.13", "")], runs
