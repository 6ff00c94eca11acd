"""The sample data: faithful to the tutorial, and equal to the shipped files."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.cluster.hierarchy import linkage

from helpers.data import BLOBS, SEED, data_file, five_clusters, two_clusters

DATA = Path(__file__).resolve().parent.parent / "data"


def legacy_global_stream():
    """The tutorial's own code, with NumPy's global generator."""
    state = np.random.get_state()
    try:
        np.random.seed(SEED)
        parts = [np.random.multivariate_normal(mean, cov, size=[size])
                 for _, size, mean, cov in BLOBS]
    finally:
        np.random.set_state(state)
    return parts


def test_same_numbers_as_the_tutorials_global_seed():
    a, b, c, d, e = legacy_global_stream()
    np.testing.assert_array_equal(two_clusters(), np.concatenate((a, b)))
    np.testing.assert_array_equal(five_clusters(), np.concatenate((a, b, c, d, e)))


def test_does_not_touch_the_global_generator():
    np.random.seed(1)
    expected = np.random.random()
    np.random.seed(1)
    two_clusters()
    five_clusters()
    assert np.random.random() == expected


def test_shapes_labels_and_prefix():
    X, y = two_clusters(return_labels=True)
    X2, y2 = five_clusters(return_labels=True)
    assert X.shape == (150, 2) and X2.shape == (750, 2)
    assert np.bincount(y).tolist() == [100, 50]
    assert np.bincount(y2).tolist() == [100, 50, 200, 200, 200]
    np.testing.assert_array_equal(X2[:150], X)


def test_the_tutorials_published_numbers(X):
    """Numbers printed in the original tutorial, which the course quotes."""
    Z = linkage(X, "ward")
    np.testing.assert_allclose(Z[1], [14, 79, 0.05914, 2], atol=5e-6)
    np.testing.assert_allclose(Z[13, :2], [62, 152])  # 62 joins 152 - 150 = row 2: (33, 68)
    np.testing.assert_allclose(Z[2, :2], [33, 68])
    np.testing.assert_allclose(Z[-4:, 2], [15.11533, 17.11527, 23.12199, 180.27043], atol=5e-6)


@pytest.mark.parametrize("name, make", [("two_clusters.csv", two_clusters),
                                        ("five_clusters.csv", five_clusters)])
def test_shipped_files_equal_generated_data(name, make):
    table = np.loadtxt(DATA / name, delimiter=",", skiprows=1)
    X, y = make(return_labels=True)
    # The files hold each float's exact repr; allow only for a LAPACK that
    # rounds the last bit of the covariance factor differently.
    np.testing.assert_allclose(table[:, :2], X, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(table[:, 2].astype(int), y)
    assert (DATA / name).read_text().splitlines()[0] == "x1,x2,label"


def test_checksums_in_the_data_readme_match_the_files():
    readme = (DATA / "README.md").read_text()
    rows = re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", readme, flags=re.M)
    assert rows, "data/README.md lists no file with a sha256 checksum"
    listed = {name for name, _ in rows}
    shipped = {p.name for p in DATA.iterdir() if p.name != "README.md"}
    assert shipped == listed, f"files in data/ not listed in its README: {shipped - listed}"
    for name, digest in rows:
        actual = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name}: README says {digest}, file is {actual}"


def test_penguins_load_with_the_expected_shape_columns_and_labels():
    from helpers.data import PENGUIN_FEATURES, PENGUIN_SPECIES, penguins

    header = (DATA / "penguins.csv").read_text().splitlines()[0]
    assert header == ("species,island,bill_length_mm,bill_depth_mm,"
                      "flipper_length_mm,body_mass_g,sex,year")
    assert PENGUIN_FEATURES == ("bill_length_mm", "bill_depth_mm",
                                "flipper_length_mm", "body_mass_g")
    X, y = penguins(return_labels=True)
    assert X.shape == (344, 4) and y.shape == (344,)
    np.testing.assert_array_equal(penguins(), X)
    # Two penguins were never measured (all four values NA); the rest are complete.
    missing = np.isnan(X)
    assert missing.any(axis=1).sum() == 2 and missing[missing.any(axis=1)].all()
    assert [PENGUIN_SPECIES[label] for label in np.unique(y)] == ["Adelie", "Chinstrap", "Gentoo"]
    assert np.bincount(y).tolist() == [152, 68, 124]
    # First and last rows of the file, and plausible ranges for every column.
    np.testing.assert_array_equal(X[0], [39.1, 18.7, 181, 3750])
    np.testing.assert_array_equal(X[-1], [50.2, 18.7, 198, 3775])
    low, high = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
    np.testing.assert_array_equal(low, [32.1, 13.1, 172, 2700])
    np.testing.assert_array_equal(high, [59.6, 21.5, 231, 6300])


# -- issue 13: the penguins from a regular (non-editable) install -----------------

def test_the_packaging_maps_data_into_the_package():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    config = tomllib.loads((DATA.parent / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "helpers._datasets" in config["packages"]
    assert config["package-dir"]["helpers._datasets"] == "data"
    assert "*.csv" in config["package-data"]["helpers._datasets"]


def test_penguins_load_from_a_built_wheel(tmp_path):
    """Build the course's wheel, unpack it as pip would, and load the penguins and the stepper's module from it."""
    pytest.importorskip("setuptools", reason="the test extra installs setuptools to build the wheel")
    source = tmp_path / "source"
    source.mkdir()
    root = DATA.parent
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source)
    for folder in ("helpers", "data"):
        shutil.copytree(root / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    build = subprocess.run(
        [sys.executable, "-c",
         "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))",
         str(tmp_path / "dist")],
        cwd=source, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = tmp_path / "dist" / build.stdout.split()[-1]
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
        shipped = archive.read("helpers/_datasets/penguins.csv")
        module = archive.read("helpers/stepper.js")
    assert shipped == (DATA / "penguins.csv").read_bytes()
    assert module == (root / "helpers" / "stepper.js").read_bytes(), "the merge stepper's drawing"
    assert not (site / "data").exists()  # the data live inside the package only
    # The unpacked wheel first on the path, run from elsewhere: no data/ folder near it.
    check = subprocess.run(
        [sys.executable, "-c",
         "import helpers, numpy as np\n"
         "X, y = helpers.penguins(return_labels=True)\n"
         "print(helpers.__file__)\n"
         "print(helpers.data.data_file('penguins.csv'))\n"
         "print(X.shape, np.bincount(y).tolist())\n"
         "from helpers.stepper import MergeStepper\n"
         "print('boot(' in MergeStepper([[0, 0], [1, 1]]).to_html())"],
        cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(site), "MPLBACKEND": "Agg"})
    assert check.returncode == 0, check.stderr
    module, data_file, shape, stepper = check.stdout.splitlines()
    assert module.startswith(str(site)) and data_file.startswith(str(site / "helpers" / "_datasets"))
    assert shape == "(344, 4) [152, 68, 124]"
    assert stepper == "True", "the merge stepper finds its module in the installed package"


def test_a_missing_data_file_says_where_it_looked():
    from helpers.data import data_file

    with pytest.raises(FileNotFoundError, match="no-such.csv") as info:
        data_file("no-such.csv")
    assert "pip install -e ." in str(info.value) and "data" in str(info.value)


# Chapters reading a file of data/ by a path of their own, with the reason.
# Every other read goes through helpers (penguins(), data_file()), which find
# the file however the course is installed.
OWN_PATHS = {
    # The lesson of that cell: loading your own CSV file with NumPy, by its path.
    ("01_sample_data.ipynb", "../data/two_clusters.csv"),
}


def test_chapters_read_the_course_data_only_through_helpers():
    import nbformat

    from tools.course import COURSE

    names = "|".join(re.escape(p.name) for p in COURSE.data.glob("*.csv"))
    found = set()
    for path in COURSE.chapters():
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for match in re.finditer(rf"""["']([^"']*(?:{names}))["']""", cell.source):
                if "data_file(" not in cell.source[max(0, match.start() - 20):match.start()]:
                    found.add((path.name, match.group(1)))
    assert found == OWN_PATHS


def test_an_installed_data_file_is_read_from_the_package_first(tmp_path, monkeypatch):
    """A regular install's copy, ``helpers/_datasets/<name>``, wins over the checkout's data/.

    In a checkout the package holds no ``_datasets`` folder, so a stand-in
    package folder plays the installed one (the wheel test does it for real).
    """
    from helpers import data

    package = tmp_path / "helpers"
    (package / "_datasets").mkdir(parents=True)
    installed = package / "_datasets" / "penguins.csv"
    installed.write_text("an installed copy\n")
    (package / "penguins.csv").write_text("not a data file\n")
    asked = []

    def files(name):
        asked.append(name)
        return package

    monkeypatch.setattr(data, "resources", SimpleNamespace(files=files))
    assert data.data_file("penguins.csv") == installed
    assert asked == ["helpers"]
    # Without the installed copy, the checkout's own file.
    installed.unlink()
    assert data.data_file("penguins.csv") == DATA / "penguins.csv"


# Issue 26: data_file reaches the course's data files and nothing else -----------

@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/hostname", "..", ".", "", "sub/penguins.csv",
                                  "..\\pyproject.toml", "C:\\data\\penguins.csv"])
def test_data_file_refuses_a_name_with_a_folder(name):
    with pytest.raises(ValueError, match=r"^name must be the name of one of the course's data files, without a "
                                         r"folder \(such as 'penguins\.csv'\); got "):
        data_file(name)


@pytest.mark.parametrize("name", [None, 3, b"penguins.csv"])
def test_data_file_refuses_what_is_no_name(name):
    with pytest.raises(TypeError, match=r"^name must be the name of one of the course's data files, "
                                        r"such as 'penguins\.csv'; got .* of type "):
        data_file(name)


def test_data_file_takes_a_path_of_a_bare_name():
    assert data_file(Path("penguins.csv")).name == "penguins.csv"
