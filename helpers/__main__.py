"""``python -m helpers``: check that this Python has what the course needs."""

import sys

from .environment import check_environment

sys.exit(0 if check_environment() else 1)
