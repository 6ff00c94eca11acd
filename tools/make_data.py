"""Write the tutorial's data sets to ``data/`` as CSV, and print their checksums.

    python -m tools.make_data

The files are a convenience for readers who use other tools; the notebooks
generate the same numbers with :mod:`helpers.data`, and
``tests/test_data.py`` checks that the two agree and that the checksums in
``data/README.md`` are the files'.
"""

import hashlib

from helpers.data import five_clusters, two_clusters
from tools.course import COURSE

#: The files this writes (tools.course.DATA_FILES lists every data file), each with the helper that makes its data.
SETS = {"two_clusters.csv": two_clusters, "five_clusters.csv": five_clusters}


def write_csv(path, X, y):
    """Write samples and labels with every float's shortest exact repr."""
    lines = ["x1,x2,label"]
    lines += [f"{float(a)!r},{float(b)!r},{int(label)}" for (a, b), label in zip(X, y, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def main():
    for name, make in SETS.items():
        path = COURSE.data / name
        write_csv(path, *make(return_labels=True))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{name}  sha256 {digest}")


if __name__ == "__main__":
    main()
