#!/usr/bin/env bash
# The course on The Littlest JupyterHub (TLJH), one server for a class of up to
# a few dozen learners. Run as root on a server where TLJH is installed
# (https://tljh.jupyter.org: its installer creates the hub, HTTPS and the users'
# environment in /opt/tljh/user), from a clone of the course's instructors'
# repository, once per term:
#
#     sudo bash classroom/tljh/setup.sh https://github.com/OWNER/dendrogram-course-student
#
# The argument is the published student edition (assignments/README.md says
# how to publish it); the hub installs it, never the instructors' repository.
set -euo pipefail
EDITION_REPO="${1:?give the git URL of the student edition}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"       # the classroom/ folder
USER_ENV=/opt/tljh/user                         # TLJH's environment for every user
EDITION=/srv/dendrogram-course/edition          # root's copy of the edition, readable by all

# 1. The course's packages for every learner: the edition, and what the hub
#    needs on top (nbgrader, nbgitpuller, at the versions of requirements.txt;
#    TLJH brings JupyterHub itself).
if [ -d "$EDITION/.git" ]; then
    git -C "$EDITION" pull --ff-only
else
    git clone --depth 1 "$EDITION_REPO" "$EDITION"
fi
"$USER_ENV/bin/pip" install --quiet -e "$EDITION[course]" "nbgrader>=0.9.6" "nbgitpuller>=1.2"
# The learner's working copy (the nbgitpuller link ends on its /course/open/
# page): an editable install does not enable its server extension by itself.
install -D -m 644 "$EDITION/jupyter-config/dendrogram-course.json" \
    "$USER_ENV/etc/jupyter/jupyter_server_config.d/dendrogram-course.json"

# 2. Settings every user's server reads: nbgrader's exchange and course name,
#    and JupyterLab without its news pop-up.
install -D -m 644 "$HERE/nbgrader_config.py" "$USER_ENV/etc/jupyter/nbgrader_config.py"
install -D -m 644 "$HERE/overrides.json" "$USER_ENV/share/jupyter/lab/settings/overrides.json"

# 3. The instructor's tools (Formgrader, Course List, Create Assignment) hidden
#    from every user but the hub's admins: the students' settings, which the
#    hub puts first on their Jupyter path.
rm -rf "$USER_ENV/etc/jupyter-students"
cp -r "$HERE/students-jupyter" "$USER_ENV/etc/jupyter-students"
install -D -m 644 "$HERE/tljh/students.py" /opt/tljh/config/jupyterhub_config.d/dendrogram-course-students.py

# 4. nbgrader's exchange: one folder every user can write to, only its owner
#    remove from. TLJH's users are Unix users (jupyter-<name>), so nbgrader's
#    permissions keep each student's submissions from the others.
install -d -m 1777 /srv/nbgrader/exchange

# 5. The hub: a real sign-in (learners sign up, the admin approves them; never
#    TLJH's first-use default for a class) and JupyterLab by default.
tljh-config set auth.type nativeauthenticator.NativeAuthenticator
tljh-config set user_environment.default_app jupyterlab
tljh-config reload
