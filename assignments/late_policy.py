"""The course's late-submission penalty, an nbgrader plugin (assignments/nbgrader_config.py selects it).

A notebook handed in after its assignment's due date loses a share of the
score it earned for every started day of lateness: 10 % a day by default, up
to half of it (both set in nbgrader_config.py). A minute late counts as a
started day. nbgrader records the penalty in the gradebook; the exported
grades show the raw score, the penalty and the score.

Set a due date per assignment, in the course folder, before you autograde:

    nbgrader db assignment add a1_linkage_matrix --duedate="2026-10-05 17:00:00 Europe/Paris"
"""

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class PenaltyPerDay(LateSubmissionPlugin):
    """A share of the earned score per started day late, up to a cap."""

    share_per_day = Float(0.1, help="The share of the earned score lost per started day late.").tag(config=True)
    largest_share = Float(0.5, help="The largest share of the earned score a late notebook can lose.").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """The points lost: ``score * min(days * share_per_day, largest_share)``, days rounded up."""
        if total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / 86400)
        penalty = score * min(days * self.share_per_day, self.largest_share)
        self.log.info("%s is %d started day(s) late: a penalty of %.2f of %.2f points",
                      student_id, days, penalty, score)
        return penalty
