"""Copy the Palmer penguins data set into ``data/``, byte for byte, and print its checksum.

    pip install palmerpenguins==0.1.6        # once, anywhere; not a course dependency
    python -m tools.copy_penguins

or, without installing the package (it pulls in pandas):

    pip download palmerpenguins==0.1.6 --no-deps -d /tmp/penguins
    python -m tools.copy_penguins /tmp/penguins/palmerpenguins-0.1.6-py3-none-any.whl

The course ships the copy, so nothing is fetched when a notebook runs; this
script only records how the file got there. ``tests/test_data.py`` checks the
checksum listed in ``data/README.md``.
"""

import hashlib
import importlib.util
import sys
import zipfile
from pathlib import Path

from tools.course import COURSE

NAME = "penguins.csv"
INSIDE = "palmerpenguins/data/penguins.csv"


def read_from_installed_package():
    """The CSV's bytes from an installed palmerpenguins, without importing it."""
    spec = importlib.util.find_spec("palmerpenguins")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("palmerpenguins is not installed: pip install palmerpenguins==0.1.6, "
                 "or pass the path of its wheel (see the top of this script).")
    return (Path(spec.submodule_search_locations[0]) / "data" / NAME).read_bytes()


def read_from_wheel(path):
    """The CSV's bytes from a downloaded palmerpenguins wheel."""
    with zipfile.ZipFile(path) as wheel:
        return wheel.read(INSIDE)


def main(argv):
    content = read_from_wheel(argv[0]) if argv else read_from_installed_package()
    (COURSE.data / NAME).write_bytes(content)
    rows = content.decode("utf-8").count("\n") - 1
    print(f"{NAME}  {rows} rows  sha256 {hashlib.sha256(content).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1:])
