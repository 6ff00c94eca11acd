"""nbgrader's settings for the course's assignments (this folder is the course root).

Run every nbgrader command from this folder, in the environment made by
``pip install -e ".[instructor]"``: see README.md here for the workflow.
"""

c = get_config()  # noqa: F821 (nbgrader provides it)

# One name for the course in nbgrader's exchange and gradebook.
c.CourseDirectory.course_id = "dendrogram-course"
# What a student finds in an answer cell: the one line they replace.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# The notebooks import SciPy and scikit-learn, and build a few linkages: a
# minute per cell is generous on a slow shared machine.
c.Execute.timeout = 60
