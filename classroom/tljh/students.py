"""The Littlest JupyterHub: hide nbgrader's instructor tools from every user but the hub's admins.

classroom/tljh/setup.sh installs this file as
/opt/tljh/config/jupyterhub_config.d/dendrogram-course-students.py; TLJH
loads it with its own configuration. Every user who is not an admin starts
with JUPYTER_CONFIG_PATH set to the students' settings (classroom/students-jupyter/),
which Jupyter reads before all others.
"""

c = get_config()  # noqa: F821 (JupyterHub provides it)


def hide_instructor_tools(spawner):
    if not spawner.user.admin:
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": "/opt/tljh/user/etc/jupyter-students"}


c.Spawner.pre_spawn_hook = hide_instructor_tools
