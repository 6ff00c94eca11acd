"""The README's picture is drawn by tools/readme_figure.py (`make figures`) and committed."""

import struct
from pathlib import Path

from tools.readme_figure import DEFAULT, draw

ROOT = Path(__file__).resolve().parent.parent


def png_size(path):
    with open(path, "rb") as png:
        header = png.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_the_readme_shows_the_committed_picture():
    assert DEFAULT.is_file(), "docs/dendrogram.png is missing: draw it with `make figures`"
    relative = DEFAULT.relative_to(ROOT).as_posix()
    assert f"]({relative})" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_script_draws_the_same_picture(tmp_path):
    """Same size, and the same bytes when drawn with the same libraries (no date, no version)."""
    first = draw(tmp_path / "a.png")
    assert png_size(first) == png_size(DEFAULT) == (900, 400)
    assert draw(tmp_path / "b.png").read_bytes() == first.read_bytes()
