"""The classroom loop on a real JupyterHub, end to end, as a class would live it.

One test does what an instructor and two students do, on this machine:

1. it builds the hub's environment the way the instructor's guide says
   (assignments/README.md, "A class on one machine"): uv makes it from the
   system's /usr/bin/python3 (readable by every user, unlike an interpreter
   under /root), with JupyterHub, the `configurable-http-proxy` package from
   PyPI, nbgrader, nbgitpuller and the course; classroom/nbgrader_config.py
   and classroom/overrides.json go into it;
2. it creates three Unix users (an instructor and two students) and starts
   JupyterHub with classroom/jupyterhub_config.py, everything on 127.0.0.1;
3. the instructor generates and releases Assignment 1 (nbgrader's command
   line, run as that user with a clean environment);
4. student 1, in headless Chromium, logs in, follows the nbgitpuller link to
   the student edition (published as a git repository), opens the Assignment
   List, fetches the assignment, types correct answers into it, validates
   and submits; student 2 fetches and submits wrong answers from the command
   line;
5. the instructor collects, autogrades, generates and releases feedback,
   and looks at the results in the Formgrader, opened as its own page;
6. student 1 fetches the feedback and sees the full score; the exported
   grades show full marks for student 1 and partial marks for student 2.

Screenshots go to test-artifacts/classroom-*.png. Whatever happens, the test
stops every process it started and removes its users and files.

It needs root (it creates users and starts servers as them). Elsewhere it
skips and says how to run it; under CI (`CI` set) it must run: as root it
runs directly, and where sudo works without a password (GitHub's runners) it
runs itself again under sudo.
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
from tools.course import ROOT

CLASSROOM = ROOT / "classroom"
ARTIFACTS = ROOT / "test-artifacts"
ASSIGNMENT = "a1_linkage_matrix"
COURSE_ID = "dendrogram-course"
#: The interpreter the hub's environment is made from: it must be readable by every user.
SYSTEM_PYTHON = os.environ.get("COURSE_HUB_PYTHON", "/usr/bin/python3")
PATIENCE_S = int(os.environ.get("COURSE_CLASSROOM_PATIENCE", "300"))  # only reached when something hangs
INNER = "COURSE_CLASSROOM_TEST_AS_ROOT"
HOW_TO_RUN = ("it needs root, since it creates Unix users and runs a JupyterHub: run "
              "`sudo -E env PATH=\"$PATH\" .venv/bin/python -m pytest tests/test_classroom.py` "
              "(it removes its users and files when done); under CI it always runs")


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


def wait_until(condition, what, process=None, log=None):
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"JupyterHub exited ({process.returncode}) while waiting for {what}:\n"
                        + Path(log).read_text()[-4000:])
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"gave up waiting for {what} after {PATIENCE_S} s")


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


def build_environment(base):
    """The hub's environment, as the guide builds it.

    The instructors' repository stays readable by root alone (it holds the
    solutions). What every user reads is the student edition (installed into
    the environment, and published as a git repository for nbgitpuller) and
    the environment itself, made by uv from the system's Python with the
    edition, classroom/requirements.txt and the two settings files.
    """
    course, edition, env = base / "course", base / "edition" / "dendrogram-course-student", base / "env"
    shutil.copytree(ROOT, course, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "_build", "build", "test-artifacts", "*.egg-info", "__pycache__",
        ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", "node_modules"))
    os.chmod(course, 0o700)
    subprocess.run([sys.executable, "-m", "tools.student_edition", "build", str(edition)],
                   cwd=ROOT, check=True, capture_output=True)
    uv_path = uv()
    subprocess.run([uv_path, "venv", "-q", "--python", SYSTEM_PYTHON, str(env)], check=True)
    subprocess.run([uv_path, "pip", "install", "-q", "--python", str(env / "bin" / "python"),
                    "-e", f"{edition}[course]", "-r", str(course / "classroom" / "requirements.txt")], check=True)
    for source, target in ENV_FILES.items():
        (env / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(course / source, env / target)
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


def lab_ready(page):
    page.locator("#jp-main-dock-panel").wait_for()
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$")).wait_for()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"classroom-{name}.png"))


def open_assignment_list(page):
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Assignment List$")).click()
    panel = page.locator("#nbgrader-assignment-list")
    panel.wait_for()
    return panel


def answer_cells(nb):
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def type_answer(page, code):
    """Replace the first unanswered cell's code with `code`, as a student would by typing or pasting."""
    cell = page.locator(".jp-CodeCell", has_text="raise NotImplementedError()").first
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    # insert_text is a paste: no auto-indentation of the lines typed.
    page.keyboard.insert_text(code)
    page.keyboard.press("Escape")


# --- the test -------------------------------------------------------------------

def run_as_root_under_sudo():
    """Under CI without root: run this test again under sudo, where sudo needs no password."""
    if shutil.which("sudo") is None or subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode:
        pytest.fail(f"the classroom test must run under CI, but {HOW_TO_RUN.split(': run')[0]} "
                    "and passwordless sudo is not available")
    keep = {k: os.environ[k] for k in ("CI", "CHROMIUM", "HOME") if k in os.environ}
    command = ["sudo", "-n", "env", f"PATH={os.environ.get('PATH', '')}", f"{INNER}=1",
               f"COURSE_ARTIFACTS_OWNER={os.getuid()}:{os.getgid()}",
               *(f"{k}={v}" for k, v in keep.items()),
               sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x",
               f"{Path(__file__).resolve()}::test_the_nbgrader_loop_on_a_real_jupyterhub"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    print(result.stdout[-6000:])
    assert result.returncode == 0 and re.search(r"\b1 passed\b", result.stdout), \
        f"the classroom test failed under sudo:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"


def test_the_nbgrader_loop_on_a_real_jupyterhub():
    if os.geteuid() != 0:
        if os.environ.get("CI") and not os.environ.get(INNER):
            run_as_root_under_sudo()
            return
        pytest.skip(f"classroom test skipped: {HOW_TO_RUN}")
    if CHROMIUM is None:
        unavailable("no chromium on PATH")
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"{SYSTEM_PYTHON} is missing: set COURSE_HUB_PYTHON to a Python 3.11+ that every user can read")
    try:
        run_the_loop()
    finally:
        owner = os.environ.get("COURSE_ARTIFACTS_OWNER")
        if owner and ARTIFACTS.exists():
            uid, gid = map(int, owner.split(":"))
            for path in [ARTIFACTS, *ARTIFACTS.glob("classroom-*")]:
                os.chown(path, uid, gid)


def run_the_loop():
    from playwright.sync_api import sync_playwright

    from tools.assignments import fill_answers, read_answers

    started = time.monotonic()
    for old in ARTIFACTS.glob("classroom-*.png"):
        old.unlink()  # so that every screenshot there is from this run
    base = Path(tempfile.mkdtemp(prefix="course-hub-", dir="/tmp"))
    os.chmod(base, 0o755)
    suffix = secrets.token_hex(3)
    names = {"instructor": f"dcteach{suffix}", "student1": f"dcstua{suffix}", "student2": f"dcstub{suffix}"}
    (base / "home").mkdir(mode=0o755)
    exchange = base / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)
    state = base / "state"
    state.mkdir(mode=0o700)
    users = Users(base / "home")
    hub_process, git_server, tree, timings = None, None, [], {}
    try:
        # 1. The hub's environment, and the student edition as a git repository.
        course, edition, env = build_environment(base)
        as_user.path = os.pathsep.join([str(env / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
        bare = publish_edition(base, edition)
        timings["environment"] = time.monotonic() - started

        # 2. The users, and the instructor's course folder (the guide's commands).
        people = {role: users.add(name) for role, name in names.items()}
        teacher = people["instructor"]
        course_dir = Path(teacher.pw_dir) / COURSE_ID
        course_dir.mkdir()
        shutil.copy(course / "assignments" / "nbgrader_config.py", course_dir / "nbgrader_config.py")
        shutil.copytree(course / "assignments" / "source", course_dir / "source")
        jupyter_config = Path(teacher.pw_dir) / ".jupyter"
        jupyter_config.mkdir()
        (jupyter_config / "nbgrader_config.py").write_text(
            f"c = get_config()  # noqa: F821\nc.CourseDirectory.root = {str(course_dir)!r}\n")
        subprocess.run(["chown", "-R", f"{teacher.pw_uid}:{teacher.pw_gid}", str(course_dir), str(jupyter_config)],
                       check=True)
        nb_env = {"COURSE_EXCHANGE": str(exchange)}
        subprocess.run(["chown", "-R", f"{teacher.pw_uid}:{teacher.pw_gid}", str(bare)], check=True)
        git_port = free_port()
        git_server = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={bare.parent}",
             "--listen=127.0.0.1", f"--port={git_port}", str(bare.parent)],
            env={"PATH": as_user.path, "HOME": teacher.pw_dir}, user=teacher.pw_uid, group=teacher.pw_gid,
            extra_groups=[], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            start_new_session=True)

        # 3. The instructor generates and releases the assignment.
        as_user(teacher, ["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], course_dir, nb_env)
        as_user(teacher, ["nbgrader", "release_assignment", ASSIGNMENT], course_dir, nb_env)

        # 4. The hub, with the configuration the guide documents.
        password = secrets.token_urlsafe(12)
        port = free_port()
        hub_env = {
            "PATH": as_user.path, "LANG": "C.UTF-8", "HOME": str(state),
            "COURSE_HUB_USERS": ",".join(names.values()), "COURSE_HUB_PASSWORD": password,
            "COURSE_HUB_PORT": str(port), "COURSE_HUB_PROXY_API_PORT": str(free_port()),
            "COURSE_HUB_INTERNAL_PORT": str(free_port()), "COURSE_HUB_STATE": str(state),
            "COURSE_EXCHANGE": str(exchange),
        }
        log = base / "jupyterhub.log"
        with open(log, "wb") as output:
            hub_process = subprocess.Popen(
                [str(env / "bin" / "jupyterhub"), "-f", str(course / "classroom" / "jupyterhub_config.py")],
                cwd=state, env=hub_env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        hub = f"http://127.0.0.1:{port}"
        wait_until(lambda: responds(f"{hub}/hub/health"), "JupyterHub to answer", hub_process, log)
        timings["hub up"] = time.monotonic() - started

        # No student can read a solution: not the instructors' repository, not the course folder.
        for secret in (course / "assignments" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                       course_dir / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"):
            peek = as_user(people["student1"], ["cat", str(secret)], base, check=False)
            assert peek.returncode != 0 and "BEGIN SOLUTION" not in peek.stdout, secret

        answers = read_answers(ROOT / "tests" / "fixtures" / "assignments" / f"{ASSIGNMENT}.py")
        release = course / "assignments" / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        order = answer_cells(nbformat.read(str(release), as_version=4))

        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                # 5. Student 1: the edition through an nbgitpuller link, then the assignment.
                s1 = names["student1"]
                student = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = log_in(student, hub, s1, password)
                lab_ready(page)
                link = subprocess.run(
                    [sys.executable, "-m", "tools.student_edition", "link",
                     "--hub", hub, "--repo", f"git://127.0.0.1:{git_port}/{bare.name}"],
                    cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
                page.goto(link)
                page.locator(".jp-Notebook .jp-RenderedMarkdown h1", has_text="Welcome").first.wait_for()
                assert (Path(people["student1"].pw_dir) / "dendrogram-course-student" / "notebooks"
                        / "00_welcome.ipynb").exists()
                shot(page, "1-student-edition-by-nbgitpuller")

                panel = open_assignment_list(page)
                released = panel.locator("#released_assignments_list")
                released.get_by_text(ASSIGNMENT).first.wait_for()
                shot(page, "2-assignment-list-released")
                released.locator("button", has_text="Fetch").click()
                fetched = panel.locator("#fetched_assignments_list")
                fetched.get_by_text(ASSIGNMENT).first.wait_for()
                fetched.locator("a", has_text=ASSIGNMENT).first.click()  # show its notebooks
                fetched.locator("a", has_text=re.compile(rf"^{ASSIGNMENT}$")).last.click()  # open the notebook
                page.locator(".jp-Notebook .jp-CodeCell", has_text="raise NotImplementedError()").first.wait_for()
                for grade_id in order:
                    type_answer(page, answers[grade_id]["correct"][0].code)
                page.keyboard.press("Control+s")
                notebook_file = Path(people["student1"].pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
                typed = {g: answers[g]["correct"][0].code for g in order}

                def saved():
                    cells = nbformat.read(str(notebook_file), as_version=4).cells
                    return {c.metadata.get("nbgrader", {}).get("grade_id"): c.source.strip()
                            for c in cells if c.metadata.get("nbgrader", {}).get("solution")} == typed

                wait_until(saved, "the typed answers to be saved as typed")
                shot(page, "3-answers-typed")

                page.locator(".lm-TabBar-tab", has_text="Assignments").click()
                fetched.locator("button", has_text="Validate").first.click()
                dialog = page.locator(".jp-Dialog")
                dialog.get_by_text("Success! Your notebook passes all the tests.").wait_for()
                shot(page, "4-validated")
                dialog.locator("button").last.click()
                fetched.locator("button", has_text=re.compile(r"^Submit$")).click()
                submitted = panel.locator("#submitted_assignments_list")
                submitted.get_by_text(ASSIGNMENT).first.wait_for()
                shot(page, "5-submitted")
                timings["student 1 submitted"] = time.monotonic() - started

                # 6. Student 2 submits wrong answers, from the command line.
                pupil = people["student2"]
                home2 = Path(pupil.pw_dir)
                as_user(pupil, ["nbgrader", "fetch_assignment", ASSIGNMENT, "--course", COURSE_ID], home2, nb_env)
                mine = home2 / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
                wrong = fill_answers(mine, {g: answers[g]["wrong"][0].code for g in order})
                nbformat.write(wrong, str(mine))
                os.chown(mine, pupil.pw_uid, pupil.pw_gid)
                as_user(pupil, ["nbgrader", "submit", ASSIGNMENT, "--course", COURSE_ID], home2, nb_env)

                # 7. The instructor collects, autogrades, gives feedback and exports the grades.
                for step in (["collect", ASSIGNMENT], ["autograde", ASSIGNMENT, "--create"],
                             ["generate_feedback", ASSIGNMENT], ["release_feedback", ASSIGNMENT],
                             ["export", "--to", "grades.csv"]):
                    as_user(teacher, ["nbgrader", *step], course_dir, nb_env)
                with open(course_dir / "grades.csv", newline="") as file:
                    grades = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                              for row in csv.DictReader(file) if row["assignment"] == ASSIGNMENT}
                timings["graded"] = time.monotonic() - started

                instructor = browser.new_context(viewport={"width": 1400, "height": 1000})
                page_i = log_in(instructor, hub, names["instructor"], password)
                lab_ready(page_i)
                page_i.goto(f"{hub}/user/{names['instructor']}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
                page_i.get_by_role("button", name="Show All Names").click()
                for name, score in ((s1, "12 / 12"), (names["student2"], "4 / 12")):
                    page_i.locator("tr", has_text=name).filter(has_text=score).first.wait_for()
                shot(page_i, "6-formgrader-submissions")

                # 8. Student 1 fetches the feedback and reads the score.
                page.locator(".lm-TabBar-tab", has_text="Assignments").click()
                panel.locator("button", has_text="Fetch Feedback").click()
                panel.get_by_text("(view feedback)").wait_for()
                feedback = sorted((Path(people["student1"].pw_dir) / ASSIGNMENT / "feedback").rglob("*.html"))
                assert feedback, "no feedback in the student's folder"
                relative = feedback[-1].relative_to(people["student1"].pw_dir)
                page.goto(f"{hub}/user/{s1}/files/{relative.as_posix()}")
                page.get_by_text(re.compile(r"Score:\s*12(\.0)?\s*/\s*12(\.0)?")).first.wait_for()
                assert "HIDDEN TESTS" not in page.content(), "the feedback shows the hidden tests"
                shot(page, "7-feedback-full-score")

                # Everything listened on the loopback interface only.
                tree = descendants(hub_process.pid) + users.pids()
                addresses = listening_addresses([hub_process.pid, git_server.pid, *tree])
                assert addresses, "found no listening socket of the hub"
                assert all(a in ("127.0.0.1", "::1") or a.startswith("127.") for a, _ in addresses), addresses
            except BaseException:
                for number, context in enumerate(browser.contexts):
                    for index, open_page in enumerate(context.pages):
                        shot(open_page, f"failure-{number}-{index}")
                raise
            finally:
                browser.close()

        assert grades == {s1: (12.0, 12.0), names["student2"]: (4.0, 12.0)}, grades
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


def local_setup():
    text = GUIDE.read_text()
    block = text[text.index("<!-- local-setup:start -->"):text.index("<!-- local-setup:end -->")]
    return [" ".join(line.split()) for line in block.replace("\\\n", " ").splitlines()]


def test_the_documented_local_setup_is_the_one_the_test_runs():
    lines = local_setup()
    exchange = load_config(CLASSROOM / "nbgrader_config.py").Exchange.root
    expected = [
        f"uv venv --python {SYSTEM_PYTHON} /srv/dendrogram-course/env",
        'uv pip install --python /srv/dendrogram-course/env/bin/python -e "/srv/dendrogram-course/edition[course]" '
        "-r classroom/requirements.txt",
        *(f"install -D -m 644 {source} /srv/dendrogram-course/env/{target}" for source, target in ENV_FILES.items()),
        f"install -d -m 777 {exchange}",
        "COURSE_HUB_USERS=teacher,ann,bob /srv/dendrogram-course/env/bin/jupyterhub -f classroom/jupyterhub_config.py",
        "cp -r assignments/nbgrader_config.py assignments/source ~/dendrogram-course/",
    ]
    for line in expected:
        assert line in lines, f"the guide's local set-up lacks: {line}"
    # and the test runs those very files
    source = Path(__file__).read_text()
    assert '"classroom" / "jupyterhub_config.py"' in source and '"classroom" / "requirements.txt"' in source


def test_the_course_has_one_name_everywhere():
    names = {load_config(ROOT / "assignments" / "nbgrader_config.py").CourseDirectory.course_id,
             load_config(CLASSROOM / "nbgrader_config.py").CourseDirectory.course_id, COURSE_ID}
    assert names == {"dendrogram-course"}


def test_the_hub_listens_on_loopback_with_the_pypi_proxy():
    config = load_config(CLASSROOM / "jupyterhub_config.py", COURSE_HUB_USERS="teacher,ann")
    assert config.JupyterHub.ip == config.JupyterHub.hub_ip == config.Spawner.ip == "127.0.0.1"
    assert config.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert Path(config.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"
    assert config.JupyterHub.authenticator_class == "pam"  # a real class: Unix passwords
    assert config.Authenticator.allowed_users == {"teacher", "ann"}
    assert "COURSE_EXCHANGE" in config.Spawner.env_keep and "PYTHONPATH" not in config.Spawner.env_keep
    demo = load_config(CLASSROOM / "jupyterhub_config.py", COURSE_HUB_PASSWORD="a-long-shared-secret")
    assert demo.JupyterHub.authenticator_class == "shared-password"


def test_the_hub_needs_what_it_runs():
    from packaging.requirements import Requirement

    lines = [line for line in (CLASSROOM / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert {Requirement(line).name for line in lines} == {"jupyterhub", "configurable-http-proxy", "nbgrader",
                                                          "nbgitpuller"}


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
    assert f"install -d -m 777 {load_config(CLASSROOM / 'nbgrader_config.py').Exchange.root}" in script
    assert '-e "$EDITION[course]"' in script and "nbgrader" in script and "nbgitpuller" in script
    config = yaml.safe_load((CLASSROOM / "tljh" / "tljh-config.yaml").read_text())
    assert config["user_environment"]["default_app"] == "jupyterlab"
    assert "tljh-config set user_environment.default_app jupyterlab" in script
    assert config["users"]["admin"]


def test_the_zero_to_jupyterhub_files():
    import yaml

    folder = CLASSROOM / "zero-to-jupyterhub"
    values = yaml.safe_load((folder / "config.yaml").read_text())
    claim = yaml.safe_load((folder / "exchange.yaml").read_text())
    exchange = load_config(CLASSROOM / "nbgrader_config.py").Exchange.root
    assert claim["kind"] == "PersistentVolumeClaim" and claim["spec"]["accessModes"] == ["ReadWriteMany"]
    storage = values["singleuser"]["storage"]
    volume = next(v for v in storage["extraVolumes"]
                  if v["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"])
    mount = next(m for m in storage["extraVolumeMounts"] if m["name"] == volume["name"])
    assert mount["mountPath"] == exchange
    assert values["singleuser"]["defaultUrl"] == "/lab"
    dockerfile = (folder / "Dockerfile").read_text()
    for source, target in ENV_FILES.items():
        assert f"COPY {source} /opt/conda/{target}" in dockerfile, target
    assert '-e "/opt/dendrogram-course[course]"' in dockerfile and "COPY --chown" in dockerfile
