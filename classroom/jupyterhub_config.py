"""JupyterHub for a class on one machine: the course's local set-up.

assignments/README.md (the instructor's guide) shows how to build the hub's
environment and start it; tests/test_classroom.py starts the hub with this
very file and runs the whole nbgrader loop through it. Start it as root, from
the hub's environment (it starts each user's server as that Unix user):

    sudo /srv/dendrogram-course/env/bin/jupyterhub -f classroom/jupyterhub_config.py

Everything it needs comes from the environment it runs in (``sys.prefix``)
and from these variables:

COURSE_HUB_USERS
    The Unix users who may log in, separated by commas (instructors and
    students alike; nbgrader tells them apart by who owns the course folder).
COURSE_HUB_INSTRUCTORS
    Those of them who teach, separated by commas: the hub's admins, and the
    only users whose JupyterLab shows nbgrader's Formgrader, Course List and
    Create Assignment.
COURSE_HUB_PASSWORD, COURSE_HUB_ADMIN_PASSWORD
    If set, one password shared by every student, and another (of 32
    characters or more) shared by the instructors (JupyterHub's
    ``shared-password`` authenticator, which keeps the two apart): for a
    demonstration or a test, never for a real class. If unset, users log in
    with their Unix passwords (PAM).
COURSE_HUB_IP, COURSE_HUB_PORT
    Where the hub listens: 127.0.0.1 and 8000 unless set. Serve a real class
    from a machine of its own, behind HTTPS (The Littlest JupyterHub does
    both; see the guide) rather than opening this port to the network.
COURSE_HUB_PROXY_API_PORT, COURSE_HUB_INTERNAL_PORT
    The proxy's API and the hub's own port, both on 127.0.0.1 (default 8001
    and 8081).
COURSE_HUB_STATE
    The folder for the hub's database, cookie secret and pid file (default
    /srv/dendrogram-course/state; create it, owned by root, mode 700).
COURSE_EXCHANGE
    nbgrader's exchange folder, passed on to every user's server (read by
    classroom/nbgrader_config.py; default /srv/nbgrader/exchange).
COURSE_HUB_START_TIMEOUT
    How many seconds a user's server may take to start (default 120); the
    classroom test raises it, since it watches for failures itself on a
    machine whose load it cannot know.
COURSE_HUB_PROXY_TIMEOUT
    How many seconds the proxy waits for a user's server to answer one
    request (default 300). The proxy's own default, 20 s, is shorter than
    nbgrader's Validate button takes to run an assignment on a busy server:
    the learner would see a 503 error instead of the result.

Students do not see the instructor's tools: every user who is not an admin
starts with JUPYTER_CONFIG_PATH set to <env>/etc/jupyter-students (the files
of classroom/students-jupyter/), whose settings come before all others and
turn nbgrader's Formgrader, Course List and Create Assignment off. (Turning
them off for the environment and back on in the instructor's own ~/.jupyter
does not work: in a virtual environment Jupyter reads the environment's
settings before the user's.)
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

ENV = Path(sys.prefix)  # the hub's environment: JupyterHub, the course, nbgrader
STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/dendrogram-course/state"))
LOOPBACK = "127.0.0.1"

# Where the hub listens, and its two internal ports, on the loopback interface.
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", LOOPBACK)
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = LOOPBACK
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_INTERNAL_PORT", "8081"))

# The proxy: the configurable-http-proxy package from PyPI (a Python port of
# the reference proxy, which needs Node.js), from this same environment.
PROXY_TIMEOUT_MS = 1000 * int(os.environ.get("COURSE_HUB_PROXY_TIMEOUT", "300"))
c.ConfigurableHTTPProxy.command = [str(ENV / "bin" / "configurable-http-proxy"),
                                   f"--timeout={PROXY_TIMEOUT_MS}", f"--proxy-timeout={PROXY_TIMEOUT_MS}"]
c.ConfigurableHTTPProxy.api_url = f"http://{LOOPBACK}:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"

# The hub's own files.
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Stop every user's server when the hub stops: nothing is left running.
c.JupyterHub.cleanup_servers = True

# Who may log in, and how.
users = {name.strip() for name in os.environ.get("COURSE_HUB_USERS", "").split(",") if name.strip()}
instructors = {name.strip() for name in os.environ.get("COURSE_HUB_INSTRUCTORS", "").split(",") if name.strip()}
c.Authenticator.allowed_users = users | instructors
c.Authenticator.admin_users = instructors
if os.environ.get("COURSE_HUB_PASSWORD"):
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["COURSE_HUB_PASSWORD"]
    if os.environ.get("COURSE_HUB_ADMIN_PASSWORD"):
        c.SharedPasswordAuthenticator.admin_password = os.environ["COURSE_HUB_ADMIN_PASSWORD"]
else:
    c.JupyterHub.authenticator_class = "pam"

# Each user's server: JupyterLab from this environment, as that Unix user,
# on the loopback interface, with this environment first on its PATH (so its
# kernel, nbgrader and nbgrader's `alembic` are the ones found).
c.Spawner.cmd = [str(ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.ip = LOOPBACK
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": os.pathsep.join([str(ENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])}
# From the hub's own environment, only these reach a user's server (not root's
# PYTHONPATH or VIRTUAL_ENV).
c.Spawner.env_keep = ["LANG", "LC_ALL", "JUPYTERHUB_SINGLEUSER_APP", "COURSE_EXCHANGE"]
# Students do not see the instructor's tools (see the top of this file).
STUDENTS_CONFIG = ENV / "etc" / "jupyter-students"


def hide_instructor_tools(spawner):
    """Every user but the hub's admins starts with the students' settings first on Jupyter's path."""
    if not spawner.user.admin:
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": str(STUDENTS_CONFIG)}


c.Spawner.pre_spawn_hook = hide_instructor_tools

# A first start installs nothing, but a slow shared machine may take a while.
c.Spawner.start_timeout = int(os.environ.get("COURSE_HUB_START_TIMEOUT", "120"))
c.Spawner.http_timeout = c.Spawner.start_timeout
