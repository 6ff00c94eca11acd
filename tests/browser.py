"""Headless Chromium for the browser tests, driven by Playwright.

Uses Debian's ``chromium`` package (``apt-get install chromium``), never a
browser that Playwright downloads. When the ``CI`` environment variable is
set, a missing browser is a failure; elsewhere the browser tests skip and say
how to enable them.

Import the fixture in a test module with ``from browser import browser``.
"""

import os
import shutil
import socket

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Flags for a headless Chromium on a closed network, as root in a container:
# no sandbox (root), and no background calls to the outside world.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

HOW_TO_ENABLE = (
    "install Debian's Chromium (sudo apt-get install chromium) and run the tests "
    "again; they always run when the CI environment variable is set"
)


def unavailable(reason):
    """Fail under CI, skip elsewhere, saying how to enable the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run under CI, but {reason}; .ci/run installs chromium")
    pytest.skip(f"browser test skipped: {reason}; to enable it, {HOW_TO_ENABLE}")


# One Playwright and one Chromium per process. Each test module that imports
# the fixture gets its own session-scoped copy of it, and a second
# sync_playwright() while the first still runs fails ("using Playwright Sync
# API inside the asyncio loop"): so every copy shares this one, and the last
# to finish closes it.
_SHARED = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium browser (a Playwright ``Browser``)."""
    if CHROMIUM is None:
        unavailable("no chromium on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if _SHARED["users"] == 0:
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["chromium"] = _SHARED["playwright"].chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS)
    _SHARED["users"] += 1
    try:
        yield _SHARED["chromium"]
    finally:
        _SHARED["users"] -= 1
        if _SHARED["users"] == 0:
            _SHARED.pop("chromium").close()
            _SHARED.pop("playwright").stop()


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
