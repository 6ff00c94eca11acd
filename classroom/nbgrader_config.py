"""nbgrader's settings for everyone on a hub: where the exchange is, and the course's name.

Put this file in the hub's environment, as <env>/etc/jupyter/nbgrader_config.py
(TLJH: /opt/tljh/user/etc/jupyter/nbgrader_config.py), so that every user's
server and every nbgrader command run from that environment reads it. The
course's own settings (cell stubs, time limits) stay in
assignments/nbgrader_config.py, in the instructor's course folder.
"""

import os

c = get_config()  # noqa: F821 (nbgrader provides it)

# Must equal CourseDirectory.course_id in assignments/nbgrader_config.py
# (tests/test_classroom.py checks it).
c.CourseDirectory.course_id = "dendrogram-course"
# One folder every user can write to (mode 1777: anyone may create, only the
# owner may remove): students' fetch and submit, the instructor's release and
# collect all go through it. nbgrader keeps students apart by Unix
# permissions inside it (a student can neither list the submissions nor write
# into another's), so every user must run as a Unix user of their own: true on
# one machine and on The Littlest JupyterHub; on Kubernetes, the course's
# config.yaml gives each user's pod its own uid on a shared volume.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
