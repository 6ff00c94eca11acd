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
#    needs on top (nbgrader, nbgitpuller; TLJH brings JupyterHub itself).
if [ -d "$EDITION/.git" ]; then
    git -C "$EDITION" pull --ff-only
else
    git clone --depth 1 "$EDITION_REPO" "$EDITION"
fi
"$USER_ENV/bin/pip" install --quiet -e "$EDITION[course]" nbgrader nbgitpuller

# 2. Settings every user's server reads: nbgrader's exchange and course name,
#    and JupyterLab without its news pop-up.
install -D -m 644 "$HERE/nbgrader_config.py" "$USER_ENV/etc/jupyter/nbgrader_config.py"
install -D -m 644 "$HERE/overrides.json" "$USER_ENV/share/jupyter/lab/settings/overrides.json"

# 3. nbgrader's exchange: one folder every user can write to.
install -d -m 777 /srv/nbgrader/exchange

# 4. The hub: JupyterLab by default. Users log in with the authenticator you
#    chose when installing TLJH (see tljh-config.yaml beside this file).
tljh-config set user_environment.default_app jupyterlab
tljh-config reload
