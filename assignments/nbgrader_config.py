"""nbgrader's settings for the course's assignments (this folder is the course root).

Run every nbgrader command from this folder, in the environment made by
``pip install -e ".[instructor]"``: see README.md here for the workflow.
"""

import os
import sys

c = get_config()  # noqa: F821 (nbgrader provides it)

# One name for the course in nbgrader's exchange and gradebook.
c.CourseDirectory.course_id = "dendrogram-course"
# What a student finds in an answer cell: the one line they replace.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# The notebooks import SciPy and scikit-learn, and build a few linkages: a
# minute per cell is generous on a slow shared machine.
c.Execute.timeout = 60


# Feedback shows each test cell's score and error, never the hidden tests:
# nbgrader removes them from the feedback's cells, and the grading kernel
# prints errors without quoting the code around them (IPython's "Minimal"
# tracebacks: the error and its message). The assignments are used again
# next term, so their hidden tests stay hidden.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal"]


# Late submissions: a share of the earned score per started day late, up to a
# cap (late_policy.py, beside this file). Set each assignment's due date with
# `nbgrader db assignment add NAME --duedate="2026-10-05 17:00:00 Europe/Paris"`.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
c.AssignLatePenalties.plugin_class = "late_policy.PenaltyPerDay"
c.PenaltyPerDay.share_per_day = 0.1
c.PenaltyPerDay.largest_share = 0.5

# Solutions for the students, after the deadline: `nbgrader generate_solution
# NAME` writes them to solution/NAME/, run, with the hidden tests removed (its
# default keeps them), so that the assignment can be used again next term.
c.GenerateSolution.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.Execute",
]
