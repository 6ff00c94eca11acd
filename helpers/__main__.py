"""``python -m helpers``: check that this Python has what the course needs.

It prints one OK or FAIL line per requirement and says what to install. It
never needs more than the standard library, so it runs even when a package
is missing or broken (then ``import helpers`` itself fails, which the
package's ``__init__`` allows only while this check runs).
"""

import sys

from .environment import check_environment

ok = check_environment()
if ok and getattr(sys.modules.get(__package__), "IMPORT_ERROR", None) is not None:
    # Everything is installed, yet the helpers do not import: say why.
    error = sys.modules[__package__].IMPORT_ERROR
    print(f"FAIL  the helpers do not import ({type(error).__name__}: {error}): "
          f"pip install -e . from the course folder")
    ok = False
sys.exit(0 if ok else 1)
